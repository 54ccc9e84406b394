/**
 * One valid request per route, for the generated suites (access and bad
 * input): `own` acts on the caller's tenant, creating what it acts on;
 * `foreign` aims the same request at another tenant's resources.
 */
import type { ApiHarness, CallOptions } from './api-harness.ts';
import { fileForm } from './hostile-files.ts';
import { addImageAsset, addMember, addStory, addTask, addWebhook, createWorld, pngBytes, type World } from './tenant-world.ts';

export interface Req extends CallOptions {
  path: string;
}

export interface Sample {
  /** A valid request acting on the caller's own tenant (`world`); may create what it acts on. */
  own(world: World): Promise<Req>;
  /** The request aimed at `victim`'s resources by id; absent when the route takes none (the answer is then checked for leaks). */
  foreign?(victim: World, attacker: World): Promise<Req>;
  /** Status of a successful call. */
  ok?: number;
  /** False where no generic request can succeed (e.g. it needs the caller's own password); the owning module's suite covers success. */
  positive?: boolean;
  /** Statuses the foreign request may get; 400, 403 or 404 unless the route answers per item (then it is checked for changes and leaks only). */
  foreignStatuses?: number[];
}

/** A tenant with one of everything, to be attacked. */
export interface Victim {
  world: World;
  story: string;
  asset: string;
  task: string;
  hook: string;
  invitation: string;
}

export async function createVictim(h: ApiHarness, name = 'Victims'): Promise<Victim> {
  const world = await createWorld(h, name);
  const story = await addStory(h, world, { by: world.parent, title: 'Secret story of the victims', visibility: 'private' });
  const asset = await addImageAsset(h, world, world.parent);
  const task = await addTask(h, world, world.parent);
  const hook = (await addWebhook(h, world, world.admin, 'http://127.0.0.1:9/b', ['agent-task-complete'], false)).id;
  const invitation = await h.t.db.transaction({ tenantId: world.tenantId, userId: null }, async (tx) =>
    (await tx.one<{ id: string }>(
      `INSERT INTO invitations (tenant_id, token_hash, profile_id, created_by, expires_at) VALUES ($1, sha256(gen_random_uuid()::text::bytea), $2, $3, now() + interval '1 day') RETURNING id`,
      [world.tenantId, world.profiles.parentCreator, world.admin.userId],
    )).id,
  );
  return { world, story, asset, task, hook, invitation };
}

/** Every id the tenant owns (and its session ids), to look for in answers to other tenants. */
export async function idsOf(h: ApiHarness, tenantId: string): Promise<string[]> {
  const { rows } = await h.admin.query<{ id: string }>(
    `SELECT id::text FROM users WHERE tenant_id = $1 UNION ALL SELECT id::text FROM profiles WHERE tenant_id = $1
     UNION ALL SELECT id::text FROM stories WHERE tenant_id = $1 UNION ALL SELECT id::text FROM assets WHERE tenant_id = $1
     UNION ALL SELECT id::text FROM agent_tasks WHERE tenant_id = $1 UNION ALL SELECT id::text FROM webhooks WHERE tenant_id = $1
     UNION ALL SELECT id::text FROM invitations WHERE tenant_id = $1 UNION ALL SELECT id FROM sessions WHERE tenant_id = $1`,
    [tenantId],
  );
  return [tenantId, ...rows.map((r) => r.id)];
}

const json = (path: string, body: unknown): Req => ({ path, json: body });
const storyBody = { title: 'Sample', description: '', content: 'Text', language: 'en', age_range: '4-6', tags: [] };
const permissions = { actions: ['stories.read'], limits: { ageRanges: null, languages: null } };

