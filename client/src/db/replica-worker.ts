/**
 * The PGlite worker shared by every tab (PGlite's multi-tab worker: each tab
 * starts one, the elected leader runs the database and the others proxy to
 * it). The leader also runs the sync: shape subscriptions and the outbox
 * sender, so a browser holds one set of long-polls whatever its tabs.
 *
 * Tabs steer it through the database itself, with NOTIFY on
 * `talemo_control`: `start` (a viewer was bound), `sign_out:<tab>`,
 * `refresh`, `flush`.
 */
import { worker } from '@electric-sql/pglite/worker';
import { openDeviceDatabase, type DeviceDatabase } from '../../../sync/device/device-database.ts';
import { boundViewer, ensureDeviceId } from '../../../sync/device/device-meta.ts';
import { DeviceSync } from '../../../sync/device/device-sync.ts';
import { clearReplica } from '../../../sync/device/replica-clear.ts';
import { REPLICA_NAME } from './replica-name.ts';

const DATA_DIR = `idb://${REPLICA_NAME}`;
const BOOT_SYNC_DELAY_MS = 1_500;

let device: DeviceSync | undefined;
let chain: Promise<void> = Promise.resolve();

/** Control commands run one after another, never interleaved. */
function serially(task: () => Promise<void>): void {
  chain = chain.then(task).catch((err: unknown) => console.error('[talemo] replica control failed', err));
}

async function startSync(pg: DeviceDatabase): Promise<void> {
  await device?.stop();
  device = undefined;
  const viewer = await boundViewer(pg);
  if (!viewer) return;
  const deviceId = await ensureDeviceId(pg, () => crypto.randomUUID());
  device = new DeviceSync({
    pg,
    conn: { baseUrl: self.location.origin },
    viewer,
    deviceId,
    onSignedOut: () => void pg.query(`SELECT pg_notify('talemo_session', 'expired')`),
  });
  await device.start();
}

// Errors nobody awaited (PGlite's filesystem layer reports some this way): say what they were.
self.addEventListener('unhandledrejection', (event) => {
  const err = event.reason as { name?: string; errno?: number; message?: string; stack?: string } | undefined;
  console.warn('[talemo] replica worker: unhandled rejection', err?.name, err?.errno, err?.message, err?.stack?.split('\n').slice(0, 6).join(' | '));
});
self.addEventListener('error', (event) => {
  const err = event.error as { name?: string; errno?: number; stack?: string } | undefined;
  console.warn('[talemo] replica worker: uncaught error', err?.name, err?.errno, event.message, err?.stack?.split('\n').slice(0, 6).join(' | '));
});

worker({
  async init() {
    // Relaxed durability: a commit returns before IndexedDB has flushed. A
    // crash may lose the last moments of listening progress; it never
    // corrupts the replica, and the UI stays fast on slow tablets.
    const pg = await openDeviceDatabase(DATA_DIR, { relaxedDurability: true });
    await pg.listen('talemo_control', (command) => {
      if (command === 'start') serially(() => startSync(pg));
      else if (command.startsWith('sign_out'))
        serially(async () => {
          if (device) await device.signOut();
          else await clearReplica(pg);
          device = undefined;
          // Names the tab that asked (`sign_out:<tab>`), so the others know to reload.
          await pg.query(`SELECT pg_notify('talemo_session', $1)`, [`cleared:${command.slice('sign_out:'.length)}`]);
        });
      else if (command === 'refresh') device?.refresh();
      else if (command === 'flush') device?.flush();
    });
    self.addEventListener('online', () => {
      device?.flush();
      device?.refresh();
    });
    // On boot the screen reads the replica first; sync (which finds its offsets,
    // opens streams and, offline, fails and retries) starts a moment later so
    // the two do not queue behind each other. A tab's explicit "start" (after
    // a sign-in) is not delayed.
    setTimeout(() => {
      if (!device) serially(() => startSync(pg));
    }, BOOT_SYNC_DELAY_MS);
    return pg as never;
  },
});
