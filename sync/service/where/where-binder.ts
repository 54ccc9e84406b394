/**
 * Checks a parsed where clause against a table and turns it into a
 * BoundWhere. Constants are coerced by Postgres itself (one round trip per
 * shape), so a literal means exactly what it would mean in SQL, and invalid
 * input ("not-a-uuid") is refused the way Postgres refuses it.
 */
import type { ColumnInfo, ComparisonClass, TableInfo } from '../schema/table-info.ts';
import type { BoundWhere } from './bound-where.ts';
import { type ComparisonOp, type WhereExpr, WhereError } from './where-ast.ts';

/** One constant Postgres must coerce: text in, canonical text (or array of text) out. */
export interface Coercion {
  text: string | null;
  /** Casts written in the clause, applied first. */
  casts: string[];
  /** The type the constant is compared as (a cast target). */
  target: string;
  array: boolean;
}

/** Runs the coercions in Postgres; throws WhereError with Postgres's message on bad input. */
export type Coerce = (coercions: Coercion[]) => Promise<Array<string | null | Array<string | null>>>;

/** The SQL type a comparison class compares constants as. */
export function comparisonType(column: ColumnInfo): string {
  switch (column.comparison) {
    case 'enum':
      return column.castType;
    case undefined:
      throw new WhereError(`column "${column.name}" has type ${column.type}, which where clauses do not support`);
    default:
      return column.comparison;
  }
}

const ORDERED: ReadonlySet<ComparisonClass> = new Set(['text', 'uuid', 'numeric', 'float4', 'float8', 'bool', 'timestamp', 'timestamptz', 'date']);
const FLIPPED: Record<ComparisonOp, ComparisonOp> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export async function bindWhere(expr: WhereExpr, table: TableInfo, params: ReadonlyMap<number, string>, coerce: Coerce): Promise<BoundWhere> {
  const binder = new Binder(table, params);
  const shaped = binder.bind(expr);
  const results = binder.coercions.length > 0 ? await coerce(binder.coercions) : [];
  return binder.fill(shaped, results);
}

/** A bound tree whose constants are still indexes into the coercion list. */
type Pending = BoundWhere | { kind: 'pending-compare'; op: ComparisonOp; column: ColumnInfo; slot: number } | { kind: 'pending-in'; column: ColumnInfo; slots: number[]; array: boolean; negated: boolean } | { kind: 'pending-like'; column: ColumnInfo; slot: number; caseInsensitive: boolean; negated: boolean };

class Binder {
  readonly coercions: Coercion[] = [];
  private readonly columns: Map<string, ColumnInfo>;

  constructor(
    private readonly table: TableInfo,
    private readonly params: ReadonlyMap<number, string>,
  ) {
    this.columns = new Map(table.columns.map((c) => [c.name, c]));
  }

  bind(expr: WhereExpr): Pending {
    switch (expr.type) {
      case 'and':
      case 'or':
        return { kind: expr.type, args: expr.args.map((a) => this.bind(a)) } as Pending;
      case 'not':
        return { kind: 'not', arg: this.bind(expr.arg) } as Pending;
      case 'column': {
        const column = this.column(expr.name);
        if (column.comparison !== 'bool') throw new WhereError(`column "${column.name}" is ${column.type}, not boolean, so it cannot stand alone as a condition`);
        return { kind: 'column', column };
      }
      case 'literal':
        if (expr.kind === 'boolean') return { kind: 'const', value: expr.value === 'true' };
        if (expr.kind === 'null') return { kind: 'const', value: null };
        throw new WhereError(`a ${expr.kind} on its own is not a condition`);
      case 'compare':
        return this.bindCompare(expr.op, expr.left, expr.right);
      case 'any': {
        if (expr.op !== '=') throw new WhereError('only "= ANY(…)" is supported');
        const column = this.columnOperand(expr.left, '= ANY');
        comparisonType(column);
        const slot = this.constant(expr.array, column, true);
        return { kind: 'pending-in', column, slots: [slot], array: true, negated: false };
      }
      case 'is': {
        const column = this.columnOperand(expr.arg, 'IS');
        if (expr.test === 'null') return { kind: 'is-null', column, negated: expr.negated };
        if (column.comparison !== 'bool') throw new WhereError(`IS ${expr.test.toUpperCase()} needs a boolean column; "${column.name}" is ${column.type}`);
        return { kind: 'is-bool', column, value: expr.test === 'true', negated: expr.negated };
      }
      case 'in': {
        const column = this.columnOperand(expr.arg, 'IN');
        comparisonType(column);
        return { kind: 'pending-in', column, slots: expr.list.map((item) => this.constant(item, column, false)), array: false, negated: expr.negated };
      }
      case 'like': {
        const column = this.columnOperand(expr.arg, expr.caseInsensitive ? 'ILIKE' : 'LIKE');
        if (column.comparison !== 'text') throw new WhereError(`${expr.caseInsensitive ? 'ILIKE' : 'LIKE'} needs a text column; "${column.name}" is ${column.type}`);
        const slot = this.constant(expr.pattern, column, false);
        return { kind: 'pending-like', column, slot, caseInsensitive: expr.caseInsensitive, negated: expr.negated };
      }
      default:
        throw new WhereError(`${describe(expr)} is not a condition`);
    }
  }

