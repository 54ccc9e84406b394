/**
 * The server's AgentDispatcher on BullMQ: a committed agent task becomes a
 * job. Story generation requests (root QuotaAgent tasks) go to
 * 'agent.pipeline' with a job id keyed by the story version
 * (pipeline/story-version.ts); every other task goes to 'agent.run' keyed
 * by its id. Enqueueing the same task twice is therefore harmless, which is
 * what lets the server's after-commit dispatch and the worker's sweep for
 * pending rows (pending-task-sweep.ts) both run.
 *
 * A second request for a version whose job already exists is a duplicate:
 * while that job waits or runs, it will settle this request too when it
 * finishes (pipeline/duplicate-requests.ts); when it has finished, the
 * request is settled here with its outcome, unless that outcome was a
 * failure, which a new request must be able to retry: the finished job is
 * then replaced by one for this request.
 */
import type { Database } from '../../server/db/database.ts';
import type { Logger } from '../../server/observability/logger.ts';
import type { JobQueue } from '../../server/queue/job-queue.ts';
import { STORY_PIPELINE_ROOT } from '../../server/services/agent-task-input.ts';
import type { AgentDispatcher, AgentTaskRef } from '../../server/services/agent-dispatcher.ts';
import type { WebhookDeliveryQueue } from '../../server/webhooks/index.ts';
import { duplicateOutcome } from '../pipeline/duplicate-requests.ts';
import { pipelineJobId, storyVersion } from '../pipeline/story-version.ts';
import { TASK_COLUMNS, type AgentTaskRow } from '../tasks/agent-task-row.ts';
import { finishTask } from '../tasks/task-completion.ts';
import { parseTaskInput } from '../tasks/task-input.ts';

export interface AgentDispatcherDeps {
  jobs: JobQueue;
  db: Database;
  /** For settling a duplicate request at once (its agent-task-complete webhook). */
  webhooks: WebhookDeliveryQueue;
  logger: Logger;
}

export class QueueAgentDispatcher implements AgentDispatcher {
  constructor(private readonly deps: AgentDispatcherDeps) {}

  async enqueue(task: AgentTaskRef): Promise<void> {
    if (task.agentType !== STORY_PIPELINE_ROOT) {
      await this.deps.jobs.enqueue('agent.run', { tenantId: task.tenantId, taskId: task.id }, { jobId: `agent.${task.id}` });
      return;
    }
    const request = await this.loadRequest(task);
    // Deleted meanwhile, or already settled (a duplicate settled by its first request): nothing to run.
    if (!request || request.task.status === 'completed' || request.task.status === 'failed') return;
    const jobId = request.version ? pipelineJobId(request.task.story_id!, request.version) : `pipeline.task.${task.id}`;
    await this.deps.jobs.enqueue('agent.pipeline', { tenantId: task.tenantId, taskId: task.id }, { jobId });
    await this.handleDuplicate(request.task, jobId);
  }

  /** The task row and its story version; no version when the input or story cannot be read (the job will refuse it). */
  private async loadRequest(ref: AgentTaskRef): Promise<{ task: AgentTaskRow; version: string | null } | null> {
    return this.deps.db.transaction({ tenantId: ref.tenantId, userId: null }, async (tx) => {
      const task = await tx.maybeOne<AgentTaskRow>(`SELECT ${TASK_COLUMNS} FROM agent_tasks WHERE id = $1 AND tenant_id = $2`, [ref.id, ref.tenantId]);
      if (!task) return null;
      const story = task.story_id
        ? await tx.maybeOne<{ id: string; title: string; description: string; content: string; language: string; age_range: string }>(
            'SELECT id, title, description, content, language, age_range FROM stories WHERE id = $1 AND tenant_id = $2',
            [task.story_id, ref.tenantId],
          )
        : undefined;
      let version: string | null = null;
      try {
        const input = parseTaskInput(task);
        if (story && input.agent_type === 'QuotaAgent') version = storyVersion(story, input.input);
      } catch {
        // Unreadable input: keyed by the task alone; the pipeline refuses it with the reason.
      }
      return { task, version };
    });
  }

  private async handleDuplicate(task: AgentTaskRow, jobId: string): Promise<void> {
    const queue = this.deps.jobs.queue('agents');
    const job = await queue.getJob(jobId);
    const ownerId = (job?.data as { taskId?: string } | undefined)?.taskId;
    if (!job || ownerId === task.id || !ownerId) return;
    const state = await job.getState();
    if (state !== 'completed' && state !== 'failed') return; // the running job settles this request when it ends
    const original = await this.deps.db.transaction({ tenantId: task.tenant_id, userId: null }, (tx) =>
      tx.maybeOne<AgentTaskRow>(`SELECT ${TASK_COLUMNS} FROM agent_tasks WHERE id = $1 AND tenant_id = $2`, [ownerId, task.tenant_id]),
    );
    if (original?.status === 'completed') {
      const outcome = duplicateOutcome(original, { status: 'completed', output: (original.output ?? {}) as Record<string, unknown>, error: null });
      await finishTask(this.deps, task, async () => outcome);
      this.deps.logger.info({ task: task.id, duplicateOf: original.id }, 'settled a duplicate story request with the finished one’s outcome');
      return;
    }
    // The earlier attempt failed or is gone: this request gets a fresh run.
    await job.remove();
    await this.deps.jobs.enqueue('agent.pipeline', { tenantId: task.tenant_id, taskId: task.id }, { jobId });
  }
}
