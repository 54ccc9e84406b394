/**
 * The current tenant, for any signed-in member: name, type, plan, the
 * subscription behind it and the limits in force.
 *
 * The subscription is the running one (active, trialing or past due, the
 * newest first); when none runs, the last one to change whatever its
 * status, so a lapsed or cancelled plan shows as such (the plan then in
 * force is `plan`, the free one).
 */
import { PLAN_LIMIT_KEYS, type Policies } from '../../shapes/policies.ts';
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
  subscription: { plan: string; status: 'active' | 'trialing' | 'past_due' | 'canceled' | 'expired'; start_date: Date; end_date: Date | null; payment_provider: string } | null;
  /** The plan's limits as they apply: the plan's defaults, or the tenant's own settings of those policies. */
  limits: Pick<Policies, (typeof PLAN_LIMIT_KEYS)[number]>;
}

export class TenantService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Open to every member: it is their own family or school. */
  async current(actor: Actor): Promise<TenantView> {
    const viewer = signedIn(actor);
    return this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      async (tx) => {
        const tenant = await tx.maybeOne<Omit<TenantView, 'plan' | 'members' | 'subscription' | 'limits'> & { active: number; total: number }>(
          `SELECT t.id, t.name, t.type, t.created_at, t.updated_at,
                  (SELECT count(*)::int FROM users u WHERE u.tenant_id = t.id AND u.is_active) AS active,
                  (SELECT count(*)::int FROM users u WHERE u.tenant_id = t.id) AS total
           FROM tenants t WHERE t.id = $1`,
          [viewer.tenantId],
        );
        if (!tenant) throw HttpError.notFound('Your family or school');
        const subscription = await tx.maybeOne<NonNullable<TenantView['subscription']>>(
          `SELECT plan, status, start_date, end_date, payment_provider FROM subscriptions
           WHERE tenant_id = $1
           ORDER BY status IN ('active', 'trialing', 'past_due') DESC,
                    -- the running one the plan comes from (as server/auth/viewer-loader.ts picks it), else the last to change
                    CASE WHEN status IN ('active', 'trialing', 'past_due') THEN start_date END DESC NULLS LAST,
                    updated_at DESC
           LIMIT 1`,
          [viewer.tenantId],
        );
        const { active, total, ...rest } = tenant;
        const limits = Object.fromEntries(PLAN_LIMIT_KEYS.map((k) => [k, viewer.policies[k]])) as TenantView['limits'];
        return { ...rest, plan: viewer.plan, members: { active, total }, subscription: subscription ?? null, limits };
      },
      { readOnly: true },
    );
  }
}
