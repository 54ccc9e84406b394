/**
 * What a service hands on after its commit (agent tasks to the worker,
 * webhook deliveries to their queue) must wait for the mutation's commit
 * when the service runs in a joined transaction (joined-database.ts):
 * the service's own "after commit" comes before the real one there. These
 * stand-ins hold the hand-offs, and `release` passes them on once the
 * mutation has committed; a rolled-back mutation simply drops them.
 */
import type { Logger } from '../observability/logger.ts';
import type { AgentDispatcher, AgentTaskRef } from '../services/agent-dispatcher.ts';
import type { WebhookDeliveryQueue } from '../webhooks/webhook-queue.ts';
import type { WebhookDeliveryRef } from '../webhooks/webhook-events.ts';

export interface HandOffTargets {
  agents: AgentDispatcher;
  webhookQueue: WebhookDeliveryQueue;
  logger: Logger;
}

export class HeldHandOffs {
  readonly agentTasks: AgentTaskRef[] = [];
  readonly webhooks: WebhookDeliveryRef[] = [];

  readonly agents: AgentDispatcher = {
    enqueue: async (task) => {
      this.agentTasks.push(task);
    },
  };

  readonly webhookQueue: WebhookDeliveryQueue = {
    enqueue: async (ref) => {
      this.webhooks.push(ref);
    },
  };

  /** Drops what was held: the work that produced it was undone. */
  discard(): void {
    this.agentTasks.length = 0;
    this.webhooks.length = 0;
  }

  /**
   * Passes everything held to the real targets. Like the services' own
   * after-commit step, a failure is logged with what stays behind (a pending
   * row the worker's sweep picks up) and never thrown: the write has
   * committed and its answer stands.
   */
  async release(to: HandOffTargets): Promise<void> {
    for (const ref of this.webhooks.splice(0)) {
      await to.webhookQueue.enqueue(ref).catch((err: unknown) => to.logger.error({ err, delivery: ref.deliveryId }, 'could not enqueue a webhook delivery; its row stays pending'));
    }
    for (const task of this.agentTasks.splice(0)) {
      await to.agents.enqueue(task).catch((err: unknown) => to.logger.error({ err, task: task.id }, 'could not hand an agent task to the worker; it stays pending'));
    }
  }
}
