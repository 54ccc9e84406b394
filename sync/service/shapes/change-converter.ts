/**
 * Turns one replicated row change into the log messages one shape needs,
 * following Electric: the where clause is judged on the old and the new row,
 * so an update that moves a row into the shape becomes an insert and one that
 * moves it out becomes a delete; a primary-key change is a delete of the old
 * key plus an insert of the new one (hence op positions step by 2).
 */
import type { TextRow } from '../replication/pgoutput-decoder.ts';
import type { ReplicatedChange } from '../replication/transaction.ts';
import { rowKey } from './row-key.ts';
import type { Shape } from './shape.ts';

export interface ShapeMessage {
  op: number;
  key: string;
  value: TextRow;
  old_value?: TextRow;
  operation: 'insert' | 'update' | 'delete';
}

type RowChange = Extract<ReplicatedChange, { kind: 'insert' | 'update' | 'delete' }>;

export function convertChange(shape: Shape, change: RowChange, op: number): ShapeMessage[] {
  const keyColumns = shape.table.keyColumns;
  switch (change.kind) {
    case 'insert':
      return inShape(shape, change.row) ? [insert(shape, change.row, op)] : [];
    case 'delete':
      return inShape(shape, change.old) ? [remove(shape, change.old, op)] : [];
    case 'update': {
      // Without an old row (identity not FULL) the new row is the best judge.
      const old = change.old ?? change.row;
      const wasIn = inShape(shape, old);
      const isIn = inShape(shape, change.row);
      if (!wasIn && !isIn) return [];
      if (!wasIn) return [insert(shape, change.row, op)];
      if (!isIn) return [remove(shape, old, op)];
      const oldKey = rowKey(shape.keyPrefix, keyColumns, old);
      const newKey = rowKey(shape.keyPrefix, keyColumns, change.row);
      if (oldKey !== newKey) return [remove(shape, old, op), insert(shape, change.row, op + 1)];
      return update(shape, old, change.row, newKey, op);
    }
  }
}

function inShape(shape: Shape, row: TextRow): boolean {
  return shape.predicate ? shape.predicate(row) === true : true;
}

function insert(shape: Shape, row: TextRow, op: number): ShapeMessage {
  return { op, key: rowKey(shape.keyPrefix, shape.table.keyColumns, row), value: pick(row, shape.selectedNames), operation: 'insert' };
}

function remove(shape: Shape, old: TextRow, op: number): ShapeMessage {
  const columns = shape.definition.replica === 'full' ? shape.selectedNames : shape.table.keyColumns;
  return { op, key: rowKey(shape.keyPrefix, shape.table.keyColumns, old), value: pick(old, columns), operation: 'delete' };
}

function update(shape: Shape, old: TextRow, row: TextRow, key: string, op: number): ShapeMessage[] {
  const changed: string[] = [];
  for (const name of shape.selectedNames) if (old[name] !== row[name]) changed.push(name);
  // A change only to columns the shape does not select is invisible to it.
  if (changed.length === 0) return [];
  if (shape.definition.replica === 'full') {
    return [{ op, key, value: pick(row, shape.selectedNames), old_value: pick(old, changed), operation: 'update' }];
  }
  const columns = [...shape.table.keyColumns];
  for (const name of changed) if (!columns.includes(name)) columns.push(name);
  return [{ op, key, value: pick(row, columns), operation: 'update' }];
}

function pick(row: TextRow, columns: readonly string[]): TextRow {
  const out: TextRow = {};
  for (const c of columns) out[c] = row[c] ?? null;
  return out;
}

/** The JSON of a log message, with the headers Electric puts on changes from the log. */
export function messageJson(shape: Shape, message: ShapeMessage, commitLsn: bigint, xid: number, last: boolean): string {
  const headers: Record<string, unknown> = {
    operation: message.operation,
    relation: [shape.table.schema, shape.table.name],
    lsn: String(commitLsn),
    op_position: message.op,
    txids: [xid],
  };
  if (last) headers.last = true;
  const out: Record<string, unknown> = { key: message.key, value: message.value };
  if (message.old_value) out.old_value = message.old_value;
  out.headers = headers;
  return JSON.stringify(out);
}
