/**
 * The two marks a device write leaves on the row a domain service wrote, in
 * the same transaction:
 *
 * - its write_id, which syncs back so the device can drop its optimistic
 *   copy (reconciliation matches the row's key and write_id);
 * - the id the device made, when the service made its own: the device's
 *   overlay and outbox are keyed on its id, so the new row takes it before
 *   anything can reference it (nothing has: the transaction is still open
 *   and the hand-offs are held, see held-hand-offs.ts).
 *
 * Only the columns the services leave alone are touched here; every domain
 * rule stays in the services.
 */
import type { Tx } from '../db/database.ts';

/** Tables a device writes, and the column that names a row of the tenant. */
const ROW_KEY = {
  stories: 'id',
  profiles: 'id',
  agent_tasks: 'id',
  tenant_policies: 'key',
} as const;

export type MarkedTable = keyof typeof ROW_KEY;

/** Sets write_id on the one row the mutation wrote. */
export async function stampWriteId(tx: Tx, table: MarkedTable, tenantId: string, key: string, writeId: string): Promise<void> {
  const n = await tx.execute(`UPDATE ${table} SET write_id = $3 WHERE tenant_id = $1 AND ${ROW_KEY[table]} = $2`, [tenantId, key, writeId]);
  if (n !== 1) throw new Error(`expected to stamp one ${table} row ${key}, stamped ${n}`);
}

/**
 * Stories carry `reading_level`, which the REST story service does not
 * write; a device draft may set it, after the service has checked that the
 * viewer may edit the story.
 */
export async function setReadingLevel(tx: Tx, tenantId: string, storyId: string, readingLevel: string | null): Promise<void> {
  await tx.execute('UPDATE stories SET reading_level = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, storyId, readingLevel]);
}

/** Gives a row just created by a service the id the device made for it. */
export async function adoptDeviceId(tx: Tx, table: 'stories' | 'agent_tasks', tenantId: string, serverId: string, deviceId: string): Promise<void> {
  if (serverId === deviceId) return;
  const n = await tx.execute(`UPDATE ${table} SET id = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, serverId, deviceId]);
  if (n !== 1) throw new Error(`expected to re-key one ${table} row ${serverId}, re-keyed ${n}`);
}
