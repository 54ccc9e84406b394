/**
 * A tenant as sign-up makes it (default profiles and policies, a
 * subscription, an admin), plus a parent and a kid on the default profiles,
 * each with a real bearer session; and helpers to add members on custom
 * profiles and content. Rows are written as the app role inside the
 * tenant's RLS context, the way the server writes them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { ACTIONS, type Action } from '../../../shapes/permissions.ts';
import { createTenant } from '../../../server/tenants/tenant-creation-service.ts';
import { sessionFor } from '../../support/test-app.ts';
import type { ApiHarness } from './api-harness.ts';

export interface Member {
  userId: string;
  token: string;
  profileId: string;
}

export interface World {
  tenantId: string;
  admin: Member;
  parent: Member;
  kid: Member;
  profiles: { tenantAdmin: string; parentCreator: string; kidsListenOnly: string };
}

export async function createWorld(h: ApiHarness, name = 'Family', plan: 'free' | 'premium' | 'institution' = 'free'): Promise<World> {
  const tenantId = randomUUID();
  const created = await h.t.db.transaction({ tenantId, userId: null }, (tx) =>
    createTenant(tx, tenantId, { name, type: 'family', plan, admin: { email: `admin-${randomBytes(5).toString('hex')}@example.com`, displayName: 'Camille' } }),
  );
  const profiles = created.profileIds;
  const world: World = {
    tenantId,
    profiles,
    admin: { userId: created.adminUserId, profileId: profiles.tenantAdmin, token: await sessionFor(h.t, tenantId, created.adminUserId) },
    parent: undefined as unknown as Member,
    kid: undefined as unknown as Member,
  };
  world.parent = await addMember(h, world, { profileId: profiles.parentCreator, name: 'Alex' });
  world.kid = await addMember(h, world, { profileId: profiles.kidsListenOnly, kind: 'kid', name: 'Léa' });
  return world;
}

/** A member on `profileId`, or on a new profile granting exactly `actions`. */
export async function addMember(
  h: ApiHarness,
  world: Pick<World, 'tenantId'>,
  options: { profileId?: string; actions?: readonly Action[]; kind?: 'adult' | 'kid'; name?: string },
): Promise<Member> {
  const kind = options.kind ?? 'adult';
  const userId = await h.t.db.transaction({ tenantId: world.tenantId, userId: null }, async (tx) => {
    let profileId = options.profileId;
    if (!profileId) {
      const permissions = { actions: [...(options.actions ?? [])].sort(), limits: { ageRanges: null, languages: null } };
      profileId = (await tx.one<{ id: string }>('INSERT INTO profiles (tenant_id, name, permissions) VALUES ($1, $2, $3) RETURNING id', [
        world.tenantId, `Custom ${randomBytes(4).toString('hex')}`, JSON.stringify(permissions),
      ])).id;
    }
    const email = kind === 'adult' ? `${randomBytes(6).toString('hex')}@example.com` : null;
    return (await tx.one<{ id: string }>('INSERT INTO users (tenant_id, profile_id, kind, email, display_name) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
      world.tenantId, profileId, kind, email, options.name ?? 'Member',
    ])).id;
  });
  const profileId = (await h.t.db.transaction({ tenantId: world.tenantId, userId: null }, (tx) => tx.one<{ profile_id: string }>('SELECT profile_id FROM users WHERE id = $1', [userId]))).profile_id;
  return { userId, profileId, token: await sessionFor(h.t, world.tenantId, userId, kind === 'kid' ? 'pairing' : 'password') };
}

/** Every action except those listed. */
export function actionsExcept(excluded: readonly string[]): Action[] {
  return ACTIONS.filter((a) => !excluded.includes(a));
}

export interface StoryOptions {
  by: Member;
  title?: string;
  content?: string;
  visibility?: 'public' | 'tenant_only' | 'private';
  published?: boolean;
  moderation?: 'pending' | 'approved' | 'flagged' | 'rejected';
  ageRange?: string;
  language?: string;
  tags?: string[];
  imageAssetId?: string | null;
}

export async function addStory(h: ApiHarness, world: Pick<World, 'tenantId'>, o: StoryOptions): Promise<string> {
  return h.t.db.transaction({ tenantId: world.tenantId, userId: o.by.userId }, async (tx) => {
    const { id } = await tx.one<{ id: string }>(
      `INSERT INTO stories (tenant_id, title, description, content, language, age_range, visibility, is_published, moderation_status, created_by, image_asset_id, published_at)
       VALUES ($1, $2, '', $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $7 THEN now() END) RETURNING id`,
      [world.tenantId, o.title ?? `Story ${randomBytes(3).toString('hex')}`, o.content ?? 'Once upon a time.', o.language ?? 'en', o.ageRange ?? '4-6',
        o.visibility ?? 'private', o.published ?? false, o.moderation ?? 'pending', o.by.userId, o.imageAssetId ?? null],
    );
    for (const slug of o.tags ?? []) {
      await tx.execute('INSERT INTO story_tags (tenant_id, story_id, tag_id) SELECT $1, $2, id FROM tags WHERE slug = $3', [world.tenantId, id, slug]);
    }
    return id;
  });
}

/** A tag in the shared vocabulary (idempotent). */
export async function ensureTag(h: ApiHarness, slug: string, name = slug, category = 'theme'): Promise<void> {
  await h.admin.query('INSERT INTO tags (name, slug, category) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING', [name, slug, category]);
}

/** A small PNG; a random colour unless given, so uploads do not dedupe by accident. */
export async function pngBytes(width = 8, height = 8, rgb?: [number, number, number]): Promise<Buffer> {
  const [r, g, b] = rgb ?? [randomBytes(1)[0]!, randomBytes(1)[0]!, randomBytes(1)[0]!];
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } }).png().toBuffer();
}

/** An image asset stored and recorded for `by`, as an upload would leave it. */
export async function addImageAsset(h: ApiHarness, world: Pick<World, 'tenantId'>, by: Member): Promise<string> {
  const bytes = await pngBytes();
  const stored = await h.storage.put({ tenantId: world.tenantId, mimeType: 'image/png', bytes });
  return h.t.db.transaction({ tenantId: world.tenantId, userId: by.userId }, async (tx) =>
    (await tx.one<{ id: string }>(
      `INSERT INTO assets (tenant_id, type, storage_key, size_bytes, mime_type, checksum_sha256, created_by) VALUES ($1, 'image', $2, $3, 'image/png', $4, $5) RETURNING id`,
      [world.tenantId, stored.key, stored.sizeBytes, stored.sha256, by.userId],
    )).id,
  );
}

export async function addTask(h: ApiHarness, world: Pick<World, 'tenantId'>, by: Member): Promise<string> {
  return h.t.db.transaction({ tenantId: world.tenantId, userId: by.userId }, async (tx) =>
    (await tx.one<{ id: string }>(`INSERT INTO agent_tasks (tenant_id, agent_type, input, requested_by) VALUES ($1, 'SearchAgent', '{"query":"cats"}', $2) RETURNING id`, [world.tenantId, by.userId])).id,
  );
}

export async function addWebhook(h: ApiHarness, world: Pick<World, 'tenantId'>, by: Member, url: string, events: string[], active = true): Promise<{ id: string; secret: string }> {
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const id = await h.t.db.transaction({ tenantId: world.tenantId, userId: by.userId }, async (tx) =>
    (await tx.one<{ id: string }>('INSERT INTO webhooks (tenant_id, url, events, secret, created_by, is_active) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id', [
      world.tenantId, url, events, secret, by.userId, active,
    ])).id,
  );
  return { id, secret };
}
