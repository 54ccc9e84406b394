/**
 * A small single-stroke vector font for cover titles, so lettering never
 * depends on system fonts (a fresh CI machine or container may have none,
 * and librsvg would then draw nothing or tofu). Each glyph is SVG path data
 * in a box 10 units tall (cap height; y grows downward, baseline at y = 10),
 * drawn with a round-capped stroke. Titles are set in capitals; accented
 * capitals are a base glyph plus a diacritic, which covers French.
 */

export interface Glyph {
  /** Advance width before letter spacing. */
  width: number;
  /** SVG path data in glyph units. */
  d: string;
}

const O = 'M3.6 0 A3.6 5 0 1 0 3.6 10 A3.6 5 0 1 0 3.6 0';
const P = 'M0 10 L0 0 L3.5 0 Q6.5 0 6.5 2.75 Q6.5 5.5 3.5 5.5 L0 5.5';

const GLYPHS: Record<string, Glyph> = {
  A: { width: 7, d: 'M0 10 L3.5 0 L7 10 M1.3 6.4 L5.7 6.4' },
  B: { width: 6.5, d: 'M0 10 L0 0 L3.3 0 Q6 0 6 2.5 Q6 5 3.3 5 L0 5 M3.3 5 Q6.5 5 6.5 7.5 Q6.5 10 3.3 10 L0 10' },
  C: { width: 6.6, d: 'M6.6 1.6 Q5.4 0 3.7 0 Q0 0 0 5 Q0 10 3.7 10 Q5.4 10 6.6 8.4' },
  D: { width: 6.8, d: 'M0 0 L2.6 0 Q6.8 0 6.8 5 Q6.8 10 2.6 10 L0 10 Z' },
  E: { width: 5.8, d: 'M5.8 0 L0 0 L0 10 L5.8 10 M0 5 L4.6 5' },
  F: { width: 5.8, d: 'M5.8 0 L0 0 L0 10 M0 5 L4.6 5' },
  G: { width: 7, d: 'M6.6 1.6 Q5.4 0 3.7 0 Q0 0 0 5 Q0 10 3.7 10 Q7 10 7 6 L7 5.4 L4.2 5.4' },
  H: { width: 6.4, d: 'M0 0 L0 10 M6.4 0 L6.4 10 M0 5 L6.4 5' },
  I: { width: 0, d: 'M0 0 L0 10' },
  J: { width: 5, d: 'M5 0 L5 7 Q5 10 2.5 10 Q0 10 0 7.4' },
  K: { width: 6.2, d: 'M0 0 L0 10 M6.2 0 L0 6.2 M2.2 4.2 L6.2 10' },
  L: { width: 5.4, d: 'M0 0 L0 10 L5.4 10' },
  M: { width: 8.2, d: 'M0 10 L0 0 L4.1 7 L8.2 0 L8.2 10' },
  N: { width: 6.4, d: 'M0 10 L0 0 L6.4 10 L6.4 0' },
  O: { width: 7.2, d: O },
  P: { width: 6.5, d: P },
  Q: { width: 7.4, d: `${O} M4.6 7.4 L7.4 10.4` },
  R: { width: 6.5, d: `${P} M3.2 5.5 L6.5 10` },
  S: { width: 6, d: 'M6 1.5 Q5 0 3 0 Q0.3 0 0.3 2.6 Q0.3 4.6 3 5 Q6 5.4 6 7.6 Q6 10 3 10 Q1 10 0 8.5' },
  T: { width: 7, d: 'M0 0 L7 0 M3.5 0 L3.5 10' },
  U: { width: 6.4, d: 'M0 0 L0 6.7 Q0 10 3.2 10 Q6.4 10 6.4 6.7 L6.4 0' },
  V: { width: 7, d: 'M0 0 L3.5 10 L7 0' },
  W: { width: 10, d: 'M0 0 L2.4 10 L5 2.6 L7.6 10 L10 0' },
  X: { width: 6.6, d: 'M0 0 L6.6 10 M6.6 0 L0 10' },
  Y: { width: 7, d: 'M0 0 L3.5 5 L7 0 M3.5 5 L3.5 10' },
  Z: { width: 6.4, d: 'M0 0 L6.4 0 L0 10 L6.4 10' },
  Œ: { width: 10, d: 'M10 0 L4.8 0 L4.8 10 L10 10 M4.8 5 L9 5 M4.8 0 L3.8 0 Q0 0 0 5 Q0 10 3.8 10 L4.8 10' },
  Æ: { width: 10, d: 'M0 10 L4.8 0 L10 0 M4.8 0 L4.8 10 L10 10 M4.8 5 L9 5 M1.7 6.4 L4.8 6.4' },
  '0': { width: 6, d: 'M3 0 A3 5 0 1 0 3 10 A3 5 0 1 0 3 0' },
  '1': { width: 3, d: 'M0 2.2 L3 0 L3 10' },
  '2': { width: 6, d: 'M0.3 2.5 Q0.5 0 3 0 Q5.8 0 5.8 2.7 Q5.8 4.8 3 6.8 L0 10 L6 10' },
  '3': { width: 6, d: 'M0.3 1.5 Q1.2 0 3 0 Q5.7 0 5.7 2.5 Q5.7 4.9 2.6 4.9 Q6 4.9 6 7.4 Q6 10 3 10 Q1 10 0 8.5' },
  '4': { width: 6.4, d: 'M4.6 10 L4.6 0 L0 7 L6.4 7' },
  '5': { width: 6, d: 'M5.8 0 L1 0 L0.5 4.4 Q1.6 3.7 3 3.7 Q6 3.7 6 6.9 Q6 10 3 10 Q1 10 0 8.6' },
  '6': { width: 6, d: 'M5.3 0.8 Q4.4 0 3.2 0 Q0 0 0 5.5 L0 6.8 Q0 10 3 10 Q6 10 6 6.8 Q6 3.8 3 3.8 Q0.8 3.8 0 5.6' },
  '7': { width: 6, d: 'M0 0 L6 0 L2 10' },
  '8': { width: 6, d: 'M3 4.8 Q0.5 4.8 0.5 2.4 Q0.5 0 3 0 Q5.5 0 5.5 2.4 Q5.5 4.8 3 4.8 Q0 4.8 0 7.4 Q0 10 3 10 Q6 10 6 7.4 Q6 4.8 3 4.8' },
  '9': { width: 6, d: 'M0.7 9.2 Q1.6 10 2.8 10 Q6 10 6 4.5 L6 3.2 Q6 0 3 0 Q0 0 0 3.2 Q0 6.2 3 6.2 Q5.2 6.2 6 4.4' },
  ' ': { width: 3.2, d: '' },
  '.': { width: 0, d: 'M0 9.8 L0 10' },
  ',': { width: 0.8, d: 'M0.8 9.6 L0.8 10.2 L0 11.6' },
  '!': { width: 0, d: 'M0 0 L0 6.8 M0 9.8 L0 10' },
  '?': { width: 5.2, d: 'M0 2.2 Q0 0 2.6 0 Q5.2 0 5.2 2.5 Q5.2 4.4 2.6 5.4 L2.6 7 M2.6 9.8 L2.6 10' },
  "'": { width: 0.8, d: 'M0.8 0 L0.8 1.4 L0 3' },
  '"': { width: 2.4, d: 'M0 0 L0 2.6 M2.4 0 L2.4 2.6' },
  '-': { width: 3.6, d: 'M0 5.6 L3.6 5.6' },
  ':': { width: 0, d: 'M0 3.8 L0 4 M0 9.8 L0 10' },
  ';': { width: 0.8, d: 'M0.8 3.8 L0.8 4 M0.8 9.6 L0.8 10.2 L0 11.6' },
  '&': { width: 6.6, d: 'M6.6 10 L1.4 3.6 Q0.6 2.6 0.8 1.7 Q1.2 0 3 0 Q4.8 0 5 1.7 Q5 3.4 2.6 4.8 Q0 6.2 0 8 Q0 10 2.6 10 Q4.6 10 6.6 6.6' },
  '(': { width: 2.2, d: 'M2.2 -0.6 Q0 2.2 0 5 Q0 7.8 2.2 10.6' },
  ')': { width: 2.2, d: 'M0 -0.6 Q2.2 2.2 2.2 5 Q2.2 7.8 0 10.6' },
  '/': { width: 4.4, d: 'M4.4 -0.4 L0 10.4' },
  '«': { width: 5.4, d: 'M2.6 3 L0 5.6 L2.6 8.2 M5.4 3 L2.8 5.6 L5.4 8.2' },
  '»': { width: 5.4, d: 'M0 3 L2.6 5.6 L0 8.2 M2.8 3 L5.4 5.6 L2.8 8.2' },
};

