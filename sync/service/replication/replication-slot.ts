/**
 * Finds or creates the service's logical replication slot. It is persistent,
 * so WAL the service has not confirmed yet survives restarts of both sides.
 */
import pg from 'pg';
import { parseLsn } from '../lsn.ts';

export interface SlotState {
  /** True when this call created the slot (any earlier shape state is unusable). */
  created: boolean;
  /** Everything before this LSN has been confirmed by us earlier. */
  confirmedFlushLsn: bigint;
}

export class SlotError extends Error {
  override name = 'SlotError';
}

export async function ensureReplicationSlot(client: pg.Client, slot: string): Promise<SlotState> {
  const { rows } = await client.query<{ plugin: string; slot_type: string; database: string | null; confirmed_flush_lsn: string | null; current_db: string }>(
    `SELECT plugin, slot_type, database, confirmed_flush_lsn::text, current_database() AS current_db
       FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  const existing = rows[0];
  if (existing) {
    if (existing.slot_type !== 'logical' || existing.plugin !== 'pgoutput') {
      throw new SlotError(`Replication slot "${slot}" exists but is not a logical pgoutput slot (${existing.slot_type}/${existing.plugin}). Drop it or choose another slot name (SYNC_SLOT).`);
    }
    if (existing.database !== existing.current_db) {
      throw new SlotError(`Replication slot "${slot}" belongs to database "${existing.database}", not "${existing.current_db}". Choose another slot name (SYNC_SLOT).`);
    }
    return { created: false, confirmedFlushLsn: existing.confirmed_flush_lsn ? parseLsn(existing.confirmed_flush_lsn) : 0n };
  }
  try {
    const created = await client.query<{ lsn: string }>(`SELECT lsn::text FROM pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
    return { created: true, confirmedFlushLsn: parseLsn(created.rows[0]!.lsn) };
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code === '42710') return ensureReplicationSlot(client, slot); // created meanwhile by another starter
    if (e.code === '53400') throw new SlotError(`Postgres has no free replication slot for "${slot}": ${e.message}. Raise max_replication_slots or drop unused slots.`);
    if (e.code === '55000') throw new SlotError(`Postgres cannot create logical slot "${slot}": ${e.message}. Set wal_level = logical.`);
    throw err;
  }
}

/** Checks that the publication exists, so a typo fails at start, not as silence. */
export async function assertPublicationExists(client: pg.Client, publication: string): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publication]);
  if (rowCount === 0) throw new SlotError(`Publication "${publication}" does not exist in this database. Run the migrations, or create it with CREATE PUBLICATION.`);
}
