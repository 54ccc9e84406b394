/**
 * The handler for every job in the registry (server/queue/job-registry.ts),
 * typed against it so a missing handler is a compile error, and checked
 * again when the worker starts (job-runner.ts).
 */
import { webhookDeliveryDeps } from '../server/webhooks/index.ts';
import { runAgentTask } from './agents/agent-run.ts';
import { deliverWebhook } from './dispatch/webhook-delivery-job.ts';
import type { FinalFailure, JobHandlers } from './job-runner.ts';
import { runStoryPipeline } from './pipeline/story-pipeline.ts';
import { loadTask } from './tasks/agent-task-row.ts';
import { finishTask } from './tasks/task-completion.ts';
import { abandonedFailure } from './tasks/task-failure.ts';
import type { WorkerDeps } from './worker-deps.ts';

export function createJobHandlers(deps: WorkerDeps): JobHandlers {
  const delivery = webhookDeliveryDeps(deps.config, deps.db, deps.logger);
  return {
    'agent.pipeline': (payload, job) => runStoryPipeline(deps, payload, job),
    'agent.run': (payload, job) => runAgentTask(deps, payload, job),
    'webhook.deliver': (payload) => deliverWebhook({ db: deps.db, delivery, webhooks: deps.webhooks }, payload),
  };
}

/**
 * For jobs that failed for good without their handler recording why (a
 * job whose workers were killed more often than maxStalledCount, or one
 * whose handler could not write its reason): the task, and any stage it left
 * open, fail with a reason instead of staying "processing" forever. Tasks
 * whose handler already recorded the failure are settled and left as they are.
 */
export function recordAbandonedJob(deps: WorkerDeps): (failure: FinalFailure) => Promise<void> {
  return async (failure) => {
    if (failure.name === 'webhook.deliver') return; // its delivery row stays pending, visible to the tenant
    const { tenantId, taskId } = failure.data as { tenantId: string; taskId: string };
    const task = await loadTask(deps.db, tenantId, taskId);
    if (!task || task.status === 'completed' || task.status === 'failed') return;
    const { reason, detail } = abandonedFailure(failure.error);
    await finishTask(deps, task, async ({ tx }) => {
      await tx.execute(
        `UPDATE agent_tasks SET status = 'failed', error = $3, completed_at = now() WHERE parent_task_id = $1 AND tenant_id = $2 AND status IN ('pending', 'processing')`,
        [task.id, task.tenant_id, reason],
      );
      return { status: 'failed', output: { outcome: 'failed', story_id: task.story_id, failure: { detail } }, error: reason };
    });
  };
}
