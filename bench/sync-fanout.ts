/**
 * Live fan-out and latency of the shape service, run as its own process
 * (so client work does not share its event loop):
 *
 * 1. One write reaching 1,000 concurrent live long-poll clients of one
 *    shape: time from the commit to each client holding the change.
 * 2. Write → visible with 100 live clients, each on its own shape: time from
 *    a commit to the one client whose shape it concerns receiving it.
 * 3. Memory per idle live client (service RSS with 1,000 parked requests).
 *
 *   npx tsx bench/sync-fanout.ts        (about a minute)
 */
import http from 'node:http';
import { startServiceProcess } from '../tests/sync/support/service-process.ts';
import { summarize } from './support/latency.ts';
import { BENCH_PUBLICATION, BENCH_SECRET, mapLimit, mib, rssOf, startSyncBenchCluster, syncShape } from './sync-bench-cluster.ts';

const CLIENTS = Number(process.env.CLIENTS ?? 1000);
const ROUNDS = 5;
const DEVICES = 100;
const WRITES = 200;

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** One live long-poll; resolves with the response's arrival time, offset and body. */
function livePoll(base: string, query: Record<string, string>): Promise<{ at: number; offset: string; body: string }> {
  const url = new URL(`${base}/v1/shape`);
  for (const [k, v] of Object.entries({ ...query, secret: BENCH_SECRET, live: 'true' })) url.searchParams.set(k, v);
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ at: performance.now(), offset: String(res.headers['electric-offset']), body }));
    });
    req.on('error', reject);
  });
}

const cluster = await startSyncBenchCluster('CREATE TABLE tags (id int PRIMARY KEY, tenant int NOT NULL, name text NOT NULL)');
const service = await startServiceProcess({ replicationUrl: cluster.urls.replication, publication: BENCH_PUBLICATION, slot: 'bench_fanout', dataDir: cluster.dataDir('fanout'), secret: BENCH_SECRET, longPollTimeoutMs: 20_000 });
try {
  await cluster.owner.query(`INSERT INTO tags SELECT g, g % ${DEVICES}, 'tag ' || g FROM generate_series(1, 500) g`);
  const query = { table: 'tags', where: 'tenant >= 0' };
  let { handle, offset } = await syncShape(service.url, query);
  const rssIdle = rssOf(service.pid);

  // 1. Fan-out of one write to CLIENTS live long-polls of one shape.
  const latencies: number[] = [];
  let rssParked = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const polls = Array.from({ length: CLIENTS }, () => livePoll(service.url, { ...query, handle, offset }));
    await new Promise((r) => setTimeout(r, 1500)); // all requests parked at the service
    if (round === 0) rssParked = rssOf(service.pid);
    const t0 = performance.now();
    await cluster.owner.query(`UPDATE tags SET name = 'round ${round}' WHERE id = 1`);
    const committed = performance.now();
    const results = await Promise.all(polls);
    if (results.some((r) => !r.body.includes(`round ${round}`))) throw new Error('a client did not receive the change');
    for (const r of results) latencies.push(r.at - committed);
    offset = results[0]!.offset;
    if (round === 0) console.log(`(commit took ${(committed - t0).toFixed(1)} ms)`);
  }
  const fan = summarize(latencies);
  console.log(`one write → ${CLIENTS} live long-poll clients (${ROUNDS} rounds, ${fan.count} deliveries): p50 ${fan.p50.toFixed(1)} ms, p95 ${fan.p95.toFixed(1)} ms, p99 ${fan.p99.toFixed(1)} ms, max ${fan.max.toFixed(1)} ms after commit`);
  console.log(`memory per idle live client: ${(((rssParked - rssIdle) / CLIENTS) / 1024).toFixed(1)} KiB of service RSS (${mib(rssIdle)} idle → ${mib(rssParked)} with ${CLIENTS} parked requests)`);

  // 2. Write → visible, DEVICES live clients on DEVICES shapes.
  const devices = await mapLimit(Array.from({ length: DEVICES }, (_, i) => i), 10, async (i) => ({ tenant: i, ...(await syncShape(service.url, { table: 'tags', where: `tenant = ${i}` })) }));
  const pending = new Map<number, Promise<{ at: number; offset: string; body: string }>>();
  const poll = (d: (typeof devices)[number]) => pending.set(d.tenant, livePoll(service.url, { table: 'tags', where: `tenant = ${d.tenant}`, handle: d.handle, offset: d.offset }));
  devices.forEach(poll);
  await new Promise((r) => setTimeout(r, 1000));
  const visible: number[] = [];
  for (let w = 0; w < WRITES; w++) {
    const device = devices[(w * 37) % DEVICES]!;
    const t0 = performance.now();
    await cluster.owner.query('UPDATE tags SET name = $2 WHERE id = (SELECT min(id) FROM tags WHERE tenant = $1)', [device.tenant, `write ${w}`]);
    const result = await pending.get(device.tenant)!;
    visible.push(result.at - t0);
    device.offset = result.offset;
    poll(device);
    await new Promise((r) => setTimeout(r, 5));
  }
  for (const p of pending.values()) p.catch(() => {}); // the last polls end when the service stops
  const vis = summarize(visible);
  console.log(`write → visible with ${DEVICES} live clients on their own shapes (${vis.count} writes, measured from before the UPDATE): p50 ${vis.p50.toFixed(1)} ms, p99 ${vis.p99.toFixed(1)} ms, max ${vis.max.toFixed(1)} ms`);
} catch (err) {
  console.error(`benchmark failed; the service printed:\n${service.output()}`);
  throw err;
} finally {
  agent.destroy();
  // SIGINT lets a profiled service write its profile; a kill is enough otherwise.
  if (process.env.SYNC_SERVICE_NODE_ARGS) await service.stop();
  else await service.kill();
  await cluster.stop();
}
process.exit(0);
