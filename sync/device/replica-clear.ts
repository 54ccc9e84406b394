/**
 * Sign-out: everything the signed-in person synced or wrote leaves the
 * device — synced rows, overlays, the outbox, stored shape offsets, offline
 * file records and who the device belonged to. Only the device id stays (it
 * names the hardware, not the person). Stop the sync first, so no stream
 * writes into the emptied tables.
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import { SYNCED_TABLES } from './synced-tables.ts';

const LOCAL_TABLES = ['stories_local', 'listening_events_local', 'profiles_local', 'tenant_policies_local', 'agent_tasks_local', 'outbox', 'offline_files', 'sync_status', 'refetch_pending'];

export async function clearReplica(pg: PGliteInterface): Promise<void> {
  await pg.transaction(async (tx) => {
    await tx.exec(`SET LOCAL talemo.maintenance = true; SET LOCAL talemo.refetching = true;`);
    for (const t of SYNCED_TABLES) await tx.exec(`DELETE FROM "${t.localTable}"`);
    for (const t of LOCAL_TABLES) await tx.exec(`DELETE FROM "${t}"`);
    await tx.exec(`DELETE FROM device_meta WHERE key <> 'device_id'`);
    const meta = await tx.query<{ exists: boolean }>(`SELECT to_regclass('electric.subscriptions_metadata') IS NOT NULL AS exists`);
    if (meta.rows[0]?.exists) await tx.exec(`DELETE FROM electric.subscriptions_metadata`);
  });
}