// Diacritics drawn around x = 0 (centred on the base glyph when placed).
const MARKS: Record<string, string> = {
  '\u0301': 'M-0.9 -1.3 L1.1 -3.2', // acute
  '\u0300': 'M-1.1 -3.2 L0.9 -1.3', // grave
  '\u0302': 'M-1.8 -1.3 L0 -3.2 L1.8 -1.3', // circumflex
  '\u0308': 'M-1.5 -2.2 L-1.5 -2 M1.5 -2.2 L1.5 -2', // diaeresis
  '\u0303': 'M-2 -1.8 Q-1 -3.2 0 -2.3 Q1 -1.4 2 -2.8', // tilde
  '\u030A': 'M0 -1.2 A1 1 0 1 0 0 -3.2 A1 1 0 1 0 0 -1.2', // ring
  '\u0327': 'M0 10 L0 11 Q1.5 11 1.5 12 Q1.5 13 -0.6 13', // cedilla
};

// Typographic variants folded to glyphs we draw.
const ALIASES: Record<string, string> = { '’': "'", '‘': "'", '“': '"', '”': '"', '–': '-', '—': '-', '…': '...', '‹': '«', '›': '»' };

export interface ShapedChar {
  /** Path data in glyph units, already offset to its pen position. */
  d: string;
  advance: number;
}

