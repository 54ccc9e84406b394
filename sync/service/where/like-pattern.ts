/**
 * LIKE / ILIKE as Postgres evaluates them under COLLATE "C": `%` any run of
 * characters, `_` exactly one character (code point), backslash escapes the
 * next character, and ILIKE folds only ASCII letters.
 */
export function likeMatcher(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  const source = caseInsensitive ? asciiLower(pattern) : pattern;
  let regex = '^';
  const chars = Array.from(source);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\') {
      const next = chars[++i];
      if (next !== undefined) regex += escapeRegex(next);
    } else if (c === '%') regex += '[\\s\\S]*';
    else if (c === '_') regex += '[\\s\\S]';
    else regex += escapeRegex(c);
  }
  const re = new RegExp(`${regex}$`, 'u');
  return caseInsensitive ? (value) => re.test(asciiLower(value)) : (value) => re.test(value);
}

function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}
