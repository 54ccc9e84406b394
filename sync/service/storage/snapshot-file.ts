/**
 * A shape's initial snapshot on disk: one JSON message per line, cut into
 * chunks of about `chunkBytes` that clients fetch one request at a time
 * (offsets -1, 0_0, 0_1, …). The last chunk ends with the snapshot-end
 * control message.
 */
import fs from 'node:fs/promises';

export class SnapshotWriter {
  private handle: fs.FileHandle | undefined;
  private buffer: string[] = [];
  private bufferBytes = 0;
  private position = 0;
  private chunkStart = 0;
  private readonly chunkEnds: number[] = [];
  rows = 0;

  constructor(
    private readonly file: string,
    private readonly chunkBytes: number,
  ) {}

  async open(): Promise<void> {
    this.handle = await fs.open(this.file, 'w', 0o600);
  }

  async addRow(json: string): Promise<void> {
    this.rows++;
    await this.addLine(json);
    if (this.position + this.bufferBytes - this.chunkStart >= this.chunkBytes) this.chunkEnds.push((this.chunkStart = this.position + this.bufferBytes));
  }

  /** Appends the closing message, flushes, fsyncs; returns the byte position where each chunk ends. */
  async finish(closingJson: string): Promise<number[]> {
    await this.addLine(closingJson);
    await this.flush();
    this.chunkEnds.push(this.position);
    await this.handle!.sync();
    await this.handle!.close();
    this.handle = undefined;
    return this.chunkEnds;
  }

  async abort(): Promise<void> {
    await this.handle?.close().catch(() => {});
    await fs.rm(this.file, { force: true });
  }

  private async addLine(json: string): Promise<void> {
    const line = `${json}\n`;
    this.buffer.push(line);
    this.bufferBytes += Buffer.byteLength(line);
    if (this.bufferBytes >= 256 * 1024) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const data = Buffer.from(this.buffer.join(''));
    this.buffer = [];
    this.bufferBytes = 0;
    await this.handle!.write(data);
    this.position += data.length;
  }
}

/** The messages of snapshot chunk `index` (JSON texts). */
export async function readSnapshotChunk(file: string, chunkEnds: readonly number[], index: number): Promise<string[]> {
  const start = index === 0 ? 0 : chunkEnds[index - 1]!;
  const end = chunkEnds[index]!;
  if (end <= start) return [];
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    await handle.read(buf, 0, buf.length, start);
    const text = buf.toString('utf8');
    return text.slice(0, -1).split('\n');
  } finally {
    await handle.close();
  }
}
