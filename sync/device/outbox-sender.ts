/**
 * Posts the outbox to `POST /api/sync/mutations` while the device is online,
 * in order, in batches of up to MAX_MUTATIONS_PER_BATCH.
 *
 * - It wakes on every outbox insert (NOTIFY talemo_outbox), on `kick()`
 *   (the browser's "online" event), and on its own backoff timer.
 * - Network errors, 5xx, 429 and per-mutation `retry` back off
 *   exponentially (with jitter, honouring Retry-After) up to `maxBackoffMs`.
 * - 401 stops it: the session is gone, and the outbox is kept for the next
 *   sign-in of the same user.
 * - Only one send is in flight at a time, so a write is never posted twice
 *   concurrently; a replay after a lost answer is harmless because the server
 *   is idempotent on write_id.
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import { MAX_MUTATIONS_PER_BATCH, mutationBatchResponseSchema, type MutationBatch } from '../mutations.ts';
import { applyResults, sweepSettled, type SentEntry } from './outbox-results.ts';
import { apiUrl, deviceFetch, type ServerConnection } from './server-connection.ts';

export type SenderState = 'idle' | 'sending' | 'waiting_to_retry' | 'signed_out' | 'stopped';

export interface OutboxSenderOptions {
  pg: PGliteInterface;
  conn: ServerConnection;
  deviceId: string;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long an accepted write may wait for its row to sync back before its overlay is dropped. */
  settleGraceMs?: number;
  onState?: (state: SenderState, detail?: string) => void;
  onUnauthorized?: () => void;
}

interface OutboxRow {
  seq: number;
  write_id: string;
  mutation_type: string;
  entity_table: string;
  entity_key: string;
  payload: unknown;
  created_at: Date;
}

export class OutboxSender {
  #o: Required<Omit<OutboxSenderOptions, 'onState' | 'onUnauthorized'>> & Pick<OutboxSenderOptions, 'onState' | 'onUnauthorized'>;
  #fetch: typeof fetch;
  #running = false;
  #again = false;
  #stopped = true;
  #timer?: ReturnType<typeof setTimeout>;
  #backoff = 0;
  #batchLimit = MAX_MUTATIONS_PER_BATCH;
  #unlisten?: () => Promise<void>;
  #abort = new AbortController();
  #idle: Promise<void> = Promise.resolve();

  constructor(options: OutboxSenderOptions) {
    this.#o = { initialBackoffMs: 1_000, maxBackoffMs: 60_000, settleGraceMs: 120_000, ...options };
    this.#fetch = deviceFetch(options.conn);
  }

  async start(): Promise<void> {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#abort = new AbortController();
    this.#unlisten = await this.#o.pg.listen('talemo_outbox', () => this.kick());
    this.kick();
  }

  /** Send now (skipping any backoff wait). */
  kick(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#idle = this.#drain();
  }

