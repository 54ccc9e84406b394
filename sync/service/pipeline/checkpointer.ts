/**
 * Makes processed changes durable and only then confirms them to the slot:
 * fsync the shape logs that grew, write the checkpoint (replication position
 * plus each log's durable size) atomically, then confirm the slot. Runs on
 * a timer, off the path that answers clients: a change is served as soon as
 * it is processed, and a crash before its checkpoint makes Postgres send it
 * again, which rebuilds exactly the same log entries.
 */
import type { Checkpoint } from '../storage/checkpoint.ts';
import { writeCheckpoint } from '../storage/checkpoint.ts';
import type { ShapeStore } from '../shapes/shape-store.ts';
import type { Logger } from '../service-logger.ts';
import type { ChangeProcessor } from './change-processor.ts';

export class Checkpointer {
  private durable = new Map<string, number>();
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** WAL position reported while nothing was in flight: all before it was processed. */
  private idleLsn = 0n;
  /** What the last checkpoint recorded. */
  last: Checkpoint;

  constructor(
    private readonly dataDir: string,
    private readonly store: ShapeStore,
    private readonly processor: ChangeProcessor,
    private readonly confirm: (lsn: bigint) => void,
    private readonly logger: Logger,
    initial: Checkpoint,
  ) {
    this.last = initial;
    for (const [handle, entry] of Object.entries(initial.shapes)) this.durable.set(handle, entry.bytes);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.run(), intervalMs);
    this.timer.unref();
  }

  /** The server said everything before `walEnd` was sent, and no transaction is open. */
  noteIdle(walEnd: bigint): void {
    if (walEnd > this.idleLsn) this.idleLsn = walEnd;
  }

  /** Runs one checkpoint now (waiting for a running one first). */
  async run(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.checkpoint().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.run();
  }

  private async checkpoint(): Promise<void> {
    const { processor, store } = this;
    // Captured together, synchronously: every change up to `lsn` is already appended to these logs.
    const lsn = processor.lastLsn;
    const idle = this.idleLsn;
    const ackLsn = idle > processor.lastEndLsn ? idle : processor.lastEndLsn;
    const dirty = [...processor.dirty];
    processor.dirty.clear();
    const nextSeq = store.nextSeq;
    // Stitching flags must be as of `lsn` too: a restart replays from there.
    const shapes = [...store.all()].filter((s) => s.state !== 'gone' && s.state !== 'failed').map((s) => ({ shape: s, stitching: s.stitching }));
    const changed = dirty.length > 0 || ackLsn !== this.last.ackLsn || nextSeq !== this.last.nextSeq || shapes.length !== Object.keys(this.last.shapes).length;
    if (!changed) return;
    try {
      const sizes = await Promise.all(dirty.map(async (shape) => [shape.handle, await shape.log.sync()] as const));
      for (const [handle, size] of sizes) this.durable.set(handle, size);
      const entries: Checkpoint['shapes'] = {};
      for (const { shape, stitching } of shapes) entries[shape.handle] = { bytes: this.durable.get(shape.handle) ?? 0, stitching };
      for (const handle of this.durable.keys()) if (!entries[handle]) this.durable.delete(handle);
      const checkpoint: Checkpoint = { format: 1, identity: this.last.identity, lsn, ackLsn, nextSeq, shapes: entries };
      await writeCheckpoint(this.dataDir, checkpoint);
      this.last = checkpoint;
      this.confirm(ackLsn);
    } catch (err) {
      // Nothing was confirmed; the logs stay dirty and the next run retries.
      for (const shape of dirty) if (shape.state === 'ready') processor.dirty.add(shape);
      this.logger.error({ err }, 'checkpoint failed; the slot keeps the WAL until a later one succeeds');
    }
  }
}
