/**
 * A where clause checked against a table: columns resolved, and every
 * constant already coerced by Postgres to the type it is compared as and
 * printed back as canonical text. Both the snapshot SQL (where-sql.ts) and the
 * JavaScript evaluator for log rows (where-evaluator.ts) are generated from
 * this one tree, so they judge rows by the same rule.
 */
import type { ColumnInfo } from '../schema/table-info.ts';
import type { ComparisonOp } from './where-ast.ts';

export type BoundWhere =
  /** A constant predicate: TRUE, FALSE or NULL. */
  | { kind: 'const'; value: boolean | null }
  /** A boolean column used as a predicate. */
  | { kind: 'column'; column: ColumnInfo }
  | { kind: 'and'; args: BoundWhere[] }
  | { kind: 'or'; args: BoundWhere[] }
  | { kind: 'not'; arg: BoundWhere }
  /** column <op> constant (canonical text; null is SQL NULL). */
  | { kind: 'compare'; op: ComparisonOp; column: ColumnInfo; value: string | null }
  /** column <op> column, both of the same comparison class. */
  | { kind: 'compare-columns'; op: ComparisonOp; left: ColumnInfo; right: ColumnInfo }
  | { kind: 'is-null'; column: ColumnInfo; negated: boolean }
  | { kind: 'is-bool'; column: ColumnInfo; value: boolean; negated: boolean }
  /** column IN (constants); also how `= ANY(array)` ends up. */
  | { kind: 'in'; column: ColumnInfo; values: Array<string | null>; negated: boolean }
  | { kind: 'like'; column: ColumnInfo; pattern: string; caseInsensitive: boolean; negated: boolean };
