/**
 * Applies replicated transactions, in commit order, to every shape they
 * concern. Processing is synchronous per transaction: when it returns, each
 * shape's log holds all of the transaction's changes for that shape, so
 * `lastLsn` is a safe `global_last_seen_lsn` for up-to-date messages (no
 * later change to any shape can have a smaller LSN).
 */
import type { LogEntry } from '../storage/shape-log.ts';
import { columnSignature } from '../schema/table-info.ts';
import type { ReplicatedChange, ReplicatedTransaction } from '../replication/transaction.ts';
import { convertChange, messageJson, type ShapeMessage } from '../shapes/change-converter.ts';
import type { ShapeRouter } from '../shapes/shape-router.ts';
import type { ShapeStore } from '../shapes/shape-store.ts';
import type { Shape } from '../shapes/shape.ts';
import type { Logger } from '../service-logger.ts';

type RowChange = Extract<ReplicatedChange, { kind: 'insert' | 'update' | 'delete' }>;

export class ChangeProcessor {
  /** Commit LSN of the last transaction applied. */
  lastLsn: bigint;
  /** End LSN of the last transaction applied (what the slot may be confirmed up to). */
  lastEndLsn: bigint;
  /** Shapes whose logs grew since the last checkpoint. */
  readonly dirty = new Set<Shape>();
  /** Row changes applied (for metrics and benchmarks). */
  changesApplied = 0;

  constructor(
    private readonly store: ShapeStore,
    private readonly router: ShapeRouter,
    private readonly logger: Logger,
    startLsn: bigint,
    startEndLsn: bigint,
  ) {
    this.lastLsn = startLsn;
    this.lastEndLsn = startEndLsn;
  }

  apply(tx: ReplicatedTransaction): void {
    if (tx.commitLsn === 0n) {
      // A Relation message outside a transaction: only schema checks apply.
      this.checkSchemas(tx.changes);
      return;
    }
    // Already applied before a restart or reconnect (the slot resends from its confirmed position).
    if (tx.commitLsn <= this.lastLsn) return;
    for (const shape of this.store.snapshotting) shape.buffered.push(tx);

    const skip = this.stitch(tx);
    const messages = new Map<Shape, ShapeMessage[]>();
    const candidates = new Set<Shape>();
    tx.changes.forEach((change, i) => {
      if (change.kind === 'relation' || change.kind === 'truncate') {
        this.checkSchemas([change], skip);
        return;
      }
      this.changesApplied++;
      candidates.clear();
      this.router.candidates(change, candidates);
      for (const shape of candidates) {
        if (skip.has(shape) || shape.state !== 'ready') continue;
        this.collect(messages, shape, change, i * 2);
      }
    });
    for (const [shape, list] of messages) this.append(shape, list, tx);
    this.lastLsn = tx.commitLsn;
    this.lastEndLsn = tx.endLsn;
    for (const shape of messages.keys()) shape.notify();
  }

  /**
   * The snapshot of `shape` is on disk: apply the transactions buffered while
   * it was taken (dropping those it saw), then let it take changes directly.
   */
  completeSnapshot(shape: Shape): void {
    const buffered = shape.buffered;
    for (const tx of buffered) {
      if (shape.state !== 'snapshotting') return;
      if (shape.stitching) {
        if (tx.commitLsn <= shape.registeredAfterLsn || shape.snapshotSaw(tx)) continue;
        shape.stitching = false;
      }
      const messages = new Map<Shape, ShapeMessage[]>();
      tx.changes.forEach((change, i) => {
        if (change.kind === 'relation' || change.kind === 'truncate') {
          if (affects(change, shape) && (change.kind === 'truncate' || columnSignature(change.relation.columns) !== columnSignature(shape.table.columns))) {
            this.invalidate(shape, change.kind === 'truncate' ? 'the table was truncated' : 'the table schema changed');
          }
          return;
        }
        if (change.relation.oid === shape.table.oid) this.collect(messages, shape, change, i * 2);
      });
      if (shape.state !== 'snapshotting') return;
      const list = messages.get(shape);
      if (list) this.append(shape, list, tx);
    }
    shape.markReady();
    this.router.add(shape);
    if (shape.stitching) this.store.stitching.add(shape);
    shape.notify();
  }

  /** Which stitching shapes must skip `tx` because their snapshot already has it. */
  private stitch(tx: ReplicatedTransaction): Set<Shape> {
    const skip = new Set<Shape>();
    for (const shape of this.store.stitching) {
      if (tx.commitLsn <= shape.registeredAfterLsn || shape.snapshotSaw(tx)) skip.add(shape);
      else {
        // Commit order: once one transaction is newer than the snapshot, all later ones are.
        shape.stitching = false;
        this.store.stitching.delete(shape);
      }
    }
    return skip;
  }

  private collect(messages: Map<Shape, ShapeMessage[]>, shape: Shape, change: RowChange, op: number): void {
    const out = convertChange(shape, change, op);
    if (out.length === 0) return;
    const list = messages.get(shape);
    if (list) list.push(...out);
    else messages.set(shape, out);
  }

  private append(shape: Shape, list: ShapeMessage[], tx: ReplicatedTransaction): void {
    const entries: LogEntry[] = list.map((m, i) => ({ offset: { tx: tx.commitLsn, op: m.op }, json: messageJson(shape, m, tx.commitLsn, tx.xid, i === list.length - 1) }));
    if (shape.log.append(entries) > 0) {
      this.dirty.add(shape);
      shape.lastActive = Date.now();
    }
  }

  /** Relation messages and truncates invalidate the shapes of the table they concern. */
  private checkSchemas(changes: ReplicatedChange[], skip: ReadonlySet<Shape> = new Set()): void {
    for (const change of changes) {
      if (change.kind === 'relation') {
        const signature = columnSignature(change.relation.columns);
        for (const shape of this.shapesOf(change.relation.oid)) {
          const renamed = shape.table.schema !== change.relation.schema || shape.table.name !== change.relation.name;
          if (signature !== columnSignature(shape.table.columns) || renamed) this.invalidate(shape, 'the table schema changed');
        }
      } else if (change.kind === 'truncate') {
        for (const relation of change.relations) {
          for (const shape of this.shapesOf(relation.oid)) if (!skip.has(shape)) this.invalidate(shape, 'the table was truncated');
        }
      }
    }
  }

  private shapesOf(oid: number): Shape[] {
    const ready = this.router.shapesOf(oid);
    for (const shape of this.store.snapshotting) if (shape.table.oid === oid) ready.push(shape);
    return ready;
  }

  private invalidate(shape: Shape, reason: string): void {
    this.logger.info({ handle: shape.handle, table: `${shape.table.schema}.${shape.table.name}`, reason }, 'shape invalidated; clients will refetch');
    this.dirty.delete(shape);
    this.store.remove(shape);
  }
}

function affects(change: Extract<ReplicatedChange, { kind: 'relation' | 'truncate' }>, shape: Shape): boolean {
  return change.kind === 'relation' ? change.relation.oid === shape.table.oid : change.relations.some((r) => r.oid === shape.table.oid);
}
