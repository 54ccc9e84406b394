/**
 * Byte ranges as HTTP Range requests them (RFC 9110 §14): `bytes=0-99`,
 * `bytes=100-` and the suffix form `bytes=-500`. Only single ranges are
 * honoured; anything else is ignored, as the RFC allows, and the whole
 * object is served.
 */

/** A range as asked for, before the object's size is known. */
export type ByteRangeRequest = { start: number; end?: number } | { suffixLength: number };

/** A range resolved against an object's size; both ends inclusive. */
export interface ResolvedByteRange {
  start: number;
  end: number;
}

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/i;

/**
 * Parses a Range header. Returns null when there is none or when it may be
 * ignored (another unit, several ranges, malformed): serve the whole object.
 */
export function parseRangeHeader(value: string | null | undefined): ByteRangeRequest | null {
  if (!value) return null;
  const match = SINGLE_RANGE.exec(value.trim());
  if (!match) return null;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return null;
  if (first === '') return { suffixLength: safeInt(last) };
  const start = safeInt(first);
  if (last === '') return { start };
  const end = safeInt(last);
  // RFC 9110 §14.1.1: a last position below the first makes the range invalid; ignore it.
  return end < start ? null : { start, end };
}

/** The range within an object of `size` bytes, or null when it is unsatisfiable (answer 416). */
export function resolveByteRange(range: ByteRangeRequest, size: number): ResolvedByteRange | null {
  if (size <= 0) return null;
  if ('suffixLength' in range) {
    if (range.suffixLength <= 0) return null;
    return { start: Math.max(0, size - range.suffixLength), end: size - 1 };
  }
  if (range.start >= size) return null;
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/** The Range header value for a request, e.g. to forward to S3. */
export function rangeHeaderValue(range: ByteRangeRequest): string {
  if ('suffixLength' in range) return `bytes=-${range.suffixLength}`;
  return `bytes=${range.start}-${range.end ?? ''}`;
}

function safeInt(digits: string): number {
  const n = Number(digits);
  // Past 2^53 the number is not exact; cap it so it can only be "past the end".
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}
