/**
 * What a viewer should hold, asked of Postgres directly: the shape
 * definition the proxy would use for them (shapes/shape-definitions.ts) run
 * as a plain query by a superuser, independent of the shape service. Rows
 * come back keyed by primary key, every value as Postgres text, so they
 * compare with what a device replica holds.
 */
import type pg from 'pg';
import { shapeFor, type ShapeName } from '../../../shapes/shape-definitions.ts';
import type { Viewer } from '../../../shapes/viewer.ts';
import type { PGliteInterface } from '@electric-sql/pglite';
import { syncedTable } from '../../../sync/device/synced-tables.ts';

export type TextRow = Record<string, string | null>;

export function primaryKeyOf(shape: ShapeName): string[] {
  return syncedTable(shape).primaryKey;
}

function keyOf(row: TextRow, pk: string[]): string {
  return pk.map((k) => row[k]).join('/');
}

/** Numeric text differs only in trailing zeros between numeric(10,3) and numeric. */
function normalise(value: string | null): string | null {
  if (value !== null && /^-?\d+\.\d+$/.test(value)) return value.replace(/0+$/, '').replace(/\.$/, '');
  return value;
}

function toRows(rows: TextRow[], pk: string[]): Map<string, TextRow> {
  const out = new Map<string, TextRow>();
  for (const row of rows) {
    const key = keyOf(row, pk);
    if (out.has(key)) throw new Error(`duplicate row ${key}`);
    out.set(key, Object.fromEntries(Object.entries(row).map(([k, v]) => [k, normalise(v)])));
  }
  return out;
}

/** The rows of `shape` that `viewer` may see now, as the server would have the device hold them. */
export async function expectedRows(admin: pg.Client, shape: ShapeName, viewer: Viewer, columns?: string[]): Promise<Map<string, TextRow> | null> {
  const def = shapeFor(shape, viewer);
  if (!def) return null;
  const cols = columns ?? def.columns;
  const { rows } = await admin.query<TextRow>(
    `SELECT ${cols.map((c) => `"${c}"::text AS "${c}"`).join(', ')} FROM ${def.table}${def.where ? ` WHERE ${def.where}` : ''}`,
    def.params ?? [],
  );
  return toRows(rows, primaryKeyOf(shape));
}

/** What a device replica holds in the local table of `shape`, in the same form. */
export async function deviceRows(pg: PGliteInterface, shape: ShapeName, columns: string[]): Promise<Map<string, TextRow>> {
  const table = syncedTable(shape).localTable;
  const { rows } = await pg.query<TextRow>(`SELECT ${columns.map((c) => `"${c}"::text AS "${c}"`).join(', ')} FROM "${table}"`);
  return toRows(rows, primaryKeyOf(shape));
}

/** The columns a shape sends that the device keeps (the device drops the rest). */
export function comparedColumns(shape: ShapeName, viewer: Viewer): string[] {
  const def = shapeFor(shape, viewer);
  const kept = new Set(syncedTable(shape).columns.map((c) => c.name));
  return (def?.columns ?? []).filter((c) => kept.has(c));
}

/** A readable difference between two keyed row sets, empty when equal. */
export function differences(expected: Map<string, TextRow>, actual: Map<string, TextRow>, limit = 5): string[] {
  const out: string[] = [];
  for (const [key, row] of expected) {
    const got = actual.get(key);
    if (!got) out.push(`missing ${key}`);
    else {
      for (const [col, value] of Object.entries(row)) if (got[col] !== value) out.push(`${key}.${col}: expected ${JSON.stringify(value)}, got ${JSON.stringify(got[col])}`);
    }
  }
  for (const key of actual.keys()) if (!expected.has(key)) out.push(`extra ${key}`);
  return out.slice(0, limit).concat(out.length > limit ? [`… and ${out.length - limit} more`] : []);
}
