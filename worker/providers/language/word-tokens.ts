/**
 * The one way the heuristics cut text into words and compare them: lower
 * case, apostrophes split ("l'arbre" → "l", "arbre"), accents kept for
 * display but folded for matching, so "foret" finds "forêt".
 */

/** Lower-case words (letters, digits, inner hyphens). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().normalize('NFC').match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? [];
}

/** Lower case without accents, for matching. */
export function fold(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '');
}

/**
 * A matcher for a list of words or phrases: each entry matches whole words,
 * with an optional plural "s"/"x"; an entry ending in "*" matches as a prefix.
 */
export function phraseMatcher(entries: readonly string[]): (text: string) => string[] {
  const patterns = entries.map((entry) => {
    const prefix = entry.endsWith('*');
    const body = fold(prefix ? entry.slice(0, -1) : entry).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    return { entry: prefix ? entry.slice(0, -1) : entry, regex: new RegExp(`(?<![\\p{L}\\p{N}])${body}${prefix ? '[\\p{L}]*' : '(?:s|x|es)?'}(?![\\p{L}\\p{N}])`, 'u') };
  });
  return (text: string) => {
    const folded = fold(text);
    return patterns.filter((p) => p.regex.test(folded)).map((p) => p.entry);
  };
}

/** Sentences, for readability: split after . ! ? … and at paragraph breaks. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?…])["»”’)]*\s+|\n\s*\n/)
    .map((s) => s.trim())
    .filter((s) => wordsOf(s).length > 0);
}
