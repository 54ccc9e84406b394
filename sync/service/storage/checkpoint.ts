/**
 * The service's replication position and shape logs, persisted together:
 * `lsn` is the last transaction whose changes are durably in every shape log
 * (up to `bytes` of each), and `ackLsn` is what we confirmed to the slot.
 * A restart resumes streaming from here; nothing past it was confirmed, so
 * Postgres sends it again and the shape logs skip what they already hold.
 */
import path from 'node:path';
import { readJsonFile, writeFileAtomic } from './atomic-file.ts';

export interface ShapeCheckpoint {
  /** Durable size of the shape's log file. */
  bytes: number;
  /** True while the shape still drops transactions its snapshot already saw. */
  stitching: boolean;
}

export interface Checkpoint {
  format: 1;
  /** database/slot/publication the state belongs to; any other is not continued. */
  identity: string;
  lsn: bigint;
  ackLsn: bigint;
  /** Shapes created later get sequence numbers from here. */
  nextSeq: number;
  shapes: Record<string, ShapeCheckpoint>;
}

interface StoredCheckpoint {
  format: 1;
  identity: string;
  lsn: string;
  ackLsn: string;
  nextSeq: number;
  shapes: Record<string, ShapeCheckpoint>;
}

export const CHECKPOINT_FILE = 'checkpoint.json';

export async function readCheckpoint(dataDir: string): Promise<Checkpoint | undefined> {
  const stored = await readJsonFile<StoredCheckpoint>(path.join(dataDir, CHECKPOINT_FILE));
  if (!stored) return undefined;
  if (stored.format !== 1) throw new Error(`${path.join(dataDir, CHECKPOINT_FILE)} has format ${String(stored.format)}, which this version does not read. Move the directory aside to start fresh.`);
  return { format: 1, identity: stored.identity, lsn: BigInt(stored.lsn), ackLsn: BigInt(stored.ackLsn), nextSeq: stored.nextSeq, shapes: stored.shapes };
}

export async function writeCheckpoint(dataDir: string, checkpoint: Checkpoint): Promise<void> {
  const stored: StoredCheckpoint = { format: 1, identity: checkpoint.identity, lsn: String(checkpoint.lsn), ackLsn: String(checkpoint.ackLsn), nextSeq: checkpoint.nextSeq, shapes: checkpoint.shapes };
  await writeFileAtomic(path.join(dataDir, CHECKPOINT_FILE), JSON.stringify(stored));
}
