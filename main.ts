/**
 * `npm start`: the composition root — the one file that wires the server and
 * the agent worker into one process (neither folder may import the other's
 * entry points). Runs until Ctrl-C (SIGINT) or SIGTERM, then shuts down in
 * reverse order. A second signal forces the exit.
 */
import type { Config } from './server/config.ts';
import { isEntryPoint, runProcess } from './server/platform/process-runner.ts';
import { startTalemo, type RunningTalemo, type TalemoOptions } from './server/platform/talemo.ts';
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

function describe(running: RunningTalemo): string {
  const lines = [
    '',
    `Talemo is running at ${running.url}`,
    `  data directory: ${running.dataDir.root}`,
    `  database:       ${running.databaseLocation}`,
  ];
  if (running.demoAccounts) lines.push(...describeDemo(running.demoAccounts));
  lines.push('Press Ctrl-C to stop.', '');
  return lines.join('\n');
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

if (isEntryPoint(import.meta.url)) {
  runProcess({ name: 'Talemo', start: (config, logger) => startTalemo(config, logger, workerWiring(config)), describe });
}
