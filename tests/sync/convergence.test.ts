/**
 * The convergence property: random concurrent writers insert, update (moving
 * rows across filters, changing primary keys) and delete, while viewers with
 * different where clauses subscribe — some during the writes, so their
 * snapshots race the writers. At quiescence every viewer (official Shape
 * clients, and one PGlite device through pglite-sync) must hold exactly what
 * Postgres returns for its where clause: nothing missing, extra or doubled.
 * Then the same with the service killed (SIGKILL) and restarted mid-stream.
 */
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import type { Row } from '@electric-sql/client';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { startServiceProcess } from './support/service-process.ts';
import { eventually, materialize, openSyncTestDb, PUBLICATION, SECRET, shapeStream, startService, tempDataDir, type SyncTestDb } from './support/sync-test-kit.ts';

interface Viewer {
  where?: string;
  params?: string[];
}

const VIEWERS: Viewer[] = [
  { where: 'owner = 1' },
  { where: "owner IN (2, 3) AND status <> 'archived'" },
  { where: 'score >= $1', params: ['50'] },
  { where: "status LIKE 'pub%' OR owner = 4" },
  { where: 'NOT (score < 20) AND body IS NOT NULL' },
  {},
];
const STATUSES = ['draft', 'published', 'archived', 'pub-review'];

let t: SyncTestDb;

beforeAll(async () => {
  t = await openSyncTestDb('converge');
  await t.createTable('docs', 'id int PRIMARY KEY, owner int NOT NULL, status text NOT NULL, score int, body text');
});

afterAll(async () => {
  await t?.close();
});

/** A small seeded PRNG (mulberry32), so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

async function reseed(): Promise<void> {
  await t.owner.query('DELETE FROM docs');
  await t.owner.query(`INSERT INTO docs SELECT g, g % 5, (ARRAY['draft','published','archived','pub-review'])[1 + g % 4], (g * 7) % 100, CASE WHEN g % 6 = 0 THEN NULL ELSE 'body ' || g END FROM generate_series(1, 120) g`);
}

/** One writer: `count` random transactions of 1-4 statements; conflicts and deadlocks just roll back. */
async function writer(seed: number, count: number, pauseMs: number): Promise<number> {
  const random = prng(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const client = new pg.Client({ connectionString: t.db.urls.owner });
  await client.connect();
  let committed = 0;
  try {
    for (let i = 0; i < count; i++) {
      try {
        await client.query('BEGIN');
        const statements = 1 + Math.floor(random() * 4);
        for (let s = 0; s < statements; s++) {
          const id = 1 + Math.floor(random() * 200);
          const roll = random();
          if (roll < 0.3) {
            await client.query('INSERT INTO docs VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING', [id, Math.floor(random() * 6), pick(STATUSES), Math.floor(random() * 100), random() < 0.2 ? null : `body ${seed}-${i}`]);
          } else if (roll < 0.55) {
            await client.query('UPDATE docs SET owner = $2, status = $3 WHERE id = $1', [id, Math.floor(random() * 6), pick(STATUSES)]);
          } else if (roll < 0.75) {
            await client.query('UPDATE docs SET score = $2, body = $3 WHERE id = $1', [id, Math.floor(random() * 100), random() < 0.3 ? null : `edit ${seed}-${i}`]);
          } else if (roll < 0.85) {
            await client.query('UPDATE docs SET id = id + 1000 WHERE id = $1 AND id < 1000', [id]);
          } else {
            await client.query('DELETE FROM docs WHERE id = $1 OR id = $1 + 1000', [id]);
          }
        }
        await client.query('COMMIT');
        committed++;
      } catch (err) {
        await client.query('ROLLBACK');
        const code = (err as { code?: string }).code;
        if (code !== '40P01' && code !== '23505') throw err;
      }
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, random() * pauseMs));
    }
  } finally {
    await client.end();
  }
  return committed;
}

async function serverRows(viewer: Viewer): Promise<Row[]> {
  const { rows } = await t.owner.query(`SELECT id, owner, status, score, body FROM docs ${viewer.where ? `WHERE ${viewer.where}` : ''} ORDER BY id`, viewer.params ?? []);
  return rows;
}

function sorted(rows: Row[]): Array<Record<string, unknown>> {
  return [...rows].map((r) => ({ id: r.id, owner: r.owner, status: r.status, score: r.score ?? null, body: r.body ?? null })).sort((a, b) => Number(a.id) - Number(b.id));
}