/** Letter spacing in glyph units; wide enough for the stroke's round caps. */
export const LETTER_SPACING = 2.4;

/**
 * Shapes a title for drawing: capitals, aliases folded, accents composed from
 * marks, and anything the font cannot draw (emoji, other scripts) dropped.
 */
export function shapeText(text: string): Array<{ glyph: Glyph; marks: string[] }> {
  const out: Array<{ glyph: Glyph; marks: string[] }> = [];
  const folded = [...text].map((c) => ALIASES[c] ?? c).join('');
  for (const cluster of folded.toLocaleUpperCase('fr').normalize('NFC')) {
    const direct = GLYPHS[cluster];
    if (direct) {
      out.push({ glyph: direct, marks: [] });
      continue;
    }
    const [base, ...rest] = [...cluster.normalize('NFD')];
    const glyph = base === undefined ? undefined : GLYPHS[base];
    if (!glyph) continue;
    out.push({ glyph, marks: rest.map((m) => MARKS[m]).filter((m): m is string => m !== undefined) });
  }
  return out;
}

/** Width of a line in glyph units. */
export function lineWidth(shaped: ReadonlyArray<{ glyph: Glyph }>): number {
  if (shaped.length === 0) return 0;
  return shaped.reduce((w, s) => w + s.glyph.width + LETTER_SPACING, 0) - LETTER_SPACING;
}

/** One SVG path for a line, starting at x = 0 with its top at y = 0. */
export function linePath(shaped: ReadonlyArray<{ glyph: Glyph; marks: string[] }>): string {
  let x = 0;
  const parts: string[] = [];
  for (const { glyph, marks } of shaped) {
    if (glyph.d) parts.push(offsetPath(glyph.d, x, 0));
    for (const mark of marks) parts.push(offsetPath(mark, x + glyph.width / 2, 0));
    x += glyph.width + LETTER_SPACING;
  }
  return parts.join(' ');
}

/** The characters the font draws, for tests and for callers choosing a fallback. */
export function drawableCharacters(): string[] {
  return Object.keys(GLYPHS);
}

/**
 * Moves absolute path data by (dx, dy). Our glyphs use only M, L, Q, A and Z
 * with absolute coordinates, so each command's coordinate pairs can be
 * shifted directly (for A, only the end point moves).
 */
function offsetPath(d: string, dx: number, dy: number): string {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return d.replace(/([MLQAZ])([^MLQAZ]*)/g, (_, command: string, args: string) => {
    const numbers = args.trim() ? args.trim().split(/[\s,]+/).map(Number) : [];
    if (command === 'A') {
      for (let i = 0; i + 6 < numbers.length; i += 7) {
        numbers[i + 5] = round(numbers[i + 5]! + dx);
        numbers[i + 6] = round(numbers[i + 6]! + dy);
      }
    } else {
      for (let i = 0; i + 1 < numbers.length; i += 2) {
        numbers[i] = round(numbers[i]! + dx);
        numbers[i + 1] = round(numbers[i + 1]! + dy);
      }
    }
    return `${command}${numbers.join(' ')} `;
  }).trim();
}
