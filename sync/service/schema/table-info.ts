/**
 * What the service knows about one published table: its columns with their
 * types, its primary key and how changes to it reach us.
 */

/** How where clauses compare a column's values; undefined when they cannot. */
export type ComparisonClass = 'text' | 'uuid' | 'numeric' | 'float4' | 'float8' | 'bool' | 'timestamp' | 'timestamptz' | 'date' | 'enum';

export interface ColumnInfo {
  name: string;
  /** Type name as Electric's schema header spells it (element type for arrays). */
  type: string;
  /** Schema-qualified, quoted type name usable in a cast. */
  castType: string;
  typeOid: number;
  typeMod: number;
  dims: number;
  notNull: boolean;
  /** Position in the primary key, or undefined. */
  pkIndex: number | undefined;
  comparison: ComparisonClass | undefined;
}

export interface TableInfo {
  oid: number;
  schema: string;
  name: string;
  /** Published columns, in table order. */
  columns: ColumnInfo[];
  /** Primary key columns in key order; every column when the table has no primary key. */
  keyColumns: string[];
  replicaIdentityFull: boolean;
}

/** `"schema"."table"`, safe to splice into SQL. */
export function quotedTableName(table: Pick<TableInfo, 'schema' | 'name'>): string {
  return `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)}`;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Names and type oids of the published columns: when a Relation message in
 * the stream disagrees with this, the table's schema changed under a shape.
 */
export function columnSignature(columns: ReadonlyArray<{ name: string; typeOid: number }>): string {
  return columns.map((c) => `${c.name}:${c.typeOid}`).join(',');
}
