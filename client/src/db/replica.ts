/**
 * The tab's handle on the device replica: a PGliteWorker talking to the
 * shared leader (db/replica-worker.ts), with live queries.
 */
import { live, type PGliteWithLive } from '@electric-sql/pglite/live';
import { PGliteWorker } from '@electric-sql/pglite/worker';
import { REPLICA_NAME } from './replica-name.ts';

export type Replica = PGliteWorker & PGliteWithLive;

let opening: Promise<Replica> | undefined;
let worker: Worker | undefined;

/** Where PGlite's IndexedDB file system keeps the worker's `idb://` data directory. */
const REPLICA_IDB_NAME = `/pglite/${REPLICA_NAME}`;

export function openReplica(): Promise<Replica> {
  if (!opening) {
    worker = new Worker(new URL('./replica-worker.ts', import.meta.url), { type: 'module', name: 'talemo-replica' });
    opening = PGliteWorker.create(worker, { extensions: { live } }) as Promise<Replica>;
  }
  return opening;
}

/**
 * Sign-out, after the leader cleared every row (`sign_out`): deleted rows
 * would still sit in PGlite's table files and write-ahead log inside
 * IndexedDB, so the database is deleted outright. The worker is stopped
 * first (it holds the database open); the page must reload afterwards, and
 * a fresh, empty replica is made on the next open.
 */
export async function destroyReplica(timeoutMs = 5_000): Promise<void> {
  worker?.terminate();
  worker = undefined;
  opening = undefined;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const req = indexedDB.deleteDatabase(REPLICA_IDB_NAME);
    req.onsuccess = done;
    req.onerror = done;
    // Another tab still has it open: it reloads on `cleared` (session.tsx) and the deletion completes then.
    req.onblocked = () => console.warn('[talemo] replica deletion waits for another tab');
  });
}

export type ControlCommand = 'start' | 'sign_out' | 'refresh' | 'flush';

/** This tab, as named in `sign_out` and the leader's `cleared` answer (other tabs reload on it). */
export const TAB_ID = crypto.randomUUID();

/** Tells the leader worker what to do (see replica-worker.ts). */
export async function control(pg: Replica, command: ControlCommand): Promise<void> {
  await pg.query(`SELECT pg_notify('talemo_control', $1)`, [command === 'sign_out' ? `sign_out:${TAB_ID}` : command]);
}

/** A `cleared` answer to another tab's sign-out. */
export function clearedByOtherTab(payload: string): boolean {
  return payload.startsWith('cleared') && payload !== `cleared:${TAB_ID}`;
}

/** Waits for the leader to confirm that the replica was cleared. */
export function whenCleared(pg: Replica, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    let unlisten: (() => Promise<void>) | undefined;
    const done = () => {
      clearTimeout(timer);
      void unlisten?.();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    void pg.listen('talemo_session', (payload) => {
      if (payload === `cleared:${TAB_ID}`) done();
    }).then((u) => (unlisten = u));
  });
}
