/**
 * Creating a tenant with everything a new tenant starts with: the three
 * default profiles, the starting policies (plan limits stay unset, so they
 * follow the plan), an active
 * subscription, and its first member on the Tenant Admin profile.
 *
 * Signing up (password, Google or Apple) and the demo seed call this. There is no
 * permission check: creating a tenant is what signing up *is*, and the
 * creator becomes its admin. Callers rate-limit it.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_PROFILES, type DefaultProfile } from '../../shapes/permissions.ts';
import { startingPolicies, type Plan } from '../../shapes/policies.ts';
import type { Database, Tx } from '../db/database.ts';

export type DefaultProfileKey = keyof typeof DEFAULT_PROFILES;

export interface NewTenantSpec {
  name: string;
  type: 'family' | 'institution';
  plan: Plan;
  /** The first member, who becomes Tenant Admin. */
  admin: { email: string | null; displayName: string };
}

export interface CreatedTenant {
  tenantId: string;
  adminUserId: string;
  profileIds: Record<DefaultProfileKey, string>;
}

/**
 * Opens a transaction in the context of a brand-new tenant id, creates the
 * tenant, then lets `then` add what belongs with it (credentials, identity,
 * session, audit) in the same transaction, so a sign-up commits whole or not
 * at all.
 */
export async function withNewTenant<T>(db: Database, spec: NewTenantSpec, then: (tx: Tx, created: CreatedTenant) => Promise<T>): Promise<T> {
  // The id is chosen here so the transaction's RLS context can name it before the row exists.
  const tenantId = randomUUID();
  return db.transaction({ tenantId, userId: null }, async (tx) => {
    const created = await createTenant(tx, tenantId, spec);
    return then(tx, created);
  });
}

/** Creates the tenant rows. Must run in a transaction whose context is `tenantId`. */
export async function createTenant(tx: Tx, tenantId: string, spec: NewTenantSpec): Promise<CreatedTenant> {
  await tx.execute('INSERT INTO tenants (id, name, type) VALUES ($1, $2, $3)', [tenantId, spec.name, spec.type]);

  const profileIds = {} as Record<DefaultProfileKey, string>;
  for (const [key, profile] of Object.entries(DEFAULT_PROFILES) as [DefaultProfileKey, DefaultProfile][]) {
    const row = await tx.one<{ id: string }>(
      `INSERT INTO profiles (tenant_id, name, description, permissions, is_default) VALUES ($1, $2, $3, $4, true) RETURNING id`,
      [tenantId, profile.name, profile.description, JSON.stringify(profile.permissions)],
    );
    profileIds[key] = row.id;
  }

  const policies = Object.entries(startingPolicies(spec.plan));
  await tx.execute(
    `INSERT INTO tenant_policies (tenant_id, key, value) SELECT $1, p.key, p.value FROM jsonb_each($2::jsonb) AS p(key, value)`,
    [tenantId, JSON.stringify(Object.fromEntries(policies))],
  );

  const admin = await tx.one<{ id: string }>(
    `INSERT INTO users (tenant_id, profile_id, kind, email, display_name) VALUES ($1, $2, 'adult', $3, $4) RETURNING id`,
    [tenantId, profileIds.tenantAdmin, spec.admin.email, spec.admin.displayName],
  );

  await tx.execute(`INSERT INTO subscriptions (tenant_id, user_id, plan, status, payment_provider) VALUES ($1, $2, $3, 'active', 'none')`, [
    tenantId,
    admin.id,
    spec.plan,
  ]);
  return { tenantId, adminUserId: admin.id, profileIds };
}
