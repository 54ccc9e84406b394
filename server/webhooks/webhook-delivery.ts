/**
 * The delivery processor: one attempt at one pending delivery row.
 *
 * 1. Read the pending row and its endpoint (in the tenant's RLS context).
 * 2. POST the stored payload, signed (`Talemo-Signature: t=…,v1=…`), outside
 *    any transaction: a slow receiver must not hold a database connection.
 * 3. Record the outcome on the row, and on failure insert the next attempt's
 *    row (pending, attempted_at = when it is due) unless attempts are used
 *    up. Every attempt is therefore one row, numbered from 1.
 *
 * Success is any 2xx. Anything else (3xx included: redirects are never
 * followed), a timeout or a network error is a failure to retry.
 */
import type { Database } from '../db/database.ts';
import type { Logger } from '../observability/logger.ts';
import type { WebhookDeliveryRef, WebhookPayload } from './webhook-events.ts';
import { postWebhook, type PostResult } from './webhook-http-client.ts';
import { nextRetryDelayMs, type RetryPolicy } from './webhook-retry-policy.ts';
import { signatureHeader } from './webhook-signature.ts';

export interface WebhookDeliveryDeps {
  db: Database;
  policy: RetryPolicy;
  timeoutMs: number;
  /** Refuse loopback/private destinations at connect time (production). */
  publicOnly: boolean;
  logger?: Logger;
}

export interface DeliveryOutcome {
  status: 'succeeded' | 'failed' | 'skipped';
  /** The next attempt, when this one failed and attempts remain. */
  retry: { ref: WebhookDeliveryRef; delayMs: number } | null;
}

interface PendingDelivery {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  payload: WebhookPayload;
  attempt: number;
  url: string;
  secret: string;
  is_active: boolean;
}

export const SIGNATURE_HEADER = 'Talemo-Signature';

/** Makes one attempt at `ref`; never throws for a receiver's failure, only for our own (database). */
export async function processWebhookDelivery(deps: WebhookDeliveryDeps, ref: WebhookDeliveryRef): Promise<DeliveryOutcome> {
  const context = { tenantId: ref.tenantId, userId: null };
  const delivery = await deps.db.transaction(context, (tx) =>
    tx.maybeOne<PendingDelivery>(
      `SELECT d.id, d.webhook_id, d.event_id, d.event_type, d.payload, d.attempt, w.url, w.secret, w.is_active
       FROM webhook_deliveries d JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
       WHERE d.id = $1 AND d.status = 'pending'`,
      [ref.deliveryId],
    ),
  );
  // Already delivered by another runner, or the endpoint was deleted (cascade).
  if (!delivery) return { status: 'skipped', retry: null };

  const attemptedAt = new Date();
  let result: PostResult | undefined;
  let error: string | null = null;
  if (!delivery.is_active) {
    error = 'the endpoint is disabled';
  } else {
    const body = JSON.stringify(delivery.payload);
    try {
      result = await postWebhook(
        new URL(delivery.url),
        body,
        {
          'content-type': 'application/json',
          'user-agent': 'Talemo-Webhooks/1',
          'talemo-event': delivery.event_type,
          'talemo-event-id': delivery.event_id,
          'talemo-delivery': delivery.id,
          'talemo-delivery-attempt': String(delivery.attempt),
          [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(delivery.secret, body),
        },
        { timeoutMs: deps.timeoutMs, publicOnly: deps.publicOnly },
      );
      if (result.status < 200 || result.status >= 300) error = `the endpoint answered HTTP ${result.status}`;
    } catch (err) {
      error = `the request failed: ${(err as Error).message}`;
    }
  }

  const succeeded = error === null;
  const delayMs = succeeded || !delivery.is_active ? null : nextRetryDelayMs(deps.policy, delivery.attempt);
  const nextAt = delayMs === null ? null : new Date(Date.now() + delayMs);
  const next = await deps.db.transaction(context, async (tx) => {
    const updated = await tx.execute(
      `UPDATE webhook_deliveries
       SET status = $2, response_status = $3, response_excerpt = $4, error = $5, duration_ms = $6, attempted_at = $7, next_attempt_at = $8
       WHERE id = $1 AND status = 'pending'`,
      [delivery.id, succeeded ? 'succeeded' : 'failed', result?.status ?? null, result?.excerpt ?? null, error, result?.durationMs ?? null, attemptedAt, nextAt],
    );
    if (updated === 0 || nextAt === null) return null;
    return tx.maybeOne<{ id: string }>(
      `INSERT INTO webhook_deliveries (tenant_id, webhook_id, event_id, event_type, payload, attempt, status, attempted_at)
       SELECT tenant_id, webhook_id, event_id, event_type, payload, attempt + 1, 'pending', $2
       FROM webhook_deliveries WHERE id = $1
       ON CONFLICT (webhook_id, event_id, attempt) DO NOTHING
       RETURNING id`,
      [delivery.id, nextAt],
    );
  });

  if (!succeeded) deps.logger?.warn({ delivery: delivery.id, webhook: delivery.webhook_id, attempt: delivery.attempt, error, retryInMs: delayMs }, 'webhook delivery failed');
  return {
    status: succeeded ? 'succeeded' : 'failed',
    retry: next && delayMs !== null ? { ref: { tenantId: ref.tenantId, deliveryId: next.id }, delayMs } : null,
  };
}
