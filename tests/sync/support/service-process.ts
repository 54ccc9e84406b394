/**
 * Starts service-process-main.ts as a child process and waits until it
 * listens; `kill()` sends SIGKILL (no checkpoint, no goodbye).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ShapeServiceOptions } from '../../../sync/service/index.ts';

export interface ServiceProcess {
  url: string;
  pid: number;
  /** What the process printed so far. */
  output(): string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const MAIN = path.join(import.meta.dirname, 'service-process-main.ts');
const ROOT = path.resolve(import.meta.dirname, '../../..');

export async function startServiceProcess(options: ShapeServiceOptions): Promise<ServiceProcess> {
  // SYNC_SERVICE_NODE_ARGS passes extra node flags (for example --cpu-prof when profiling a benchmark).
  const nodeArgs = process.env.SYNC_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', MAIN, JSON.stringify(options)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`shape service process did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /LISTENING (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`shape service process exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    output: () => output,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
