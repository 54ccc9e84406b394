/**
 * Compiles a BoundWhere into a function that judges one replicated row with
 * SQL's three-valued logic (true, false, or null for unknown). A row is in a
 * shape only when the result is true, exactly as in the snapshot query.
 */
import type { TextRow } from '../replication/pgoutput-decoder.ts';
import type { ComparisonOp } from './where-ast.ts';
import type { BoundWhere } from './bound-where.ts';
import { comparatorFor } from './value-comparators.ts';
import { likeMatcher } from './like-pattern.ts';

export type RowPredicate = (row: TextRow) => boolean | null;

export function compileWhere(where: BoundWhere): RowPredicate {
  switch (where.kind) {
    case 'const': {
      const value = where.value;
      return () => value;
    }
    case 'column': {
      const name = where.column.name;
      return (row) => {
        const v = row[name];
        return v === null || v === undefined ? null : v === 't';
      };
    }
    case 'and': {
      const args = where.args.map(compileWhere);
      return (row) => {
        let unknown = false;
        for (const arg of args) {
          const v = arg(row);
          if (v === false) return false;
          if (v === null) unknown = true;
        }
        return unknown ? null : true;
      };
    }
    case 'or': {
      const args = where.args.map(compileWhere);
      return (row) => {
        let unknown = false;
        for (const arg of args) {
          const v = arg(row);
          if (v === true) return true;
          if (v === null) unknown = true;
        }
        return unknown ? null : false;
      };
    }
    case 'not': {
      const arg = compileWhere(where.arg);
      return (row) => {
        const v = arg(row);
        return v === null ? null : !v;
      };
    }
    case 'compare': {
      const { name } = where.column;
      const constant = where.value;
      if (constant === null) return () => null;
      const compare = comparatorFor(where.column.comparison!);
      const test = opTest(where.op);
      return (row) => {
        const v = row[name];
        return v === null || v === undefined ? null : test(compare(v, constant));
      };
    }
    case 'compare-columns': {
      const l = where.left.name;
      const r = where.right.name;
      const compare = comparatorFor(where.left.comparison!);
      const test = opTest(where.op);
      return (row) => {
        const a = row[l];
        const b = row[r];
        return a === null || a === undefined || b === null || b === undefined ? null : test(compare(a, b));
      };
    }
    case 'is-null': {
      const { name } = where.column;
      const negated = where.negated;
      return (row) => (row[name] === null || row[name] === undefined) !== negated;
    }
    case 'is-bool': {
      const { name } = where.column;
      const want = where.value ? 't' : 'f';
      const negated = where.negated;
      return (row) => (row[name] === want) !== negated;
    }
    case 'in': {
      const { name } = where.column;
      const compare = comparatorFor(where.column.comparison!);
      const values = where.values.filter((v): v is string => v !== null);
      const hasNull = values.length !== where.values.length;
      const negated = where.negated;
      return (row) => {
        const v = row[name];
        if (v === null || v === undefined) return where.values.length === 0 ? negated : null;
        let found: boolean | null = false;
        for (const candidate of values) {
          if (compare(v, candidate) === 0) {
            found = true;
            break;
          }
        }
        if (!found && hasNull) found = null;
        return found === null ? null : found !== negated;
      };
    }
    case 'like': {
      const { name } = where.column;
      const matches = likeMatcher(where.pattern, where.caseInsensitive);
      const negated = where.negated;
      return (row) => {
        const v = row[name];
        return v === null || v === undefined ? null : matches(v) !== negated;
      };
    }
  }
}

function opTest(op: ComparisonOp): (c: number) => boolean {
  switch (op) {
    case '=':
      return (c) => c === 0;
    case '<>':
      return (c) => c !== 0;
    case '<':
      return (c) => c < 0;
    case '<=':
      return (c) => c <= 0;
    case '>':
      return (c) => c > 0;
    case '>=':
      return (c) => c >= 0;
  }
}
