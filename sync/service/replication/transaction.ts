import type { Relation, TextRow } from './pgoutput-decoder.ts';

/** One row change of a replicated transaction, rows as Postgres text. */
export type ReplicatedChange =
  | { kind: 'insert'; relation: Relation; row: TextRow }
  | { kind: 'update'; relation: Relation; old: TextRow | null; row: TextRow }
  | { kind: 'delete'; relation: Relation; old: TextRow }
  | { kind: 'truncate'; relations: Relation[] }
  /** A Relation message: the table's published columns as of this point in the stream. */
  | { kind: 'relation'; relation: Relation };

/** A committed transaction, in commit order, as the slot delivered it. */
export interface ReplicatedTransaction {
  /** 32-bit transaction id (pgoutput does not send the epoch). */
  xid: number;
  /** LSN of the commit record: the `tx` part of log offsets. */
  commitLsn: bigint;
  /** LSN just past the commit record: what we confirm to the slot. */
  endLsn: bigint;
  changes: ReplicatedChange[];
}
