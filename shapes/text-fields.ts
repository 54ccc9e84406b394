/**
 * Text fields as Postgres can store them. A NUL character can never be
 * stored in text or jsonb (the insert fails), so it is refused up front as a
 * field error, never discovered as a 500. Single-line fields (names,
 * titles) refuse every control character; multi-line ones keep newlines
 * and tabs.
 */
import { z } from 'zod';

const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** One line of text: trimmed, `min`..`max` characters, no control characters. */
export function lineText(max: number, min = 0) {
  const base = z.string().trim().max(max, `must be at most ${max} characters`);
  return (min > 0 ? base.min(min, 'must not be empty') : base).refine((v) => !CONTROL.test(v), 'must not contain control characters');
}

/** Free text over several lines: up to `max` characters, newlines and tabs allowed, no other control characters. */
export function multilineText(max: number, min = 0) {
  const base = z.string().max(max, `must be at most ${max} characters`);
  return (min > 0 ? base.trim().min(min, 'must not be empty') : base).refine((v) => !CONTROL_EXCEPT_WHITESPACE.test(v), 'must not contain control characters other than newlines and tabs');
}
