/**
 * Memory per shape and per idle live client, through the proxy: the RSS of
 * the real server process as devices arrive (`npm start`: the app with the
 * proxy, the embedded shape service and the agent worker, in one process). The service-level figures (no proxy, no
 * sessions) are in bench/sync-fanout.ts.
 *
 *   1. per shape: SHAPES adult members (each has a stories shape of their
 *      own: their private drafts differ) sync it to up to date, non-live;
 *   2. per idle live client: CLIENTS live long-polls parked through the
 *      proxy on those shapes (each holds a request in the proxy, a request
 *      from the proxy to the service, and a parked request in the service).
 *
 * RSS moves with the garbage collector, so each step is the median of a few
 * samples taken a moment apart.
 *
 *   npx tsx bench/sync-device-memory.ts        (about a minute)
 */
import http from 'node:http';
import { mapLimit, mib, rssOf } from './sync-bench-cluster.ts';
import { addLibrary, startBenchServer, type BenchMember } from './sync-device-server.ts';

const SHAPES = Number(process.env.SHAPES ?? 500);
const CLIENTS = Number(process.env.CLIENTS ?? 1000);
const PER_FAMILY = 10;

// Long polls must stay parked while RSS is read.
const server = await startBenchServer({ SYNC_LONG_POLL_MS: '40000' });
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const parked: http.ClientRequest[] = [];
let answered = 0;

async function steadyRss(): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 400));
    samples.push(rssOf(server.pid));
  }
  return samples.sort((a, b) => a - b)[2]!;
}

/** Follows a member's stories shape to up to date; returns where to long-poll from. */
async function upToDate(member: BenchMember): Promise<{ handle: string; offset: string }> {
  let offset = '-1';
  let handle: string | undefined;
  for (;;) {
    const url = new URL(`${server.url}/api/shapes/stories`);
    url.searchParams.set('offset', offset);
    if (handle) url.searchParams.set('handle', handle);
    const res = await fetch(url, { headers: { authorization: `Bearer ${member.token}` } });
    if (res.status !== 200) throw new Error(`shape request failed: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    handle = res.headers.get('electric-handle')!;
    offset = res.headers.get('electric-offset')!;
    if (res.headers.has('electric-up-to-date')) return { handle, offset };
  }
}

function park(member: BenchMember, at: { handle: string; offset: string }): void {
  const url = new URL(`${server.url}/api/shapes/stories`);
  url.searchParams.set('offset', at.offset);
  url.searchParams.set('handle', at.handle);
  url.searchParams.set('live', 'true');
  const req = http.get(url, { agent, headers: { authorization: `Bearer ${member.token}` } }, (res) => {
    answered++;
    res.resume();
  });
  req.on('error', () => {});
  parked.push(req);
}

try {
  const members: BenchMember[] = [];
  for (let f = 0; members.length < SHAPES; f++) {
    const family = await server.createFamily(`Family ${f}`, PER_FAMILY, 0);
    await addLibrary(server.db, family, 10);
    members.push(...family.members);
  }
  members.length = SHAPES;
  // Warm the server's code paths with one member before the baseline.
  await upToDate(members[0]!);
  const baseline = await steadyRss();

  const positions = await mapLimit(members, 8, upToDate);
  const withShapes = await steadyRss();

  for (let i = 0; i < CLIENTS; i++) park(members[i % SHAPES]!, positions[i % SHAPES]!);
  await new Promise((r) => setTimeout(r, 3_000)); // every request parked at the service
  const withClients = await steadyRss();
  const stillParked = CLIENTS - answered;

  console.log(`memory through the proxy (RSS of the npm start process: app with the proxy, embedded shape service, agent worker):`);
  console.log(`  per shape: ${((withShapes - baseline) / SHAPES / 1024).toFixed(1)} KiB (${mib(baseline)} → ${mib(withShapes)} after ${SHAPES} viewers each synced a 10-story shape of their own)`);
  console.log(`  per idle live client: ${((withClients - withShapes) / CLIENTS / 1024).toFixed(1)} KiB (${mib(withShapes)} → ${mib(withClients)} with ${CLIENTS} long-polls sent through the proxy, ${stillParked} still parked when measured)`);
} finally {
  for (const req of parked) req.destroy();
  agent.destroy();
  await server.stop();
}
process.exit(0);
