/**
 * Compares Postgres text output the way Postgres compares the values, per
 * comparison class. Inputs are canonical text (type output under the
 * service's display settings), never NULL.
 */
import type { ComparisonClass } from '../schema/table-info.ts';

export type Comparator = (a: string, b: string) => number;

export function comparatorFor(cls: ComparisonClass): Comparator {
  switch (cls) {
    case 'text':
      return compareCodePoints;
    case 'uuid':
    case 'bool': // 'f' < 't', as false < true
    case 'enum': // only = and <> reach enums
      return compareStrings;
    case 'numeric':
      return compareDecimals;
    case 'float8':
      return (a, b) => compareFloats(parseFloatText(a), parseFloatText(b));
    case 'float4':
      return (a, b) => compareFloats(Math.fround(parseFloatText(a)), Math.fround(parseFloatText(b)));
    case 'timestamp':
    case 'timestamptz':
    case 'date':
      return (a, b) => compareBigints(parseDateTime(a), parseDateTime(b));
  }
}

function compareStrings(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * Code point order (what COLLATE "C" gives for UTF-8). JavaScript compares
 * UTF-16 units, which disagrees only when a surrogate meets a unit >= 0xE000.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

function fixup(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

function compareBigints(a: bigint, b: bigint): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function parseFloatText(text: string): number {
  if (text === 'NaN') return Number.NaN;
  return Number(text); // 'Infinity' and '-Infinity' parse too
}

/** Postgres float order: NaN equals NaN and sorts above everything. */
function compareFloats(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Exact decimal comparison of integer and numeric text (numeric: NaN above all, ±Infinity). */
export function compareDecimals(a: string, b: string): number {
  if (a === b) return 0;
  // Fast path: integers that fit a double exactly (the common case: int columns).
  if (a.length < 16 && b.length < 16 && SMALL_INTEGER.test(a) && SMALL_INTEGER.test(b)) return Number(a) - Number(b);
  const x = decimalRank(a);
  const y = decimalRank(b);
  if (x !== y) return x - y;
  if (x !== 0) return 0; // both NaN, or the same infinity
  const sa = a.startsWith('-');
  const sb = b.startsWith('-');
  const ma = magnitude(sa ? a.slice(1) : a);
  const mb = magnitude(sb ? b.slice(1) : b);
  const zeroA = ma.int === '' && ma.frac === '';
  const zeroB = mb.int === '' && mb.frac === '';
  const signA = zeroA ? 0 : sa ? -1 : 1;
  const signB = zeroB ? 0 : sb ? -1 : 1;
  if (signA !== signB) return signA - signB;
  if (signA === 0) return 0;
  let cmp = ma.int.length !== mb.int.length ? ma.int.length - mb.int.length : ma.int < mb.int ? -1 : ma.int > mb.int ? 1 : 0;
  if (cmp === 0) {
    const len = Math.max(ma.frac.length, mb.frac.length);
    const fa = ma.frac.padEnd(len, '0');
    const fb = mb.frac.padEnd(len, '0');
    cmp = fa < fb ? -1 : fa > fb ? 1 : 0;
  }
  return signA * cmp;
}

const SMALL_INTEGER = /^-?\d+$/;

/** -1 for -Infinity, 1 for Infinity, 2 for NaN, 0 for finite. */
function decimalRank(text: string): number {
  if (text === 'NaN') return 2;
  if (text === 'Infinity') return 1;
  if (text === '-Infinity') return -1;
  return 0;
}

function magnitude(text: string): { int: string; frac: string } {
  const dot = text.indexOf('.');
  const int = (dot < 0 ? text : text.slice(0, dot)).replace(/^0+/, '');
  const frac = dot < 0 ? '' : text.slice(dot + 1).replace(/0+$/, '');
  return { int, frac };
}

const INFINITY = 1n << 80n;
const DAY_MICROS = 86_400_000_000n;
const DATE_TIME = /^(\d{4,})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?( BC)?$/;

/** Microseconds since 1970-01-01 UTC for timestamp, timestamptz and date text. */
export function parseDateTime(text: string): bigint {
  if (text === 'infinity') return INFINITY;
  if (text === '-infinity') return -INFINITY;
  const m = DATE_TIME.exec(text);
  if (!m) throw new Error(`unrecognised date/time text ${JSON.stringify(text)}`);
  let year = Number(m[1]);
  if (m[12]) year = 1 - year; // 1 BC is year 0
  const days = BigInt(daysFromCivil(year, Number(m[2]), Number(m[3])));
  const seconds = BigInt(Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0));
  const micros = BigInt((m[7] ?? '').padEnd(6, '0') || '0');
  let offset = 0n;
  if (m[8]) offset = BigInt((m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)));
  return days * DAY_MICROS + (seconds - offset) * 1_000_000n + micros;
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
