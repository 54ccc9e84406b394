/**
 * SQL for the through-the-database write pattern (Electric's
 * examples/write-patterns/patterns/4-through-the-db), generated from a synced
 * table's columns:
 *
 *   <shape>_synced   written only by pglite-sync (a guard refuses anything else)
 *   <shape>_local    the optimistic overlay: changed columns, a delete flag, write_id
 *   <shape>          a view merging the two, which the app reads and writes
 *
 * The INSTEAD OF triggers that turn writes on the view into overlay rows and
 * outbox entries are per table (write-triggers-sql.ts): each table maps to
 * different mutation types.
 */
import type { SyncedTable } from './synced-tables.ts';

export interface OverlaySpec {
  table: SyncedTable;
  /** Column the overlay is keyed on and joined to the synced table by. */
  overlayKey: string;
}

const q = (name: string) => `"${name}"`;

export function overlayTableSql({ table, overlayKey }: OverlaySpec): string {
  // The overlay's own write_id (below) is the write it carries; the synced
  // row's write_id is what the server last applied.
  const cols = table.columns.filter((c) => c.name !== 'write_id').map((c) => `  ${q(c.name)} ${c.type}${c.name === overlayKey ? ' NOT NULL' : ''}`);
  return `CREATE TABLE IF NOT EXISTS ${q(`${table.shape}_local`)} (
${cols.join(',\n')},
  changed_columns text[] NOT NULL DEFAULT '{}',
  is_deleted boolean NOT NULL DEFAULT false,
  write_id uuid NOT NULL,
  PRIMARY KEY (${q(overlayKey)})
);`;
}

/**
 * The merged view. A column comes from the overlay when the device changed it
 * and from the synced row otherwise, so server changes to other columns show
 * through while a local edit is pending. `_pending` tells the UI a local
 * change has not come back from the server yet.
 */
export function mergedViewSql({ table, overlayKey }: OverlaySpec): string {
  const name = table.shape;
  const cols = table.columns.map((c) =>
    c.name === overlayKey
      ? `  COALESCE(l.${q(c.name)}, s.${q(c.name)}) AS ${q(c.name)}`
      : c.name === 'write_id'
        ? `  s.write_id AS write_id`
        : `  CASE WHEN ${sqlText(c.name)} = ANY(l.changed_columns) THEN l.${q(c.name)} ELSE s.${q(c.name)} END AS ${q(c.name)}`,
  );
  return `CREATE OR REPLACE VIEW ${q(name)} AS
SELECT
${cols.join(',\n')},
  (l.${q(overlayKey)} IS NOT NULL) AS _pending,
  l.write_id AS _local_write_id
FROM ${q(`${name}_synced`)} s
FULL OUTER JOIN ${q(`${name}_local`)} l ON s.${q(overlayKey)} = l.${q(overlayKey)}
WHERE l.${q(overlayKey)} IS NULL OR l.is_deleted = false;`;
}

/**
 * Reconciliation: when the server's row comes back carrying the write_id of
 * the overlay row, the overlay has done its job and is dropped. Matching on
 * write_id (not on the key alone) keeps a newer local edit that is still on
 * its way. A server delete drops the overlay too, except while a shape is
 * being refetched (its old rows are replaced by the new snapshot, and pending
 * local edits must survive that; see refetch-sql.ts).
 */
export function reconciliationSql({ table, overlayKey }: OverlaySpec): string {
  const name = table.shape;
  const local = q(`${name}_local`);
  const synced = q(`${name}_synced`);
  return `CREATE OR REPLACE FUNCTION ${name}_reconcile_upsert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.write_id IS NOT NULL THEN
    DELETE FROM ${local} WHERE ${q(overlayKey)} = NEW.${q(overlayKey)} AND write_id = NEW.write_id;
  END IF;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION ${name}_reconcile_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('talemo.refetching', true) IS DISTINCT FROM 'true' AND NOT OLD._stale THEN
    DELETE FROM ${local} WHERE ${q(overlayKey)} = OLD.${q(overlayKey)};
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS ${name}_reconcile_upsert ON ${synced};
CREATE TRIGGER ${name}_reconcile_upsert AFTER INSERT OR UPDATE ON ${synced} FOR EACH ROW EXECUTE FUNCTION ${name}_reconcile_upsert();
DROP TRIGGER IF EXISTS ${name}_reconcile_delete ON ${synced};
CREATE TRIGGER ${name}_reconcile_delete AFTER DELETE ON ${synced} FOR EACH ROW EXECUTE FUNCTION ${name}_reconcile_delete();`;
}

/**
 * Synced tables mirror the server and nothing else: only pglite-sync (which
 * sets electric.syncing inside its transactions) and the device's own
 * maintenance (sign-out, refetch) may write them.
 */
export function syncedGuardSql(localTable: string): string {
  return `DROP TRIGGER IF EXISTS ${localTable}_guard ON ${q(localTable)};
CREATE TRIGGER ${localTable}_guard BEFORE INSERT OR UPDATE OR DELETE ON ${q(localTable)} FOR EACH STATEMENT EXECUTE FUNCTION talemo_guard_synced();`;
}

function sqlText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
