/**
 * The JavaScript side of where clauses on its own: Postgres's comparison
 * rules for the text it prints (numeric, floats, timestamps, code point order)
 * and LIKE patterns, where they differ from JavaScript's defaults.
 */
import { describe, expect, it } from 'vitest';
import { likeMatcher } from '../../sync/service/where/like-pattern.ts';
import { compareCodePoints, compareDecimals, comparatorFor, parseDateTime } from '../../sync/service/where/value-comparators.ts';
import { parseWhere } from '../../sync/service/where/where-parser.ts';

describe('value comparators', () => {
  it('compares numeric text exactly, with NaN above everything and signed infinities', () => {
    const sorted = ['-Infinity', '-12.5', '-0.001', '0', '0.00', '2', '10', '10.000000000000000000001', '99999999999999999999', 'Infinity', 'NaN'];
    for (let i = 0; i < sorted.length - 1; i++) expect(Math.sign(compareDecimals(sorted[i]!, sorted[i + 1]!)), `${sorted[i]} < ${sorted[i + 1]}`).toBeLessThanOrEqual(0);
    expect(compareDecimals('0', '0.00')).toBe(0);
    expect(compareDecimals('-0.0', '0')).toBe(0);
    expect(compareDecimals('1.50', '1.5')).toBe(0);
    expect(compareDecimals('NaN', 'NaN')).toBe(0);
    expect(compareDecimals('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
  });

  it('rounds float4 like Postgres before comparing', () => {
    expect(comparatorFor('float4')('0.1', '0.1')).toBe(0);
    expect(comparatorFor('float8')('NaN', 'Infinity')).toBeGreaterThan(0);
    expect(comparatorFor('float8')('-0', '0')).toBe(0);
  });

  it('orders timestamps, dates, BC years and infinities', () => {
    const order = ['-infinity', '0044-03-15 00:00:00 BC', '1969-12-31 23:59:59.999999', '1970-01-01 00:00:00', '2024-01-01 00:00:00.5', '12024-01-01 00:00:00', 'infinity'];
    for (let i = 0; i < order.length - 1; i++) expect(parseDateTime(order[i]!) < parseDateTime(order[i + 1]!), order[i]).toBe(true);
    expect(parseDateTime('2024-01-01 01:00:00+01')).toBe(parseDateTime('2024-01-01 00:00:00+00'));
    expect(parseDateTime('2024-03-03')).toBe(parseDateTime('2024-03-03 00:00:00'));
  });

  it('orders text by code point (COLLATE "C"), not UTF-16 unit', () => {
    expect(compareCodePoints('Zed', 'alpha')).toBeLessThan(0);
    expect(compareCodePoints('\u{1F600}', '\uFF21')).toBeGreaterThan(0); // astral > U+FF21, though its first UTF-16 unit is smaller
    expect(compareCodePoints('abc', 'ab')).toBeGreaterThan(0);
  });
});

describe('LIKE patterns', () => {
  it('treats % and _ as wildcards, backslash as escape, and _ as one code point', () => {
    expect(likeMatcher('a%c', false)('abbbc')).toBe(true);
    expect(likeMatcher('a_c', false)('a\u{1F600}c')).toBe(true);
    expect(likeMatcher('50\\%', false)('50%')).toBe(true);
    expect(likeMatcher('50\\%', false)('500')).toBe(false);
    expect(likeMatcher('a.c', false)('abc')).toBe(false);
    expect(likeMatcher('%', false)('line\nbreak')).toBe(true);
  });

  it('folds only ASCII for ILIKE, as Postgres does under COLLATE "C"', () => {
    expect(likeMatcher('ALPHA', true)('alpha')).toBe(true);
    expect(likeMatcher('É%', true)('émile')).toBe(false);
  });
});

describe('where parser', () => {
  it('folds unquoted identifiers, keeps quoted ones, and reads params, casts and BETWEEN', () => {
    expect(parseWhere('"Name" = $1 AND Age BETWEEN 1 AND 2')).toEqual({
      type: 'and',
      args: [
        { type: 'compare', op: '=', left: { type: 'column', name: 'Name' }, right: { type: 'param', index: 1 } },
        { type: 'and', args: [{ type: 'compare', op: '>=', left: { type: 'column', name: 'age' }, right: { type: 'literal', value: '1', kind: 'number' } }, { type: 'compare', op: '<=', left: { type: 'column', name: 'age' }, right: { type: 'literal', value: '2', kind: 'number' } }] },
      ],
    });
    expect(parseWhere("x = 'it''s'::text")).toMatchObject({ right: { type: 'cast', to: 'text', arg: { value: "it's" } } });
  });

  it('refuses what it does not support with a reason', () => {
    expect(() => parseWhere('lower(x) = 1')).toThrow(/function calls/);
    expect(() => parseWhere('x = 1;')).toThrow(/unexpected character/);
    expect(() => parseWhere("x = 'open")).toThrow(/unterminated string/);
  });
});
