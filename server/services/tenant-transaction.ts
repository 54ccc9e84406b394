/**
 * A service's unit of work: `db.transaction` under the tenant/user context,
 * plus the side effects that may only happen once it has committed (enqueue
 * webhook deliveries and agent tasks, remove stored files). Work inside
 * collects them on `after`; they run after COMMIT, never after ROLLBACK.
 */
import type { DbContext, TransactionOptions, Tx } from '../db/database.ts';
import type { WebhookDeliveryRef } from '../webhooks/webhook-events.ts';
import type { AgentTaskRef } from './agent-dispatcher.ts';
import type { ServiceDeps } from './service-deps.ts';

export interface AfterCommit {
  webhooks: WebhookDeliveryRef[];
  agentTasks: AgentTaskRef[];
  /** Other cleanups, e.g. deleting a stored object whose row is gone. */
  cleanups: Array<{ what: string; run: () => Promise<void> }>;
}

export async function inTenant<T>(
  deps: ServiceDeps,
  context: DbContext,
  work: (tx: Tx, after: AfterCommit) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const after: AfterCommit = { webhooks: [], agentTasks: [], cleanups: [] };
  const result = await deps.db.transaction(context, (tx) => work(tx, after), options);
  await runAfterCommit(deps, after);
  return result;
}

/**
 * Each effect is attempted even when an earlier one fails; failures are
 * logged with what is left behind (a pending delivery or task row, an
 * orphaned file), never thrown at a caller whose change has committed.
 */
async function runAfterCommit(deps: ServiceDeps, after: AfterCommit): Promise<void> {
  for (const ref of after.webhooks) {
    await deps.webhookQueue.enqueue(ref).catch((err: unknown) => deps.logger.error({ err, delivery: ref.deliveryId }, 'could not enqueue a webhook delivery; its row stays pending'));
  }
  for (const task of after.agentTasks) {
    await deps.agents.enqueue(task).catch((err: unknown) => deps.logger.error({ err, task: task.id }, 'could not hand an agent task to the worker; it stays pending'));
  }
  for (const cleanup of after.cleanups) {
    await cleanup.run().catch((err: unknown) => deps.logger.error({ err }, `cleanup failed: ${cleanup.what}`));
  }
}
