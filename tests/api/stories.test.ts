/**
 * Stories over real HTTP and Postgres: who sees what, create/update/
 * visibility/delete with their permission rules, moderation reset on edit,
 * filters, cursor pagination, and ranked search across the tenant and the
 * public library.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from './support/api-harness.ts';
import { addMember, addStory, createWorld, ensureTag, type World } from './support/tenant-world.ts';

let h: ApiHarness;
let a: World;
let b: World;

beforeAll(async () => {
  h = await createApiHarness('api_stories');
  await ensureTag(h, 'cats', 'Cats', 'character');
  await ensureTag(h, 'bedtime', 'Bedtime', 'mood');
  await ensureTag(h, 'sea', 'Sea & coast', 'setting');
  a = await createWorld(h, 'Martins');
  b = await createWorld(h, 'Duponts');
});

afterAll(async () => {
  await h?.close();
});

const ids = (items: Array<{ id: string }>) => items.map((s) => s.id);

describe('reading', () => {
  it('shows a kid only published, approved, shared stories within their limits, and the public library', async () => {
    const shared = await addStory(h, a, { by: a.parent, visibility: 'tenant_only', published: true, moderation: 'approved', ageRange: '4-6' });
    const unmoderated = await addStory(h, a, { by: a.parent, visibility: 'tenant_only', published: true, moderation: 'pending' });
    const draft = await addStory(h, a, { by: a.parent, visibility: 'tenant_only', published: false, moderation: 'approved' });
    const flagged = await addStory(h, a, { by: a.parent, visibility: 'tenant_only', published: true, moderation: 'flagged' });
    const teen = await addStory(h, a, { by: a.parent, visibility: 'tenant_only', published: true, moderation: 'approved', ageRange: '13+' });
    const foreignPrivate = await addStory(h, b, { by: b.parent, visibility: 'private', published: true, moderation: 'approved' });
    const foreignPublic = await addStory(h, b, { by: b.parent, visibility: 'public', published: true, moderation: 'approved', ageRange: '4-6' });
    const foreignPublicTeen = await addStory(h, b, { by: b.parent, visibility: 'public', published: true, moderation: 'approved', ageRange: '13+' });

    const kid = await h.call('GET', '/api/stories?limit=100', { token: a.kid.token });
    expect(kid.status).toBe(200);
    const kidIds = ids(kid.body.data.items);
    expect(kidIds).toContain(shared);
    expect(kidIds).toContain(foreignPublic);
    for (const hidden of [unmoderated, draft, flagged, teen, foreignPrivate, foreignPublicTeen]) expect(kidIds).not.toContain(hidden);
    expect(ids((await h.call('GET', '/api/stories?limit=100&scope=public', { token: a.admin.token })).body.data.items)).toContain(foreignPublicTeen);
    const fromB = kid.body.data.items.find((s: { id: string }) => s.id === foreignPublic);
    expect(fromB).toMatchObject({ from_other_tenant: true, created_by: null });
    expect((await h.call('GET', `/api/stories/${draft}`, { token: a.kid.token })).status).toBe(404);
    const detail = await h.call('GET', `/api/stories/${shared}`, { token: a.kid.token });
    expect(detail.body.data.content).toBe('Once upon a time.');
  });

  it('shows adults the tenant\'s stories except other members\' private ones, as their synced library does', async () => {
    const othersPrivate = await addStory(h, a, { by: a.parent, visibility: 'private' });
    const othersDraft = await addStory(h, a, { by: a.parent, visibility: 'tenant_only', published: false });
    const ownPrivate = await addStory(h, a, { by: a.admin, visibility: 'private' });
    const foreignPrivate = await addStory(h, b, { by: b.parent, visibility: 'private', published: true, moderation: 'approved' });
    const res = await h.call('GET', '/api/stories?limit=100&scope=tenant', { token: a.admin.token });
    const seen = ids(res.body.data.items);
    expect(seen).toEqual(expect.arrayContaining([othersDraft, ownPrivate]));
    expect(seen).not.toContain(othersPrivate);
    expect(seen).not.toContain(foreignPrivate);
    expect((await h.call('GET', `/api/stories/${othersPrivate}`, { token: a.parent.token })).status).toBe(200);
    expect((await h.call('GET', `/api/stories/${othersPrivate}`, { token: a.admin.token })).status).toBe(404);
    expect((await h.call('GET', `/api/stories/${foreignPrivate}`, { token: a.admin.token })).status).toBe(404);
  });

  it('filters by tags (all of them), age range, language and visibility', async () => {
    const both = await addStory(h, a, { by: a.parent, title: 'Both tags', tags: ['cats', 'bedtime'], visibility: 'tenant_only', published: true, language: 'fr', ageRange: '7-9' });
    const one = await addStory(h, a, { by: a.parent, title: 'One tag', tags: ['cats'], visibility: 'tenant_only', published: true });
    const res = await h.call('GET', '/api/stories?tags=cats,bedtime&limit=100', { token: a.admin.token });
    expect(ids(res.body.data.items)).toContain(both);
    expect(ids(res.body.data.items)).not.toContain(one);
    const fr = await h.call('GET', '/api/stories?language=fr&age_range=7-9&visibility=tenant_only&limit=100', { token: a.admin.token });
    expect(ids(fr.body.data.items)).toEqual([both]);
  });

  it('pages with an opaque cursor, without repeats or gaps, and refuses a forged cursor', async () => {
    const world = await createWorld(h, 'Pager');
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await addStory(h, world, { by: world.admin, visibility: 'tenant_only', published: true }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<ApiHarness['call']>> = await h.call('GET', `/api/stories?scope=tenant&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: world.admin.token });
      expect(res.status).toBe(200);
      seen.push(...ids(res.body.data.items));
      cursor = res.body.data.next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...made].sort());
    const forged = await h.call('GET', '/api/stories?cursor=bm90LWEtY3Vyc29y', { token: world.admin.token });
    expect(forged.status).toBe(400);
    expect(forged.body.errors).toHaveProperty('query.cursor');
  });
});

describe('writing', () => {
  it('creates a draft with tags; publishing on create needs stories.publish', async () => {
    const res = await h.call('POST', '/api/stories', { token: a.parent.token, json: { title: 'The Lighthouse Cat', content: 'Pebble climbs.', language: 'en', age_range: '4-6', tags: ['cats', 'sea'] } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ title: 'The Lighthouse Cat', visibility: 'private', is_published: false, moderation_status: 'pending', created_by: a.parent.userId });
    expect(res.body.data.tags.map((t: { slug: string }) => t.slug).sort()).toEqual(['cats', 'sea']);

    const writer = await addMember(h, a, { actions: ['stories.create', 'stories.read'] });
    const refused = await h.call('POST', '/api/stories', { token: writer.token, json: { title: 'X', language: 'en', age_range: '4-6', is_published: true } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('stories.publish');

    const unknownTag = await h.call('POST', '/api/stories', { token: a.parent.token, json: { title: 'X', language: 'en', age_range: '4-6', tags: ['no-such-tag'] } });
    expect(unknownTag.status).toBe(400);
    expect(unknownTag.body.errors).toEqual({ 'tags.0': ['"no-such-tag" is not a known tag'] });
  });

  it('lets the author or a story manager edit, and sends edited words back to moderation', async () => {
    const id = await addStory(h, a, { by: a.parent, visibility: 'public', published: true, moderation: 'approved', title: 'Approved' });
    const body = { title: 'Approved', description: '', content: 'Something else entirely.', language: 'en', age_range: '4-6', tags: [] };
    const other = await addMember(h, a, { profileId: a.profiles.parentCreator });
    expect((await h.call('PUT', `/api/stories/${id}`, { token: other.token, json: body })).status).toBe(403);
    const edited = await h.call('PUT', `/api/stories/${id}`, { token: a.parent.token, json: body });
    expect(edited.status).toBe(200);
    expect(edited.body.data.moderation_status).toBe('pending');
    // No longer in the public library until moderation approves it again.
    const seenByB = await h.call('GET', `/api/stories/${id}`, { token: b.admin.token });
    expect(seenByB.status).toBe(404);
    // The admin manages every story (stories.delete), so may edit it too.
    expect((await h.call('PUT', `/api/stories/${id}`, { token: a.admin.token, json: { ...body, title: 'Renamed' } })).status).toBe(200);
  });

  it('changes visibility with an audit row; a kid may not', async () => {
    const id = await addStory(h, a, { by: a.parent });
    expect((await h.call('PATCH', `/api/stories/${id}/visibility`, { token: a.kid.token, json: { visibility: 'tenant_only' } })).status).toBe(403);
    const res = await h.call('PATCH', `/api/stories/${id}/visibility`, { token: a.parent.token, json: { visibility: 'tenant_only', is_published: true } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ visibility: 'tenant_only', is_published: true });
    expect(res.body.data.published_at).not.toBeNull();
    const { rows } = await h.admin.query(`SELECT actor_id, before, after FROM audit_log WHERE tenant_id = $1 AND action = 'story.visibility' AND target_id = $2`, [a.tenantId, id]);
    expect(rows).toEqual([{ actor_id: a.parent.userId, before: { visibility: 'private', is_published: false }, after: { visibility: 'tenant_only', is_published: true } }]);
  });

  it('deletes only with stories.delete, and only the tenant\'s own stories', async () => {
    const id = await addStory(h, a, { by: a.parent });
    expect((await h.call('DELETE', `/api/stories/${id}`, { token: a.parent.token })).status).toBe(403);
    const publicOfB = await addStory(h, b, { by: b.parent, visibility: 'public', published: true, moderation: 'approved' });
    expect((await h.call('DELETE', `/api/stories/${publicOfB}`, { token: a.admin.token })).status).toBe(404);
    expect((await h.call('DELETE', `/api/stories/${id}`, { token: a.admin.token })).status).toBe(200);
    expect((await h.admin.query('SELECT 1 FROM stories WHERE id = $1', [id])).rowCount).toBe(0);
    expect((await h.admin.query('SELECT 1 FROM stories WHERE id = $1', [publicOfB])).rowCount).toBe(1);
  });

  it('stores injection strings in free text verbatim, as text', async () => {
    const title = "Robert'); DROP TABLE stories; --";
    const res = await h.call('POST', '/api/stories', { token: a.parent.token, json: { title, content: '<script>alert(1)</script>', language: 'en', age_range: '4-6' } });
    expect(res.status).toBe(201);
    expect(res.body.data.title).toBe(title);
    expect((await h.admin.query('SELECT count(*)::int AS n FROM stories')).rows[0].n).toBeGreaterThan(0);
  });
});

describe('search', () => {
  it('ranks title matches first, finds stemmed words, typos and tags, and includes the public library', async () => {
    const world = await createWorld(h, 'Searchers');
    const shared = { visibility: 'tenant_only', published: true, moderation: 'approved' } as const;
    const titled = await addStory(h, world, { by: world.parent, title: 'The Dragon of the Lighthouse', content: 'A quiet tale.', ...shared });
    const inText = await addStory(h, world, { by: world.parent, title: 'Night Walk', content: 'Far away, dragons were sleeping in the hills.', ...shared });
    const tagged = await addStory(h, world, { by: world.parent, title: 'Moon Boat', content: 'Nothing here.', tags: ['sea'], ...shared });
    const publicElsewhere = await addStory(h, b, { by: b.parent, title: 'Dragon Soup', visibility: 'public', published: true, moderation: 'approved' });
    const privateElsewhere = await addStory(h, b, { by: b.parent, title: 'Dragon Secrets', visibility: 'private', published: true, moderation: 'approved' });

    const res = await h.call('GET', `/api/stories/search?q=${encodeURIComponent('dragon')}&limit=10`, { token: world.kid.token });
    expect(res.status).toBe(200);
    const found = ids(res.body.data.items);
    expect(found).toEqual(expect.arrayContaining([titled, inText, publicElsewhere]));
    expect(found).not.toContain(privateElsewhere);
    expect(found.indexOf(titled)).toBeLessThan(found.indexOf(inText));
    const ranks = res.body.data.items.map((s: { rank: number }) => s.rank);
    expect([...ranks].sort((x, y) => y - x)).toEqual(ranks);

    const typo = await h.call('GET', '/api/stories/search?q=ligthouse', { token: world.kid.token });
    expect(ids(typo.body.data.items)).toContain(titled);
    const byTag = await h.call('GET', '/api/stories/search?q=sea', { token: world.kid.token });
    expect(ids(byTag.body.data.items)).toContain(tagged);
  });

  it('pages ranked results with the same cursor scheme', async () => {
    const world = await createWorld(h, 'Many owls');
    for (let i = 0; i < 5; i++) await addStory(h, world, { by: world.parent, title: `Owl number ${i}`, visibility: 'tenant_only', published: true });
    const first = await h.call('GET', '/api/stories/search?q=owl&limit=3', { token: world.parent.token });
    expect(first.body.data.items).toHaveLength(3);
    const second = await h.call('GET', `/api/stories/search?q=owl&limit=3&cursor=${first.body.data.next_cursor}`, { token: world.parent.token });
    expect(second.body.data.items.length).toBeGreaterThanOrEqual(2);
    expect(second.body.data.next_cursor).toBeNull();
    const all = [...ids(first.body.data.items), ...ids(second.body.data.items)];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('permission changes', () => {
  it('apply on the very next request', async () => {
    const world = await createWorld(h, 'Changers');
    const ok = await h.call('POST', '/api/stories', { token: world.parent.token, json: { title: 'Before', language: 'en', age_range: '4-6' } });
    expect(ok.status).toBe(201);
    const profile = await h.call('GET', `/api/profiles/${world.profiles.parentCreator}`, { token: world.admin.token });
    const permissions = profile.body.data.permissions;
    const narrowed = { ...permissions, actions: permissions.actions.filter((x: string) => x !== 'stories.create') };
    const put = await h.call('PUT', `/api/profiles/${world.profiles.parentCreator}`, { token: world.admin.token, json: { name: profile.body.data.name, description: profile.body.data.description, permissions: narrowed } });
    expect(put.status).toBe(200);
    const refused = await h.call('POST', '/api/stories', { token: world.parent.token, json: { title: 'After', language: 'en', age_range: '4-6' } });
    expect(refused.status).toBe(403);
  });
});
