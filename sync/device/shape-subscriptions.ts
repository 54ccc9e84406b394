/**
 * Fills the synced tables from `/api/shapes/<name>` with pglite-sync — the
 * only writer of those tables.
 *
 * Browsers open at most six HTTP/1.1 connections per origin, and every live
 * shape holds one for its long-poll. So only the shapes whose changes a
 * person must see within seconds are `live`; the rest are `polled`: caught
 * up (a non-live request from the stored offset) at start, every
 * `pollIntervalMs`, and whenever `refresh()` is called.
 *
 * Must-refetch (the viewer's shape definition changed, for instance an age
 * range was removed): pglite-sync calls `onMustRefetch` in the transaction
 * that then re-inserts the new snapshot; the old rows are deleted there, so
 * what the viewer may no longer see leaves the device in the same commit,
 * while pending overlay rows survive (talemo.refetching).
 */
import { FetchError, isControlMessage, type Message, type Row } from '@electric-sql/client';
import type { PGliteInterface, Transaction } from '@electric-sql/pglite';
import type { PGliteWithSync, SyncShapeToTableResult } from '@electric-sql/pglite-sync';
import { beginRefetchSql } from './refetch-sql.ts';
import { apiUrl, authHeaders, deviceFetch, type ServerConnection } from './server-connection.ts';
import type { SyncedTable } from './synced-tables.ts';

export type ShapeMode = 'live' | 'polled';
export type ShapeState = 'connecting' | 'syncing' | 'up_to_date' | 'offline' | 'unavailable' | 'stopped';

export interface ShapeSubscriptionOptions {
  pg: PGliteInterface & PGliteWithSync;
  conn: ServerConnection;
  table: SyncedTable;
  mode: ShapeMode;
  /** Namespaces the stored offsets, so one user's offsets are never resumed by another. */
  keyPrefix: string;
  pollIntervalMs?: number;
  onState?: (shape: string, state: ShapeState, error?: string) => void;
  /** The server said the session is gone (401). */
  onUnauthorized?: () => void;
}

export class ShapeSubscription {
  readonly shape: string;
  #opts: ShapeSubscriptionOptions;
  #current?: SyncShapeToTableResult;
  #state: ShapeState = 'stopped';
  #stopped = true;
  #wake?: () => void;
  #loop?: Promise<void>;
  /** Requests still waiting for the server's answer (a held long-poll among them). */
  #awaitingAnswer = new Set<AbortController>();

  constructor(opts: ShapeSubscriptionOptions) {
    this.#opts = opts;
    this.shape = opts.table.shape;
  }

  get state(): ShapeState {
    return this.#state;
  }

  get shapeKey(): string {
    return `${this.#opts.keyPrefix}:${this.shape}`;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#setState('connecting');
    this.#loop = this.#opts.mode === 'live' ? this.#runLive() : this.#runPolled();
    this.#loop.catch((err: unknown) => this.#setState('offline', errorText(err)));
  }

