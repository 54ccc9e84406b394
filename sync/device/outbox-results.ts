/**
 * What the device does with each mutation's answer (sync/mutations.ts):
 *
 * - accepted: the entry is settled. The overlay row stays until the server's
 *   row syncs back with the same write_id (reconciliation, overlay-sql.ts),
 *   so the UI never flickers back to the old value in between.
 * - rejected: the write will never apply. The entity's overlay row is rolled
 *   back, later unsent writes to the same entity (built on the refused one)
 *   are cancelled with it, and the message is kept for the UI.
 * - retry: nothing changes; the sender tries again after a pause, in order.
 */
import type { PGliteInterface, Transaction } from '@electric-sql/pglite';
import type { MutationResult } from '../mutations.ts';

/** Overlay table and key column per server table a mutation may target. */
export const OVERLAYS: Record<string, { table: string; key: string }> = {
  stories: { table: 'stories_local', key: 'id' },
  listening_events: { table: 'listening_events_local', key: 'id' },
  profiles: { table: 'profiles_local', key: 'id' },
  tenant_policies: { table: 'tenant_policies_local', key: 'key' },
  agent_tasks: { table: 'agent_tasks_local', key: 'id' },
};

export interface SentEntry {
  seq: number;
  write_id: string;
  entity_table: string;
  entity_key: string;
}

export interface AppliedResults {
  accepted: number;
  rejected: number;
  retry: number;
}

export async function applyResults(pg: PGliteInterface, sent: SentEntry[], results: MutationResult[]): Promise<AppliedResults> {
  const byId = new Map(results.map((r) => [r.write_id, r]));
  const counts: AppliedResults = { accepted: 0, rejected: 0, retry: 0 };
  const inBatch = sent.map((e) => e.seq);
  await pg.transaction(async (tx) => {
    for (const entry of sent) {
      // A result the server left out is treated like retry: it was not confirmed.
      const result = byId.get(entry.write_id) ?? { write_id: entry.write_id, status: 'retry' as const, message: 'The server did not answer for this change.' };
      if (result.status === 'accepted') {
        counts.accepted++;
        await tx.query(`UPDATE outbox SET status = 'accepted', settled_at = now(), message = NULL, last_error = NULL WHERE seq = $1 AND status = 'pending'`, [entry.seq]);
      } else if (result.status === 'rejected') {
        counts.rejected++;
        await rejectEntry(tx, entry, result.message ?? 'The server refused this change.', inBatch);
      } else {
        counts.retry++;
        await tx.query(`UPDATE outbox SET last_error = $2 WHERE seq = $1`, [entry.seq, result.message ?? 'The server asked to try again later.']);
      }
    }
  });
  return counts;
}

async function rejectEntry(tx: Transaction, entry: SentEntry, message: string, inBatch: number[]): Promise<void> {
  await tx.query(`UPDATE outbox SET status = 'rejected', settled_at = now(), message = $2 WHERE seq = $1`, [entry.seq, message]);
  await tx.query(
    `UPDATE outbox SET status = 'rejected', settled_at = now(),
       message = 'Not sent: an earlier change to the same item was refused (' || $4 || ')'
     WHERE entity_table = $1 AND entity_key = $2 AND status = 'pending' AND seq > $3 AND NOT (seq = ANY($5::bigint[]))`,
    [entry.entity_table, entry.entity_key, entry.seq, message, inBatch],
  );
  const overlay = OVERLAYS[entry.entity_table];
  if (overlay) await tx.query(`DELETE FROM ${overlay.table} WHERE ${overlay.key}::text = $1`, [entry.entity_key]);
}

/**
 * Accepted writes whose row never came back carrying their write_id (the
 * server wrote it again meanwhile, or the viewer cannot see the result) would
 * pin their overlay forever: after `graceMs` the overlay is dropped and the
 * synced row is taken as the truth.
 */
export async function sweepSettled(pg: PGliteInterface, graceMs: number): Promise<void> {
  await pg.transaction(async (tx) => {
    for (const [entityTable, overlay] of Object.entries(OVERLAYS)) {
      await tx.query(
        `DELETE FROM ${overlay.table} l
          WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.write_id = l.write_id AND o.status = 'accepted'
                          AND o.settled_at < now() - ($2 || ' milliseconds')::interval)
            AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.entity_table = $1 AND p.entity_key = l.${overlay.key}::text AND p.status = 'pending')`,
        [entityTable, String(graceMs)],
      );
    }
    await tx.query(`DELETE FROM outbox WHERE status = 'accepted' AND settled_at < now() - ($1 || ' milliseconds')::interval`, [String(graceMs)]);
  });
}
