/**
 * Governance: profiles (vocabulary-checked permissions, deletion refused
 * while used, default templates protected, no lock-out), member changes,
 * and policies (registry validation, effective values, next-request effect).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHarness, rowCounts, type ApiHarness } from './support/api-harness.ts';
import { addMember, createWorld, type World } from './support/tenant-world.ts';

let h: ApiHarness;
let w: World;

beforeAll(async () => {
  h = await createApiHarness('api_governance');
  w = await createWorld(h, 'Governed');
});

afterAll(async () => {
  await h?.close();
});

const readOnly = { actions: ['stories.read'], limits: { ageRanges: ['0-3', '4-6'], languages: ['fr'] } };

describe('profiles', () => {
  it('are created, read and replaced with permissions from the vocabulary, and audited', async () => {
    const created = await h.call('POST', '/api/profiles', { token: w.admin.token, json: { name: 'Grandparents', permissions: readOnly } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ name: 'Grandparents', is_default: false, user_count: 0, permissions: readOnly });
    const id = created.body.data.id;

    const bad = await h.call('POST', '/api/profiles', { token: w.admin.token, json: { name: 'Bad', permissions: { actions: ['stories.fly'], limits: { ageRanges: null, languages: null } } } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors!)).toEqual(['permissions.actions.0']);
    const dup = await h.call('POST', '/api/profiles', { token: w.admin.token, json: { name: 'grandparents', permissions: readOnly } });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual({ name: ['is already used by another profile'] });

    const replaced = await h.call('PUT', `/api/profiles/${id}`, { token: w.admin.token, json: { name: 'Grandparents', description: 'Read only', permissions: { ...readOnly, actions: ['agents.trigger', 'stories.read'] } } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.data.permissions.actions).toEqual(['agents.trigger', 'stories.read']);

    const { rows } = await h.admin.query(`SELECT action, before, after FROM audit_log WHERE tenant_id = $1 AND target_id = $2 ORDER BY seq`, [w.tenantId, id]);
    expect(rows.map((r) => r.action)).toEqual(['profile.create', 'profile.update']);
    expect(rows[1].before.permissions.actions).toEqual(['stories.read']);
    expect(rows[1].after.permissions.actions).toEqual(['agents.trigger', 'stories.read']);
  });

  it('refuses to delete a profile members still use, naming them, and then deletes it once empty', async () => {
    const created = await h.call('POST', '/api/profiles', { token: w.admin.token, json: { name: 'Cousins', permissions: readOnly } });
    const id = created.body.data.id;
    const cousin = await addMember(h, w, { profileId: id, name: 'Zoé' });
    const refused = await h.call('DELETE', `/api/profiles/${id}`, { token: w.admin.token });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('still has 1 member (Zoé)');
    expect(refused.body.message).toContain('/assign');

    const moved = await h.call('POST', `/api/profiles/${w.profiles.kidsListenOnly}/assign`, { token: w.admin.token, json: { user_ids: [cousin.userId] } });
    expect(moved.status).toBe(200);
    expect(moved.body.data.assigned).toEqual([cousin.userId]);
    expect((await h.call('DELETE', `/api/profiles/${id}`, { token: w.admin.token })).status).toBe(200);
    expect((await h.call('GET', `/api/profiles/${id}`, { token: w.admin.token })).status).toBe(404);
  });

  it('protects the default templates from deletion but lets them be edited', async () => {
    const world = await createWorld(h, 'Defaults');
    const kidsProfile = world.profiles.kidsListenOnly;
    await h.call('POST', `/api/profiles/${world.profiles.parentCreator}/assign`, { token: world.admin.token, json: { user_ids: [world.kid.userId] } });
    const refused = await h.call('DELETE', `/api/profiles/${kidsProfile}`, { token: world.admin.token });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('default template');
    const edited = await h.call('PUT', `/api/profiles/${kidsProfile}`, { token: world.admin.token, json: { name: 'Kids Listen-Only', description: 'Tuned', permissions: readOnly } });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ is_default: true, description: 'Tuned' });
  });

  it('never lets the tenant lock itself out of profile management', async () => {
    const world = await createWorld(h, 'Lockout');
    const admin = await h.call('GET', `/api/profiles/${world.profiles.tenantAdmin}`, { token: world.admin.token });
    const stripped = { ...admin.body.data.permissions, actions: ['stories.read'] };
    const refused = await h.call('PUT', `/api/profiles/${world.profiles.tenantAdmin}`, { token: world.admin.token, json: { name: admin.body.data.name, description: '', permissions: stripped } });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('profiles.manage');
    const demoted = await h.call('POST', `/api/profiles/${world.profiles.parentCreator}/assign`, { token: world.admin.token, json: { user_ids: [world.admin.userId] } });
    expect(demoted.status).toBe(409);
    // Nothing changed.
    const after = await h.call('GET', `/api/profiles/${world.profiles.tenantAdmin}`, { token: world.admin.token });
    expect(after.body.data.permissions).toEqual(admin.body.data.permissions);
  });

  it('refuses to assign another tenant\'s members', async () => {
    const other = await createWorld(h, 'Other');
    const res = await h.call('POST', `/api/profiles/${w.profiles.parentCreator}/assign`, { token: w.admin.token, json: { user_ids: [other.parent.userId] } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ 'user_ids.0': ['is not a member of your family or school'] });
    const { rows } = await h.admin.query('SELECT profile_id FROM users WHERE id = $1', [other.parent.userId]);
    expect(rows[0].profile_id).toBe(other.profiles.parentCreator);
  });
});

describe('members', () => {
  it('are listed and updated by users.manage; a profile move also needs profiles.manage', async () => {
    const world = await createWorld(h, 'Members');
    const list = await h.call('GET', '/api/admin/users?kind=kid', { token: world.admin.token });
    expect(list.status).toBe(200);
    expect(list.body.data.items.map((m: { id: string }) => m.id)).toEqual([world.kid.userId]);

    const usersOnly = await addMember(h, world, { actions: ['users.manage'] });
    const renamed = await h.call('PUT', `/api/admin/users/${world.kid.userId}`, { token: usersOnly.token, json: { display_name: 'Léa M.', avatar: 'fox' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ display_name: 'Léa M.', avatar: 'fox' });
    const promote = await h.call('PUT', `/api/admin/users/${usersOnly.userId}`, { token: usersOnly.token, json: { profile_id: world.profiles.tenantAdmin } });
    expect(promote.status).toBe(403);
    expect(promote.body.message).toContain('profiles.manage');
  });

  it('deactivation signs the member out at once; reactivation respects max_users', async () => {
    const world = await createWorld(h, 'Deactivate');
    const off = await h.call('PUT', `/api/admin/users/${world.parent.userId}`, { token: world.admin.token, json: { is_active: false } });
    expect(off.status).toBe(200);
    expect((await h.call('GET', '/api/tenants', { token: world.parent.token })).status).toBe(401);
    const sessions = await h.admin.query('SELECT revoked_at, revoked_reason FROM sessions WHERE user_id = $1', [world.parent.userId]);
    expect(sessions.rows.length).toBeGreaterThan(0);
    expect(sessions.rows.every((r) => r.revoked_at !== null && r.revoked_reason === 'deactivated by an admin')).toBe(true);
    const self = await h.call('PUT', `/api/admin/users/${world.admin.userId}`, { token: world.admin.token, json: { is_active: false } });
    expect(self.status).toBe(409);

    // Three active members now (admin, kid, one more); cap at three, then try to bring the parent back.
    await addMember(h, world, { profileId: world.profiles.kidsListenOnly, kind: 'kid' });
    expect((await h.call('PUT', '/api/tenants/policies/max_users', { token: world.admin.token, json: { value: 3 } })).status).toBe(200);
    const back = await h.call('PUT', `/api/admin/users/${world.parent.userId}`, { token: world.admin.token, json: { is_active: true } });
    expect(back.status).toBe(409);
    expect(back.body.message).toContain('max_users');
    const { rows } = await h.admin.query('SELECT is_active FROM users WHERE id = $1', [world.parent.userId]);
    expect(rows[0].is_active).toBe(false);
  });
});

describe('policies', () => {
  it('lists every registry key with effective value, default and whether it is set', async () => {
    const res = await h.call('GET', '/api/tenants/policies', { token: w.kid.token });
    expect(res.status).toBe(200);
    const keys = res.body.data.items.map((p: { key: string }) => p.key);
    expect(keys).toEqual(expect.arrayContaining(['story_quota', 'max_users', 'storage_quota_mb', 'max_upload_mb', 'feature_flags', 'bedtime', 'daily_listening_minutes', 'max_volume', 'offline_auto_download', 'allowed_age_ranges']));
    const volume = res.body.data.items.find((p: { key: string }) => p.key === 'max_volume');
    expect(volume).toMatchObject({ value: 80, default: 80 });
  });

  it.each([
    ['story_quota', 25],
    ['max_volume', 0],
    ['daily_listening_minutes', null],
    ['bedtime', { enabled: true, start: '19:30', end: '07:00' }],
    ['feature_flags', { story_companion: false, public_library: true, search_assistant: true, uploads: true }],
    ['allowed_age_ranges', ['0-3', '4-6']],
    ['offline_auto_download', { enabled: false, max_stories: 5, max_megabytes: 100 }],
  ])('accepts a valid %s', async (key, value) => {
    const res = await h.call('PUT', `/api/tenants/policies/${key}`, { token: w.admin.token, json: { value } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data).toMatchObject({ key, value, is_set: true });
  });

  it.each([
    ['story_quota', -1, 'value'],
    ['story_quota', 1.5, 'value'],
    ['max_volume', 101, 'value'],
    ['max_volume', '80', 'value'],
    ['bedtime', { enabled: true, start: '25:00', end: '07:00' }, 'value.start'],
    ['bedtime', { enabled: true, start: '07:00', end: '07:00' }, 'value.end'],
    ['feature_flags', { story_companion: false }, 'value.public_library'],
    ['feature_flags', { story_companion: false, public_library: true, search_assistant: true, uploads: true, teleport: true }, 'value'],
    ['allowed_age_ranges', [], 'value'],
    ['allowed_age_ranges', ['4-6', '99+'], 'value.1'],
    ['no_such_policy', 1, 'path.key'],
    ['max_users', 0, 'value'],
  ])('rejects %s = %j (field %s) and writes nothing', async (key, value, field) => {
    const before = await rowCounts(h.admin);
    const stored = await h.admin.query('SELECT key, value FROM tenant_policies WHERE tenant_id = $1 ORDER BY key', [w.tenantId]);
    const res = await h.call('PUT', `/api/tenants/policies/${key}`, { token: w.admin.token, json: { value } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors!)).toContain(field);
    expect(await rowCounts(h.admin)).toEqual(before);
    expect((await h.admin.query('SELECT key, value FROM tenant_policies WHERE tenant_id = $1 ORDER BY key', [w.tenantId])).rows).toEqual(stored.rows);
  });

  it('refuses max_users below the active members', async () => {
    const res = await h.call('PUT', '/api/tenants/policies/max_users', { token: w.admin.token, json: { value: 1 } });
    expect(res.status).toBe(409);
    expect(res.body.errors).toHaveProperty('value');
  });

  it('take effect on the very next request, and are audited', async () => {
    const world = await createWorld(h, 'Flags');
    const messages = [{ role: 'user', content: 'A story about a brave snail' }];
    expect((await h.call('POST', '/api/agents/trigger', { token: world.parent.token, json: { agent_type: 'StoryCompanion', input: { messages } } })).status).toBe(202);
    const off = await h.call('PUT', '/api/tenants/policies/feature_flags', { token: world.admin.token, json: { value: { story_companion: false, public_library: true, search_assistant: true, uploads: true } } });
    expect(off.status).toBe(200);
    const refused = await h.call('POST', '/api/agents/trigger', { token: world.parent.token, json: { agent_type: 'StoryCompanion', input: { messages } } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('feature_flags.story_companion');
    const { rows } = await h.admin.query(`SELECT actor_id, target_id, after FROM audit_log WHERE tenant_id = $1 AND action = 'policy.update'`, [world.tenantId]);
    expect(rows).toEqual([{ actor_id: world.admin.userId, target_id: 'feature_flags', after: { value: { story_companion: false, public_library: true, search_assistant: true, uploads: true } } }]);
  });
});
