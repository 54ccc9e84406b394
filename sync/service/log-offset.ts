/**
 * Offsets into a shape log, as Electric's protocol defines them:
 *
 *   -1  <  0_0, 0_1, … (virtual offsets closing each initial-snapshot chunk)
 *       <  0_inf       (the end of the snapshot)
 *       <  <commit lsn>_<op>  (log entries, op growing by 2 per change)
 *
 * They compare by the tx part, then by the op part.
 */

export interface LogOffset {
  /** -1 before everything, 0 inside the snapshot, else the commit LSN. */
  readonly tx: bigint;
  /** Position inside the transaction (or the snapshot chunk number); Infinity for `0_inf`. */
  readonly op: number;
}

export const BEFORE_ALL: LogOffset = Object.freeze({ tx: -1n, op: 0 });
export const SNAPSHOT_END: LogOffset = Object.freeze({ tx: 0n, op: Number.POSITIVE_INFINITY });

/** The offset that closes snapshot chunk `index` (`0_<index>`). */
export function snapshotChunkOffset(index: number): LogOffset {
  return { tx: 0n, op: index };
}

export function compareOffsets(a: LogOffset, b: LogOffset): number {
  if (a.tx !== b.tx) return a.tx < b.tx ? -1 : 1;
  if (a.op === b.op) return 0;
  return a.op < b.op ? -1 : 1;
}

export function isSnapshotOffset(offset: LogOffset): boolean {
  return offset.tx === 0n && offset.op !== Number.POSITIVE_INFINITY;
}

export function formatOffset(offset: LogOffset): string {
  if (offset.tx === -1n) return '-1';
  return `${offset.tx}_${offset.op === Number.POSITIVE_INFINITY ? 'inf' : offset.op}`;
}

/** Parses a client-supplied offset; returns undefined when it is malformed. */
export function parseOffset(text: string): LogOffset | undefined {
  if (text === '-1') return BEFORE_ALL;
  const match = /^(\d{1,20})_(\d{1,15}|inf)$/.exec(text);
  if (!match) return undefined;
  const tx = BigInt(match[1]!);
  if (tx >= 1n << 64n) return undefined;
  if (match[2] === 'inf') return tx === 0n ? SNAPSHOT_END : undefined;
  return { tx, op: Number(match[2]) };
}
