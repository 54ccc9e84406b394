/**
 * Writes a BoundWhere as SQL for the snapshot query. Constants travel as
 * parameters cast to the type they are compared as. Text ordering and LIKE
 * use COLLATE "C" (code point order, ASCII-only case folding), which is what
 * the JavaScript evaluator implements.
 */
import { quoteIdentifier } from '../schema/table-info.ts';
import type { ColumnInfo } from '../schema/table-info.ts';
import type { BoundWhere } from './bound-where.ts';
import { comparisonType } from './where-binder.ts';

export interface WhereSql {
  sql: string;
  params: Array<string | null>;
}

/**
 * @param inline when given, constants are written as literals through it
 *   (for statements that cannot take parameters, such as DECLARE CURSOR).
 */
export function whereToSql(where: BoundWhere, inline?: (value: string) => string): WhereSql {
  const params: Array<string | null> = [];
  const placeholder = (value: string): string => {
    if (inline) return inline(value);
    params.push(value);
    return `$${params.length}`;
  };
  const constant = (value: string | null, column: ColumnInfo): string => (value === null ? 'NULL' : `${placeholder(value)}::${comparisonType(column)}`);
  const ordered = (column: ColumnInfo, sql: string) => (column.comparison === 'text' ? `${sql} COLLATE "C"` : sql);

  const write = (node: BoundWhere): string => {
    switch (node.kind) {
      case 'const':
        return node.value === null ? 'NULL::boolean' : String(node.value);
      case 'column':
        return quoteIdentifier(node.column.name);
      case 'and':
      case 'or':
        return `(${node.args.map(write).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${write(node.arg)})`;
      case 'compare': {
        const col = quoteIdentifier(node.column.name);
        const lhs = node.op === '=' || node.op === '<>' ? col : ordered(node.column, col);
        return `(${lhs} ${node.op} ${constant(node.value, node.column)})`;
      }
      case 'compare-columns': {
        const sameOrder = node.op === '=' || node.op === '<>';
        const l = quoteIdentifier(node.left.name);
        const r = quoteIdentifier(node.right.name);
        return `(${sameOrder ? l : ordered(node.left, l)} ${node.op} ${sameOrder ? r : ordered(node.right, r)})`;
      }
      case 'is-null':
        return `(${quoteIdentifier(node.column.name)} IS ${node.negated ? 'NOT ' : ''}NULL)`;
      case 'is-bool':
        return `(${quoteIdentifier(node.column.name)} IS ${node.negated ? 'NOT ' : ''}${node.value ? 'TRUE' : 'FALSE'})`;
      case 'in':
        if (node.values.length === 0) return node.negated ? 'true' : 'false';
        return `(${quoteIdentifier(node.column.name)} ${node.negated ? 'NOT IN' : 'IN'} (${node.values.map((v) => constant(v, node.column)).join(', ')}))`;
      case 'like': {
        const col = `${quoteIdentifier(node.column.name)} COLLATE "C"`;
        return `(${col} ${node.negated ? 'NOT ' : ''}${node.caseInsensitive ? 'ILIKE' : 'LIKE'} ${placeholder(node.pattern)}::text)`;
      }
    }
  };
  return { sql: write(where), params };
}

/** A stable text form of the bound clause, used to tell shape definitions apart. */
export function whereFingerprint(where: BoundWhere): string {
  const { sql, params } = whereToSql(where);
  return `${sql} ${JSON.stringify(params)}`;
}
