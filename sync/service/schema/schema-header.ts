/**
 * The `electric-schema` header: a JSON map from column name to its type, in
 * the form Electric sends and @electric-sql/client parses values with.
 */
import type { ColumnInfo } from './table-info.ts';

export interface ColumnSchema {
  type: string;
  dims: number;
  not_null?: boolean;
  pk_index?: number;
  max_length?: number;
  length?: number;
  precision?: number;
  scale?: number;
}

export function schemaHeader(columns: readonly ColumnInfo[]): string {
  const schema: Record<string, ColumnSchema> = {};
  for (const column of columns) schema[column.name] = columnSchema(column);
  return JSON.stringify(schema);
}

function columnSchema(column: ColumnInfo): ColumnSchema {
  const out: ColumnSchema = { type: column.type, dims: column.dims };
  if (column.notNull) out.not_null = true;
  if (column.pkIndex !== undefined) out.pk_index = column.pkIndex;
  const mod = column.typeMod;
  if (mod > 0) {
    if (column.type === 'varchar') out.max_length = mod - 4;
    else if (column.type === 'bpchar') out.length = mod - 4;
    else if (column.type === 'bit' || column.type === 'varbit') out.length = mod;
    else if (['time', 'timetz', 'timestamp', 'timestamptz'].includes(column.type)) out.precision = mod;
  }
  if (column.type === 'numeric' && mod >= 4) {
    out.precision = ((mod - 4) >> 16) & 0xffff;
    out.scale = (mod - 4) & 0xffff;
  }
  return out;
}
