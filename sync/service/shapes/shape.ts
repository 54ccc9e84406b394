/**
 * One shape at run time: its definition bound to the table, its snapshot and
 * log, the stitching state that decides which replicated transactions its
 * snapshot already contains, and the live requests waiting on it.
 */
import type { LogOffset } from '../log-offset.ts';
import type { ReplicatedTransaction } from '../replication/transaction.ts';
import type { ColumnInfo, TableInfo } from '../schema/table-info.ts';
import type { ShapeLog } from '../storage/shape-log.ts';
import type { BoundWhere } from '../where/bound-where.ts';
import type { RowPredicate } from '../where/where-evaluator.ts';
import type { ShapeDefinition } from './shape-definition.ts';

export interface SnapshotInfo {
  xmin: bigint;
  xmax: bigint;
  xip: bigint[];
  /** Byte position where each snapshot chunk ends in the snapshot file. */
  chunkEnds: number[];
}

export type ShapeState = 'snapshotting' | 'ready' | 'failed' | 'gone';

/** Something waiting for the shape's log to grow past an offset. */
export interface LogWaiter {
  after: LogOffset;
  /** Called once, with why the wait ended. */
  wake(reason: 'changes' | 'gone'): void;
}

export class Shape {
  state: ShapeState = 'snapshotting';
  failure: Error | undefined;
  log!: ShapeLog;
  snapshot: SnapshotInfo | undefined;
  /** Transactions seen while the snapshot runs; judged against it once it is known. */
  buffered: ReplicatedTransaction[] = [];
  /** True until the first transaction the snapshot did not see; until then each one is checked. */
  stitching: boolean;
  readonly waiters = new Set<LogWaiter>();
  /** For idle-tail trimming. */
  lastActive = Date.now();
  readonly ready: Promise<void>;
  /** Names of `selected`, for the hot path. */
  readonly selectedNames: string[];
  private settle!: (error?: Error) => void;

  constructor(
    readonly handle: string,
    readonly seq: number,
    readonly definition: ShapeDefinition,
    /** The canonical key of the bound definition (table oid, where, columns, modes). */
    readonly canonicalKey: string,
    readonly table: TableInfo,
    readonly where: BoundWhere | undefined,
    readonly predicate: RowPredicate | undefined,
    /** Columns sent to clients, in table order. */
    readonly selected: ColumnInfo[],
    readonly keyPrefix: string,
    readonly schemaHeader: string,
    readonly dir: string,
    /** Transactions committed at or before this LSN were processed before the shape existed. */
    readonly registeredAfterLsn: bigint,
    stitching: boolean,
  ) {
    this.stitching = stitching;
    this.selectedNames = selected.map((c) => c.name);
    this.ready = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
    this.ready.catch(() => {}); // awaited by requests; an unobserved failure is not a crash
  }

  markReady(): void {
    this.state = 'ready';
    this.buffered = [];
    this.settle();
  }

  markFailed(error: Error): void {
    this.state = 'failed';
    this.failure = error;
    this.buffered = [];
    this.settle(error);
  }

  /** The shape was invalidated or removed: waiting clients must refetch. */
  markGone(): void {
    if (this.state === 'snapshotting') this.settle(new Error('shape was removed'));
    this.state = 'gone';
    this.buffered = [];
    for (const waiter of this.waiters) waiter.wake('gone');
    this.waiters.clear();
  }

  /** Wakes live requests after the log grew. */
  notify(): void {
    if (this.waiters.size === 0) return;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiting) waiter.wake('changes');
  }

  /** Whether the snapshot already contains `tx` (the xmin/xmax/xip rule). */
  snapshotSaw(tx: ReplicatedTransaction): boolean {
    const s = this.snapshot;
    if (!s) return false;
    const xid = widenXid(tx.xid, s.xmax);
    return xid < s.xmin || (xid < s.xmax && !s.xip.includes(xid));
  }
}

/**
 * pgoutput sends 32-bit xids; snapshots report 64-bit ones (epoch << 32 | xid).
 * A transaction we are stitching is close to the snapshot, so take the epoch
 * that puts it within 2^31 of xmax.
 */
export function widenXid(xid: number, reference: bigint): bigint {
  let wide = ((reference >> 32n) << 32n) | BigInt(xid >>> 0);
  if (wide > reference + 0x80000000n) wide -= 0x100000000n;
  else if (wide < reference - 0x80000000n) wide += 0x100000000n;
  return wide;
}
