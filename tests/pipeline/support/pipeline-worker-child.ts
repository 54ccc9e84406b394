/**
 * A standalone worker process (worker/standalone-worker.ts, what
 * `npm run worker` runs) with the tests' short job locks, so the recovery
 * suite can kill it with SIGKILL mid-job and see another worker take the job
 * over within seconds. Configured by the stack's environment.
 */
import { loadConfig } from '../../../server/config.ts';
import { createLogger } from '../../../server/observability/logger.ts';
import { startStandaloneWorker } from '../../../worker/standalone-worker.ts';
import { TEST_TIMING } from './pipeline-stack.ts';

const config = loadConfig(process.env);
await startStandaloneWorker(config, createLogger(config.logLevel), { timing: TEST_TIMING });
process.stdout.write('worker ready\n');
