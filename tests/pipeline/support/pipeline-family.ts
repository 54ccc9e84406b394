/**
 * A family as sign-up makes it (server/tenants: default profiles and
 * policies, a subscription, an admin), plus a parent on Parent Creator and
 * a kid on Kids Listen-Only, each with a real bearer session.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Plan } from '../../../shapes/policies.ts';
import { createTenant } from '../../../server/tenants/tenant-creation-service.ts';
import { sessionFor } from '../../support/test-app.ts';
import type { TestDatabase } from '../../support/test-database.ts';

export interface FamilyMember {
  userId: string;
  token: string;
}

export interface Family {
  tenantId: string;
  admin: FamilyMember;
  parent: FamilyMember;
  kid: FamilyMember;
}

export async function createFamily(t: TestDatabase, plan: Plan = 'free'): Promise<Family> {
  const tenantId = randomUUID();
  const created = await t.db.transaction({ tenantId, userId: null }, (tx) =>
    createTenant(tx, tenantId, { name: 'The Pipeline Family', type: 'family', plan, admin: { email: `admin-${randomBytes(5).toString('hex')}@example.com`, displayName: 'Camille' } }),
  );
  const member = async (profileId: string, kind: 'adult' | 'kid', name: string): Promise<FamilyMember> => {
    const userId = await t.db.transaction({ tenantId, userId: null }, async (tx) =>
      (await tx.one<{ id: string }>('INSERT INTO users (tenant_id, profile_id, kind, email, display_name) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
        tenantId, profileId, kind, kind === 'adult' ? `${randomBytes(6).toString('hex')}@example.com` : null, name,
      ])).id,
    );
    return { userId, token: await sessionFor(t, tenantId, userId, kind === 'kid' ? 'pairing' : 'password') };
  };
  return {
    tenantId,
    admin: { userId: created.adminUserId, token: await sessionFor(t, tenantId, created.adminUserId) },
    parent: await member(created.profileIds.parentCreator, 'adult', 'Alex'),
    kid: await member(created.profileIds.kidsListenOnly, 'kid', 'Léa'),
  };
}