  /** Resolves once nothing is being sent (for tests and sign-out). */
  whenIdle(): Promise<void> {
    return this.#idle;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#abort.abort();
    await this.#unlisten?.();
    await this.#idle.catch(() => {});
    this.#o.onState?.('stopped');
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      do {
        this.#again = false;
        const outcome = await this.#sendOnce();
        if (outcome === 'more') this.#again = true;
        if (outcome === 'wait') {
          this.#scheduleRetry();
          return;
        }
        if (outcome === 'stop') return;
      } while (this.#again && !this.#stopped);
      this.#o.onState?.('idle');
      await sweepSettled(this.#o.pg, this.#o.settleGraceMs);
    } catch (err) {
      this.#o.onState?.('waiting_to_retry', err instanceof Error ? err.message : String(err));
      this.#scheduleRetry();
    } finally {
      this.#running = false;
    }
  }

  /** 'done': outbox empty; 'more': sent a batch, go on; 'wait': back off; 'stop': give up until restarted. */
  async #sendOnce(): Promise<'done' | 'more' | 'wait' | 'stop'> {
    const { rows } = await this.#o.pg.query<OutboxRow>(
      `SELECT seq, write_id, mutation_type, entity_table, entity_key, payload, created_at FROM outbox WHERE status = 'pending' ORDER BY seq LIMIT $1`,
      [this.#batchLimit],
    );
    if (rows.length === 0 || this.#stopped) return 'done';
    this.#o.onState?.('sending', `${rows.length} change(s)`);
    await this.#o.pg.query(`UPDATE outbox SET attempts = attempts + 1, last_attempt_at = now() WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);

    const batch: MutationBatch = {
      device_id: this.#o.deviceId,
      mutations: rows.map((r) => ({ write_id: r.write_id, type: r.mutation_type, payload: r.payload, created_at: new Date(r.created_at).toISOString() })),
    };
    let response: Response;
    try {
      response = await this.#fetch(apiUrl(this.#o.conn, '/api/sync/mutations'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
        signal: this.#abort.signal,
      });
    } catch (err) {
      await this.#noteError(rows, `Offline: ${err instanceof Error ? err.message : String(err)}`);
      return 'wait';
    }

    if (response.status === 401) {
      this.#o.onState?.('signed_out');
      this.#o.onUnauthorized?.();
      return 'stop';
    }
    if (response.status === 413 && this.#batchLimit > 1) {
      this.#batchLimit = Math.max(1, Math.floor(this.#batchLimit / 2));
      return 'more';
    }
    if (response.status === 429 || response.status >= 500 || response.status === 404) {
      // 404: a server without the endpoint yet (an older deployment); keep the writes.
      this.#retryAfter = retryAfterMs(response.headers.get('retry-after'));
      await this.#noteError(rows, `The server could not take changes now (HTTP ${response.status}).`);
      return 'wait';
    }
    const body = (await response.json().catch(() => null)) as { data?: unknown; message?: string } | null;
    if (!response.ok) {
      // The batch itself was refused (400/403/413 of a single mutation): these
      // writes can never go through as they are.
      const message = body?.message ?? `The server refused these changes (HTTP ${response.status}).`;
      await applyResults(this.#o.pg, rows.map(toSent), rows.map((r) => ({ write_id: r.write_id, status: 'rejected' as const, message })));
      return 'more';
    }
    const parsed = mutationBatchResponseSchema.safeParse(body?.data);
    if (!parsed.success) {
      await this.#noteError(rows, 'The server answered in a form this device does not understand.');
      return 'wait';
    }
    const counts = await applyResults(this.#o.pg, rows.map(toSent), parsed.data.results);
    if (counts.retry > 0) return 'wait';
    this.#backoff = 0;
    this.#batchLimit = MAX_MUTATIONS_PER_BATCH;
    return 'more';
  }

  #retryAfter: number | undefined;

  #scheduleRetry(): void {
    if (this.#stopped) return;
    const base = this.#backoff === 0 ? this.#o.initialBackoffMs : Math.min(this.#o.maxBackoffMs, this.#backoff * 2);
    this.#backoff = base;
    const wait = Math.max(this.#retryAfter ?? 0, base * (0.75 + Math.random() * 0.5));
    this.#retryAfter = undefined;
    this.#o.onState?.('waiting_to_retry', `next try in ${Math.round(wait / 1000)} s`);
    this.#timer = setTimeout(() => this.kick(), wait);
  }

  async #noteError(rows: OutboxRow[], message: string): Promise<void> {
    await this.#o.pg.query(`UPDATE outbox SET last_error = $2 WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq), message]);
  }
}

function toSent(r: OutboxRow): SentEntry {
  return { seq: r.seq, write_id: r.write_id, entity_table: r.entity_table, entity_key: r.entity_key };
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(seconds * 1000, 300_000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, Math.min(at - Date.now(), 300_000)) : undefined;
}
