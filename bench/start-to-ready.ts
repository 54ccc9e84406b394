/**
 * Time from `npm start` to a ready server (GET /api/health/ready answers
 * 200), on a second start: the data directory already holds an initialised,
 * migrated and seeded cluster. Each run is stopped like Ctrl-C (SIGINT to the
 * whole process group) before the next.
 *
 *   node --import tsx bench/start-to-ready.ts [runs=5]
 *
 * Target: <= 3 s.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../tests/support/free-port.ts';
import { ROOT } from '../tests/support/talemo-process.ts';
import { summarize } from './support/latency.ts';

const runs = Number(process.argv[2] ?? 5);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-bench-start-'));
fs.chmodSync(root, 0o755);
const env = {
  ...process.env,
  TALEMO_DATA_DIR: path.join(root, 'data'),
  PORT: String(await freePort()),
  TALEMO_PG_PORT: String(await freePort()),
  LOG_LEVEL: 'warn',
};
const readyUrl = `http://127.0.0.1:${env.PORT}/api/health/ready`;

async function startOnce(): Promise<number> {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let elapsed = Number.NaN;
  for (;;) {
    try {
      const res = await fetch(readyUrl);
      if (res.status === 200) {
        elapsed = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 60_000) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  process.kill(-child.pid!, 'SIGINT'); // what Ctrl-C does: the whole foreground group
  await exited;
  return elapsed;
}

try {
  const first = await startOnce();
  console.log(`first start (initdb, migrations, demo seed): ${(first / 1000).toFixed(2)} s`);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await startOnce());
  const s = summarize(samples);
  console.log(`second start → ready, ${runs} runs: ${samples.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')}`);
  console.log(`  median ${(s.p50 / 1000).toFixed(2)} s, worst ${(s.max / 1000).toFixed(2)} s (target <= 3 s)`);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
