/**
 * `npm run worker`: the agent worker on its own, for scaling out (run as
 * many as the queue needs, and TALEMO_WORKER=off on the servers). On
 * SIGTERM or Ctrl-C it finishes the jobs in flight, then exits; a second
 * signal forces the exit. Exit codes follow `npm start`: 78 for a bad
 * environment, 1 when it cannot start.
 */
import { runProcess } from '../server/platform/process-runner.ts';
import { startStandaloneWorker } from './standalone-worker.ts';

runProcess({
  name: 'The Talemo worker',
  start: (config, logger) => startStandaloneWorker(config, logger),
  describe: (worker) => `Talemo worker running: ${worker.describe}. Ctrl-C to stop.`,
  stoppingMessage: 'worker shutting down: finishing the jobs in flight',
});
