/**
 * `npm start`: the composition root — the one file that wires the server and
 * the agent worker into one process (neither folder may import the other's
 * entry points). Runs until Ctrl-C (SIGINT) or SIGTERM, then shuts down in
 * reverse order. A second signal forces the exit.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, type Config } from './server/config.ts';
import { createLogger } from './server/observability/logger.ts';
import { startTalemo, type RunningTalemo, type TalemoOptions } from './server/platform/talemo.ts';
import { StartupError } from './server/platform/startup-error.ts';
import type { DemoAccount } from './server/seed/demo-seed.ts';
import { createAgentDispatcher, createWebhookDeliveryQueue, startInProcessWorker } from './worker/index.ts';

/** The worker's side of the platform: queue-backed dispatch, and the worker itself unless TALEMO_WORKER=off. */
export function workerWiring(config: Config): TalemoOptions {
  return {
    agentDispatcher: (context) => createAgentDispatcher(context),
    webhookQueue: (context) => createWebhookDeliveryQueue(context),
    background: config.workerInProcess ? [{ name: 'worker', start: (context) => startInProcessWorker(context) }] : [],
  };
}

const EXIT_CONFIG = 78; // EX_CONFIG from sysexits.h
const EXIT_STARTUP = 1;

async function main(): Promise<void> {
  let config;
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
  let running: RunningTalemo | undefined;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) {
      process.stderr.write('Forced exit.\n');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await running?.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    running = await startTalemo(config, logger, workerWiring(config));
  } catch (err) {
    if (err instanceof StartupError) {
      process.stderr.write(`\nTalemo could not start: ${err.message}\n${err.hint ? `${err.hint}\n` : ''}`);
      process.exit(EXIT_STARTUP);
    }
    throw err;
  }
  if (stopping) return;

  const lines = [
    '',
    `Talemo is running at ${running.url}`,
    `  data directory: ${running.dataDir.root}`,
    `  database:       ${running.databaseLocation}`,
  ];
  if (running.demoAccounts) lines.push(...describeDemo(running.demoAccounts));
  lines.push('Press Ctrl-C to stop.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
  logger.info({ url: running.url }, 'ready');
}

function describeDemo(accounts: DemoAccount[]): string[] {
  const lines = ['', 'A demo was seeded (this start only). Sign in with:'];
  for (const a of accounts.filter((x) => x.email)) {
    lines.push(`  ${a.tenant} · ${a.name} (${a.profile}): ${a.email} / ${a.password}`);
  }
  const kids = accounts.filter((x) => !x.email);
  if (kids.length > 0) {
    lines.push(`  Kids (${kids.map((k) => k.name).join(', ')}) have no password: a parent signs a device in for them (device pairing).`);
  }
  lines.push('  These passwords are shown once; keep them, or reset them from an admin account.', '');
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main().catch((err) => {
  process.stderr.write(`\nTalemo stopped on an unexpected error:\n${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(EXIT_STARTUP);
});
