/**
 * Webhooks, both ways.
 *
 * Outgoing (tenant endpoints, events in webhook-events.ts):
 *   recordWebhookEvent(tx, …)  → pending webhook_deliveries rows, in the change's transaction
 *   WebhookDeliveryQueue       → after commit; in-process by default, BullMQ in the worker
 *   processWebhookDelivery     → one signed POST, one recorded attempt, the retry to schedule
 *
 * Incoming (payment provider): verifySignatureHeader + parsePaymentEvent,
 * applied by server/services/subscription-service.ts.
 */
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../observability/logger.ts';
import { processWebhookDelivery, type WebhookDeliveryDeps } from './webhook-delivery.ts';
import { InProcessWebhookQueue } from './webhook-queue.ts';

export { WEBHOOK_EVENTS, recordWebhookEvent, type WebhookDeliveryRef, type WebhookEventType, type WebhookPayload } from './webhook-events.ts';
export { processWebhookDelivery, SIGNATURE_HEADER, type DeliveryOutcome, type WebhookDeliveryDeps } from './webhook-delivery.ts';
export { InProcessWebhookQueue, type WebhookDeliveryQueue } from './webhook-queue.ts';
export { computeSignature, signatureHeader, verifySignatureHeader } from './webhook-signature.ts';

/** The processor's settings from config: retry policy, timeout, and SSRF refusal in production. */
export function webhookDeliveryDeps(config: Config, db: Database, logger?: Logger): WebhookDeliveryDeps {
  return {
    db,
    policy: { maxAttempts: config.webhooks.maxAttempts, baseMs: config.webhooks.retryBaseMs },
    timeoutMs: config.webhooks.timeoutMs,
    publicOnly: config.isProduction,
    logger,
  };
}

/** The default queue: deliveries run in this process. */
export function inProcessWebhookQueue(config: Config, db: Database, logger?: Logger): InProcessWebhookQueue {
  const deps = webhookDeliveryDeps(config, db, logger);
  return new InProcessWebhookQueue((ref) => processWebhookDelivery(deps, ref), logger);
}
