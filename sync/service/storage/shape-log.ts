/**
 * One shape's change log: an append-only file of `<offset>\t<json>\n` lines,
 * plus the most recent entries in memory so live clients are answered
 * without touching the disk. Appends are visible to readers at once and
 * reach the file shortly after (one write per batch); fsync() makes them
 * durable, which the checkpoint waits for before the slot is confirmed.
 */
import fs from 'node:fs/promises';
import { compareOffsets, formatOffset, parseOffset, SNAPSHOT_END, type LogOffset } from '../log-offset.ts';

export interface LogEntry {
  offset: LogOffset;
  /** The message as JSON text. */
  json: string;
}

interface TailEntry extends LogEntry {
  /** Bytes of this entry's line in the file. */
  bytes: number;
}

interface IndexPoint {
  /** Offset of the entry just before `pos` (entries at pos and later are after it). */
  before: LogOffset;
  pos: number;
}

const INDEX_STRIDE = 64 * 1024;
const READ_BLOCK = 256 * 1024;

export interface ReadResult {
  entries: string[];
  /** Offset of the last entry returned, or `after` when none. */
  lastOffset: LogOffset;
  /** True when the read reached the end of the log. */
  complete: boolean;
}

export class ShapeLog {
  private handle: fs.FileHandle | undefined;
  private tail: TailEntry[] = [];
  private tailBytes = 0;
  /** Entries at or before this offset are no longer in `tail`. */
  private tailFloor: LogOffset = SNAPSHOT_END;
  private index: IndexPoint[] = [];
  private pending: string[] = [];
  private writing: Promise<void> | undefined;
  private writeError: Error | undefined;
  /** Bytes appended so far (written or pending). */
  private appendedBytes: number;
  /** Bytes that reached the file. */
  private written: number;
  last: LogOffset;

  private constructor(
    readonly file: string,
    size: number,
    last: LogOffset,
    index: IndexPoint[],
    private readonly tailLimit: number,
  ) {
    this.appendedBytes = size;
    this.written = size;
    this.last = last;
    this.index = index;
    this.tailFloor = last;
  }

