/**
 * Session validation plus an RLS read, end to end over HTTP: the real app on
 * a loopback port, its own embedded Postgres, and a closed-loop load of
 * authenticated `GET /api/auth/me` (session lookup through the
 * security-definer function, constant-time secret check, then a
 * tenant-scoped read in the RLS transaction helper).
 *
 *   npx tsx bench/session-read-throughput.ts [seconds=20] [concurrency=50] [pool=10]
 *
 * The load runs in a child process, so the server's event loop is not also
 * the client's. Target on 2 cores: >= 2,000 requests/s with p99 <= 50 ms.
 *
 * Wall-clock figures depend on whatever else the machine runs, so the CPU
 * each request costs is printed too: the server process (process.cpuUsage)
 * and the Postgres backends serving it (/proc, Linux only). Their sum, set
 * against two cores, is the throughput an otherwise idle 2-core machine
 * could reach. Prints figures; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { createSession } from '../server/auth/session-store.ts';
import { loadConfig } from '../server/config.ts';
import { Database } from '../server/db/database.ts';
import { createApp } from '../server/http/app.ts';
import { listen } from '../server/http/server.ts';
import { silentLogger } from '../server/observability/logger.ts';
import { createMetrics } from '../server/observability/metrics.ts';
import { readinessChecks } from '../server/platform/readiness.ts';
import { withNewTenant } from '../server/tenants/tenant-creation-service.ts';
import { startBenchPostgres } from './support/bench-postgres.ts';
import { fmt, summarize } from './support/latency.ts';

const seconds = Number(process.argv[2] ?? 20);
const concurrency = Number(process.argv[3] ?? 50);
const poolMax = Number(process.argv[4] ?? 10);
const OTHER_TENANTS = 50;

// A plain-JS load generator, run in a child process: keep-alive
// connections, one request in flight per connection, latency per request.
const LOAD_GENERATOR = `
const http = require('node:http');
const { url, token, concurrency, durationMs } = JSON.parse(process.env.TALEMO_BENCH_LOAD);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);
const samples = [];
let errors = 0;
let statusErrors = 0;
const deadline = performance.now() + durationMs;
function once() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'GET', agent,
      headers: { authorization: 'Bearer ' + token } }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) samples.push(performance.now() - t0); else statusErrors++;
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end();
  });
}
async function loop() { while (performance.now() < deadline) await once(); }
const started = performance.now();
Promise.all(Array.from({ length: concurrency }, loop)).then(() => {
  agent.destroy();
  process.stdout.write(JSON.stringify({ samples, errors, statusErrors, seconds: (performance.now() - started) / 1000 }));
});
`;

interface LoadResult {
  samples: number[];
  errors: number;
  statusErrors: number;
  seconds: number;
}

function drive(url: string, token: string, durationMs: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', LOAD_GENERATOR], {
      env: { ...process.env, TALEMO_BENCH_LOAD: JSON.stringify({ url, token, concurrency, durationMs }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited with ${code}`))));
  });
}

/** CPU seconds used so far by the children of the Postgres postmaster whose data directory is under `root`. */
function postgresCpuSeconds(root: string): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const ticks = 100; // USER_HZ on Linux
  const stat = (pid: string) => {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: fields[1]!, cpu: (Number(fields[11]) + Number(fields[12])) / ticks };
  };
  const pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  const postmaster = pids.find((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(root);
    } catch {
      return false;
    }
  });
  if (!postmaster) return undefined;
  let total = 0;
  for (const pid of pids) {
    try {
      const s = stat(pid);
      if (s.ppid === postmaster) total += s.cpu;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

const bench = await startBenchPostgres();
try {
  const db = new Database({ connectionString: bench.urls.app, poolMax });
  // Other families around ours, so RLS has rows to keep out.
  for (let i = 0; i < OTHER_TENANTS; i++) {
    await withNewTenant(db, { name: `Other ${i}`, type: 'family', plan: 'free', admin: { email: `other-${i}-${randomUUID()}@example.com`, displayName: `Other ${i}` } }, async () => undefined);
  }
  const token = await withNewTenant(db, { name: 'Bench family', type: 'family', plan: 'free', admin: { email: `bench-${randomUUID()}@example.com`, displayName: 'Bench' } }, async (tx, created) =>
    (await createSession(tx, created.tenantId, created.adminUserId, 'password')).token,
  );

  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', TALEMO_SECRET: 'bench-secret-bench-secret-bench-secret-01', PUBLIC_URL: 'http://127.0.0.1:3000' });
  const app = createApp({ config, logger: silentLogger(), metrics: createMetrics({ collectProcessMetrics: false }), db, health: { readiness: readinessChecks(db) } });
  const server = await listen(app.fetch, '127.0.0.1', 0);
  const url = `${server.url}/api/auth/me`;

  const check = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (check.status !== 200) throw new Error(`GET /api/auth/me answered ${check.status}: ${await check.text()}`);

  await drive(url, token, 3000); // warm-up: JIT, pool connections, prepared plans
  const serverBefore = process.cpuUsage();
  const pgBefore = postgresCpuSeconds(bench.root);
  const loadBefore = os.loadavg()[0]!;
  const run = await drive(url, token, seconds * 1000);
  const serverCpu = process.cpuUsage(serverBefore);
  const pgAfter = postgresCpuSeconds(bench.root);
  const s = summarize(run.samples);
  const serverMs = (serverCpu.user + serverCpu.system) / 1000 / s.count;
  const pgMs = pgBefore !== undefined && pgAfter !== undefined ? ((pgAfter - pgBefore) * 1000) / s.count : undefined;
  console.log(`Session validation + RLS read over HTTP (GET /api/auth/me), ${os.cpus().length} CPUs, pool ${poolMax}, concurrency ${concurrency}, ${run.seconds.toFixed(1)} s, load average ${loadBefore.toFixed(1)} -> ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`  requests/s: ${(s.count / run.seconds).toFixed(0)}   ok: ${s.count}   non-200: ${run.statusErrors}   errors: ${run.errors}`);
  console.log(`  latency p50 ${fmt(s.p50)}  p95 ${fmt(s.p95)}  p99 ${fmt(s.p99)}  max ${fmt(s.max)}`);
  if (pgMs !== undefined) {
    const perRequest = serverMs + pgMs;
    console.log(`  CPU per request: server ${serverMs.toFixed(3)} ms + Postgres ${pgMs.toFixed(3)} ms = ${perRequest.toFixed(3)} ms -> ${(2000 / perRequest).toFixed(0)} requests/s on 2 idle cores (load generator excluded)`);
  } else {
    console.log(`  CPU per request: server ${serverMs.toFixed(3)} ms (Postgres not measured on this platform)`);
  }

  await server.close(1000);
  await db.close();
} finally {
  await bench.stop();
}