  fill(node: Pending, results: Array<string | null | Array<string | null>>): BoundWhere {
    switch (node.kind) {
      case 'and':
      case 'or':
        return { kind: node.kind, args: node.args.map((a) => this.fill(a as Pending, results)) };
      case 'not':
        return { kind: 'not', arg: this.fill(node.arg as Pending, results) };
      case 'pending-compare':
        return { kind: 'compare', op: node.op, column: node.column, value: results[node.slot] as string | null };
      case 'pending-in': {
        if (node.array) {
          const array = results[node.slots[0]!] as Array<string | null> | null;
          // x = ANY(NULL) is NULL; x = ANY('{}') is false.
          if (array === null) return { kind: 'const', value: null };
          return { kind: 'in', column: node.column, values: array, negated: false };
        }
        return { kind: 'in', column: node.column, values: node.slots.map((s) => results[s] as string | null), negated: node.negated };
      }
      case 'pending-like': {
        const pattern = results[node.slot] as string | null;
        if (pattern === null) return { kind: 'const', value: null };
        if (/(^|[^\\])(\\\\)*\\$/.test(pattern)) throw new WhereError('LIKE pattern must not end with escape character');
        return { kind: 'like', column: node.column, pattern, caseInsensitive: node.caseInsensitive, negated: node.negated };
      }
      default:
        return node;
    }
  }

  private bindCompare(op: ComparisonOp, left: WhereExpr, right: WhereExpr): Pending {
    const leftColumn = this.maybeColumn(left);
    const rightColumn = this.maybeColumn(right);
    if (leftColumn && rightColumn) {
      const a = comparisonType(leftColumn);
      const b = comparisonType(rightColumn);
      if (a !== b) throw new WhereError(`cannot compare "${leftColumn.name}" (${leftColumn.type}) with "${rightColumn.name}" (${rightColumn.type})`);
      this.checkOrdered(op, leftColumn);
      return { kind: 'compare-columns', op, left: leftColumn, right: rightColumn };
    }
    if (!leftColumn && !rightColumn) throw new WhereError('each comparison must involve a column');
    const column = (leftColumn ?? rightColumn)!;
    const constant = leftColumn ? right : left;
    comparisonType(column);
    this.checkOrdered(op, column);
    return { kind: 'pending-compare', op: leftColumn ? op : FLIPPED[op], column, slot: this.constant(constant, column, false) };
  }

  private checkOrdered(op: ComparisonOp, column: ColumnInfo): void {
    if (op !== '=' && op !== '<>' && !ORDERED.has(column.comparison!)) {
      throw new WhereError(`"${op}" is not supported on column "${column.name}" (${column.type}); use =, <>, IN or LIKE`);
    }
  }

  /** Queues a constant for coercion to the column's comparison type; returns its slot. */
  private constant(expr: WhereExpr, column: ColumnInfo, array: boolean): number {
    const casts: string[] = [];
    let e = expr;
    while (e.type === 'cast') {
      casts.unshift(e.to);
      e = e.arg;
    }
    let text: string | null;
    if (e.type === 'literal') text = e.value;
    else if (e.type === 'param') {
      const value = this.params.get(e.index);
      if (value === undefined) throw new WhereError(`parameter $${e.index} has no value (send params[${e.index}])`);
      text = value;
    } else throw new WhereError(`${describe(e)} is not a constant; compare a column with a literal or a $n parameter`);
    this.coercions.push({ text, casts, target: comparisonType(column), array });
    return this.coercions.length - 1;
  }

  private columnOperand(expr: WhereExpr, what: string): ColumnInfo {
    const column = this.maybeColumn(expr);
    if (!column) throw new WhereError(`${what} must be applied to a column, not ${describe(expr)}`);
    return column;
  }

  private maybeColumn(expr: WhereExpr): ColumnInfo | undefined {
    if (expr.type === 'cast' && this.maybeColumn(expr.arg)) throw new WhereError('casting a column is not supported in where clauses');
    return expr.type === 'column' ? this.column(expr.name) : undefined;
  }

  private column(name: string): ColumnInfo {
    const column = this.columns.get(name);
    if (!column) throw new WhereError(`column "${name}" does not exist in ${this.table.schema}.${this.table.name}`);
    return column;
  }
}

function describe(expr: WhereExpr): string {
  switch (expr.type) {
    case 'column':
      return `column "${expr.name}"`;
    case 'literal':
      return `the ${expr.kind} ${expr.value ?? 'NULL'}`;
    case 'param':
      return `$${expr.index}`;
    default:
      return `a ${expr.type} expression`;
  }
}