export function sampleRequests(harness: () => ApiHarness, victim: () => Victim): Record<string, Sample> {
  /** A cover on a story every member of `w` may see. */
  async function sharedCover(w: World): Promise<string> {
    const asset = await addImageAsset(harness(), w, w.admin);
    await addStory(harness(), w, { by: w.admin, visibility: 'tenant_only', published: true, imageAssetId: asset });
    return asset;
  }

  async function newProfile(w: World): Promise<string> {
    return harness().t.db.transaction({ tenantId: w.tenantId, userId: null }, async (tx) =>
      (await tx.one<{ id: string }>('INSERT INTO profiles (tenant_id, name, permissions) VALUES ($1, $2, $3) RETURNING id', [w.tenantId, `Empty ${Math.random()}`, JSON.stringify(permissions)])).id,
    );
  }

  return {
    'GET /api/stories': { own: async () => ({ path: '/api/stories?limit=100' }) },
    'GET /api/stories/search': { own: async () => ({ path: '/api/stories/search?q=secret' }) },
    'GET /api/stories/{id}': {
      own: async (w) => ({ path: `/api/stories/${await addStory(harness(), w, { by: w.admin, visibility: 'tenant_only', published: true })}` }),
      foreign: async () => ({ path: `/api/stories/${victim().story}` }),
    },
    'POST /api/stories': {
      own: async () => json('/api/stories', { title: 'New', language: 'en', age_range: '4-6' }),
      foreign: async () => json('/api/stories', { title: 'New', language: 'en', age_range: '4-6', image_asset_id: victim().asset }),
      ok: 201,
    },
    'PUT /api/stories/{id}': {
      own: async (w) => json(`/api/stories/${await addStory(harness(), w, { by: w.admin, visibility: 'tenant_only' })}`, storyBody),
      foreign: async () => json(`/api/stories/${victim().story}`, storyBody),
    },
    'PATCH /api/stories/{id}/visibility': {
      own: async (w) => json(`/api/stories/${await addStory(harness(), w, { by: w.admin, visibility: 'tenant_only' })}/visibility`, { visibility: 'public' }),
      foreign: async () => json(`/api/stories/${victim().story}/visibility`, { visibility: 'public', is_published: true }),
    },
    'DELETE /api/stories/{id}': {
      own: async (w) => ({ path: `/api/stories/${await addStory(harness(), w, { by: w.admin })}` }),
      foreign: async () => ({ path: `/api/stories/${victim().story}` }),
    },
    'POST /api/assets': { own: async () => ({ path: '/api/assets', form: fileForm(await pngBytes(), 'sample.png') }), ok: 201 },
    'GET /api/assets/tenant-usage': { own: async () => ({ path: '/api/assets/tenant-usage' }) },
    'GET /api/assets/{id}': {
      own: async (w) => ({ path: `/api/assets/${await sharedCover(w)}` }),
      foreign: async () => ({ path: `/api/assets/${victim().asset}` }),
    },
    'GET /api/assets/{id}/download': {
      own: async (w) => ({ path: `/api/assets/${await sharedCover(w)}/download` }),
      foreign: async () => ({ path: `/api/assets/${victim().asset}/download` }),
    },
    'DELETE /api/assets/{id}': {
      own: async (w) => ({ path: `/api/assets/${await addImageAsset(harness(), w, w.admin)}` }),
      foreign: async () => ({ path: `/api/assets/${victim().asset}` }),
    },
    'POST /api/agents/trigger': {
      own: async () => json('/api/agents/trigger', { agent_type: 'SearchAgent', input: { query: 'owls' } }),
      foreign: async () => json('/api/agents/trigger', { agent_type: 'TTSAgent', story_id: victim().story }),
      ok: 202,
    },
    'GET /api/agents/tasks/{id}': {
      own: async (w) => ({ path: `/api/agents/tasks/${await addTask(harness(), w, w.admin)}` }),
      foreign: async () => ({ path: `/api/agents/tasks/${victim().task}` }),
    },
    'GET /api/agents/tasks': { own: async () => ({ path: '/api/agents/tasks?limit=100' }) },
    'GET /api/agents/quota': { own: async () => ({ path: '/api/agents/quota' }) },
    'GET /api/tenants': { own: async () => ({ path: '/api/tenants' }) },
    'GET /api/tenants/policies': { own: async () => ({ path: '/api/tenants/policies' }) },
    'PUT /api/tenants/policies/{key}': { own: async () => json('/api/tenants/policies/max_volume', { value: 50 }) },
    'GET /api/profiles': { own: async () => ({ path: '/api/profiles?limit=100' }) },
    'POST /api/profiles': { own: async () => json('/api/profiles', { name: `Profile ${Math.random()}`, permissions }), ok: 201 },
    'GET /api/profiles/{id}': {
      own: async (w) => ({ path: `/api/profiles/${w.profiles.parentCreator}` }),
      foreign: async (victim) => ({ path: `/api/profiles/${victim.profiles.parentCreator}` }),
    },
    'PUT /api/profiles/{id}': {
      own: async (w) => json(`/api/profiles/${await newProfile(w)}`, { name: `Renamed ${Math.random()}`, description: '', permissions }),
      foreign: async (victim) => json(`/api/profiles/${victim.profiles.kidsListenOnly}`, { name: 'Hijacked', description: '', permissions: { ...permissions, actions: ['stories.read', 'users.manage'] } }),
    },
    'DELETE /api/profiles/{id}': {
      own: async (w) => ({ path: `/api/profiles/${await newProfile(w)}` }),
      foreign: async (victim) => ({ path: `/api/profiles/${await newProfile(victim)}` }),
    },
    'POST /api/profiles/{id}/assign': {
      own: async (w) => json(`/api/profiles/${w.profiles.kidsListenOnly}/assign`, { user_ids: [(await addMember(harness(), w, { profileId: w.profiles.parentCreator })).userId] }),
      foreign: async (victim) => json(`/api/profiles/${victim.profiles.tenantAdmin}/assign`, { user_ids: [victim.kid.userId] }),
    },
    'GET /api/admin/stats': { own: async () => ({ path: '/api/admin/stats' }) },
    'GET /api/admin/users': { own: async () => ({ path: '/api/admin/users?limit=100' }) },
    'PUT /api/admin/users/{id}': {
      own: async (w) => json(`/api/admin/users/${w.kid.userId}`, { display_name: 'Renamed kid' }),
      foreign: async (victim) => json(`/api/admin/users/${victim.admin.userId}`, { is_active: false }),
    },
    'GET /api/admin/audit-logs': { own: async () => ({ path: '/api/admin/audit-logs?limit=100' }) },
    'GET /api/webhooks': { own: async () => ({ path: '/api/webhooks?limit=100' }) },
    'POST /api/webhooks': { own: async () => json('/api/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['agent-task-complete'] }), ok: 201 },
    'DELETE /api/webhooks/{id}': {
      own: async (w) => ({ path: `/api/webhooks/${(await addWebhook(harness(), w, w.admin, 'http://127.0.0.1:9/x', ['agent-task-complete'], false)).id}` }),
      foreign: async () => ({ path: `/api/webhooks/${victim().hook}` }),
    },
    'GET /api/webhooks/{id}/deliveries': {
      own: async (w) => ({ path: `/api/webhooks/${(await addWebhook(harness(), w, w.admin, 'http://127.0.0.1:9/x', ['agent-task-complete'], false)).id}/deliveries` }),
      foreign: async () => ({ path: `/api/webhooks/${victim().hook}/deliveries` }),
    },
    'GET /operator/stats': { own: async () => ({ path: '/operator/stats' }) },
    // Other modules' routes: requests valid enough to reach their access checks.
    // Success needs the shape service running; the sync suites cover it.
    'GET /api/shapes/{name}': { own: async () => ({ path: '/api/shapes/stories?offset=-1' }), positive: false },
    'POST /api/sync/mutations': {
    own: async (w) => json('/api/sync/mutations', { device_id: 'tablet-1', mutations: [{ write_id: crypto.randomUUID(), type: 'story.delete', payload: { id: await addStory(harness(), w, { by: w.admin }) } }] }),
    foreign: async () => json('/api/sync/mutations', { device_id: 'tablet-1', mutations: [{ write_id: crypto.randomUUID(), type: 'story.delete', payload: { id: victim().story } }] }),
    // Each mutation is answered on its own (accepted, rejected, retry); the batch itself is a 200.
    foreignStatuses: [200],
  },
  'GET /api/auth/me': { own: async () => ({ path: '/api/auth/me' }) },
    'POST /api/auth/token/refresh': { own: async () => json('/api/auth/token/refresh', {}) },
    'POST /api/auth/signout': { own: async () => json('/api/auth/signout', {}) },
    'GET /api/auth/sessions': { own: async () => ({ path: '/api/auth/sessions' }) },
    'DELETE /api/auth/sessions/{id}': {
      own: async (w) => ({ path: `/api/auth/sessions/${w.kid.token.split('.')[0]}` }),
      foreign: async (victim) => ({ path: `/api/auth/sessions/${victim.admin.token.split('.')[0]}` }),
      positive: false,
    },
    'POST /api/auth/password': { own: async () => json('/api/auth/password', { currentPassword: 'not the password at all', newPassword: 'a brand new passphrase' }), positive: false },
    'POST /api/auth/google/link': { own: async () => json('/api/auth/google/link', { returnTo: '/settings' }), positive: false },
    'POST /api/auth/apple/link': { own: async () => json('/api/auth/apple/link', { returnTo: '/settings' }), positive: false },
    'POST /api/auth/invitations': {
      own: async (w) => json('/api/auth/invitations', { profileId: w.profiles.parentCreator }),
      foreign: async (victim) => json('/api/auth/invitations', { profileId: victim.profiles.tenantAdmin }),
      ok: 201,
    },
    'GET /api/auth/invitations': { own: async () => ({ path: '/api/auth/invitations' }) },
    'DELETE /api/auth/invitations/{id}': {
      own: async () => ({ path: `/api/auth/invitations/${crypto.randomUUID()}` }),
      foreign: async () => ({ path: `/api/auth/invitations/${victim().invitation}` }),
      positive: false,
    },
    'POST /api/auth/kids': {
      own: async (w) => json('/api/auth/kids', { displayName: 'Noé', profileId: w.profiles.kidsListenOnly }),
      foreign: async (victim) => json('/api/auth/kids', { displayName: 'Noé', profileId: victim.profiles.tenantAdmin }),
      // The access suite adds members past max_users on purpose; creating one more is refused (409).
      positive: false,
    },
    'GET /api/auth/kids': { own: async () => ({ path: '/api/auth/kids' }) },
    'POST /api/auth/pairing': {
      own: async (w) => json('/api/auth/pairing', { kidId: w.kid.userId, deviceName: 'Tablet' }),
      foreign: async (victim) => json('/api/auth/pairing', { kidId: victim.kid.userId, deviceName: 'Tablet' }),
      ok: 201,
    },
    'POST /api/auth/pairing/codes': {
      own: async (w) => json('/api/auth/pairing/codes', { kidId: w.kid.userId, deviceName: 'Tablet' }),
      foreign: async (victim) => json('/api/auth/pairing/codes', { kidId: victim.kid.userId, deviceName: 'Tablet' }),
      ok: 201,
    },
  };
}