  /**
   * Opens (or creates) a log. Bytes up to `durableBytes` were fsynced before
   * the last checkpoint and are trusted; anything after is kept only up to
   * the last complete transaction (a line whose message has `"last":true`).
   */
  static async open(file: string, durableBytes: number, tailLimit: number): Promise<ShapeLog> {
    let content: Buffer;
    try {
      content = await fs.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      content = Buffer.alloc(0);
    }
    let pos = 0;
    let keep = 0;
    let last: LogOffset = SNAPSHOT_END;
    let keptLast: LogOffset = SNAPSHOT_END;
    const index: IndexPoint[] = [];
    let nextIndexAt = 0;
    while (pos < content.length) {
      const nl = content.indexOf(10, pos);
      if (nl < 0) break;
      const tab = content.indexOf(9, pos);
      const offset = tab > pos && tab < nl ? parseOffset(content.toString('latin1', pos, tab)) : undefined;
      if (!offset) break;
      const end = nl + 1;
      // The durable prefix ends on a transaction boundary; past it, only whole transactions count.
      let boundary = end <= durableBytes;
      if (!boundary) {
        try {
          boundary = (JSON.parse(content.toString('utf8', tab + 1, nl)) as { headers?: { last?: boolean } }).headers?.last === true;
        } catch {
          break;
        }
      }
      if (pos >= nextIndexAt) {
        index.push({ before: last, pos });
        nextIndexAt = pos + INDEX_STRIDE;
      }
      last = offset;
      pos = end;
      if (boundary) {
        keep = end;
        keptLast = offset;
      }
    }
    while (index.length > 0 && index[index.length - 1]!.pos >= keep) index.pop();
    if (keep < content.length) {
      await fs.truncate(file, keep).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') await fs.writeFile(file, '');
        else throw err;
      });
    }
    const log = new ShapeLog(file, keep, keptLast, index, tailLimit);
    log.handle = await fs.open(file, 'a');
    return log;
  }

  /** Appends entries (all after `last`); entries not after `last` are already logged and skipped. */
  append(entries: readonly LogEntry[]): number {
    let added = 0;
    for (const entry of entries) {
      if (compareOffsets(entry.offset, this.last) <= 0) continue;
      const line = `${formatOffset(entry.offset)}\t${entry.json}\n`;
      const bytes = Buffer.byteLength(line);
      if (this.index.length === 0 || this.appendedBytes - this.index[this.index.length - 1]!.pos >= INDEX_STRIDE) {
        this.index.push({ before: this.last, pos: this.appendedBytes });
      }
      this.pending.push(line);
      this.appendedBytes += bytes;
      this.tail.push({ offset: entry.offset, json: entry.json, bytes });
      this.tailBytes += bytes;
      this.last = entry.offset;
      added++;
    }
    if (added > 0) this.scheduleWrite();
    return added;
  }

  /** Reads entries after `after`, up to about `maxBytes` of JSON. */
  async read(after: LogOffset, maxBytes: number): Promise<ReadResult> {
    const acc: Accumulator = { entries: [], bytes: 0, lastOffset: after, maxBytes };
    // Entries trimmed from memory are always in the file; loop in case more were trimmed while we read it.
    for (let round = 0; round < 4 && compareOffsets(acc.lastOffset, this.tailFloor) < 0; round++) {
      if (!(await this.readDisk(acc))) return { entries: acc.entries, lastOffset: acc.lastOffset, complete: false };
    }
    return this.readTail(acc);
  }

  /** Waits until everything appended so far is in the file; returns the file size. */
  async drain(): Promise<number> {
    while (this.writing) await this.writing;
    if (this.writeError) throw this.writeError;
    return this.written;
  }

  /** Makes everything appended so far durable; returns the durable size. */
  async sync(): Promise<number> {
    const size = await this.drain();
    await this.handle?.sync();
    return size;
  }

  /** Drops the in-memory tail (for idle shapes); reads fall back to the file. */
  trimTail(): void {
    this.trimTo(0);
  }

  async close(): Promise<void> {
    await this.drain().catch(() => {});
    await this.handle?.close().catch(() => {});
    this.handle = undefined;
  }

  get size(): number {
    return this.appendedBytes;
  }

  private readTail(acc: Accumulator): ReadResult {
    for (let i = lowerBound(this.tail, acc.lastOffset); i < this.tail.length; i++) {
      if (!take(acc, this.tail[i]!.offset, this.tail[i]!.json)) return { entries: acc.entries, lastOffset: acc.lastOffset, complete: false };
    }
    return { entries: acc.entries, lastOffset: acc.lastOffset, complete: true };
  }

  /** Reads from the file into `acc`; false when `acc` filled up first. */
  private async readDisk(acc: Accumulator): Promise<boolean> {
    await this.drain();
    const end = this.written;
    const after = acc.lastOffset;
    let pos = 0;
    for (let lo = 0, hi = this.index.length - 1; lo <= hi; ) {
      const mid = (lo + hi) >> 1;
      if (compareOffsets(this.index[mid]!.before, after) <= 0) {
        pos = this.index[mid]!.pos;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const reader = await fs.open(this.file, 'r');
    try {
      let carry = '';
      while (pos < end) {
        const length = Math.min(READ_BLOCK, end - pos);
        const buf = Buffer.alloc(length);
        const { bytesRead } = await reader.read(buf, 0, length, pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        const lines = (carry + buf.toString('utf8', 0, bytesRead)).split('\n');
        carry = lines.pop() ?? '';
        for (const line of lines) {
          const tab = line.indexOf('\t');
          const offset = parseOffset(line.slice(0, tab))!;
          if (compareOffsets(offset, after) <= 0) continue;
          if (!take(acc, offset, line.slice(tab + 1))) return false;
        }
      }
      return true;
    } finally {
      await reader.close();
    }
  }

  private scheduleWrite(): void {
    if (this.writing) return;
    this.writing = (async () => {
      try {
        while (this.pending.length > 0 && this.handle) {
          const chunk = this.pending.join('');
          this.pending = [];
          const buf = Buffer.from(chunk);
          let done = 0;
          while (done < buf.length) {
            const { bytesWritten } = await this.handle.write(buf, done, buf.length - done);
            done += bytesWritten;
          }
          this.written += buf.length;
          this.trimTo(this.tailLimit);
        }
      } catch (err) {
        this.writeError = err as Error;
      } finally {
        this.writing = undefined;
      }
    })();
  }

  /** Keeps at most `limit` bytes of written entries in memory. */
  private trimTo(limit: number): void {
    const unwritten = this.appendedBytes - this.written;
    let drop = 0;
    let bytes = this.tailBytes;
    while (drop < this.tail.length && bytes > limit + unwritten && bytes - this.tail[drop]!.bytes >= unwritten) {
      bytes -= this.tail[drop]!.bytes;
      drop++;
    }
    if (drop === 0) return;
    this.tailFloor = this.tail[drop - 1]!.offset;
    this.tail = this.tail.slice(drop);
    this.tailBytes = bytes;
  }
}

interface Accumulator {
  entries: string[];
  bytes: number;
  lastOffset: LogOffset;
  maxBytes: number;
}

/** Adds an entry unless the response is full (one entry always fits). */
function take(acc: Accumulator, offset: LogOffset, json: string): boolean {
  if (acc.entries.length > 0 && acc.bytes + json.length > acc.maxBytes) return false;
  acc.entries.push(json);
  acc.bytes += json.length;
  acc.lastOffset = offset;
  return true;
}

/** Index of the first tail entry after `after`. */
function lowerBound(tail: readonly TailEntry[], after: LogOffset): number {
  let lo = 0;
  let hi = tail.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareOffsets(tail[mid]!.offset, after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
