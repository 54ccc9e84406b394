/**
 * Sets a title in the stroke font on a rounded banner across the top of the
 * cover, picture-book style, leaving the lower two thirds to the scene: breaks it into at most
 * three balanced lines, picks the largest size that fits, and shortens with
 * an ellipsis only when even the smallest size cannot hold it. Used by both
 * cover providers (remote images get the same lettering on top).
 */
import { lineWidth, linePath, shapeText } from './stroke-font.ts';

export interface BannerColours {
  banner: string;
  ink: string;
  inkShadow: string;
}

const CANVAS = 1024;
const MARGIN = 56;
const PADDING_X = 44;
const PADDING_Y = 40;
const MAX_LINES = 3;
/** Cap heights in pixels on the 1024 canvas. */
const MAX_CAP = 76;
const MIN_CAP = 34;
const LINE_GAP = 0.55;
const STROKE = 1.3;

interface Layout {
  lines: string[];
  /** Pixels per glyph unit. */
  scale: number;
}

/** SVG for the banner and lettering on a 1024-unit canvas, or '' when nothing in the title can be drawn. */
export function titleBannerSvg(title: string, colours: BannerColours): string {
  const layout = layoutTitle(title);
  if (!layout) return '';
  const { lines, scale } = layout;
  const cap = 10 * scale;
  const lineHeight = cap * (1 + LINE_GAP);
  const textHeight = cap + lineHeight * (lines.length - 1);
  const bannerHeight = textHeight + PADDING_Y * 2;
  const bannerTop = MARGIN;
  const inner = CANVAS - 2 * MARGIN - 2 * PADDING_X;
  const paths = lines.map((line, i) => {
    const shaped = shapeText(line);
    const x = MARGIN + PADDING_X + (inner - lineWidth(shaped) * scale) / 2;
    const y = bannerTop + PADDING_Y + i * lineHeight;
    return { d: linePath(shaped), transform: `translate(${fmt(x)} ${fmt(y)}) scale(${fmt(scale)})` };
  });
  const stroke = (colour: string, width: number) =>
    paths
      .map((p) => `<path d="${p.d}" transform="${p.transform}" fill="none" stroke="${colour}" stroke-width="${fmt(width)}" stroke-linecap="round" stroke-linejoin="round"/>`)
      .join('');
  return [
    `<rect x="${MARGIN + 6}" y="${fmt(bannerTop + 10)}" width="${CANVAS - 2 * MARGIN}" height="${fmt(bannerHeight)}" rx="36" fill="#000" opacity="0.14"/>`,
    `<rect x="${MARGIN}" y="${fmt(bannerTop)}" width="${CANVAS - 2 * MARGIN}" height="${fmt(bannerHeight)}" rx="36" fill="${colours.banner}" opacity="0.95"/>`,
    stroke(colours.inkShadow, STROKE + 1.4),
    stroke(colours.ink, STROKE),
  ].join('');
}

/** The chosen lines and scale, or null when the title has nothing drawable. */
export function layoutTitle(title: string): Layout | null {
  const words = title.split(/\s+/).filter((w) => shapeText(w).length > 0);
  if (words.length === 0) return null;
  const inner = CANVAS - 2 * MARGIN - 2 * PADDING_X;
  let best: Layout | null = null;
  for (let count = 1; count <= Math.min(MAX_LINES, words.length); count++) {
    const lines = balancedLines(words, count);
    const widest = Math.max(...lines.map((l) => lineWidth(shapeText(l))));
    const scale = Math.min(MAX_CAP / 10, inner / widest);
    // A further line must buy a clearly bigger size to be worth it.
    if (!best || scale > best.scale * 1.12) best = { lines, scale };
  }
  if (best && best.scale >= MIN_CAP / 10) return best;
  return shortened(words, inner);
}

/** The split of `words` into `count` lines that makes the widest line narrowest. */
function balancedLines(words: string[], count: number): string[] {
  const width = (from: number, to: number) => lineWidth(shapeText(words.slice(from, to).join(' ')));
  let best: { lines: string[]; widest: number } | null = null;
  const search = (start: number, left: number, acc: string[], widest: number) => {
    if (best && widest >= best.widest) return;
    if (left === 1) {
      const w = Math.max(widest, width(start, words.length));
      if (!best || w < best.widest) best = { lines: [...acc, words.slice(start).join(' ')], widest: w };
      return;
    }
    for (let end = start + 1; end <= words.length - left + 1; end++) {
      search(end, left - 1, [...acc, words.slice(start, end).join(' ')], Math.max(widest, width(start, end)));
    }
  };
  search(0, count, [], 0);
  return best!.lines;
}

/** Fills three lines at the smallest size, word by word, and ends with an ellipsis. */
function shortened(words: string[], inner: number): Layout {
  const scale = MIN_CAP / 10;
  const maxUnits = inner / scale;
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (lineWidth(shapeText(candidate)) <= maxUnits) {
      line = candidate;
      continue;
    }
    if (lines.length === MAX_LINES - 1) break;
    if (line) lines.push(line);
    line = word;
  }
  let last = `${line}...`;
  while (lineWidth(shapeText(last)) > maxUnits && last.length > 3) last = `${last.slice(0, -4)}...`;
  return { lines: [...lines, last].slice(0, MAX_LINES), scale };
}

function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}
