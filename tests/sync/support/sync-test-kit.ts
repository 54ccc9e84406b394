/**
 * What the sync suites share: a fresh database per file with tables the test
 * creates and publishes itself, the real shape service on a free port with
 * its own data directory, the official Electric client pointed at it, and
 * clean-up that drops the replication slot so the database can be dropped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Shape, ShapeStream, type Row } from '@electric-sql/client';
import type pg from 'pg';
import { startShapeService, type ShapeService, type ShapeServiceOptions } from '../../../sync/service/index.ts';
import { adminQuery, createTestDatabase, type TestDatabase } from '../../support/test-database.ts';
import { eventually as pollUntil } from '../../support/eventually.ts';

export const PUBLICATION = 'talemo_sync';
export const SECRET = 'test-secret-for-the-shape-service-0123456789';

export interface SyncTestDb {
  db: TestDatabase;
  owner: pg.Client;
  slot: string;
  /** Creates a table as the owner and adds it to the publication, the way the service needs it. */
  createTable(qualifiedName: string, columnsSql: string): Promise<void>;
  dropSlot(): Promise<void>;
  /** Drops the slot and the database, and removes the services' data directories. */
  close(): Promise<void>;
}

export async function openSyncTestDb(label: string): Promise<SyncTestDb> {
  const db = await createTestDatabase(label);
  const owner = await db.owner();
  const slot = `talemo_${db.name}`.slice(0, 63);
  const dropSlot = async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await adminQuery(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '${db.name}'`);
        return;
      } catch (err) {
        // The walsender of a just-stopped service may still hold the slot.
        if ((err as { code?: string }).code !== '55006') throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  return {
    db,
    owner,
    slot,
    async createTable(qualifiedName, columnsSql) {
      await owner.query(`CREATE TABLE ${qualifiedName} (${columnsSql})`);
      await owner.query(`ALTER TABLE ${qualifiedName} REPLICA IDENTITY FULL`);
      await owner.query(`ALTER PUBLICATION ${PUBLICATION} ADD TABLE ${qualifiedName}`);
      await owner.query(`GRANT SELECT ON ${qualifiedName} TO talemo_replication`);
    },
    dropSlot,
    async close() {
      await dropSlot();
      await db.drop();
      for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const dataDirs: string[] = [];

/** A fresh data directory for a service, removed by SyncTestDb.close(). */
export function tempDataDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `talemo-sync-${label}-`));
  dataDirs.push(dir);
  return dir;
}

export async function startService(t: SyncTestDb, dataDir: string, extra: Partial<ShapeServiceOptions> = {}): Promise<ShapeService> {
  return startShapeService({
    replicationUrl: t.db.urls.replication,
    publication: PUBLICATION,
    slot: t.slot,
    dataDir,
    secret: SECRET,
    longPollTimeoutMs: 4_000,
    checkpointIntervalMs: 200,
    ...extra,
  });
}

export interface ShapeParams {
  table: string;
  where?: string;
  params?: string[] | Record<string, string>;
  columns?: string[];
  replica?: 'default' | 'full';
}

/** An official ShapeStream against the service. */
export function shapeStream(service: { url: string }, params: ShapeParams, extra: { offset?: string; handle?: string; log?: 'full' | 'changes_only'; signal?: AbortSignal; onError?: (error: Error) => void } = {}): ShapeStream<Row> {
  return new ShapeStream({
    url: `${service.url}/v1/shape`,
    params: { ...params, secret: SECRET } as never,
    offset: extra.offset as never,
    handle: extra.handle,
    log: extra.log,
    signal: extra.signal,
    onError: extra.onError,
    backoffOptions: { initialDelay: 50, maxDelay: 500, multiplier: 1.5 },
  });
}

/** A materialised Shape; call `rows()` for the current rows. */
export function materialize(stream: ShapeStream<Row>): { shape: Shape<Row>; rows(): Row[] } {
  const shape = new Shape(stream);
  return { shape, rows: () => shape.currentRows };
}

/** `eventually` with this kit's shorter timeout and interval. */
export function eventually(check: () => void | Promise<void>, timeoutMs = 15_000, intervalMs = 25): Promise<void> {
  return pollUntil(check, timeoutMs, intervalMs);
}

/** Rows sorted by id, for comparisons. */
export function byId<T extends Row>(rows: T[]): T[] {
  return [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id), 'en', { numeric: true }));
}

/** Raw GET against the service, for what the official client hides (status codes, bodies). */
export async function rawShape(service: { url: string }, query: Record<string, string>, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: unknown }> {
  const url = new URL(`${service.url}/v1/shape`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
