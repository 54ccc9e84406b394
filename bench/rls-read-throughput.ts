/**
 * Read throughput through the RLS transaction helper: each request is one
 * `db.transaction({ tenantId, userId }, …)` running an indexed query (a
 * tenant's 20 newest stories) for a fixed tenant, among other tenants' rows.
 *
 *   npx tsx bench/rls-read-throughput.ts [seconds=15] [concurrency=32]
 *
 * Target on 2 cores: >= 2,000 requests/s with p99 <= 50 ms.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Database } from '../server/db/database.ts';
import { startBenchPostgres } from './support/bench-postgres.ts';
import { closedLoop, fmt, summarize } from './support/latency.ts';

const seconds = Number(process.argv[2] ?? 15);
const concurrency = Number(process.argv[3] ?? 32);
const TENANTS = 20;
const STORIES_PER_TENANT = 500;

const bench = await startBenchPostgres();
try {
  const tenantIds = await seed(bench.urls.owner);
  const target = tenantIds[0]!;
  const db = new Database({ connectionString: bench.urls.app, poolMax: Number(process.env.POOL ?? 10) });
  const ctx = { tenantId: target, userId: null };
  const read = async () => {
    const rows = await db.transaction(ctx, (tx) =>
      tx.query('SELECT id, title, age_range, language FROM stories WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 20', [target]),
    );
    if (rows.length !== 20) throw new Error(`expected 20 rows, got ${rows.length}`);
  };
  await closedLoop(read, { concurrency, durationMs: 2000, maxRequests: 5000 }); // warm-up
  const run = await closedLoop(read, { concurrency, durationMs: seconds * 1000, maxRequests: 2_000_000 });
  const s = summarize(run.samples);
  console.log(`RLS read through db.transaction: ${TENANTS} tenants x ${STORIES_PER_TENANT} stories, pool ${process.env.POOL ?? 10}, concurrency ${concurrency}, ${run.seconds.toFixed(1)} s`);
  console.log(`  requests/s: ${run.perSecond.toFixed(0)}   errors: ${run.errors}`);
  console.log(`  latency p50 ${fmt(s.p50)}  p95 ${fmt(s.p95)}  p99 ${fmt(s.p99)}  max ${fmt(s.max)}`);
  await db.close();
} finally {
  await bench.stop();
}

async function seed(ownerUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const ids: string[] = [];
  for (let t = 0; t < TENANTS; t++) {
    const id = randomUUID();
    ids.push(id);
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant', $1, true)`, [id]);
    await client.query(`INSERT INTO tenants (id, name, type) VALUES ($1, $2, 'family')`, [id, `Family ${t}`]);
    await client.query(
      `INSERT INTO stories (tenant_id, title, content, age_range, language, created_at)
       SELECT $1, 'Story ' || g, repeat('Once upon a time. ', 50), (ARRAY['0-3','4-6','7-9'])[1 + g % 3], 'en', now() - g * interval '1 minute'
       FROM generate_series(1, $2) g`,
      [id, STORIES_PER_TENANT],
    );
    await client.query('COMMIT');
  }
  await client.query('ANALYZE stories');
  await client.end();
  return ids;
}
