/**
 * Parses the where-clause subset the service supports (see README) into a
 * WhereExpr. Unquoted identifiers fold to lower case and string literals use
 * '' for a quote, as in Postgres.
 */
import { type ComparisonOp, type WhereExpr, WhereError } from './where-ast.ts';

type Token =
  | { t: 'ident'; v: string; quoted: boolean; pos: number }
  | { t: 'string'; v: string; pos: number }
  | { t: 'number'; v: string; pos: number }
  | { t: 'param'; v: number; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'end'; pos: number };

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'true', 'false', 'in', 'like', 'ilike', 'any', 'between']);
const MAX_LENGTH = 16_384;

export function parseWhere(source: string): WhereExpr {
  if (source.length > MAX_LENGTH) throw new WhereError(`where clause is longer than ${MAX_LENGTH} characters`);
  const parser = new Parser(tokenize(source));
  const expr = parser.parseOr();
  parser.expectEnd();
  return expr;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new WhereError(`unterminated string starting at position ${pos + 1}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += src[i++];
      }
      tokens.push({ t: 'string', v: value, pos });
    } else if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new WhereError(`unterminated quoted identifier starting at position ${pos + 1}`);
        if (src[i] === '"') {
          if (src[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += src[i++];
      }
      if (value === '') throw new WhereError(`empty quoted identifier at position ${pos + 1}`);
      tokens.push({ t: 'ident', v: value, quoted: true, pos });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(src.slice(i))!;
      tokens.push({ t: 'ident', v: m[0].toLowerCase(), quoted: false, pos });
      i += m[0].length;
    } else if (/[0-9.]/.test(c) && /^(\d+\.?\d*|\.\d+)/.test(src.slice(i))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i))!;
      tokens.push({ t: 'number', v: m[0], pos });
      i += m[0].length;
    } else if (c === '$') {
      const m = /^\$(\d+)/.exec(src.slice(i));
      if (!m) throw new WhereError(`expected a parameter number after $ at position ${pos + 1}`);
      tokens.push({ t: 'param', v: Number(m[1]), pos });
      i += m[0].length;
    } else {
      const op = ['<>', '!=', '<=', '>=', '::'].find((o) => src.startsWith(o, i)) ?? (/[=<>(),\-+]/.test(c) ? c : undefined);
      if (!op) throw new WhereError(`unexpected character ${JSON.stringify(c)} at position ${pos + 1}`);
      tokens.push({ t: 'op', v: op === '!=' ? '<>' : op, pos });
      i += op.length;
    }
  }
  tokens.push({ t: 'end', pos: src.length });
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parseOr(): WhereExpr {
    const args = [this.parseAnd()];
    while (this.keyword('or')) args.push(this.parseAnd());
    return args.length === 1 ? args[0]! : { type: 'or', args };
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.t !== 'end') throw this.unexpected(t);
  }

  private parseAnd(): WhereExpr {
    const args = [this.parseNot()];
    while (this.keyword('and')) args.push(this.parseNot());
    return args.length === 1 ? args[0]! : { type: 'and', args };
  }

  private parseNot(): WhereExpr {
    if (this.keyword('not')) return { type: 'not', arg: this.parseNot() };
    return this.parsePredicate();
  }

  private parsePredicate(): WhereExpr {
    const left = this.parseOperand();
    const t = this.peek();
    if (t.t === 'op' && ['=', '<>', '<', '<=', '>', '>='].includes(t.v)) {
      this.i++;
      const op = t.v as ComparisonOp;
      if (this.keyword('any')) {
        this.expectOp('(');
        const array = this.parseOperand();
        this.expectOp(')');
        return { type: 'any', op, left, array };
      }
      return { type: 'compare', op, left, right: this.parseOperand() };
    }
    if (this.keyword('is')) {
      const negated = this.keyword('not');
      const test = this.keyword('null') ? 'null' : this.keyword('true') ? 'true' : this.keyword('false') ? 'false' : undefined;
      if (!test) throw new WhereError(`expected NULL, TRUE or FALSE after IS${negated ? ' NOT' : ''} at position ${this.peek().pos + 1}`);
      return { type: 'is', arg: left, test, negated };
    }
    const negated = this.keyword('not');
    if (this.keyword('in')) {
      this.expectOp('(');
      const list = [this.parseOperand()];
      while (this.op(',')) list.push(this.parseOperand());
      this.expectOp(')');
      return { type: 'in', arg: left, list, negated };
    }
    if (this.keyword('like') || this.peekKeyword('ilike')) {
      const caseInsensitive = this.keyword('ilike');
      return { type: 'like', arg: left, pattern: this.parseOperand(), caseInsensitive, negated };
    }
    if (this.keyword('between')) {
      const low = this.parseOperand();
      if (!this.keyword('and')) throw new WhereError(`expected AND in BETWEEN at position ${this.peek().pos + 1}`);
      const high = this.parseOperand();
      const range: WhereExpr = { type: 'and', args: [{ type: 'compare', op: '>=', left, right: low }, { type: 'compare', op: '<=', left, right: high }] };
      return negated ? { type: 'not', arg: range } : range;
    }
    if (negated) throw new WhereError(`expected IN, LIKE, ILIKE or BETWEEN after NOT at position ${this.peek().pos + 1}`);
    return left;
  }

  private parseOperand(): WhereExpr {
    let expr = this.parsePrimary();
    while (this.op('::')) expr = { type: 'cast', arg: expr, to: this.parseTypeName() };
    return expr;
  }

  private parsePrimary(): WhereExpr {
    const t = this.next();
    switch (t.t) {
      case 'string':
        return { type: 'literal', value: t.v, kind: 'string' };
      case 'number':
        return { type: 'literal', value: t.v, kind: 'number' };
      case 'param':
        if (t.v < 1) throw new WhereError(`parameters are numbered from $1 (position ${t.pos + 1})`);
        return { type: 'param', index: t.v };
      case 'op':
        if (t.v === '(') {
          const inner = this.parseOr();
          this.expectOp(')');
          return inner;
        }
        if (t.v === '-' || t.v === '+') {
          const n = this.next();
          if (n.t !== 'number') throw this.unexpected(n);
          return { type: 'literal', value: t.v === '-' ? `-${n.v}` : n.v, kind: 'number' };
        }
        throw this.unexpected(t);
      case 'ident':
        if (!t.quoted && KEYWORDS.has(t.v)) {
          if (t.v === 'null') return { type: 'literal', value: null, kind: 'null' };
          if (t.v === 'true' || t.v === 'false') return { type: 'literal', value: t.v, kind: 'boolean' };
          throw this.unexpected(t);
        }
        if (this.peek().t === 'op' && (this.peek() as { v: string }).v === '(') {
          throw new WhereError(`function calls such as ${t.v}(…) are not supported in where clauses`);
        }
        return { type: 'column', name: t.v };
      default:
        throw this.unexpected(t);
    }
  }

  /** A type name for `::`; restricted to letters, digits, spaces between words, and []. */
  private parseTypeName(): string {
    const words: string[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t !== 'ident' || t.quoted || (words.length > 0 && KEYWORDS.has(t.v))) break;
      words.push(t.v);
      this.i++;
    }
    if (words.length === 0) throw new WhereError(`expected a type name after :: at position ${this.peek().pos + 1}`);
    const name = words.join(' ');
    if (this.peek().t === 'op' && (this.peek() as { v: string }).v === '(') throw new WhereError('type modifiers in casts are not supported in where clauses');
    return name;
  }

  private keyword(word: string): boolean {
    if (this.peekKeyword(word)) {
      this.i++;
      return true;
    }
    return false;
  }

  private peekKeyword(word: string): boolean {
    const t = this.peek();
    return t.t === 'ident' && !t.quoted && t.v === word;
  }

  private op(v: string): boolean {
    const t = this.peek();
    if (t.t === 'op' && t.v === v) {
      this.i++;
      return true;
    }
    return false;
  }

  private expectOp(v: string): void {
    if (!this.op(v)) throw new WhereError(`expected "${v}" at position ${this.peek().pos + 1}`);
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++] ?? this.tokens[this.tokens.length - 1]!;
  }

  private unexpected(t: Token): WhereError {
    if (t.t === 'end') return new WhereError('where clause ended unexpectedly');
    const shown = t.t === 'string' ? `'${t.v}'` : t.t === 'param' ? `$${t.v}` : String(t.v);
    return new WhereError(`unexpected ${JSON.stringify(shown)} at position ${t.pos + 1}`);
  }
}
