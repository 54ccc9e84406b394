/**
 * The current tenant, for any signed-in member: name, type, plan and the
 * subscription behind it.
 */
import { HttpError } from '../http/http-error.ts';
import { signedIn, type Actor } from './authorization.ts';
import type { ServiceDeps } from './service-deps.ts';

export interface TenantView {
  id: string;
  name: string;
  type: 'family' | 'institution';
  plan: string;
  created_at: Date;
  updated_at: Date;
  members: { active: number; total: number };
  subscription: { plan: string; status: string; start_date: Date; end_date: Date | null; payment_provider: string } | null;
}

export class TenantService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Open to every member: it is their own family or school. */
  async current(actor: Actor): Promise<TenantView> {
    const viewer = signedIn(actor);
    return this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      async (tx) => {
        const tenant = await tx.maybeOne<Omit<TenantView, 'plan' | 'members' | 'subscription'> & { active: number; total: number }>(
          `SELECT t.id, t.name, t.type, t.created_at, t.updated_at,
                  (SELECT count(*)::int FROM users u WHERE u.tenant_id = t.id AND u.is_active) AS active,
                  (SELECT count(*)::int FROM users u WHERE u.tenant_id = t.id) AS total
           FROM tenants t WHERE t.id = $1`,
          [viewer.tenantId],
        );
        if (!tenant) throw HttpError.notFound('Your family or school');
        const subscription = await tx.maybeOne<NonNullable<TenantView['subscription']>>(
          `SELECT plan, status, start_date, end_date, payment_provider FROM subscriptions
           WHERE tenant_id = $1 AND status IN ('active', 'trialing', 'past_due') ORDER BY start_date DESC LIMIT 1`,
          [viewer.tenantId],
        );
        const { active, total, ...rest } = tenant;
        return { ...rest, plan: viewer.plan, members: { active, total }, subscription: subscription ?? null };
      },
      { readOnly: true },
    );
  }
}
