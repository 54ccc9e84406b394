/**
 * The payment provider's subscription events, read the way Stripe sends
 * them: `{ id, type: "customer.subscription.updated", created, data: {
 * object: <subscription> } }`. Only the fields we use are checked; the
 * provider adds fields over time, so unknown ones are ignored here (the
 * signature, not the shape, is what makes the body trustworthy).
 *
 * Our checkout puts `metadata.tenant_id` (and `metadata.plan`) on the
 * provider's subscription; the plan may instead come from the price's
 * `lookup_key`.
 */
import { z } from 'zod';
import { PLANS, type Plan } from '../../shapes/policies.ts';

export const SUBSCRIPTION_EVENT_TYPES = ['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted'] as const;

const unix = z.number().int().min(0);
/** Provider identifiers: printable ASCII only (they end up in text columns, which cannot hold NUL). */
const providerId = z.string().regex(/^[\x21-\x7e]{1,255}$/, 'must be a provider identifier (printable ASCII, at most 255 characters)');

export const paymentEventSchema = z.object({
  id: providerId,
  type: providerId,
  created: unix,
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

const subscriptionObject = z.object({
  id: providerId,
  status: providerId,
  metadata: z.object({ tenant_id: z.string().uuid('must be the tenant id (a UUID) put there at checkout'), plan: providerId.optional() }),
  start_date: unix.optional(),
  ended_at: unix.nullable().optional(),
  items: z.object({ data: z.array(z.object({ price: z.object({ lookup_key: z.string().nullable().optional() }).optional() })) }).optional(),
});

export interface SubscriptionChange {
  eventId: string;
  eventCreated: Date;
  providerSubscriptionId: string;
  tenantId: string;
  /** Null when the event does not say (the stored plan stays). */
  plan: Plan | null;
  status: 'active' | 'trialing' | 'past_due' | 'canceled' | 'expired';
  startDate: Date | null;
  endDate: Date | null;
}

export type ParsedPaymentEvent = { kind: 'subscription'; change: SubscriptionChange } | { kind: 'ignored'; type: string } | { kind: 'invalid'; errors: Record<string, string[]> };

/** Stripe's statuses onto ours; "not yet paid" and "paused" count as past due. */
const STATUS: Record<string, SubscriptionChange['status']> = {
  active: 'active',
  trialing: 'trialing',
  past_due: 'past_due',
  unpaid: 'past_due',
  incomplete: 'past_due',
  paused: 'past_due',
  canceled: 'canceled',
  incomplete_expired: 'expired',
};

export function parsePaymentEvent(body: unknown): ParsedPaymentEvent {
  const event = paymentEventSchema.safeParse(body);
  if (!event.success) return { kind: 'invalid', errors: issues(event.error, 'body') };
  if (!(SUBSCRIPTION_EVENT_TYPES as readonly string[]).includes(event.data.type)) return { kind: 'ignored', type: event.data.type };
  const sub = subscriptionObject.safeParse(event.data.data.object);
  if (!sub.success) return { kind: 'invalid', errors: issues(sub.error, 'data.object') };
  const status = event.data.type === 'customer.subscription.deleted' ? 'canceled' : STATUS[sub.data.status];
  if (!status) return { kind: 'invalid', errors: { 'data.object.status': [`"${sub.data.status}" is not a subscription status we know`] } };
  const candidates = [sub.data.items?.data[0]?.price?.lookup_key, sub.data.metadata.plan];
  const plan = (candidates.find((c) => (PLANS as readonly (string | null | undefined)[]).includes(c)) as Plan | undefined) ?? null;
  return {
    kind: 'subscription',
    change: {
      eventId: event.data.id,
      eventCreated: new Date(event.data.created * 1000),
      providerSubscriptionId: sub.data.id,
      tenantId: sub.data.metadata.tenant_id.toLowerCase(),
      plan,
      status,
      startDate: sub.data.start_date !== undefined ? new Date(sub.data.start_date * 1000) : null,
      endDate: sub.data.ended_at ? new Date(sub.data.ended_at * 1000) : null,
    },
  };
}

function issues(error: z.ZodError, prefix: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[[prefix, ...issue.path.map(String)].join('.')] ??= []).push(issue.message);
  return out;
}
