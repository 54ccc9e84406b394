/**
 * Takes a shape's initial snapshot: one REPEATABLE READ transaction that
 * first records pg_current_snapshot() (xmin, xmax, xip) and then reads the
 * matching rows through a cursor into the snapshot file. The recorded
 * snapshot is what the stitching rule compares replicated transactions with.
 */
import type pg from 'pg';
import { TEXT_OUTPUT } from '../pg-settings.ts';
import { quotedTableName, quoteIdentifier } from '../schema/table-info.ts';
import { SnapshotWriter } from '../storage/snapshot-file.ts';
import { whereToSql } from '../where/where-sql.ts';
import { rowKey } from './row-key.ts';
import type { Shape, SnapshotInfo } from './shape.ts';

const FETCH_ROWS = 2000;

export async function takeInitialSnapshot(pool: pg.Pool, shape: Shape, file: string, chunkBytes: number): Promise<SnapshotInfo> {
  const client = await pool.connect();
  const writer = new SnapshotWriter(file, chunkBytes);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ snapshot: string }>('SELECT pg_current_snapshot()::text AS snapshot');
    const [xmin, xmax, xipText] = rows[0]!.snapshot.split(':');
    const snapshot = { xmin: BigInt(xmin!), xmax: BigInt(xmax!), xip: xipText ? xipText.split(',').map((x) => BigInt(x)) : [] };

    const needed = [...new Set([...shape.selected.map((c) => c.name), ...shape.table.keyColumns])];
    const where = shape.where ? ` WHERE ${whereToSql(shape.where, (v) => client.escapeLiteral(v)).sql}` : '';
    const select = needed.map((c) => quoteIdentifier(c)).join(', ');
    await client.query(`DECLARE shape_snapshot NO SCROLL CURSOR FOR SELECT ${select} FROM ${quotedTableName(shape.table)}${where}`);

    await writer.open();
    const relation = [shape.table.schema, shape.table.name];
    const selected = shape.selected.map((c) => c.name);
    for (;;) {
      const batch = await client.query({ text: `FETCH FORWARD ${FETCH_ROWS} FROM shape_snapshot`, rowMode: 'array', types: TEXT_OUTPUT });
      for (const values of batch.rows as Array<Array<string | null>>) {
        const row: Record<string, string | null> = {};
        needed.forEach((name, i) => (row[name] = values[i] ?? null));
        const value: Record<string, string | null> = {};
        for (const name of selected) value[name] = row[name] ?? null;
        await writer.addRow(JSON.stringify({ key: rowKey(shape.keyPrefix, shape.table.keyColumns, row), value, headers: { operation: 'insert', relation } }));
      }
      if (batch.rows.length < FETCH_ROWS) break;
    }
    await client.query('COMMIT');
    const chunkEnds = await writer.finish(
      JSON.stringify({ headers: { control: 'snapshot-end', xmin: String(snapshot.xmin), xmax: String(snapshot.xmax), xip_list: snapshot.xip.map(String) } }),
    );
    return { ...snapshot, chunkEnds };
  } catch (err) {
    broken = err as Error;
    await client.query('ROLLBACK').catch(() => {});
    await writer.abort();
    throw err;
  } finally {
    client.release(broken);
  }
}
