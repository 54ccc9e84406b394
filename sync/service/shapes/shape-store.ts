/**
 * Every shape the service holds: finding the shape for a definition (or
 * creating it), persisting it under `<dataDir>/shapes/<handle>/`, loading
 * them again after a restart, and removing them.
 *
 *   shape.json       definition, bound table and where clause, snapshot info
 *                    (written atomically once the snapshot is complete)
 *   snapshot.ndjson  the initial snapshot, in chunks
 *   log.ndjson       the change log
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Logger } from '../service-logger.ts';
import { schemaHeader } from '../schema/schema-header.ts';
import { columnSignature, type ColumnInfo, type TableInfo } from '../schema/table-info.ts';
import { inspectTable } from '../schema/table-inspector.ts';
import type { Checkpoint, ShapeCheckpoint } from '../storage/checkpoint.ts';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file.ts';
import { ShapeLog } from '../storage/shape-log.ts';
import type { BoundWhere } from '../where/bound-where.ts';
import { postgresCoercion } from '../where/postgres-coercion.ts';
import { bindWhere } from '../where/where-binder.ts';
import { compileWhere } from '../where/where-evaluator.ts';
import { parseWhere } from '../where/where-parser.ts';
import { whereFingerprint } from '../where/where-sql.ts';
import { takeInitialSnapshot } from './initial-snapshot.ts';
import { relationKeyPrefix } from './row-key.ts';
import { definitionKey, fromStored, type ShapeDefinition, type StoredDefinition, toStored } from './shape-definition.ts';
import { Shape, type SnapshotInfo } from './shape.ts';

/** A column list the table cannot satisfy. */
export class ColumnsError extends Error {
  override name = 'ColumnsError';
}

export interface ShapeStoreOptions {
  dir: string;
  /** Connections as the replication role for catalog reads, coercions and snapshots. */
  pool: pg.Pool;
  publication: string;
  chunkBytes: number;
  tailBytes: number;
  logger: Logger;
  /** The last transaction processed so far (a new shape starts after it). */
  lastProcessedLsn(): bigint;
  /** The snapshot is on disk: replay what was buffered and make the shape live. */
  onSnapshotReady(shape: Shape): void;
  /** A shape stopped existing (for the router and checkpoints). */
  onRemoved(shape: Shape): void;
}

interface StoredShape {
  format: 1;
  handle: string;
  seq: number;
  definition: StoredDefinition;
  canonicalKey: string;
  table: TableInfo;
  where: BoundWhere | null;
  selected: string[];
  snapshot: { xmin: string; xmax: string; xip: string[]; chunkEnds: number[] };
  registeredAfterLsn: string;
}

export class ShapeStore {
  private readonly byHandle = new Map<string, Shape>();
  private readonly byCanonical = new Map<string, Shape>();
  private readonly byRequest = new Map<string, Shape>();
  private readonly creating = new Map<string, Promise<Shape>>();
  /** Shapes whose snapshot is still being taken. */
  readonly snapshotting = new Set<Shape>();
  /** Ready shapes still dropping transactions their snapshot saw. */
  readonly stitching = new Set<Shape>();
  nextSeq = 0;

  constructor(private readonly options: ShapeStoreOptions) {}

  get shapesDir(): string {
    return path.join(this.options.dir, 'shapes');
  }

  get(handle: string): Shape | undefined {
    return this.byHandle.get(handle);
  }

  all(): IterableIterator<Shape> {
    return this.byHandle.values();
  }

  get size(): number {
    return this.byHandle.size;
  }

  /** The live shape for a definition, created (and its snapshot started) when there is none. */
  async resolve(definition: ShapeDefinition): Promise<Shape> {
    const key = definitionKey(definition);
    const known = this.byRequest.get(key);
    if (known && (known.state === 'ready' || known.state === 'snapshotting')) return known;
    let pending = this.creating.get(key);
    if (!pending) {
      pending = this.findOrCreate(definition, key).finally(() => this.creating.delete(key));
      this.creating.set(key, pending);
    }
    return pending;
  }

