/**
 * One HTTP byte range (RFC 9110 §14.1.2) against a file of `size` bytes:
 * `bytes=a-b`, `bytes=a-` or `bytes=-n`. Multiple ranges are not supported
 * (audio elements never ask for them) and count as unsatisfiable.
 */
export type ByteRange = { start: number; end: number } | 'unsatisfiable';

export function parseByteRange(header: string, size: number): ByteRange {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'unsatisfiable';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
