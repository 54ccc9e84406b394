/**
 * The tenant's plan and effective policies (stored values over the plan's
 * defaults, shapes/policies.ts), read the way the server's viewer loader
 * reads them, for checks made without a signed-in viewer.
 */
import { effectivePolicies, PLANS, type Plan, type Policies } from '../../shapes/policies.ts';
import type { Tx } from '../../server/db/database.ts';

export interface TenantLimits {
  plan: Plan;
  policies: Policies;
}

export async function loadTenantLimits(tx: Tx, tenantId: string): Promise<TenantLimits> {
  const row = await tx.one<{ plan: string | null; policies: Array<{ key: string; value: unknown }> }>(
    `SELECT (SELECT s.plan FROM subscriptions s WHERE s.tenant_id = $1 AND s.status IN ('active', 'trialing', 'past_due')
              ORDER BY s.start_date DESC LIMIT 1) AS plan,
            coalesce((SELECT jsonb_agg(jsonb_build_object('key', key, 'value', value)) FROM tenant_policies WHERE tenant_id = $1), '[]') AS policies`,
    [tenantId],
  );
  const plan: Plan = (PLANS as readonly string[]).includes(row.plan ?? '') ? (row.plan as Plan) : 'free';
  return { plan, policies: effectivePolicies(plan, row.policies) };
}
