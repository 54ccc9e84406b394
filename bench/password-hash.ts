/**
 * What one password costs with the chosen argon2id parameters
 * (server/auth/password.ts): hashing (sign-up, password change) and
 * verifying (every sign-in, and the dummy verification for unknown emails).
 *
 *   npx tsx bench/password-hash.ts [rounds=10]
 *
 * Target: about 50-150 ms per hash on a 2-core server. Prints figures; asserts nothing.
 */
import os from 'node:os';
import { ARGON2_PARAMS, hashPassword, verifyPassword } from '../server/auth/password.ts';
import { fmt, summarize } from './support/latency.ts';

const rounds = Number(process.argv[2] ?? 10);
const password = 'correct horse battery staple';

await hashPassword(password); // warm-up: loads the native module, touches the memory once

// Wall time depends on what else the machine runs; CPU time (all threads of
// this process: argon2 runs on libuv's pool) is what one hash really costs.
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

const hashes: number[] = [];
const hashCpu: number[] = [];
let encoded = '';
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  encoded = await hashPassword(password);
  hashCpu.push(cpuMs(c0));
  hashes.push(performance.now() - t0);
}
const verifies: number[] = [];
const verifyCpu: number[] = [];
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (!(await verifyPassword(encoded, password))) throw new Error('verification failed');
  verifyCpu.push(cpuMs(c0));
  verifies.push(performance.now() - t0);
}

const { memoryCost, timeCost, parallelism } = ARGON2_PARAMS;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const line = (label: string, wall: number[], cpu: number[]) => {
  const w = summarize(wall);
  const c = summarize(cpu);
  return `  ${label}  wall mean ${fmt(mean(wall))}  p50 ${fmt(w.p50)}  max ${fmt(w.max)}   CPU mean ${fmt(mean(cpu))}  p50 ${fmt(c.p50)}`;
};
console.log(`argon2id m=${memoryCost} KiB (${(memoryCost! / 1024).toFixed(0)} MiB), t=${timeCost}, p=${parallelism}; ${os.cpus().length} CPUs; ${rounds} rounds; load average ${os.loadavg()[0]!.toFixed(1)}`);
console.log(line('hash  ', hashes, hashCpu));
console.log(line('verify', verifies, verifyCpu));
console.log(`  encoded: ${encoded.slice(0, encoded.lastIndexOf('$'))}$…`);
