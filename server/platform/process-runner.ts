/**
 * The lifecycle every Talemo process shares (`npm start`, `npm run worker`,
 * `npm run sync`): validate the environment (exit 78 with every bad
 * variable), start, print how to reach it, and on SIGINT/SIGTERM stop in
 * order; a second signal forces the exit. A StartupError is printed as a
 * sentence and a hint (exit 1), never as a stack.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { StartupError } from './startup-error.ts';

const EXIT_CONFIG = 78; // EX_CONFIG from sysexits.h
const EXIT_STARTUP = 1;
const EXIT_FORCED = 130;

export interface Stoppable {
  stop(): Promise<void>;
}

export interface ProcessSpec<T extends Stoppable> {
  /** As people call it: "Talemo", "The Talemo worker", "The shape service". */
  name: string;
  start(config: Config, logger: Logger): Promise<T>;
  /** What to print once it runs. */
  describe(running: T): string;
  /** Logged when a signal starts the shutdown; says what the wait is for. */
  stoppingMessage?: string;
}

export function runProcess<T extends Stoppable>(spec: ProcessSpec<T>): void {
  run(spec).catch((err) => {
    process.stderr.write(`\n${spec.name} stopped on an unexpected error:\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT_STARTUP);
  });
}

async function run<T extends Stoppable>(spec: ProcessSpec<T>): Promise<void> {
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
  let running: T | undefined;
  let stopping = false;
  const stopAndExit = async () => {
    await running?.stop();
    logger.info('stopped');
    process.exit(0);
  };
  const shutdown = async (signal: string) => {
    if (stopping) {
      process.stderr.write('Forced exit.\n');
      process.exit(EXIT_FORCED);
    }
    stopping = true;
    logger.info({ signal }, spec.stoppingMessage ?? 'shutting down');
    // A signal during start-up is honoured once start-up returns: what has
    // started (Postgres, say) is stopped in order rather than orphaned.
    if (running) await stopAndExit();
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    running = await spec.start(config, logger);
  } catch (err) {
    if (err instanceof StartupError) {
      process.stderr.write(`\n${spec.name} could not start: ${err.message}\n${err.hint ? `${err.hint}\n` : ''}`);
      process.exit(EXIT_STARTUP);
    }
    throw err;
  }
  if (stopping) return stopAndExit();
  process.stdout.write(`${spec.describe(running)}\n`);
  logger.info('ready');
}

/** True when `moduleUrl` is the script node was asked to run (not an import of it). */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(path.resolve(script)).href === moduleUrl;
}
