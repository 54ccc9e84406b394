/**
 * The tenant's `max_users` policy, checked whenever a member is added
 * (accepting an invitation, creating a kid account). Counted inside the
 * adding transaction, under a per-tenant lock, so two members joining at the
 * same moment cannot both take the last seat.
 */
import { effectivePolicies, PLANS, type Plan } from '../../shapes/policies.ts';
import type { Tx } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';

export async function assertRoomForMember(tx: Tx, tenantId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('talemo.members:' || $1::text, 0))`, [tenantId]);
  const row = await tx.one<{ members: number; plan: string | null; policies: Array<{ key: string; value: unknown }> }>(
    `SELECT (SELECT count(*)::int FROM users WHERE tenant_id = $1 AND is_active) AS members,
            (SELECT s.plan FROM subscriptions s WHERE s.tenant_id = $1 AND s.status IN ('active', 'trialing', 'past_due')
              ORDER BY s.start_date DESC LIMIT 1) AS plan,
            coalesce((SELECT jsonb_agg(jsonb_build_object('key', key, 'value', value)) FROM tenant_policies
                      WHERE tenant_id = $1 AND key = 'max_users'), '[]') AS policies`,
    [tenantId],
  );
  const plan: Plan = (PLANS as readonly string[]).includes(row.plan ?? '') ? (row.plan as Plan) : 'free';
  const max = effectivePolicies(plan, row.policies).max_users;
  if (row.members >= max) {
    throw HttpError.conflict(`This family already has ${row.members} of its ${max} members. An admin can raise max_users or deactivate a member first.`);
  }
}
