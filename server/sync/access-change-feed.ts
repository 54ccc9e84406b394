/**
 * "What someone in tenant T may see may have changed", as Postgres announces
 * it (migrations/071_access_change_notify.sql: policies, profile permissions,
 * members' profiles), for the shape proxy's held live requests.
 *
 * One LISTEN connection per server process, opened when the first live
 * request subscribes and closed when none has been waiting for a while.
 * Notifications sent while the connection was down are lost, so after a
 * reconnect every subscriber is told to check, whatever its tenant.
 */
import pg from 'pg';
import type { Database } from '../db/database.ts';
import type { Logger } from '../observability/logger.ts';

const CHANNEL = 'talemo_access_changed';
/** How long the connection stays open with nobody waiting, so bursts of long polls reuse it. */
const IDLE_CLOSE_MS = 30_000;
const MAX_RECONNECT_DELAY_MS = 30_000;

/** Called with the number of the notification, so work for one change can be shared. */
type Listener = (change: number) => void;

export class AccessChangeFeed {
  readonly #db: Database;
  readonly #logger: Logger;
  readonly #byTenant = new Map<string, Set<Listener>>();
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectDelay = 250;
  #changes = 0;

  constructor(db: Database, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
  }

  /** Calls `listener` whenever access may have changed in `tenantId`; returns the unsubscribe. */
  subscribe(tenantId: string, listener: Listener): () => void {
    let set = this.#byTenant.get(tenantId);
    if (!set) this.#byTenant.set(tenantId, (set = new Set()));
    set.add(listener);
    clearTimeout(this.#idleTimer);
    this.#ensureConnected();
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#byTenant.delete(tenantId);
      if (this.#byTenant.size === 0) this.#closeWhenIdle();
    };
  }

  /** Resolves once LISTEN is in place (for tests that must not race the first notification). */
  async ready(): Promise<void> {
    this.#ensureConnected();
    await this.#connecting;
  }

  #ensureConnected(): void {
    if (this.#client || this.#connecting) return;
    this.#connecting = this.#connect().finally(() => (this.#connecting = undefined));
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ ...this.#db.pool.options, application_name: 'talemo-access-feed' });
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) this.#emit(this.#byTenant.get(n.payload));
    });
    client.on('error', (err) => this.#lost(client, err));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => {});
      this.#logger.warn({ err }, 'shape proxy could not listen for access changes; held live requests end at their timeout');
      this.#retryLater();
      return;
    }
    if (this.#byTenant.size === 0) {
      await client.end().catch(() => {});
      return;
    }
    const reconnected = this.#reconnectDelay > 250;
    this.#client = client;
    this.#reconnectDelay = 250;
    // Anything may have changed while we were not listening.
    if (reconnected) for (const set of this.#byTenant.values()) this.#emit(set);
  }

  #lost(client: pg.Client, err?: Error): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => {});
    if (err) this.#logger.warn({ err }, 'shape proxy lost its access-change connection; reconnecting');
    this.#retryLater();
  }

  #retryLater(): void {
    if (this.#byTenant.size === 0) return;
    const delay = this.#reconnectDelay;
    this.#reconnectDelay = Math.min(MAX_RECONNECT_DELAY_MS, delay * 2);
    setTimeout(() => this.#ensureConnected(), delay).unref();
  }

  #closeWhenIdle(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      if (this.#byTenant.size > 0 || !this.#client) return;
      const client = this.#client;
      this.#client = undefined;
      client.end().catch(() => {});
    }, IDLE_CLOSE_MS);
    this.#idleTimer.unref();
  }

  #emit(listeners: Set<Listener> | undefined): void {
    const change = ++this.#changes;
    for (const listener of [...(listeners ?? [])]) listener(change);
  }
}
