/**
 * `npm run worker`: the agent worker on its own, for scaling out (run as
 * many as the queue needs, and TALEMO_WORKER=off on the servers). On
 * SIGTERM or Ctrl-C it finishes the jobs in flight, then exits; a second
 * signal forces the exit. Exit codes follow `npm start`: 78 for a bad
 * environment, 1 when it cannot start.
 */
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { createLogger } from '../server/observability/logger.ts';
import { StartupError } from '../server/platform/startup-error.ts';
import { startStandaloneWorker, type StandaloneWorker } from './standalone-worker.ts';

const EXIT_CONFIG = 78; // EX_CONFIG from sysexits.h
const EXIT_STARTUP = 1;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee README.md for every setting and its default.\n`);
      process.exit(EXIT_CONFIG);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let worker: StandaloneWorker | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      process.stderr.write('Forced exit.\n');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'worker shutting down: finishing the jobs in flight');
    await worker?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    worker = await startStandaloneWorker(config, logger);
  } catch (err) {
    if (err instanceof StartupError) {
      process.stderr.write(`\nThe Talemo worker could not start: ${err.message}\n${err.hint ? `${err.hint}\n` : ''}`);
      process.exit(EXIT_STARTUP);
    }
    throw err;
  }
  process.stdout.write(`Talemo worker running: ${worker.describe}. Ctrl-C to stop.\n`);
}

main().catch((err) => {
  process.stderr.write(`\nThe Talemo worker stopped on an unexpected error:\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(EXIT_STARTUP);
});
