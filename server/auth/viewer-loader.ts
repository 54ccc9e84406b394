/**
 * Builds the Viewer — the signed-in user with their profile's permissions,
 * the tenant's effective policies and plan — from one database row, whether
 * that row came from the session lookup or from a tenant-scoped query.
 */
import { readPermissions, type ProfilePermissions } from '../../shapes/permissions.ts';
import { effectivePolicies, PLANS, type Plan, type Policies } from '../../shapes/policies.ts';
import type { Viewer } from '../../shapes/viewer.ts';
import type { Tx } from '../db/database.ts';

export interface ViewerRow {
  tenant_id: string;
  user_id: string;
  tenant_type: 'family' | 'institution';
  user_kind: 'adult' | 'kid';
  display_name: string;
  is_active: boolean;
  profile_id: string;
  profile_name: string;
  /** The profile's permissions: parsed JSON, or its text (the session lookup sends text, see below). */
  permissions: unknown;
  plan: string | null;
  /** The tenant's stored policy rows: parsed, or as JSON text. */
  policies: Array<{ key: string; value: unknown }> | string;
}

/*
 * Every request validates its permissions and policies against the zod
 * schemas in shapes/. The inputs repeat (one profile, one tenant), so results
 * are kept per exact JSON text: a changed profile or policy is new text and
 * is validated afresh, and nothing stale can be served. The cached objects
 * are frozen because requests share them.
 */
const CACHE_LIMIT = 2_000;
const permissionsByText = new Map<string, ProfilePermissions>();
const policiesByText = new Map<string, Policies>();

function remember<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = deepFreeze(compute());
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function permissionsOf(stored: unknown): ProfilePermissions {
  if (typeof stored !== 'string') return readPermissions(stored);
  return remember(permissionsByText, stored, () => readPermissions(JSON.parse(stored)));
}

function policiesOf(plan: Plan, stored: ViewerRow['policies']): Policies {
  if (typeof stored !== 'string') return effectivePolicies(plan, stored);
  return remember(policiesByText, `${plan}:${stored}`, () => effectivePolicies(plan, JSON.parse(stored) as Array<{ key: string; value: unknown }>));
}

/** The viewer for an active user; undefined when the user is deactivated. */
export function viewerFromRow(row: ViewerRow): Viewer | undefined {
  if (!row.is_active) return undefined;
  const plan: Plan = (PLANS as readonly string[]).includes(row.plan ?? '') ? (row.plan as Plan) : 'free';
  return {
    tenantId: row.tenant_id,
    tenantType: row.tenant_type,
    userId: row.user_id,
    kind: row.user_kind,
    displayName: row.display_name,
    profileId: row.profile_id,
    profileName: row.profile_name,
    permissions: permissionsOf(row.permissions),
    policies: policiesOf(plan, row.policies),
    plan,
  };
}

/** Loads a user's Viewer. Must run in a transaction whose context is `tenantId`. */
export async function loadViewer(tx: Tx, tenantId: string, userId: string): Promise<Viewer | undefined> {
  const row = await tx.maybeOne<ViewerRow>(
    `SELECT u.tenant_id, u.id AS user_id, t.type AS tenant_type, u.kind AS user_kind, u.display_name, u.is_active,
            p.id AS profile_id, p.name AS profile_name, p.permissions,
            (SELECT s.plan FROM subscriptions s WHERE s.tenant_id = t.id AND s.status IN ('active', 'trialing', 'past_due')
              ORDER BY s.start_date DESC LIMIT 1) AS plan,
            coalesce((SELECT jsonb_agg(jsonb_build_object('key', tp.key, 'value', tp.value)) FROM tenant_policies tp WHERE tp.tenant_id = t.id), '[]') AS policies
     FROM users u
     JOIN tenants t ON t.id = u.tenant_id
     JOIN profiles p ON p.tenant_id = u.tenant_id AND p.id = u.profile_id
     WHERE u.tenant_id = $1 AND u.id = $2`,
    [tenantId, userId],
  );
  return row ? viewerFromRow(row) : undefined;
}
