/**
 * Probes one table as the app role from tenant A's context and reports every
 * way A could reach tenant B's rows: read, update, delete or insert. Also
 * reports when A cannot read its own rows (the positive control), so a probe
 * against a broken or missing policy cannot pass by seeing nothing at all.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Database, DbContext, Tx } from '../../server/db/database.ts';

export interface ProbeTarget {
  table: string;
  /** The column that names the tenant: tenant_id, or id for tenants itself. */
  key: string;
}

export async function tenantBoundTables(owner: pg.Client): Promise<ProbeTarget[]> {
  const { rows } = await owner.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name`,
  );
  return [{ table: 'tenants', key: 'id' }, ...rows.map((r) => ({ table: r.table_name, key: 'tenant_id' }))];
}

export async function probeIsolation(db: Database, target: ProbeTarget, viewerTenant: string, otherTenant: string): Promise<string[]> {
  const problems: string[] = [];
  const { table, key } = target;
  const ctx = { tenantId: viewerTenant, userId: null };

  const counts = await db.transaction(ctx, (tx) =>
    tx.one<{ own: number; foreign: number }>(
      `SELECT count(*) FILTER (WHERE ${key} = $1)::int AS own, count(*) FILTER (WHERE ${key} <> $1)::int AS foreign FROM ${table}`,
      [viewerTenant],
    ),
  );
  if (counts.own === 0) problems.push(`${table}: cannot read its own rows`);
  if (counts.foreign > 0) problems.push(`${table}: reads ${counts.foreign} row(s) of another tenant`);

  const updated = await attempt(db, ctx, (tx) => tx.execute(`UPDATE ${table} SET ${key} = ${key} WHERE ${key} = $1`, [otherTenant]));
  if (updated.ok && updated.value > 0) problems.push(`${table}: updated ${updated.value} row(s) of another tenant`);

  const deleted = await attempt(db, ctx, (tx) => tx.execute(`DELETE FROM ${table} WHERE ${key} = $1`, [otherTenant]));
  if (deleted.ok && deleted.value > 0) problems.push(`${table}: deleted ${deleted.value} row(s) of another tenant`);

  const inserted = await attempt(db, ctx, async (tx) => {
    const own = await tx.one<{ row: Record<string, unknown> }>(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE ${key} = $1 LIMIT 1`, [viewerTenant]);
    const columns = (
      await tx.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_identity = 'NO' AND is_generated = 'NEVER'`,
        [table],
      )
    ).map((c) => `"${c.column_name}"`);
    const forged: Record<string, unknown> = { ...own.row, [key]: otherTenant };
    // A fresh primary key, so only the tenant can stop the insert.
    if (key !== 'id' && typeof forged.id === 'string' && /^[0-9a-f-]{36}$/.test(forged.id)) forged.id = randomUUID();
    return tx.execute(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM jsonb_populate_record(null::${table}, $1::jsonb)`, [JSON.stringify(forged)]);
  });
  if (inserted.ok) problems.push(`${table}: inserted a row into another tenant`);
  else if (inserted.code !== '42501') problems.push(`${table}: cross-tenant insert failed for another reason (${inserted.code}: ${inserted.message}) instead of RLS`);

  return problems;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

async function attempt<T>(db: Database, ctx: DbContext, work: (tx: Tx) => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await db.transaction(ctx, work) };
  } catch (err) {
    const e = err as { code?: string; message: string };
    return { ok: false, code: e.code ?? 'unknown', message: e.message };
  }
}
