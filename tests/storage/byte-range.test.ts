/** HTTP Range parsing and resolution, the part of RFC 9110 §14 the download route relies on. */
import { describe, expect, it } from 'vitest';
import { parseRangeHeader, rangeHeaderValue, resolveByteRange } from '../../server/storage/index.ts';

describe('parseRangeHeader', () => {
  it('reads the three single-range forms', () => {
    expect(parseRangeHeader('bytes=0-99')).toEqual({ start: 0, end: 99 });
    expect(parseRangeHeader('bytes=100-')).toEqual({ start: 100 });
    expect(parseRangeHeader('bytes=-500')).toEqual({ suffixLength: 500 });
  });

  it('ignores what the RFC lets a server ignore, so the whole object is served', () => {
    for (const value of [undefined, '', 'bytes=-', 'items=0-1', 'bytes=0-1,5-6', 'bytes=9-3', 'bytes=a-b', 'bytes 0-1']) {
      expect(parseRangeHeader(value), String(value)).toBeNull();
    }
  });
});

describe('resolveByteRange', () => {
  it('clamps to the object and refuses ranges past its end', () => {
    expect(resolveByteRange({ start: 0, end: 9 }, 100)).toEqual({ start: 0, end: 9 });
    expect(resolveByteRange({ start: 90, end: 500 }, 100)).toEqual({ start: 90, end: 99 });
    expect(resolveByteRange({ start: 50 }, 100)).toEqual({ start: 50, end: 99 });
    expect(resolveByteRange({ suffixLength: 1000 }, 100)).toEqual({ start: 0, end: 99 });
    expect(resolveByteRange({ suffixLength: 10 }, 100)).toEqual({ start: 90, end: 99 });
    expect(resolveByteRange({ start: 100 }, 100)).toBeNull();
    expect(resolveByteRange({ suffixLength: 0 }, 100)).toBeNull();
    expect(resolveByteRange({ start: 0 }, 0)).toBeNull();
  });

  it('round-trips through the header form', () => {
    for (const range of [{ start: 3, end: 7 }, { start: 3 }, { suffixLength: 4 }]) {
      expect(parseRangeHeader(rangeHeaderValue(range))).toEqual(range);
    }
  });
});
