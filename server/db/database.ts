/**
 * The one way the server touches its data: a unit of work in a transaction,
 * as the app role, with the tenant and user context set so RLS applies.
 *
 * The context goes out in the same round trip as the first statement: the
 * connections run in pg's pipeline mode, so BEGIN and "SELECT set_config(
 * 'app.tenant', $1, true), …" are written and, without waiting for answers,
 * the unit's first query follows it on the wire. A one-query unit costs two
 * round trips (BEGIN+context+query, then COMMIT). The context goes as bind
 * parameters of a prepared statement and must be UUIDs (or null). `true`
 * makes the settings transaction-local: when the connection goes back to the
 * pool, no context survives into the next request.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

export interface DbContext {
  /** The tenant whose rows are visible; null sees no tenant-bound rows. */
  tenantId: string | null;
  /** The acting user, for policies and triggers that need it. */
  userId: string | null;
}

export interface Tx {
  /** Runs one parameterised statement and returns its rows. */
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Exactly one row, or throws. */
  one<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R>;
  /** The first row, or undefined. */
  maybeOne<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R | undefined>;
  /** Rows affected by the last statement of this call. */
  execute(text: string, params?: readonly unknown[]): Promise<number>;
}

export interface TransactionOptions {
  readOnly?: boolean;
}

export interface DatabaseOptions {
  connectionString: string;
  poolMax: number;
  applicationName?: string;
  statementTimeoutMs?: number;
  /** Called with each transaction's duration, for metrics. */
  onTransaction?: (seconds: number, outcome: 'commit' | 'rollback') => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ContextError extends Error {
  constructor(field: string, value: unknown) {
    super(`${field} must be a UUID or null, got ${JSON.stringify(value)}`);
    this.name = 'ContextError';
  }
}

export class Database {
  readonly pool: pg.Pool;
  private readonly onTransaction: DatabaseOptions['onTransaction'];

  constructor(options: DatabaseOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolMax,
      application_name: options.applicationName ?? 'talemo-server',
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      idle_in_transaction_session_timeout: 60_000,
      connectionTimeoutMillis: 10_000,
      pipeline: true,
    });
    // An idle client losing its connection must not crash the process; the
    // pool drops it and the next checkout gets a fresh one.
    this.pool.on('error', () => {});
    this.onTransaction = options.onTransaction;
  }

  /**
   * Runs `work` in one transaction under the given tenant/user context. Commits
   * when it resolves, rolls back when it throws (and rethrows).
   */
  async transaction<T>(context: DbContext, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const values = contextValues(context);
    const started = performance.now();
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client has no error listener of the pool's; without ours a
    // backend ended mid-transaction (idle timeout, failover) would crash the
    // process instead of failing this unit of work.
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    try {
      const began = Promise.all([
        client.query(options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN'),
        client.query({ name: 'talemo_set_context', text: SET_CONTEXT, values }),
      ]);
      began.catch(() => {}); // its failure also fails the work's first query; reported below
      const result = await work(wrap(client));
      await began;
      await client.query('COMMIT');
      this.onTransaction?.((performance.now() - started) / 1000, 'commit');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      this.onTransaction?.((performance.now() - started) / 1000, 'rollback');
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /**
   * One read-only statement under the context, in a single round trip: BEGIN,
   * the context, the statement and COMMIT all go out together on the
   * pipelined connection. For hot read paths; anything with more than one
   * statement uses `transaction`.
   */
  async read<R extends object = Record<string, unknown>>(context: DbContext, text: string, params?: readonly unknown[]): Promise<R[]> {
    const values = contextValues(context);
    const started = performance.now();
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    try {
      const sent = [
        client.query('BEGIN READ ONLY'),
        client.query({ name: 'talemo_set_context', text: SET_CONTEXT, values }),
        client.query<R>({ text, values: params as unknown[] | undefined, name: statementName(text) }),
        client.query('COMMIT'),
      ] as const;
      // Settle all four before returning the connection: a failed statement
      // leaves COMMIT answering ROLLBACK, and the connection clean.
      const [, , result] = await Promise.allSettled(sent).then((outcomes) => {
        const failure = outcomes.find((o) => o.status === 'rejected');
        if (failure) throw (failure as PromiseRejectedResult).reason;
        return outcomes.map((o) => (o as PromiseFulfilledResult<unknown>).value);
      });
      this.onTransaction?.((performance.now() - started) / 1000, 'commit');
      return (result as pg.QueryResult<R>).rows;
    } catch (err) {
      this.onTransaction?.((performance.now() - started) / 1000, 'rollback');
      if (!isQueryError(err)) broken ??= err as Error;
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /** Cheap liveness probe of the pool's database. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  stats(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** An error Postgres answered with (the connection is fine), as opposed to a broken connection. */
function isQueryError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'severity' in err && typeof (err as { code?: unknown }).code === 'string';
}

const SET_CONTEXT = "SELECT set_config('app.tenant', $1, true), set_config('app.user', $2, true)";

function contextValues(context: DbContext): [string, string] {
  return [contextValue('tenantId', context.tenantId), contextValue('userId', context.userId)];
}

function contextValue(field: string, value: string | null): string {
  if (value === null) return '';
  if (typeof value !== 'string' || !UUID.test(value)) throw new ContextError(field, value);
  return value.toLowerCase();
}

const names = new Map<string, string>();
/** A stable prepared-statement name per SQL text, so each connection parses and plans it once. */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `t${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    if (names.size < 5000) names.set(text, name);
  }
  return name;
}

/**
 * A Tx over a client the caller already holds in a transaction (bootstrap
 * tools such as the demo seed, which runs as the owner).
 */
export function clientTx(client: pg.ClientBase): Tx {
  return wrap(client);
}

function wrap(client: pg.ClientBase): Tx {
  const run = async <R extends object>(text: string, params?: readonly unknown[]) =>
    client.query<R>({ text, values: params as unknown[] | undefined, name: statementName(text) });
  return {
    async query<R extends object>(text: string, params?: readonly unknown[]) {
      return (await run<R>(text, params)).rows;
    },
    async one<R extends object>(text: string, params?: readonly unknown[]) {
      const { rows } = await run<R>(text, params);
      if (rows.length !== 1) throw new Error(`expected exactly one row, got ${rows.length}`);
      return rows[0]!;
    },
    async maybeOne<R extends object>(text: string, params?: readonly unknown[]) {
      const { rows } = await run<R>(text, params);
      return rows[0] as R | undefined;
    },
    async execute(text: string, params?: readonly unknown[]) {
      return (await run(text, params)).rowCount ?? 0;
    },
  };
}
