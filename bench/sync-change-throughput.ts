/**
 * Change processing with many active shapes: 1,000 tenant-filtered shapes
 * (plus a few that cannot be indexed) on one table, then a backlog of row
 * changes written while the service is stopped. On restart the service
 * replays the backlog from its slot; the catch-up time is pure change
 * processing (decode, route, judge, log), with clients out of the picture.
 * Also reports memory per shape.
 *
 *   npx tsx bench/sync-change-throughput.ts        (about a minute)
 */
import { startShapeService } from '../sync/service/index.ts';
import { BENCH_PUBLICATION, BENCH_SECRET, mapLimit, mib, startSyncBenchCluster, syncShape } from './sync-bench-cluster.ts';

const SHAPES = Number(process.env.SHAPES ?? 1000);
const UNINDEXED = 20;
const CHANGES = Number(process.env.CHANGES ?? 60_000);
const TX_ROWS = 200;

const cluster = await startSyncBenchCluster('CREATE TABLE events (id bigint PRIMARY KEY, tenant int NOT NULL, kind text NOT NULL, payload text)');
const dataDir = cluster.dataDir('throughput');
const options = { replicationUrl: cluster.urls.replication, publication: BENCH_PUBLICATION, slot: 'bench_throughput', dataDir, secret: BENCH_SECRET };
try {
  const gc = (globalThis as { gc?: () => void }).gc;
  let service = await startShapeService(options);
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  await mapLimit(Array.from({ length: SHAPES }, (_, i) => i), 16, (i) => syncShape(service.url, { table: 'events', where: `tenant = ${i}` }));
  await mapLimit(Array.from({ length: UNINDEXED }, (_, i) => i), 8, (i) => syncShape(service.url, { table: 'events', where: `kind LIKE 'k${i}%' OR tenant < 0` }));
  const created = performance.now() - t0;
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(`created ${SHAPES + UNINDEXED} shapes (initial snapshots included) in ${(created / 1000).toFixed(1)} s`);
  console.log(`memory per shape: ${((heapAfter - heapBefore) / (SHAPES + UNINDEXED) / 1024).toFixed(1)} KiB of JS heap${gc ? '' : ' (run with node --expose-gc for a steadier figure)'}`);
  await service.stop();

  // The backlog: inserts spread over all tenants, then updates moving rows between tenants, then deletes.
  const inserts = Math.floor(CHANGES / 2);
  const updates = Math.floor(CHANGES / 4);
  const deletes = CHANGES - inserts - updates;
  for (let start = 0; start < inserts; start += TX_ROWS) {
    await cluster.owner.query(`INSERT INTO events SELECT g, g % ${SHAPES}, 'k' || (g % 50), repeat('p', 40) FROM generate_series(${start}, ${Math.min(inserts, start + TX_ROWS) - 1}) g`);
  }
  for (let start = 0; start < updates; start += TX_ROWS) {
    await cluster.owner.query(`UPDATE events SET tenant = (tenant + 7) % ${SHAPES}, payload = 'moved' WHERE id >= ${start} AND id < ${Math.min(updates, start + TX_ROWS)}`);
  }
  for (let start = 0; start < deletes; start += TX_ROWS) {
    await cluster.owner.query(`DELETE FROM events WHERE id >= ${inserts - deletes + start} AND id < ${inserts - deletes + Math.min(deletes, start + TX_ROWS)}`);
  }

  const restart = performance.now();
  service = await startShapeService(options);
  const streaming = performance.now();
  while (service.stats().changesApplied < CHANGES) {
    if (performance.now() - streaming > 300_000) throw new Error(`only ${service.stats().changesApplied} of ${CHANGES} changes processed after 300 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const caughtUp = performance.now();
  const seconds = (caughtUp - streaming) / 1000;
  console.log(`change processing with ${SHAPES + UNINDEXED} active shapes: ${Math.round(CHANGES / seconds)} row changes/s (${CHANGES} changes caught up in ${seconds.toFixed(2)} s; service restart took ${((streaming - restart) / 1000).toFixed(2)} s)`);
  const t1 = performance.now();
  await service.checkpoint();
  console.log(`checkpoint after the catch-up (fsync of every grown log + confirm): ${(performance.now() - t1).toFixed(0)} ms; process RSS ${mib(process.memoryUsage().rss)}`);
  await service.stop();
} finally {
  await cluster.stop();
}