  /** Loads the shapes persisted by an earlier run, as far as the checkpoint vouches for them. */
  async load(checkpoint: Checkpoint | undefined): Promise<Shape[]> {
    await fs.mkdir(this.shapesDir, { recursive: true });
    const loaded: Shape[] = [];
    let maxSeq = -1;
    for (const handle of await fs.readdir(this.shapesDir)) {
      const dir = path.join(this.shapesDir, handle);
      const stored = await readJsonFile<StoredShape>(path.join(dir, 'shape.json')).catch(() => undefined);
      const listed: ShapeCheckpoint | undefined = checkpoint?.shapes[handle];
      const removedBeforeCheckpoint = !listed && checkpoint !== undefined && stored !== undefined && stored.seq < checkpoint.nextSeq;
      if (!stored || stored.format !== 1 || removedBeforeCheckpoint) {
        await fs.rm(dir, { recursive: true, force: true });
        continue;
      }
      const definition = fromStored(stored.definition);
      const shape = this.build(stored.handle, stored.seq, definition, stored.canonicalKey, stored.table, stored.where ?? undefined, stored.selected, BigInt(stored.registeredAfterLsn), listed ? listed.stitching : true);
      shape.snapshot = { xmin: BigInt(stored.snapshot.xmin), xmax: BigInt(stored.snapshot.xmax), xip: stored.snapshot.xip.map(BigInt), chunkEnds: stored.snapshot.chunkEnds };
      shape.log = await ShapeLog.open(path.join(dir, 'log.ndjson'), listed?.bytes ?? 0, this.options.tailBytes);
      shape.markReady();
      this.register(shape, definitionKey(definition));
      if (shape.stitching) this.stitching.add(shape);
      loaded.push(shape);
      maxSeq = Math.max(maxSeq, stored.seq);
    }
    this.nextSeq = Math.max(checkpoint?.nextSeq ?? 0, maxSeq + 1);
    return loaded;
  }

