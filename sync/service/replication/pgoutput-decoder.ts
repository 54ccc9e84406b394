/**
 * Decodes pgoutput (protocol version 1) messages, keeping every column value
 * as the Postgres text output it arrived as. We decode ourselves rather than
 * through pg-logical-replication's parser because that one converts values
 * to JavaScript types, and the shape protocol needs the exact text.
 * https://www.postgresql.org/docs/current/protocol-logicalrep-message-formats.html
 */

/** A row as Postgres printed it: column name → text, or null for SQL NULL. */
export type TextRow = Record<string, string | null>;

export interface RelationColumn {
  name: string;
  typeOid: number;
  /** Part of the replica identity (for FULL, every column). */
  isKey: boolean;
}

export interface Relation {
  oid: number;
  schema: string;
  name: string;
  replicaIdentity: 'default' | 'nothing' | 'full' | 'index';
  columns: RelationColumn[];
}

export type PgOutputMessage =
  | { tag: 'begin'; finalLsn: bigint; xid: number }
  | { tag: 'commit'; commitLsn: bigint; endLsn: bigint }
  | { tag: 'relation'; relation: Relation }
  | { tag: 'insert'; relation: Relation; row: TextRow }
  | { tag: 'update'; relation: Relation; old: TextRow | null; row: TextRow }
  | { tag: 'delete'; relation: Relation; old: TextRow }
  | { tag: 'truncate'; relations: Relation[] }
  | { tag: 'ignored' };

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Keeps the relation cache that insert/update/delete messages refer to. */
export class PgOutputDecoder {
  private readonly relations = new Map<number, Relation>();

  decode(buf: Buffer): PgOutputMessage {
    const r = new Reader(buf);
    const tag = r.u8();
    switch (tag) {
      case 0x42: /* B */ {
        const finalLsn = r.u64();
        r.skip(8); // commit timestamp
        return { tag: 'begin', finalLsn, xid: r.u32() };
      }
      case 0x43: /* C */ {
        r.skip(1); // flags
        const commitLsn = r.u64();
        const endLsn = r.u64();
        return { tag: 'commit', commitLsn, endLsn };
      }
      case 0x52: /* R */ {
        const relation = this.readRelation(r);
        this.relations.set(relation.oid, relation);
        return { tag: 'relation', relation };
      }
      case 0x49: /* I */ {
        const relation = this.relation(r.u32());
        r.skip(1); // 'N'
        return { tag: 'insert', relation, row: readTuple(r, relation, null) };
      }
      case 0x55: /* U */ {
        const relation = this.relation(r.u32());
        let kind = r.u8();
        let old: TextRow | null = null;
        if (kind === 0x4b /* K */ || kind === 0x4f /* O */) {
          old = readTuple(r, relation, null);
          kind = r.u8();
        }
        if (kind !== 0x4e /* N */) throw new Error(`pgoutput: unexpected update tuple kind ${kind}`);
        return { tag: 'update', relation, old, row: readTuple(r, relation, old) };
      }
      case 0x44: /* D */ {
        const relation = this.relation(r.u32());
        r.skip(1); // 'K' or 'O'
        return { tag: 'delete', relation, old: readTuple(r, relation, null) };
      }
      case 0x54: /* T */ {
        const count = r.u32();
        r.skip(1); // options
        const relations: Relation[] = [];
        for (let i = 0; i < count; i++) relations.push(this.relation(r.u32()));
        return { tag: 'truncate', relations };
      }
      default:
        // Origin, Type and logical Message carry nothing a shape needs.
        return { tag: 'ignored' };
    }
  }

  private relation(oid: number): Relation {
    const relation = this.relations.get(oid);
    if (!relation) throw new Error(`pgoutput: change for relation ${oid} arrived before its Relation message`);
    return relation;
  }

  private readRelation(r: Reader): Relation {
    const oid = r.u32();
    const schema = r.cstring();
    const name = r.cstring();
    const identity = String.fromCharCode(r.u8());
    const replicaIdentity = ({ d: 'default', n: 'nothing', f: 'full', i: 'index' } as const)[identity as 'd'] ?? 'default';
    const count = r.u16();
    const columns: RelationColumn[] = [];
    for (let i = 0; i < count; i++) {
      const flags = r.u8();
      const colName = r.cstring();
      const typeOid = r.u32();
      r.skip(4); // type modifier
      columns.push({ name: colName, typeOid, isKey: (flags & 1) === 1 });
    }
    return { oid, schema, name, replicaIdentity, columns };
  }
}

/**
 * Reads a TupleData. An unchanged TOASTed value ('u') is taken from the old
 * row, which REPLICA IDENTITY FULL always sends with updates.
 */
function readTuple(r: Reader, relation: Relation, old: TextRow | null): TextRow {
  const count = r.u16();
  const row: TextRow = {};
  for (let i = 0; i < count; i++) {
    const column = relation.columns[i];
    const kind = r.u8();
    const name = column?.name ?? `?${i}`;
    if (kind === 0x6e /* n */) row[name] = null;
    else if (kind === 0x75 /* u */) row[name] = old?.[name] ?? null;
    else if (kind === 0x74 /* t */ || kind === 0x62 /* b */) row[name] = r.text(r.u32());
    else throw new Error(`pgoutput: unknown tuple value kind ${kind}`);
  }
  return row;
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  u8(): number {
    return this.buf.readUInt8(this.pos++);
  }
  u16(): number {
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  u64(): bigint {
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  skip(n: number): void {
    this.pos += n;
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.pos);
    const s = decoder.decode(this.buf.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }
  text(length: number): string {
    const s = decoder.decode(this.buf.subarray(this.pos, this.pos + length));
    this.pos += length;
    return s;
  }
}
