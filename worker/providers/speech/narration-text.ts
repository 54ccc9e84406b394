/**
 * Prepares story text for narration: paragraphs become SSML with a pause
 * between them (espeak otherwise reads a new paragraph straight on), and long
 * stories are cut at paragraph or sentence boundaries into pieces small
 * enough for one synthesis call.
 */

/** Pause between paragraphs; espeak drops its own sentence-end pause before a break, so the net gain is about half a second. */
export const PARAGRAPH_PAUSE_MS = 1000;

/** Non-empty paragraphs with inner whitespace collapsed. */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0);
}

/**
 * Groups paragraphs into pieces of at most `maxChars`; a paragraph longer
 * than that is split between sentences, and a sentence longer than that
 * between words.
 */
export function narrationPieces(text: string, maxChars: number): string[][] {
  const pieces: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const paragraph of paragraphsOf(text).flatMap((p) => splitLong(p, maxChars))) {
    if (size + paragraph.length > maxChars && current.length > 0) {
      pieces.push(current);
      current = [];
      size = 0;
    }
    current.push(paragraph);
    size += paragraph.length + 1;
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

function splitLong(paragraph: string, maxChars: number): string[] {
  if (paragraph.length <= maxChars) return [paragraph];
  const sentences = paragraph.match(/[^.!?…]+(?:[.!?…]+["»”’)]*\s*|$)/g) ?? [paragraph];
  const out: string[] = [];
  let line = '';
  for (const sentence of sentences.flatMap((s) => (s.length > maxChars ? splitWords(s, maxChars) : [s]))) {
    if (line.length + sentence.length > maxChars && line) {
      out.push(line.trim());
      line = '';
    }
    line += sentence;
  }
  if (line.trim()) out.push(line.trim());
  return out;
}

function splitWords(sentence: string, maxChars: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of sentence.split(/\s+/)) {
    if (line.length + word.length + 1 > maxChars && line) {
      out.push(`${line} `);
      line = '';
    }
    line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(`${line} `);
  return out;
}

/** SSML for espeak's `-m` mode: escaped text, a break between paragraphs. */
export function paragraphsToSsml(paragraphs: readonly string[]): string {
  const body = paragraphs.map(escapeXml).join(`<break time="${PARAGRAPH_PAUSE_MS}ms"/>`);
  return `<speak>${body}</speak>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
