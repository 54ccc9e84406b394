/**
 * Runs a worker as a child process on a stack's environment: the real
 * `npm run worker` entry (worker/main.ts), the short-lock child
 * (pipeline-worker-child.ts), or the queue suite's worker that takes a
 * job and hangs (tests/support/queue-worker-child.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../../support/talemo-process.ts';
import { waitUntil } from './pipeline-stack.ts';

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string>;
  /** SIGKILL if still running. */
  kill(): void;
}

export async function startWorkerProcess(entry: 'worker/main.ts' | 'tests/pipeline/support/pipeline-worker-child.ts' | 'tests/support/queue-worker-child.ts', env: Record<string, string>, ready: RegExp): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const proc: WorkerProcess = {
    child,
    output: () => text,
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  try {
    await waitUntil(() => ready.test(text) || child.exitCode !== null, `the worker at ${entry} to start`, 60_000, 50);
    if (!ready.test(text)) throw new Error(`the worker exited before it was ready:\n${text}`);
  } catch (err) {
    proc.kill();
    throw err;
  }
  return proc;
}