async function openDevice(url: string, viewer: Viewer) {
  const device = await PGlite.create({ extensions: { electric: electricSync() } });
  await device.exec('CREATE TABLE docs (id int PRIMARY KEY, owner int NOT NULL, status text NOT NULL, score int, body text)');
  const sync = await device.electric.syncShapeToTable({
    shape: { url: `${url}/v1/shape`, params: { table: 'docs', where: viewer.where, params: viewer.params, secret: SECRET } as never, backoffOptions: { initialDelay: 50, maxDelay: 500, multiplier: 1.5 } },
    table: 'docs',
    primaryKey: ['id'],
    shapeKey: null,
  });
  return {
    async rows(): Promise<Row[]> {
      return (await device.query<Row>('SELECT id, owner, status, score, body FROM docs ORDER BY id')).rows;
    },
    async close() {
      sync.unsubscribe();
      await device.close();
    },
  };
}

async function expectConverged(viewers: Array<{ viewer: Viewer; rows(): Row[] | Promise<Row[]> }>): Promise<void> {
  for (const { viewer, rows } of viewers) {
    const want = await serverRows(viewer);
    await eventually(async () => {
      const have = sorted(await rows());
      expect(new Set(have.map((r) => r.id)).size).toBe(have.length);
      expect({ where: viewer.where ?? '(all)', rows: have }).toEqual({ where: viewer.where ?? '(all)', rows: sorted(want) });
    }, 30_000, 100);
  }
}

it('converges for every viewer under random concurrent writers, with snapshots taken mid-write', async () => {
  await reseed();
  const seed = Date.now() % 100_000;
  const service = await startService(t, tempDataDir('converge'), { chunkBytes: 2048 });
  const viewers: Array<{ viewer: Viewer; rows(): Row[] | Promise<Row[]>; close(): void | Promise<void> }> = [];
  let device: Awaited<ReturnType<typeof openDevice>> | undefined;
  try {
    const writing = Promise.all([writer(seed, 120, 15), writer(seed + 1, 120, 15), writer(seed + 2, 120, 15)]);
    for (const viewer of VIEWERS) {
      await new Promise((r) => setTimeout(r, 150));
      const { shape, rows } = materialize(shapeStream(service, { table: 'docs', where: viewer.where, params: viewer.params }));
      viewers.push({ viewer, rows, close: () => shape.unsubscribeAll() });
    }
    device = await openDevice(service.url, VIEWERS[1]!);
    viewers.push({ viewer: VIEWERS[1]!, rows: () => device!.rows(), close: () => {} });
    const committed = await writing;
    expect(committed.reduce((a, b) => a + b, 0), `seed ${seed}`).toBeGreaterThan(200);
    await expectConverged(viewers);
  } finally {
    for (const v of viewers) await v.close();
    await device?.close();
    await service.stop();
  }
});

it('converges again when the service is killed and restarted mid-stream', async () => {
  await reseed();
  const seed = (Date.now() % 100_000) + 7;
  const port = await freePort();
  const options = { replicationUrl: t.db.urls.replication, publication: PUBLICATION, slot: t.slot, dataDir: tempDataDir('converge-kill'), secret: SECRET, port, longPollTimeoutMs: 4000, checkpointIntervalMs: 300, chunkBytes: 2048 };
  let service = await startServiceProcess(options);
  const viewers: Array<{ viewer: Viewer; rows(): Row[] | Promise<Row[]>; close(): void | Promise<void> }> = [];
  let device: Awaited<ReturnType<typeof openDevice>> | undefined;
  try {
    for (const viewer of VIEWERS.slice(0, 3)) {
      const { shape, rows } = materialize(shapeStream(service, { table: 'docs', where: viewer.where, params: viewer.params }));
      viewers.push({ viewer, rows, close: () => shape.unsubscribeAll() });
    }
    device = await openDevice(service.url, VIEWERS[0]!);
    viewers.push({ viewer: VIEWERS[0]!, rows: () => device!.rows(), close: () => {} });
    const writing = Promise.all([writer(seed, 150, 15), writer(seed + 1, 150, 15)]);
    await new Promise((r) => setTimeout(r, 1200));
    await service.kill();
    await new Promise((r) => setTimeout(r, 500));
    service = await startServiceProcess(options);
    for (const viewer of VIEWERS.slice(3)) {
      const { shape, rows } = materialize(shapeStream(service, { table: 'docs', where: viewer.where, params: viewer.params }));
      viewers.push({ viewer, rows, close: () => shape.unsubscribeAll() });
    }
    await new Promise((r) => setTimeout(r, 800));
    await service.kill();
    service = await startServiceProcess(options);
    await writing;
    await expectConverged(viewers);
  } finally {
    for (const v of viewers) await v.close();
    await device?.close();
    await service.stop();
  }
});
