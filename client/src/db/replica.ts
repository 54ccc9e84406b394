/**
 * The tab's handle on the device replica: a PGliteWorker talking to the
 * shared leader (db/replica-worker.ts), with live queries.
 */
import { live, type PGliteWithLive } from '@electric-sql/pglite/live';
import { PGliteWorker } from '@electric-sql/pglite/worker';

export type Replica = PGliteWorker & PGliteWithLive;

let opening: Promise<Replica> | undefined;

export function openReplica(): Promise<Replica> {
  opening ??= PGliteWorker.create(new Worker(new URL('./replica-worker.ts', import.meta.url), { type: 'module', name: 'talemo-replica' }), {
    extensions: { live },
  }) as Promise<Replica>;
  return opening;
}

export type ControlCommand = 'start' | 'sign_out' | 'refresh' | 'flush';

/** Tells the leader worker what to do (see replica-worker.ts). */
export async function control(pg: Replica, command: ControlCommand): Promise<void> {
  await pg.query(`SELECT pg_notify('talemo_control', $1)`, [command]);
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
      if (payload === 'cleared') done();
    }).then((u) => (unlisten = u));
  });
}
