/**
 * Families as sign-up makes them (server/tenants/tenant-creation-service.ts:
 * default profiles, policies, subscription, an admin), plus a parent and a
 * kid on the default profiles, each with a real bearer session. Content is
 * written the way the worker would, in the tenant's RLS context.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Viewer } from '../../../shapes/viewer.ts';
import { validateSessionToken } from '../../../server/auth/session-store.ts';
import { createTenant } from '../../../server/tenants/tenant-creation-service.ts';
import { sessionFor } from '../../support/test-app.ts';
import type { TestDatabase } from '../../support/test-database.ts';

export interface Member {
  userId: string;
  token: string;
  kind: 'adult' | 'kid';
  name: string;
}

export interface Family {
  tenantId: string;
  admin: Member;
  parent: Member;
  kid: Member;
  profiles: { tenantAdmin: string; parentCreator: string; kidsListenOnly: string };
}

export async function createFamily(t: TestDatabase, name: string): Promise<Family> {
  const tenantId = randomUUID();
  const created = await t.db.transaction({ tenantId, userId: null }, (tx) =>
    createTenant(tx, tenantId, { name, type: 'family', plan: 'premium', admin: { email: `admin-${randomBytes(5).toString('hex')}@example.com`, displayName: `${name} admin` } }),
  );
  const profiles = created.profileIds;
  return {
    tenantId,
    profiles,
    admin: { userId: created.adminUserId, kind: 'adult', name: `${name} admin`, token: await sessionFor(t, tenantId, created.adminUserId) },
    parent: await addMember(t, tenantId, profiles.parentCreator, 'adult', `${name} parent`),
    kid: await addMember(t, tenantId, profiles.kidsListenOnly, 'kid', `${name} kid`),
  };
}

export async function addMember(t: TestDatabase, tenantId: string, profileId: string, kind: 'adult' | 'kid', name: string): Promise<Member> {
  const { id } = await t.db.transaction({ tenantId, userId: null }, (tx) =>
    tx.one<{ id: string }>('INSERT INTO users (tenant_id, profile_id, kind, email, display_name) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
      tenantId, profileId, kind, kind === 'adult' ? `${randomBytes(6).toString('hex')}@example.com` : null, name,
    ]),
  );
  return { userId: id, kind, name, token: await sessionFor(t, tenantId, id, kind === 'kid' ? 'pairing' : 'password') };
}

/** The viewer as the server builds it for this session right now (profile and policies as they are). */
export async function viewerOf(t: TestDatabase, member: Member): Promise<Viewer> {
  const valid = await validateSessionToken(t.db, member.token);
  if (!valid) throw new Error(`the session of ${member.name} is not valid`);
  return valid.viewer;
}

export interface StoryFields {
  id?: string;
  title?: string;
  ageRange?: string;
  language?: string;
  visibility?: 'public' | 'tenant_only' | 'private';
  published?: boolean;
  moderation?: 'pending' | 'approved' | 'flagged' | 'rejected';
  createdBy: string;
}

/** A story written straight into the database (the worker's side of the loop). */
export async function addStory(t: TestDatabase, tenantId: string, f: StoryFields): Promise<string> {
  const id = f.id ?? randomUUID();
  await t.db.transaction({ tenantId, userId: null }, (tx) =>
    tx.execute(
      `INSERT INTO stories (id, tenant_id, title, content, language, age_range, visibility, is_published, moderation_status, created_by, published_at)
       VALUES ($1, $2, $3, 'Once upon a time.', $4, $5, $6, $7, $8, $9, CASE WHEN $7 THEN now() END)`,
      [id, tenantId, f.title ?? `Story ${id.slice(0, 6)}`, f.language ?? 'en', f.ageRange ?? '4-6', f.visibility ?? 'tenant_only', f.published ?? true, f.moderation ?? 'approved', f.createdBy],
    ),
  );
  return id;
}
