/**
 * The 'webhook.deliver' handler: one attempt at the delivery of an event to
 * an endpoint, by the governance engineer's processor
 * (server/webhooks/webhook-delivery.ts), which records the attempt and
 * says when to try again; the retry is queued as a delayed job. The
 * processor throws only for our own failures (the database), which BullMQ
 * retries; a receiver's failure is a recorded attempt, not an error.
 */
import type { Database } from '../../server/db/database.ts';
import type { JobPayload } from '../../server/queue/job-registry.ts';
import { processWebhookDelivery, type WebhookDeliveryDeps, type WebhookDeliveryQueue } from '../../server/webhooks/index.ts';

/** A retry row's attempted_at is when it falls due; a little slack covers clock skew with the database. */
const DUE_SLACK_SECONDS = 5;

export async function deliverWebhook(
  deps: { db: Database; delivery: WebhookDeliveryDeps; webhooks: WebhookDeliveryQueue },
  payload: JobPayload<'webhook.deliver'>,
): Promise<{ status: 'succeeded' | 'failed' | 'skipped' }> {
  const due = await deps.db.transaction({ tenantId: payload.tenantId, userId: null }, (tx) =>
    tx.maybeOne<{ id: string }>(
      `SELECT id FROM webhook_deliveries
       WHERE tenant_id = $1 AND webhook_id = $2 AND event_id = $3 AND status = 'pending'
         AND (attempted_at IS NULL OR attempted_at <= now() + make_interval(secs => $4))
       ORDER BY attempt DESC LIMIT 1`,
      [payload.tenantId, payload.webhookId, payload.eventId, DUE_SLACK_SECONDS],
    ),
  );
  if (!due) return { status: 'skipped' };
  const outcome = await processWebhookDelivery(deps.delivery, { tenantId: payload.tenantId, deliveryId: due.id });
  if (outcome.retry) await deps.webhooks.enqueue(outcome.retry.ref, { delayMs: outcome.retry.delayMs });
  return { status: outcome.status };
}