  /** Forgets a shape and deletes its files; waiting clients are told to refetch. */
  remove(shape: Shape): void {
    if (shape.state === 'gone') return;
    shape.markGone();
    this.byHandle.delete(shape.handle);
    if (this.byCanonical.get(shape.canonicalKey) === shape) this.byCanonical.delete(shape.canonicalKey);
    for (const [key, s] of this.byRequest) if (s === shape) this.byRequest.delete(key);
    this.snapshotting.delete(shape);
    this.stitching.delete(shape);
    this.options.onRemoved(shape);
    void (async () => {
      await shape.log?.close();
      await fs.rm(shape.dir, { recursive: true, force: true });
    })().catch((err) => this.options.logger.warn({ err, handle: shape.handle }, 'could not delete a removed shape'));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.byHandle.values()].map((s) => s.log?.close()));
  }

  private async findOrCreate(definition: ShapeDefinition, requestKey: string): Promise<Shape> {
    const { pool, publication } = this.options;
    const table = await inspectTable(pool, definition.schema, definition.table, publication);
    const selected = selectColumns(table, definition.columns);
    const where = definition.where ? await bindWhere(parseWhere(definition.where), table, definition.params, postgresCoercion(pool)) : undefined;
    const canonicalKey = JSON.stringify([table.oid, where ? whereFingerprint(where) : null, selected, definition.replica, definition.log, columnSignature(table.columns)]);
    const existing = this.byCanonical.get(canonicalKey);
    if (existing && existing.state !== 'gone' && existing.state !== 'failed') {
      this.byRequest.set(requestKey, existing);
      return existing;
    }
    const seq = this.nextSeq++;
    const handle = `${randomBytes(8).toString('hex')}-${seq}`;
    // Registered synchronously, before the snapshot starts: every transaction
    // processed from here on is buffered for this shape and judged against it.
    const shape = this.build(handle, seq, definition, canonicalKey, table, where, selected, this.options.lastProcessedLsn(), definition.log === 'full');
    this.register(shape, requestKey);
    this.snapshotting.add(shape);
    void this.snapshotAndPersist(shape);
    return shape;
  }

  private async snapshotAndPersist(shape: Shape): Promise<void> {
    const { chunkBytes, tailBytes, pool } = this.options;
    try {
      await fs.mkdir(shape.dir, { recursive: true });
      const snapshot: SnapshotInfo = shape.definition.log === 'full'
        ? await takeInitialSnapshot(pool, shape, path.join(shape.dir, 'snapshot.ndjson'), chunkBytes)
        : { xmin: 0n, xmax: 0n, xip: [], chunkEnds: [] };
      if (shape.state !== 'snapshotting') return;
      shape.snapshot = snapshot;
      shape.log = await ShapeLog.open(path.join(shape.dir, 'log.ndjson'), 0, tailBytes);
      await writeFileAtomic(path.join(shape.dir, 'shape.json'), JSON.stringify(this.toStoredShape(shape)));
      if (shape.state !== 'snapshotting') return;
      this.snapshotting.delete(shape);
      this.options.onSnapshotReady(shape);
    } catch (err) {
      this.options.logger.error({ err, handle: shape.handle, table: `${shape.table.schema}.${shape.table.name}` }, 'initial snapshot failed');
      shape.markFailed(err as Error);
      this.remove(shape);
    }
  }

  private build(handle: string, seq: number, definition: ShapeDefinition, canonicalKey: string, table: TableInfo, where: BoundWhere | undefined, selectedNames: string[], registeredAfterLsn: bigint, stitching: boolean): Shape {
    const selected = table.columns.filter((c) => selectedNames.includes(c.name));
    return new Shape(
      handle,
      seq,
      definition,
      canonicalKey,
      table,
      where,
      where ? compileWhere(where) : undefined,
      selected,
      relationKeyPrefix(table.schema, table.name),
      schemaHeader(selected),
      path.join(this.shapesDir, handle),
      registeredAfterLsn,
      stitching,
    );
  }

  private register(shape: Shape, requestKey: string): void {
    this.byHandle.set(shape.handle, shape);
    this.byCanonical.set(shape.canonicalKey, shape);
    this.byRequest.set(requestKey, shape);
  }

  private toStoredShape(shape: Shape): StoredShape {
    const s = shape.snapshot!;
    return {
      format: 1,
      handle: shape.handle,
      seq: shape.seq,
      definition: toStored(shape.definition),
      canonicalKey: shape.canonicalKey,
      table: shape.table,
      where: shape.where ?? null,
      selected: shape.selected.map((c) => c.name),
      snapshot: { xmin: String(s.xmin), xmax: String(s.xmax), xip: s.xip.map(String), chunkEnds: s.chunkEnds },
      registeredAfterLsn: String(shape.registeredAfterLsn),
    };
  }
}

/** The selected column names in table order; the primary key must be among them. */
function selectColumns(table: TableInfo, requested: string[] | undefined): string[] {
  if (!requested) return table.columns.map((c) => c.name);
  const names = new Set(table.columns.map((c) => c.name));
  const unknown = requested.filter((c) => !names.has(c));
  if (unknown.length > 0) throw new ColumnsError(`${unknown.map((c) => `"${c}"`).join(', ')} ${unknown.length === 1 ? 'is not a column' : 'are not columns'} of ${table.schema}.${table.name}`);
  const missing = table.keyColumns.filter((c) => !requested.includes(c));
  if (missing.length > 0) throw new ColumnsError(`must include the primary key column${missing.length === 1 ? '' : 's'} ${missing.map((c) => `"${c}"`).join(', ')}`);
  return table.columns.filter((c: ColumnInfo) => requested.includes(c.name)).map((c) => c.name);
}
