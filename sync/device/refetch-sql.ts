/**
 * Must-refetch without an empty moment. When a shape's definition changes,
 * the server answers 409 and pglite-sync starts the shape again from
 * scratch. Deleting the old rows at that point (pglite-sync's default) can
 * leave the table empty for a while: on a subscription that started without
 * stored state, pglite-sync commits the removal at once and the new snapshot
 * only when it is complete — a kid would see the library go blank.
 *
 * Instead the old rows are marked `_stale`. A row of the new snapshot
 * replaces its stale twin as it is inserted, and once the snapshot is
 * committed the rows still stale — exactly those the viewer may no longer
 * see — are deleted, in the same transaction. "Committed" is read from
 * pglite-sync's own bookkeeping: it updates electric.subscriptions_metadata
 * in every commit, and the snapshot is whole in the first commit after the
 * refetch (pglite-sync holds snapshot rows until the shape is up to date).
 */
import type { SyncedTable } from './synced-tables.ts';

const q = (name: string) => `"${name}"`;

export const REFETCH_SUPPORT_SQL = `
-- pglite-sync creates this table when it starts (CREATE ... IF NOT EXISTS, same
-- shape, pglite-sync 0.6); creating it first lets the trigger below exist.
CREATE SCHEMA IF NOT EXISTS electric;
CREATE TABLE IF NOT EXISTS electric.subscriptions_metadata (
  key TEXT PRIMARY KEY,
  shape_metadata JSONB NOT NULL,
  last_lsn TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS refetch_pending (
  shape_key text PRIMARY KEY,
  local_table text NOT NULL,
  -- The transaction that began the refetch (pglite-sync's onMustRefetch).
  started_in xid8 NOT NULL
);

CREATE OR REPLACE FUNCTION talemo_finish_refetch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p refetch_pending%ROWTYPE;
  snapshot_here boolean;
BEGIN
  SELECT * INTO p FROM refetch_pending WHERE shape_key = NEW.key;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF p.started_in = pg_current_xact_id() THEN
    -- Same commit as the refetch began: the snapshot is here only if rows came with it.
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE xmin = pg_current_xact_id()::xid AND NOT _stale)', p.local_table) INTO snapshot_here;
    IF NOT snapshot_here THEN RETURN NULL; END IF;
  END IF;
  PERFORM set_config('talemo.refetching', 'true', true);
  EXECUTE format('DELETE FROM %I WHERE _stale', p.local_table);
  DELETE FROM refetch_pending WHERE shape_key = NEW.key;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS talemo_finish_refetch ON electric.subscriptions_metadata;
CREATE TRIGGER talemo_finish_refetch AFTER INSERT OR UPDATE ON electric.subscriptions_metadata
  FOR EACH ROW EXECUTE FUNCTION talemo_finish_refetch();
`;

/** The stale flag, and the insert trigger that lets a new snapshot row replace its stale twin. */
export function staleRowsSql(t: SyncedTable): string {
  const table = q(t.localTable);
  const match = t.primaryKey.map((k) => `${q(k)} = NEW.${q(k)}`).join(' AND ');
  return `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS _stale boolean NOT NULL DEFAULT false;
CREATE OR REPLACE FUNCTION ${t.localTable}_replace_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM ${table} WHERE ${match} AND _stale;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS ${t.localTable}_replace_stale ON ${table};
CREATE TRIGGER ${t.localTable}_replace_stale BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${t.localTable}_replace_stale();`;
}

/** Run in pglite-sync's transaction when a shape must be refetched. */
export function beginRefetchSql(t: SyncedTable): string {
  return `SET LOCAL talemo.maintenance = true;
SET LOCAL talemo.refetching = true;
UPDATE ${q(t.localTable)} SET _stale = true WHERE NOT _stale;`;
}
