/**
 * Applies the payment provider's subscription-status webhooks to
 * `subscriptions`. No session is involved: the provider proves itself with
 * `Stripe-Signature` (HMAC-SHA256 over `t.body` with PAYMENT_WEBHOOK_SECRET,
 * timestamp within PAYMENT_WEBHOOK_TOLERANCE_SECONDS), checked against the
 * raw body before anything is parsed.
 *
 * Events may repeat or arrive out of order: each subscription keeps the
 * newest event applied (migrations/022), and an event that is not newer
 * changes nothing. The change is audited (actor: system), and sent to the
 * tenant's `subscription-status` webhooks. The plan feeds policy defaults
 * from the next request on.
 */
import { HttpError } from '../http/http-error.ts';
import type { RequestMeta } from '../audit/audit-writer.ts';
import { parsePaymentEvent, type SubscriptionChange } from '../webhooks/payment-event.ts';
import { recordWebhookEvent } from '../webhooks/webhook-events.ts';
import { verifySignatureHeader } from '../webhooks/webhook-signature.ts';
import { auditGovernance } from './governance-audit.ts';
import type { ServiceDeps } from './service-deps.ts';
import { inTenant } from './tenant-transaction.ts';

export const PAYMENT_SIGNATURE_HEADER = 'Stripe-Signature';
const PROVIDER = 'stripe';
const LIVE_STATUSES = ['active', 'trialing', 'past_due'];

export interface ProviderEventResult {
  /** False for events we do not act on, and for repeats or stale events. */
  applied: boolean;
  reason: string;
  subscription_id: string | null;
}

interface StoredSubscription {
  id: string;
  plan: string;
  status: string;
  end_date: Date | null;
  provider_event_id: string | null;
  provider_event_at: Date | null;
}

export class SubscriptionService {
  constructor(private readonly deps: ServiceDeps) {}

  async applyProviderEvent(rawBody: string, signature: string | undefined, meta: RequestMeta): Promise<ProviderEventResult> {
    const { paymentSecret, paymentToleranceSeconds } = this.deps.config.webhooks;
    if (!paymentSecret) throw new HttpError(503, 'Payment webhooks are not configured here. Set PAYMENT_WEBHOOK_SECRET to the endpoint secret from the payment provider.');
    const check = verifySignatureHeader(signature, rawBody, paymentSecret, { toleranceSeconds: paymentToleranceSeconds });
    if (!check.ok) throw HttpError.badRequest(`The ${PAYMENT_SIGNATURE_HEADER} header does not verify: ${check.reason}.`, { [`header.${PAYMENT_SIGNATURE_HEADER.toLowerCase()}`]: [check.reason] });

    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw HttpError.badRequest('The request body is not valid JSON.', { body: ['must be valid JSON'] });
    }
    const event = parsePaymentEvent(body);
    if (event.kind === 'invalid') throw HttpError.invalid(event.errors);
    if (event.kind === 'ignored') return { applied: false, reason: `${event.type} events are not used`, subscription_id: null };
    return this.apply(event.change, meta);
  }

  private async apply(change: SubscriptionChange, meta: RequestMeta): Promise<ProviderEventResult> {
    return inTenant(this.deps, { tenantId: change.tenantId, userId: null }, async (tx, after) => {
      const tenant = await tx.maybeOne('SELECT 1 FROM tenants WHERE id = $1', [change.tenantId]);
      if (!tenant) throw HttpError.invalid({ 'data.object.metadata.tenant_id': ['names no tenant here'] });
      const current = await tx.maybeOne<StoredSubscription>(
        `SELECT id, plan, status, end_date, provider_event_id, provider_event_at FROM subscriptions
         WHERE payment_provider = $1 AND provider_subscription_id = $2 FOR UPDATE`,
        [PROVIDER, change.providerSubscriptionId],
      );
      if (current && (current.provider_event_id === change.eventId || (current.provider_event_at && current.provider_event_at >= change.eventCreated))) {
        return { applied: false, reason: 'an event at least as new was already applied', subscription_id: current.id };
      }
      let row: StoredSubscription;
      if (current) {
        row = await tx.one<StoredSubscription>(
          `UPDATE subscriptions SET plan = coalesce($2, plan), status = $3, start_date = coalesce($4, start_date), end_date = $5,
                  provider_event_id = $6, provider_event_at = $7
           WHERE id = $1 RETURNING id, plan, status, end_date, provider_event_id, provider_event_at`,
          [current.id, change.plan, change.status, change.startDate, change.endDate, change.eventId, change.eventCreated],
        );
      } else {
        if (!change.plan) throw HttpError.invalid({ 'data.object.metadata.plan': ['must name the plan (free, premium or institution) for a new subscription'] });
        row = await tx
          .one<StoredSubscription>(
            `INSERT INTO subscriptions (tenant_id, plan, status, start_date, end_date, payment_provider, provider_subscription_id, provider_event_id, provider_event_at)
             VALUES ($1, $2, $3, coalesce($4, now()), $5, $6, $7, $8, $9)
             RETURNING id, plan, status, end_date, provider_event_id, provider_event_at`,
            [change.tenantId, change.plan, change.status, change.startDate, change.endDate, PROVIDER, change.providerSubscriptionId, change.eventId, change.eventCreated],
          )
          .catch((err: unknown) => {
            // The unique (provider, subscription) index spans tenants: this subscription is another tenant's.
            if ((err as { code?: string }).code === '23505') throw HttpError.conflict('This provider subscription belongs to another tenant.');
            throw err;
          });
      }
      // A live paid subscription supersedes the free placeholder every tenant starts with.
      const superseded = LIVE_STATUSES.includes(row.status)
        ? await tx.query<{ id: string }>(
            `UPDATE subscriptions SET status = 'canceled', end_date = greatest(now(), start_date)
             WHERE tenant_id = $1 AND payment_provider = 'none' AND status IN ('active', 'trialing', 'past_due') RETURNING id`,
            [change.tenantId],
          )
        : [];
      const before = current ? { plan: current.plan, status: current.status, end_date: current.end_date } : null;
      const afterValue = { plan: row.plan, status: row.status, end_date: row.end_date };
      await auditGovernance(tx, after, change.tenantId, {
        action: 'subscription.update', actorId: null, actorKind: 'system', targetType: 'subscription', targetId: row.id, before,
        after: superseded.length > 0 ? { ...afterValue, superseded: superseded.map((r) => r.id) } : afterValue,
      }, meta);
      after.webhooks.push(
        ...(await recordWebhookEvent(tx, change.tenantId, 'subscription-status', {
          subscription_id: row.id, provider: PROVIDER, provider_event_id: change.eventId, ...afterValue, previous_status: current?.status ?? null,
        })),
      );
      return { applied: true, reason: 'applied', subscription_id: row.id };
    });
  }
}
