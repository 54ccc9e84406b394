/**
 * Every supported where-clause operator judged both ways: on the initial
 * snapshot (SQL generated from the bound clause) and on replicated changes
 * (the same clause evaluated in JavaScript). After each round of writes that
 * move rows in and out of the filters, every shape must hold exactly the rows
 * Postgres returns for the same where clause.
 */
import type { Row } from '@electric-sql/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ShapeService } from '../../sync/service/index.ts';
import { eventually, materialize, openSyncTestDb, shapeStream, startService, tempDataDir, type SyncTestDb } from './support/sync-test-kit.ts';

const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';
const U3 = '33333333-3333-4333-8333-333333333333';

const CASES: Array<{ where: string; params?: string[] }> = [
  { where: "name = 'alpha'" },
  { where: "name <> 'alpha'" },
  { where: "name < 'm'" },
  { where: "name >= 'Zed'" },
  { where: 'amount >= 10.5' },
  { where: 'amount < $1', params: ['3'] },
  { where: 'score > 0.5 AND score <= 2.5' },
  { where: 'active' },
  { where: 'NOT active' },
  { where: 'active = false' },
  { where: 'active IS NOT TRUE' },
  { where: 'note IS NULL' },
  { where: 'note IS NOT NULL' },
  { where: 'id IN (1, 3, 5, 7, 11)' },
  { where: 'id NOT IN (2, 4)' },
  { where: 'id BETWEEN 2 AND 4' },
  { where: 'id = 3.0' },
  { where: 'id = $1', params: ['7'] },
  { where: "name = 'alpha' AND active" },
  { where: 'code = ANY($1)', params: [`{${U1},${U3}}`] },
  { where: 'code = $1', params: [U2] },
  { where: "name LIKE 'al%'" },
  { where: "name ILIKE 'A_PHA%'" },
  { where: "name NOT LIKE '%e%'" },
  { where: "note LIKE '%50\\%%'" },
  { where: "at > '2024-06-01'" },
  { where: 'at >= $1 AND at < $2', params: ['2024-01-01T00:00:00Z', '2024-12-31 23:00:00+01'] },
  { where: "day = '2024-03-03'" },
  { where: "mood = 'happy'" },
  { where: "mood IN ('sad', 'ok')" },
  { where: "mood <> 'sad'" },
  { where: "(id < 3 OR name = 'gamma') AND NOT (note IS NULL)" },
  { where: 'amount = 5 OR score IS NULL' },
  { where: 'note = NULL' },
];

let t: SyncTestDb;
let service: ShapeService;

beforeAll(async () => {
  t = await openSyncTestDb('where');
  await t.owner.query("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  await t.createTable('things', 'id int PRIMARY KEY, name text NOT NULL, code uuid, amount numeric, score float8, active boolean NOT NULL, at timestamptz, day date, mood mood, note text');
  await t.owner.query("SET TIME ZONE 'UTC'");
  await t.owner.query(`INSERT INTO things VALUES
    (1, 'alpha', '${U1}', 10.50, 0.5, true, '2024-01-05 10:00+00', '2024-03-03', 'happy', 'first'),
    (2, 'beta', '${U2}', 2, 1.5, false, '2024-07-01 00:00+00', '2024-03-04', 'sad', NULL),
    (3, 'gamma', '${U3}', 5.000, NULL, true, NULL, NULL, NULL, 'a 50% note'),
    (4, 'Zed', NULL, -1, 2.5, false, '2025-01-01 00:00+00', '2024-03-03', 'ok', 'zzz'),
    (5, 'émile', '${U1}', 100, 3.25, true, '2023-12-31 23:59:59.999+00', '2023-01-01', 'happy', NULL)`);
  service = await startService(t, tempDataDir('where'));
});

afterAll(async () => {
  await service?.stop();
  await t?.close();
});

type Projection = { id: number; name: string; active: boolean; note: string | null; mood: string | null; amount: string | null };

function project(row: Row): Projection {
  return { id: Number(row.id), name: String(row.name), active: Boolean(row.active), note: (row.note as string | null) ?? null, mood: (row.mood as string | null) ?? null, amount: (row.amount as string | null) ?? null };
}

async function expected(where: string, params: string[] = []): Promise<Projection[]> {
  const { rows } = await t.owner.query<{ id: number; name: string; active: boolean; note: string | null; mood: string | null; amount: string | null }>(
    `SELECT id, name, active, note, mood::text AS mood, amount::text AS amount FROM things WHERE ${where} ORDER BY id`,
    params,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, active: r.active, note: r.note, mood: r.mood, amount: r.amount }));
}

async function expectAllConverge(shapes: Array<{ rows(): Row[] }>): Promise<void> {
  for (const [i, c] of CASES.entries()) {
    const want = await expected(c.where, c.params);
    await eventually(() => expect({ where: c.where, rows: shapes[i]!.rows().map(project).sort((a, b) => a.id - b.id) }).toEqual({ where: c.where, rows: want }));
  }
}

it('gives the same answer on snapshot rows and on log rows, for every supported operator', async () => {
  const shapes = CASES.map((c) => materialize(shapeStream(service, { table: 'things', where: c.where, params: c.params })));
  // The snapshot: each shape holds the rows its where clause selects (some select none).
  await expectAllConverge(shapes);
  let nonEmpty = 0;
  for (const c of CASES) if ((await expected(c.where, c.params)).length > 0) nonEmpty++;
  expect(nonEmpty).toBeGreaterThan(CASES.length - 3);

  // The log: updates that move rows into and out of every filter, inserts and deletes.
  await t.owner.query(`UPDATE things SET name = 'alphabet', active = false, note = NULL, mood = 'sad', amount = 2.99 WHERE id = 1`);
  await t.owner.query(`UPDATE things SET name = 'Alpha', active = true, note = 'promoted 50% now', mood = 'happy', amount = 10.5, code = '${U3}', at = '2024-06-02' WHERE id = 2`);
  await t.owner.query(`UPDATE things SET id = 11, score = 2.0, day = '2024-03-03' WHERE id = 3`);
  await t.owner.query(`INSERT INTO things VALUES (6, 'alpha', '${U2}', 5, NULL, false, '2024-12-31 22:30+00', '2024-03-03', 'ok', 'new')`);
  await t.owner.query(`INSERT INTO things VALUES (7, 'omega', NULL, NULL, 0.75, true, NULL, NULL, 'sad', NULL)`);
  await t.owner.query('DELETE FROM things WHERE id = 4');
  await t.owner.query('BEGIN');
  await t.owner.query(`UPDATE things SET mood = 'ok', note = 'x' WHERE id = 5`);
  await t.owner.query(`UPDATE things SET mood = NULL, name = 'zeta' WHERE id = 5`);
  await t.owner.query('COMMIT');
  await expectAllConverge(shapes);

  // And back again.
  await t.owner.query(`UPDATE things SET name = 'alpha', active = true, note = 'first', mood = 'happy', amount = 10.50 WHERE id = 1`);
  await t.owner.query(`UPDATE things SET active = NOT active, amount = amount + 1`);
  await t.owner.query(`DELETE FROM things WHERE id IN (6, 11)`);
  await expectAllConverge(shapes);
  for (const s of shapes) s.shape.unsubscribeAll();
});
