/**
 * Row keys as Electric builds them: `"schema"."table"/"pk1"/"pk2"`. A `/` in
 * a value is doubled and NULL becomes `_`; in the relation part `/` and `.`
 * are doubled, so no two rows can share a key.
 */
import type { TextRow } from '../replication/pgoutput-decoder.ts';

export function relationKeyPrefix(schema: string, table: string): string {
  return `"${escapeRelation(schema)}"."${escapeRelation(table)}"`;
}

export function rowKey(prefix: string, keyColumns: readonly string[], row: TextRow): string {
  let key = prefix;
  for (const column of keyColumns) {
    const value = row[column];
    key += value === null || value === undefined ? '/_' : `/"${value.replaceAll('/', '//')}"`;
  }
  return key;
}

function escapeRelation(part: string): string {
  return part.replaceAll('/', '//').replaceAll('.', '..');
}
