/**
 * Runs a device replica: its shape subscriptions and its outbox sender, for
 * one signed-in viewer. Create it on a PGlite that has the `electric`
 * (pglite-sync) extension and a migrated schema (`migrateDeviceSchema`).
 *
 * In the browser this runs in the PGlite leader worker only (one set of
 * long-polls per browser, whatever the number of tabs).
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import type { PGliteWithSync } from '@electric-sql/pglite-sync';
import { bindViewer, writeMeta, type DeviceViewer } from './device-meta.ts';
import { OutboxSender, type SenderState } from './outbox-sender.ts';
import { clearReplica } from './replica-clear.ts';
import type { ServerConnection } from './server-connection.ts';
import { ShapeSubscription, type ShapeMode, type ShapeState } from './shape-subscriptions.ts';
import { SYNCED_TABLES } from './synced-tables.ts';

/**
 * Which shapes each kind of viewer follows, and how. Live shapes each hold a
 * connection (at most six per origin in a browser), so only what must arrive
 * within seconds is live: the library and its files, policies (bedtime,
 * volume, …) and, for adults, generation progress.
 */
export const SHAPE_PLAN: Record<DeviceViewer['kind'], Record<string, ShapeMode>> = {
  kid: { stories: 'live', assets: 'live', tenant_policies: 'live', profiles: 'polled', listening_events: 'polled', tenants: 'polled' },
  adult: {
    stories: 'live',
    assets: 'live',
    agent_tasks: 'live',
    tenant_policies: 'live',
    profiles: 'polled',
    users: 'polled',
    listening_events: 'polled',
    tags: 'polled',
    story_tags: 'polled',
    tenants: 'polled',
  },
};

/** Shapes whose rows depend on profiles and policies: refreshed when those change. */
const ACCESS_DEPENDENT = ['stories', 'assets', 'story_tags', 'listening_events', 'users'];

export interface DeviceSyncOptions {
  pg: PGliteInterface & PGliteWithSync;
  conn: ServerConnection;
  viewer: DeviceViewer;
  deviceId: string;
  /** Overrides SHAPE_PLAN for this viewer. */
  shapes?: Record<string, ShapeMode>;
  pollIntervalMs?: number;
  sender?: { initialBackoffMs?: number; maxBackoffMs?: number; settleGraceMs?: number };
  /** The session ended (a 401 from the shapes or the mutations endpoint). */
  onSignedOut?: () => void;
  onShapeState?: (shape: string, state: ShapeState, error?: string) => void;
  onSenderState?: (state: SenderState, detail?: string) => void;
}

export class DeviceSync {
  readonly subscriptions: ShapeSubscription[];
  readonly sender: OutboxSender;
  #o: DeviceSyncOptions;
  #unlisten?: () => Promise<void>;
  #started = false;
  #signedOutNotified = false;

  constructor(o: DeviceSyncOptions) {
    this.#o = o;
    const plan = o.shapes ?? SHAPE_PLAN[o.viewer.kind];
    const onUnauthorized = () => this.#signedOut();
    this.subscriptions = SYNCED_TABLES.filter((t) => plan[t.shape]).map(
      (table) =>
        new ShapeSubscription({
          pg: o.pg,
          conn: o.conn,
          table,
          mode: plan[table.shape]!,
          keyPrefix: `talemo:${o.viewer.userId}`,
          pollIntervalMs: o.pollIntervalMs,
          onUnauthorized,
          onState: (shape, state, error) => {
            void this.#recordShapeState(shape, state, error);
            o.onShapeState?.(shape, state, error);
          },
        }),
    );
    this.sender = new OutboxSender({ pg: o.pg, conn: o.conn, deviceId: o.deviceId, ...o.sender, onUnauthorized, onState: o.onSenderState });
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#signedOutNotified = false;
    await bindViewer(this.#o.pg, this.#o.viewer);
    // Listening events made offline carry the device id from here (write-triggers-sql.ts).
    await writeMeta(this.#o.pg, 'device_id', this.#o.deviceId);
    this.#unlisten = await this.#o.pg.listen('talemo_access_changed', () => this.refresh(ACCESS_DEPENDENT));
    for (const s of this.subscriptions) s.start();
    await this.sender.start();
  }

  /** Asks shapes (all by default) to check in now, e.g. when the app comes back to the foreground. */
  refresh(shapes?: string[]): void {
    for (const s of this.subscriptions) if (!shapes || shapes.includes(s.shape)) s.refresh();
  }

  /** Sends the outbox now, e.g. on the browser's "online" event. */
  flush(): void {
    this.sender.kick();
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.#unlisten?.();
    await this.sender.stop();
    await Promise.all(this.subscriptions.map((s) => s.stop()));
  }

  /** Stops syncing and removes everything the viewer synced or wrote from the device. */
  async signOut(): Promise<void> {
    await this.stop();
    await clearReplica(this.#o.pg);
  }

  #signedOut(): void {
    if (this.#signedOutNotified) return;
    this.#signedOutNotified = true;
    this.#o.onSignedOut?.();
  }

  async #recordShapeState(shape: string, state: ShapeState, error?: string): Promise<void> {
    await this.#o.pg
      .query(
        `INSERT INTO sync_status (shape, state, last_error, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (shape) DO UPDATE SET state = EXCLUDED.state, last_error = EXCLUDED.last_error, updated_at = now()`,
        [shape, state, error ?? null],
      )
      .catch(() => {});
  }
}
