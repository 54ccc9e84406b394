/**
 * Reads a table's definition from the catalog and checks that the service
 * can sync it: it exists, belongs to the publication, is readable by our
 * role and has REPLICA IDENTITY FULL (so updates and deletes carry the old
 * row, which where clauses are judged on).
 */
import type pg from 'pg';
import type { ColumnInfo, ComparisonClass, TableInfo } from './table-info.ts';
import { quoteIdentifier } from './table-info.ts';

/** A table a client named that the service cannot sync, with the reason. */
export class TableError extends Error {
  override name = 'TableError';
}

const CLASS_BY_TYPE: Record<string, ComparisonClass> = {
  text: 'text',
  varchar: 'text',
  name: 'text',
  uuid: 'uuid',
  int2: 'numeric',
  int4: 'numeric',
  int8: 'numeric',
  numeric: 'numeric',
  float4: 'float4',
  float8: 'float8',
  bool: 'bool',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  date: 'date',
};

interface ColumnRow {
  attname: string;
  atttypid: string;
  atttypmod: number;
  attnotnull: boolean;
  attndims: number;
  typname: string;
  typtype: string;
  typcategory: string;
  elem_typname: string | null;
  type_schema: string;
  base_typname: string | null;
  base_typtype: string | null;
  pk_index: number | null;
}

export async function inspectTable(client: pg.Client | pg.Pool, schema: string, name: string, publication: string): Promise<TableInfo> {
  const label = `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
  const { rows } = await client.query<{ oid: string; relkind: string; relreplident: string; can_select: boolean; publication: Record<string, unknown> | null }>(
    `SELECT c.oid::text AS oid, c.relkind, c.relreplident,
            has_table_privilege(c.oid, 'SELECT') AS can_select,
            (SELECT to_jsonb(pt) FROM pg_publication_tables pt
              WHERE pt.pubname = $3 AND pt.schemaname = n.nspname AND pt.tablename = c.relname) AS publication
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
    [schema, name, publication],
  );
  const table = rows[0];
  if (!table) throw new TableError(`table ${label} does not exist`);
  if (table.relkind !== 'r' && table.relkind !== 'p') throw new TableError(`${label} is not a table`);
  if (!table.publication) throw new TableError(`table ${label} is not in publication "${publication}" (ALTER PUBLICATION ${quoteIdentifier(publication)} ADD TABLE ${label})`);
  if (!table.can_select) throw new TableError(`the sync service's role cannot read ${label} (GRANT SELECT ON ${label} TO the replication role)`);
  if (table.relreplident !== 'f') throw new TableError(`table ${label} must have REPLICA IDENTITY FULL so updates and deletes carry whole rows (ALTER TABLE ${label} REPLICA IDENTITY FULL)`);

  const published = Array.isArray(table.publication.attnames) ? new Set(table.publication.attnames as string[]) : undefined;
  const columns = await client.query<ColumnRow>(
    `SELECT a.attname, a.atttypid::text AS atttypid, a.atttypmod, a.attnotnull, a.attndims,
            t.typname, t.typtype, t.typcategory, et.typname AS elem_typname, tn.nspname AS type_schema,
            bt.typname AS base_typname, bt.typtype AS base_typtype,
            (SELECT k.ord - 1 FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
              WHERE i.indrelid = a.attrelid AND i.indisprimary AND k.attnum = a.attnum)::int AS pk_index
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_namespace tn ON tn.oid = t.typnamespace
       LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
       LEFT JOIN pg_type bt ON bt.oid = t.typbasetype AND t.typtype = 'd'
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [table.oid],
  );

  const infos: ColumnInfo[] = columns.rows
    .filter((c) => !published || published.has(c.attname))
    .map((c) => {
      const isArray = c.typcategory === 'A';
      const effectiveType = c.typtype === 'd' ? (c.base_typname ?? c.typname) : c.typname;
      const effectiveKind = c.typtype === 'd' ? c.base_typtype : c.typtype;
      const comparison = isArray ? undefined : effectiveKind === 'e' ? 'enum' : CLASS_BY_TYPE[effectiveType];
      return {
        name: c.attname,
        type: isArray ? (c.elem_typname ?? c.typname) : c.typname,
        castType: `${quoteIdentifier(c.type_schema)}.${quoteIdentifier(c.typname)}`,
        typeOid: Number(c.atttypid),
        typeMod: c.atttypmod,
        dims: isArray ? Math.max(1, c.attndims) : 0,
        notNull: c.attnotnull,
        pkIndex: c.pk_index ?? undefined,
        comparison,
      };
    });

  const pk = infos.filter((c) => c.pkIndex !== undefined).sort((a, b) => a.pkIndex! - b.pkIndex!);
  const keyColumns = pk.length > 0 ? pk.map((c) => c.name) : infos.map((c) => c.name).sort();
  return { oid: Number(table.oid), schema, name, columns: infos, keyColumns, replicaIdentityFull: true };
}
