/**
 * The real agent dispatch for suites that run the app without a worker: the
 * queue-backed AgentDispatcher on BullMQ's PostgreSQL backend in the suite's
 * own database. Nothing consumes the jobs, so a test can read exactly what
 * the app handed to the worker.
 */
import type { AgentDispatcher } from '../../server/services/agent-dispatcher.ts';
import { silentLogger } from '../../server/observability/logger.ts';
import { createAgentDispatcher, createJobQueue } from '../../worker/index.ts';
import type { TestDatabase } from './test-database.ts';

export interface QueuedTask {
  id: string;
  tenantId: string;
  /** 'agent.pipeline' for a story request, 'agent.run' for any other agent. */
  job: string;
}

export interface AgentQueue {
  dispatcher: AgentDispatcher;
  /** Every agent job on the queue, oldest first. */
  queuedTasks(): Promise<QueuedTask[]>;
  close(): Promise<void>;
}

export function realAgentQueue(t: TestDatabase): AgentQueue {
  const jobs = createJobQueue({ redisUrl: undefined }, t.urls);
  const dispatcher = createAgentDispatcher({ jobs, db: t.db, logger: silentLogger() });
  return {
    dispatcher,
    async queuedTasks() {
      const all = await jobs.queue('agents').getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'], 0, -1, true);
      return all.map((job) => ({ id: job.data.taskId as string, tenantId: job.data.tenantId as string, job: job.name }));
    },
    close: () => jobs.close(),
  };
}
