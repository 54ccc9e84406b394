/**
 * Finds the shapes a row change may concern without judging every shape's
 * where clause. A shape whose where clause requires `column = constant` (at
 * the top level, or as one conjunct of an AND) is filed under that value;
 * a change only consults the shapes filed under its old and new values, plus
 * the shapes that could not be filed. With 1,000 tenant-filtered shapes, a
 * change is judged by a handful of them instead of all.
 */
import type { ReplicatedChange } from '../replication/transaction.ts';
import type { ComparisonClass } from '../schema/table-info.ts';
import type { BoundWhere } from '../where/bound-where.ts';
import type { Shape } from './shape.ts';

/** Classes whose canonical text is equal exactly when the values are. */
const TEXT_EQUALITY: ReadonlySet<ComparisonClass> = new Set(['text', 'uuid', 'bool', 'enum', 'date', 'timestamp', 'timestamptz']);

const INTEGER_TYPES: ReadonlySet<string> = new Set(['int2', 'int4', 'int8']);
const CANONICAL_INTEGER = /^-?(0|[1-9]\d*)$/;

interface TableRoutes {
  byColumn: Map<string, Map<string, Set<Shape>>>;
  unfiled: Set<Shape>;
}

export class ShapeRouter {
  private readonly tables = new Map<number, TableRoutes>();

  add(shape: Shape): void {
    const routes = this.routes(shape.table.oid);
    const filed = equalityConjunct(shape.where);
    if (!filed) {
      routes.unfiled.add(shape);
      return;
    }
    let byValue = routes.byColumn.get(filed.column);
    if (!byValue) routes.byColumn.set(filed.column, (byValue = new Map()));
    let shapes = byValue.get(filed.value);
    if (!shapes) byValue.set(filed.value, (shapes = new Set()));
    shapes.add(shape);
  }

  remove(shape: Shape): void {
    const routes = this.tables.get(shape.table.oid);
    if (!routes) return;
    routes.unfiled.delete(shape);
    const filed = equalityConjunct(shape.where);
    if (filed) routes.byColumn.get(filed.column)?.get(filed.value)?.delete(shape);
  }

  /** Shapes of this table, whatever their filter (for schema changes and truncates). */
  shapesOf(oid: number): Shape[] {
    const routes = this.tables.get(oid);
    if (!routes) return [];
    const out = [...routes.unfiled];
    for (const byValue of routes.byColumn.values()) for (const set of byValue.values()) out.push(...set);
    return out;
  }

  /** Shapes that may contain the old or the new version of the row. */
  candidates(change: Extract<ReplicatedChange, { kind: 'insert' | 'update' | 'delete' }>, into: Set<Shape>): void {
    const routes = this.tables.get(change.relation.oid);
    if (!routes) return;
    for (const shape of routes.unfiled) into.add(shape);
    if (routes.byColumn.size === 0) return;
    const rows = change.kind === 'insert' ? [change.row] : change.kind === 'delete' ? [change.old] : change.old ? [change.old, change.row] : [change.row];
    for (const [column, byValue] of routes.byColumn) {
      for (const row of rows) {
        const value = row[column];
        if (value === null || value === undefined) continue;
        const shapes = byValue.get(value);
        if (shapes) for (const shape of shapes) into.add(shape);
      }
    }
  }

  private routes(oid: number): TableRoutes {
    let routes = this.tables.get(oid);
    if (!routes) this.tables.set(oid, (routes = { byColumn: new Map(), unfiled: new Set() }));
    return routes;
  }
}

function equalityConjunct(where: BoundWhere | undefined): { column: string; value: string } | undefined {
  if (!where) return undefined;
  const candidates = where.kind === 'and' ? where.args : [where];
  for (const node of candidates) {
    if (node.kind !== 'compare' || node.op !== '=' || node.value === null) continue;
    // Integer columns print canonically too, but the constant was coerced to numeric: only '5', not '5.0', matches by text.
    const integral = INTEGER_TYPES.has(node.column.type) && CANONICAL_INTEGER.test(node.value);
    if (TEXT_EQUALITY.has(node.column.comparison!) || integral) return { column: node.column.name, value: node.value };
  }
  return undefined;
}
