/**
 * The where clause as parsed, before it is checked against a table. The
 * parser accepts a little more than the binder does, so that what we reject
 * is reported with a reason ("LIKE needs a text column") rather than as a
 * syntax error.
 */

export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type WhereExpr =
  | { type: 'column'; name: string }
  | { type: 'literal'; value: string | null; kind: 'string' | 'number' | 'boolean' | 'null' }
  | { type: 'param'; index: number }
  | { type: 'cast'; arg: WhereExpr; to: string }
  | { type: 'and'; args: WhereExpr[] }
  | { type: 'or'; args: WhereExpr[] }
  | { type: 'not'; arg: WhereExpr }
  | { type: 'compare'; op: ComparisonOp; left: WhereExpr; right: WhereExpr }
  | { type: 'any'; op: ComparisonOp; left: WhereExpr; array: WhereExpr }
  | { type: 'is'; arg: WhereExpr; test: 'null' | 'true' | 'false'; negated: boolean }
  | { type: 'in'; arg: WhereExpr; list: WhereExpr[]; negated: boolean }
  | { type: 'like'; arg: WhereExpr; pattern: WhereExpr; caseInsensitive: boolean; negated: boolean };

/** A where clause the service cannot accept, with a message for the client. */
export class WhereError extends Error {
  override name = 'WhereError';
}
