/**
 * Tenant policies: every key of the registry (shapes/policies.ts) with its
 * effective value, and updates to one key.
 *
 * - list: any member (the policies apply to them, and their devices enforce
 *   them offline).
 * - update: `policies.manage`. The registry validates the value; unknown
 *   keys are refused. `max_users` may not drop below today's active members.
 *   The change is audited, sent to `tenant-policy-update` webhooks, and
 *   applies from the very next request (viewers are rebuilt per request).
 */
import { POLICY_KEYS, effectivePolicies, policyDefaults, validatePolicy, type PolicyKey } from '../../shapes/policies.ts';
import type { Viewer } from '../../shapes/viewer.ts';
import type { Tx } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import { recordWebhookEvent } from '../webhooks/webhook-events.ts';
import { authorize, signedIn, type Actor } from './authorization.ts';
import { auditGovernance } from './governance-audit.ts';
import type { ServiceDeps } from './service-deps.ts';
import { inTenant } from './tenant-transaction.ts';

export interface PolicyEntry {
  key: PolicyKey;
  /** The value in force: the stored one, or the plan's default. */
  value: unknown;
  /** The plan's default. */
  default: unknown;
  /** Whether the tenant has set this key. */
  is_set: boolean;
  updated_at: Date | null;
  updated_by: string | null;
}

interface StoredPolicy {
  key: string;
  value: unknown;
  updated_at: Date;
  updated_by: string | null;
}

export class PolicyService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor): Promise<PolicyEntry[]> {
    const viewer = signedIn(actor);
    return this.deps.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => entries(viewer, await stored(tx, viewer.tenantId)), { readOnly: true });
  }

  async update(actor: Actor, key: string, value: unknown): Promise<PolicyEntry> {
    const viewer = authorize(actor, 'policies.manage');
    const check = validatePolicy(key, value);
    if (!check.ok) {
      const errors = Object.fromEntries(Object.entries(check.errors).map(([field, reasons]) => [field === 'key' ? 'path.key' : field, reasons]));
      throw HttpError.invalid(errors);
    }
    const policyKey = key as PolicyKey;
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      if (policyKey === 'max_users') {
        const { active } = await tx.one<{ active: number }>('SELECT count(*)::int AS active FROM users WHERE tenant_id = $1 AND is_active', [viewer.tenantId]);
        if ((check.value as number) < active) {
          throw HttpError.conflict(`max_users cannot be below the ${active} members who are active now. Deactivate members first.`, { value: [`must be at least ${active}`] });
        }
      }
      const previous = await tx.maybeOne<{ value: unknown }>('SELECT value FROM tenant_policies WHERE tenant_id = $1 AND key = $2 FOR UPDATE', [viewer.tenantId, policyKey]);
      await tx.execute(
        `INSERT INTO tenant_policies (tenant_id, key, value, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by`,
        [viewer.tenantId, policyKey, JSON.stringify(check.value), viewer.userId],
      );
      await auditGovernance(tx, after, viewer.tenantId, {
        action: 'policy.update', actorId: viewer.userId, targetType: 'policy', targetId: policyKey,
        before: previous ? { value: previous.value } : null, after: { value: check.value },
      }, actor.meta);
      after.webhooks.push(
        ...(await recordWebhookEvent(tx, viewer.tenantId, 'tenant-policy-update', { key: policyKey, value: check.value, previous: previous?.value ?? null, updated_by: viewer.userId })),
      );
      const entry = entries(viewer, await stored(tx, viewer.tenantId)).find((e) => e.key === policyKey);
      return entry!;
    });
  }
}

async function stored(tx: Tx, tenantId: string): Promise<StoredPolicy[]> {
  return tx.query<StoredPolicy>('SELECT key, value, updated_at, updated_by FROM tenant_policies WHERE tenant_id = $1', [tenantId]);
}

function entries(viewer: Viewer, rows: StoredPolicy[]): PolicyEntry[] {
  const defaults = policyDefaults(viewer.plan);
  const effective = effectivePolicies(viewer.plan, rows);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return POLICY_KEYS.map((key) => {
    const row = byKey.get(key);
    const valid = row !== undefined && validatePolicy(key, row.value).ok;
    return { key, value: effective[key], default: defaults[key], is_set: valid, updated_at: row?.updated_at ?? null, updated_by: row?.updated_by ?? null };
  });
}
