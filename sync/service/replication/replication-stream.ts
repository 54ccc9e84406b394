/**
 * Streams a publication's changes from a logical slot over Postgres's
 * streaming replication protocol (copy-both mode on a `replication=database`
 * connection), assembles them into committed transactions, and confirms
 * positions back to the slot only when told to: the caller confirms what it
 * has made durable, so the slot keeps everything else.
 */
import pg from 'pg';
import { displayOptions } from '../pg-settings.ts';
import { formatLsn } from '../lsn.ts';
import { PgOutputDecoder } from './pgoutput-decoder.ts';
import type { ReplicatedChange, ReplicatedTransaction } from './transaction.ts';

export interface ReplicationStreamOptions {
  connectionString: string;
  slot: string;
  publication: string;
  /** Ask for transactions committed after this LSN. */
  startLsn: bigint;
  onTransaction(tx: ReplicatedTransaction): void;
  /** Called with the server's WAL end when nothing is in flight: everything before it was delivered. */
  onIdle?(walEnd: bigint): void;
  /** The stream ended or failed; the caller decides whether to reconnect. */
  onClose(error: Error | undefined): void;
}

const STATUS_INTERVAL_MS = 10_000;
const EPOCH_2000_MS = 946_684_800_000;

/** A running replication stream. */
export class ReplicationStream {
  private client: pg.Client | undefined;
  private decoder = new PgOutputDecoder();
  private current: ReplicatedTransaction | undefined;
  private confirmed: bigint;
  private statusTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private started = false;

  constructor(private readonly options: ReplicationStreamOptions) {
    this.confirmed = options.startLsn;
  }

  /** Connects and starts streaming; resolves once Postgres has entered copy-both mode. */
  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      // @ts-expect-error pg supports replication connections but its types do not say so
      replication: 'database',
      options: displayOptions(),
      application_name: 'talemo-sync-replication',
    });
    this.client = client;
    client.on('error', (err) => this.close(err));
    await client.connect();
    const connection = (client as unknown as { connection: ConnectionInternals }).connection;

    const started = new Promise<void>((resolve) => connection.once('replicationStart', () => resolve()));
    connection.on('copyData', (msg: { chunk: Buffer }) => {
      try {
        this.onCopyData(msg.chunk);
      } catch (err) {
        this.close(err as Error);
      }
    });
    const publication = `"${this.options.publication.replace(/"/g, '""')}"`;
    const sql = `START_REPLICATION SLOT "${this.options.slot.replace(/"/g, '""')}" LOGICAL ${formatLsn(this.options.startLsn)} (proto_version '1', publication_names '${publication.replace(/'/g, "''")}')`;
    const query = client.query(sql);
    query.then(
      () => this.close(undefined),
      (err: Error) => this.close(err),
    );
    // START_REPLICATION either fails (the query rejects) or enters copy-both.
    await Promise.race([started, query.then(() => { throw new Error('replication ended before it started'); })]);
    this.started = true;
    this.statusTimer = setInterval(() => this.sendStatus(false), STATUS_INTERVAL_MS);
    this.statusTimer.unref();
  }

  /** Tells the slot that everything up to `lsn` is durable here, so Postgres may drop that WAL. */
  confirm(lsn: bigint): void {
    if (lsn <= this.confirmed) return;
    this.confirmed = lsn;
    this.sendStatus(false);
  }

  get confirmedLsn(): bigint {
    return this.confirmed;
  }

  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.statusTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      this.sendStatus(false, client);
      await Promise.race([client.end().catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
    }
  }

  private close(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.statusTimer);
    this.client?.end().catch(() => {});
    this.client = undefined;
    // A failed start is reported by start() itself.
    if (this.started) this.options.onClose(error);
  }

  private onCopyData(chunk: Buffer): void {
    const kind = chunk[0];
    if (kind === 0x77 /* w: XLogData */) {
      this.onMessage(chunk.subarray(25));
    } else if (kind === 0x6b /* k: primary keepalive */) {
      const walEnd = chunk.readBigUInt64BE(1);
      const replyRequested = chunk[17] === 1;
      if (!this.current) this.options.onIdle?.(walEnd);
      if (replyRequested) this.sendStatus(false);
    }
  }

  private onMessage(data: Buffer): void {
    const message = this.decoder.decode(data);
    switch (message.tag) {
      case 'begin':
        this.current = { xid: message.xid, commitLsn: message.finalLsn, endLsn: 0n, changes: [] };
        return;
      case 'commit': {
        const tx = this.current;
        this.current = undefined;
        if (!tx) return;
        tx.commitLsn = message.commitLsn;
        tx.endLsn = message.endLsn;
        this.options.onTransaction(tx);
        return;
      }
      case 'relation':
        this.push({ kind: 'relation', relation: message.relation });
        return;
      case 'insert':
        this.push({ kind: 'insert', relation: message.relation, row: message.row });
        return;
      case 'update':
        this.push({ kind: 'update', relation: message.relation, old: message.old, row: message.row });
        return;
      case 'delete':
        this.push({ kind: 'delete', relation: message.relation, old: message.old });
        return;
      case 'truncate':
        this.push({ kind: 'truncate', relations: message.relations });
        return;
      default:
        return;
    }
  }

  private push(change: ReplicatedChange): void {
    // Relation messages may also come between transactions; they still matter.
    if (this.current) this.current.changes.push(change);
    else if (change.kind === 'relation') this.options.onTransaction({ xid: 0, commitLsn: 0n, endLsn: 0n, changes: [change] });
  }

  /** Standby status update: written = flushed = applied = the confirmed LSN. */
  private sendStatus(replyRequested: boolean, client = this.client): void {
    const connection = (client as unknown as { connection?: ConnectionInternals } | undefined)?.connection;
    if (!connection) return;
    const buf = Buffer.alloc(34);
    buf[0] = 0x72; // 'r'
    buf.writeBigUInt64BE(this.confirmed, 1);
    buf.writeBigUInt64BE(this.confirmed, 9);
    buf.writeBigUInt64BE(this.confirmed, 17);
    buf.writeBigInt64BE(BigInt(Date.now() - EPOCH_2000_MS) * 1000n, 25);
    buf[33] = replyRequested ? 1 : 0;
    try {
      connection.sendCopyFromChunk(buf);
    } catch {
      // The socket is gone; onClose reports it.
    }
  }
}

interface ConnectionInternals {
  on(event: 'copyData', listener: (msg: { chunk: Buffer }) => void): void;
  once(event: 'replicationStart', listener: () => void): void;
  sendCopyFromChunk(chunk: Buffer): void;
}