  /**
   * Asks the shape to check in now: a live one drops the long-poll it is
   * waiting on (the client asks again from the same offset, within a second),
   * a polled one catches up.
   *
   * Not the client's `forceDisconnectAndRefresh()`: in @electric-sql/client
   * (1.5.12 to 1.5.28 at least) a stream torn down while that refresh waits
   * (stopped, signed out, refused) rejects an internal promise nobody
   * handles, with `undefined`.
   */
  refresh(): void {
    if (this.#stopped) return;
    if (this.#opts.mode === 'live') for (const waiting of this.#awaitingAnswer) waiting.abort();
    else this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    this.#current?.unsubscribe();
    this.#current = undefined;
    await this.#loop?.catch(() => {});
    // Let a commit pglite-sync had queued finish (or roll back) before anyone clears tables.
    await this.#opts.pg.transaction(async () => {});
    this.#setState('stopped');
  }

  /** Opens the live stream; one that opens after stop() is closed at once. */
  async #runLive(): Promise<void> {
    const sub = await this.#subscribe(true);
    if (this.#stopped) sub.unsubscribe();
    else this.#current = sub;
  }

  async #runPolled(): Promise<void> {
    while (!this.#stopped) {
      const sub = await this.#subscribe(false);
      this.#current = sub;
      await this.#settled(sub);
      sub.unsubscribe();
      if (this.#current === sub) this.#current = undefined;
      if (this.#stopped) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#opts.pollIntervalMs ?? 30_000);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /**
   * A polled subscription is done once its stream is up to date and
   * pglite-sync has committed what it received (the stored offset caught up
   * with the stream's). Unsubscribing earlier would roll that commit back.
   */
  async #settled(sub: SyncShapeToTableResult): Promise<void> {
    const deadline = () => Date.now() + 5_000;
    let commitDeadline = 0;
    while (!this.#stopped && this.#state !== 'unavailable') {
      if (sub.stream.isUpToDate) {
        commitDeadline ||= deadline();
        const stored = await this.#storedOffset();
        if (stored === sub.stream.lastOffset || Date.now() > commitDeadline) return;
      }
      await sleep(50);
    }
  }

  async #storedOffset(): Promise<string | undefined> {
    const { rows } = await this.#opts.pg.query<{ offset: string | null }>(
      `SELECT shape_metadata -> 'shape' ->> 'offset' AS offset FROM electric.subscriptions_metadata WHERE key = $1`,
      [this.shapeKey],
    );
    return rows[0]?.offset ?? undefined;
  }

  async #subscribe(live: boolean): Promise<SyncShapeToTableResult> {
    const { pg, conn, table } = this.#opts;
    const columns = new Set(table.columns.map((c) => c.name));
    const fetchClient = this.#instrumentedFetch();
    const result = await pg.sync.syncShapeToTable({
      shape: {
        url: apiUrl(conn, `/api/shapes/${table.shape}`),
        headers: authHeaders(conn),
        fetchClient,
        subscribe: live,
        onError: (error) => this.#onStreamError(error),
      },
      table: table.localTable,
      primaryKey: table.primaryKey,
      shapeKey: this.shapeKey,
      // Keep only the columns the device table has: a server that starts
      // sending one more column must not break every device.
      mapColumns: (message) => Object.fromEntries(Object.entries(message.value as Record<string, unknown>).filter(([k]) => columns.has(k))),
      // Old rows are marked stale rather than deleted, and removed once the new
      // snapshot is in (refetch-sql.ts): what the viewer may no longer see leaves,
      // the rest never blinks out.
      onMustRefetch: async (tx: Transaction) => {
        await tx.exec(beginRefetchSql(table));
        await tx.query(
          `INSERT INTO refetch_pending (shape_key, local_table, started_in) VALUES ($1, $2, pg_current_xact_id())
           ON CONFLICT (shape_key) DO UPDATE SET started_in = EXCLUDED.started_in`,
          [this.shapeKey, table.localTable],
        );
      },
    });
    result.stream.subscribe((messages: Message<Row<unknown>>[]) => {
      if (messages.some((m) => isControlMessage(m) && m.headers.control === 'up-to-date')) this.#setState('up_to_date');
      else if (this.#state !== 'syncing') this.#setState('syncing');
    });
    return result;
  }

  #onStreamError(error: Error): void | Record<string, never> | Promise<void | Record<string, never>> {
    if (error instanceof FetchError) {
      if (error.status === 401) {
        this.#setState('stopped', 'signed out');
        this.#opts.onUnauthorized?.();
        return;
      }
      if (error.status === 403 || error.status === 404) {
        this.#setState('unavailable', `the server offers no "${this.shape}" shape to this viewer`);
        return;
      }
    }
    // Anything else (a 4xx the client does not retry by itself): note it, wait, try again.
    this.#setState('offline', errorText(error));
    if (this.#stopped) return;
    return sleep(5_000).then(() => (this.#stopped ? undefined : {}));
  }

  #instrumentedFetch(): typeof fetch {
    const f = deviceFetch(this.#opts.conn);
    return async (input, init) => {
      // refresh() may drop the request only while it waits for the answer:
      // a body cut off halfway would reach the client as an error, not a retry.
      const drop = new AbortController();
      this.#awaitingAnswer.add(drop);
      try {
        return await f(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, drop.signal]) : drop.signal });
      } catch (err) {
        if (!(err instanceof DOMException && err.name === 'AbortError') && !this.#stopped) this.#setState('offline', errorText(err));
        throw err;
      } finally {
        this.#awaitingAnswer.delete(drop);
      }
    };
  }

  #setState(state: ShapeState, error?: string): void {
    if (state === this.#state && error === undefined) return;
    this.#state = state;
    this.#opts.onState?.(this.shape, state, error);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
