/**
 * Finishing a request: what must commit with it (the story published,
 * duplicates settled), its final row, and the agent-task-complete webhook,
 * all in one transaction. Webhook deliveries are recorded in that
 * transaction (the governance outbox, server/webhooks) and handed to the
 * delivery queue only after it commits.
 */
import type { Database, Tx } from '../../server/db/database.ts';
import type { Logger } from '../../server/observability/logger.ts';
import { recordWebhookEvent, type WebhookDeliveryQueue, type WebhookDeliveryRef } from '../../server/webhooks/index.ts';
import { settleTask, taskContext, type AgentTaskRow, type TaskOutcome } from './agent-task-row.ts';

export interface CompletionDeps {
  db: Database;
  webhooks: WebhookDeliveryQueue;
  logger: Logger;
}

export interface Finishing {
  tx: Tx;
  /** Settles another open task in this transaction and records its webhook; false when it was no longer open. */
  settleAlso(task: Pick<AgentTaskRow, 'id' | 'tenant_id' | 'agent_type' | 'story_id'>, outcome: TaskOutcome): Promise<boolean>;
}

/**
 * Runs `produce` (which writes what commits with the task and returns the
 * task's outcome), then settles the task. Returns the outcome, or null when
 * the task had already been settled, in which case nothing commits.
 */
export async function finishTask(deps: CompletionDeps, task: AgentTaskRow, produce: (finishing: Finishing) => Promise<TaskOutcome>): Promise<TaskOutcome | null> {
  const refs: WebhookDeliveryRef[] = [];
  let outcome: TaskOutcome | null;
  try {
    outcome = await deps.db.transaction(taskContext(task), async (tx) => {
      const settle = async (t: Pick<AgentTaskRow, 'id' | 'tenant_id' | 'agent_type' | 'story_id'>, o: TaskOutcome) => {
        if (!(await settleTask(tx, t, o))) return false;
        refs.push(...(await recordWebhookEvent(tx, t.tenant_id, 'agent-task-complete', completionEvent(t, o))));
        return true;
      };
      const result = await produce({ tx, settleAlso: settle });
      // Settled meanwhile (a duplicate delivery of the job): undo what `produce` wrote.
      if (!(await settle(task, result))) throw new AlreadySettled();
      return result;
    });
  } catch (err) {
    // Rolled back: the deliveries recorded inside do not exist.
    refs.length = 0;
    if (!(err instanceof AlreadySettled)) throw err;
    outcome = null;
  }
  for (const ref of refs) {
    await deps.webhooks.enqueue(ref).catch((err: unknown) =>
      deps.logger.error({ err, delivery: ref.deliveryId, task: task.id }, 'could not enqueue the agent-task-complete webhook; the delivery stays pending'),
    );
  }
  return outcome;
}

class AlreadySettled extends Error {}

/** The event's data: what a receiver needs to act without another call. */
function completionEvent(task: Pick<AgentTaskRow, 'id' | 'agent_type' | 'story_id'>, outcome: TaskOutcome): Record<string, unknown> {
  return {
    task_id: task.id,
    agent_type: task.agent_type,
    status: outcome.status,
    outcome: typeof outcome.output.outcome === 'string' ? outcome.output.outcome : outcome.status,
    story_id: task.story_id,
    error: outcome.error,
  };
}
