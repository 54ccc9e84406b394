/**
 * Outgoing webhook events and the transactional outbox they go through.
 *
 * `recordWebhookEvent` runs inside the caller's transaction: it writes one
 * pending `webhook_deliveries` row (attempt 1) per active endpoint of the
 * tenant subscribed to the event, so the event commits or vanishes with the
 * change it describes. After the commit, the caller hands the returned refs
 * to a `WebhookDeliveryQueue` (webhook-queue.ts), which runs the delivery
 * processor (webhook-delivery.ts).
 *
 * Receivers get at-least-once delivery: dedupe on the payload's `id`.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/database.ts';

export const WEBHOOK_EVENTS = ['agent-task-complete', 'subscription-status', 'audit-event', 'profile-change', 'tenant-policy-update'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** The JSON body every delivery carries. */
export interface WebhookPayload {
  /** The event id: the same across every attempt and endpoint. */
  id: string;
  type: WebhookEventType;
  /** Unix seconds when the event happened. */
  created: number;
  tenant_id: string;
  data: Record<string, unknown>;
}

/** One attempt to deliver, as the queue carries it. */
export interface WebhookDeliveryRef {
  tenantId: string;
  deliveryId: string;
}

/**
 * Queues `type` for every active endpoint of the tenant that subscribed to it.
 * Must run in a transaction whose context is `tenantId`. Returns the
 * deliveries to enqueue once the transaction has committed.
 */
export async function recordWebhookEvent(tx: Tx, tenantId: string, type: WebhookEventType, data: Record<string, unknown>): Promise<WebhookDeliveryRef[]> {
  const payload: WebhookPayload = { id: randomUUID(), type, created: Math.floor(Date.now() / 1000), tenant_id: tenantId, data };
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO webhook_deliveries (tenant_id, webhook_id, event_id, event_type, payload, attempt, status)
     SELECT w.tenant_id, w.id, $2, $3, $4, 1, 'pending'
     FROM webhooks w
     WHERE w.tenant_id = $1 AND w.is_active AND $3 = ANY (w.events)
     RETURNING id`,
    [tenantId, payload.id, type, JSON.stringify(payload)],
  );
  return rows.map((r) => ({ tenantId, deliveryId: r.id }));
}
