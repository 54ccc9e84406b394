/**
 * The governance engineer's WebhookDeliveryQueue on BullMQ: each attempt at
 * a delivery is a 'webhook.deliver' job (delayed for retries), so
 * deliveries survive restarts and any worker can make them. The registry's
 * payload names the endpoint and event; the handler finds the attempt that
 * is due (webhook-delivery-job.ts). The job id is the delivery row's, so an
 * attempt is never queued twice.
 */
import type { Database } from '../../server/db/database.ts';
import type { JobQueue } from '../../server/queue/job-queue.ts';
import type { WebhookDeliveryQueue, WebhookDeliveryRef } from '../../server/webhooks/index.ts';

export class QueuedWebhookDeliveryQueue implements WebhookDeliveryQueue {
  constructor(private readonly deps: { jobs: JobQueue; db: Database }) {}

  async enqueue(ref: WebhookDeliveryRef, options: { delayMs?: number } = {}): Promise<void> {
    const delivery = await this.deps.db.transaction({ tenantId: ref.tenantId, userId: null }, (tx) =>
      tx.maybeOne<{ webhook_id: string; event_id: string }>('SELECT webhook_id, event_id FROM webhook_deliveries WHERE id = $1 AND tenant_id = $2', [ref.deliveryId, ref.tenantId]),
    );
    // Gone with its endpoint (deleted webhooks cascade): nothing to deliver.
    if (!delivery) return;
    await this.deps.jobs.enqueue(
      'webhook.deliver',
      { tenantId: ref.tenantId, webhookId: delivery.webhook_id, eventId: delivery.event_id },
      { jobId: `webhook.${ref.deliveryId}`, ...(options.delayMs ? { delayMs: options.delayMs } : {}) },
    );
  }
}
