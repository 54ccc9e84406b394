/**
 * The shape proxy (GET /api/shapes/:name) over a real listener, in front of
 * the real shape service: who may sync at all, what a device can and cannot
 * influence, the caching and CORS headers a browser and any cache in
 * between see, and must-refetch when the viewer's access changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPOSED_HEADERS } from '../../server/http/app.ts';
import { createFamily, addStory, type Family } from './support/family-world.ts';
import { eventually, postMutations, proxiedShape, request, shapeRequest, syncToUpToDate } from './support/sync-clients.ts';
import { PWA_ORIGIN, startSyncStack, type SyncStack } from './support/sync-stack.ts';

let stack: SyncStack;
let home: Family;
let other: Family;
let toddlerStory: string;
let teenStory: string;
let otherTenantStory: string;

beforeAll(async () => {
  stack = await startSyncStack('proxy');
  home = await createFamily(stack.t, 'Home');
  other = await createFamily(stack.t, 'Other');
  toddlerStory = await addStory(stack.t, home.tenantId, { title: 'Toddler songs', ageRange: '0-3', createdBy: home.admin.userId });
  teenStory = await addStory(stack.t, home.tenantId, { title: 'Teen mystery', ageRange: '13+', createdBy: home.admin.userId });
  await addStory(stack.t, home.tenantId, { title: 'Bedtime owl', ageRange: '4-6', createdBy: home.parent.userId });
  otherTenantStory = await addStory(stack.t, other.tenantId, { title: 'Their public story', ageRange: '4-6', visibility: 'public', createdBy: other.admin.userId });
});

afterAll(async () => {
  await stack?.close();
});

describe('refusals', () => {
  it('answers 401 without a session, for GET and HEAD alike', async () => {
    const get = await shapeRequest(stack.url, 'stories', { offset: '-1' });
    expect(get.status).toBe(401);
    expect(get.body.message).toMatch(/sign in/i);
    const head = await request(stack.url, 'HEAD', '/api/shapes/stories?offset=-1');
    expect(head.status).toBe(401);
  });

  it('answers 401 for a session that was signed out', async () => {
    const res = await shapeRequest(stack.url, 'stories', { offset: '-1' }, `${home.kid.token.split('.')[0]}.not-the-secret`);
    expect(res.status).toBe(401);
  });

  it('answers 403 when the viewer has no such shape (a kid asking for agent tasks), and 404 for no shape at all', async () => {
    const tasks = await shapeRequest(stack.url, 'agent_tasks', { offset: '-1' }, home.kid.token);
    expect(tasks.status).toBe(403);
    expect(tasks.body.message).toContain('does not sync agent_tasks');
    expect(tasks.headers.get('electric-handle')).toBeNull();
    const unknown = await shapeRequest(stack.url, 'sessions', { offset: '-1' }, home.admin.token);
    expect(unknown.status).toBe(404);
  });
});

describe('what a device can influence', () => {
  it('changes nothing by sending table, where, columns, params, secret or replica', async () => {
    const plain = await shapeRequest(stack.url, 'stories', { offset: '-1' }, home.kid.token);
    const tampered = await shapeRequest(
      stack.url,
      'stories',
      {
        offset: '-1',
        table: 'users',
        where: 'true',
        columns: 'id,tenant_id,title,content,email',
        'params[1]': other.tenantId,
        'params[2]': '{13+}',
        secret: 'guessed-secret',
        replica: 'full',
      },
      home.kid.token,
    );
    expect(plain.status).toBe(200);
    expect(tampered.status).toBe(200);
    // Same shape (same handle), same rows, same columns.
    expect(tampered.headers.get('electric-handle')).toBe(plain.headers.get('electric-handle'));
    expect(tampered.headers.get('electric-schema')).toBe(plain.headers.get('electric-schema'));
    const ids = (body: Array<{ value?: { id: string } }>) => body.flatMap((m) => (m.value ? [m.value.id] : [])).sort();
    expect(ids(tampered.body)).toEqual(ids(plain.body));
    expect(ids(plain.body)).toContain(toddlerStory);
    expect(ids(plain.body)).not.toContain(teenStory);
    expect(tampered.text).not.toContain(otherTenantStory);
    expect(JSON.parse(tampered.headers.get('electric-schema')!)).not.toHaveProperty('email');
  });

  it("refuses another viewer's handle with 409 must-refetch and the viewer's own handle", async () => {
    const parents = await syncToUpToDate(stack.url, 'stories', home.parent.token);
    const kids = await syncToUpToDate(stack.url, 'stories', home.kid.token);
    expect(kids.handle).not.toBe(parents.handle);
    const stolen = await shapeRequest(stack.url, 'stories', { offset: parents.offset, handle: parents.handle }, home.kid.token);
    expect(stolen.status).toBe(409);
    expect(stolen.body).toEqual([{ headers: { control: 'must-refetch' } }]);
    expect(stolen.headers.get('electric-handle')).toBe(kids.handle);
    // Another tenant's viewer with this family's handle fares no better.
    const foreign = await shapeRequest(stack.url, 'stories', { offset: kids.offset, handle: kids.handle }, other.kid.token);
    expect(foreign.status).toBe(409);
    expect(foreign.text).not.toContain(toddlerStory);
  });
});

describe('headers', () => {
  it('keeps every electric-* header, and makes caching private and varying on the credential', async () => {
    const first = await shapeRequest(stack.url, 'stories', { offset: '-1' }, home.parent.token);
    expect(first.status).toBe(200);
    for (const h of ['electric-handle', 'electric-offset', 'electric-schema']) expect(first.headers.get(h), h).toBeTruthy();
    expect(first.headers.get('cache-control')).toMatch(/^private\b/);
    expect(first.headers.get('cache-control')).not.toMatch(/public|s-maxage/);
    expect(first.headers.get('vary')).toMatch(/Authorization/i);
    expect(first.headers.get('vary')).toMatch(/Cookie/i);

    const { handle, offset } = await syncToUpToDate(stack.url, 'stories', home.parent.token);
    const upToDate = await shapeRequest(stack.url, 'stories', { offset, handle }, home.parent.token);
    expect(upToDate.headers.get('electric-up-to-date')).not.toBeNull();
    const live = await shapeRequest(stack.url, 'stories', { offset, handle, live: 'true' }, home.parent.token);
    expect(live.status).toBe(200);
    expect(live.headers.get('electric-cursor')).toBeTruthy();
    expect(live.headers.get('cache-control')).toMatch(/^private\b/);
  });

  it('answers HEAD with the same headers and no body', async () => {
    const head = await request(stack.url, 'HEAD', '/api/shapes/stories?offset=-1', { token: home.parent.token });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.get('electric-handle')).toBeTruthy();
    expect(head.headers.get('cache-control')).toMatch(/^private\b/);
  });

  it('lets the PWA origin read the electric-* headers (CORS expose), and no other origin', async () => {
    const res = await shapeRequest(stack.url, 'stories', { offset: '-1' }, home.parent.token, { origin: PWA_ORIGIN });
    expect(res.headers.get('access-control-allow-origin')).toBe(PWA_ORIGIN);
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    for (const h of ['electric-handle', 'electric-offset', 'electric-schema', 'electric-cursor', 'electric-up-to-date']) expect(exposed).toContain(h);
    expect(EXPOSED_HEADERS.map((h) => h.toLowerCase())).toEqual(expect.arrayContaining(exposed.filter(Boolean)));

    const preflight = await request(stack.url, 'OPTIONS', '/api/shapes/stories?offset=-1', {
      headers: { origin: PWA_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(PWA_ORIGIN);

    const stranger = await shapeRequest(stack.url, 'stories', { offset: '-1' }, home.parent.token, { origin: 'https://evil.example' });
    expect(stranger.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });
});

describe('a change of access', () => {
  it('turns the old handle into a must-refetch, and the new shape leaves out what the kid may no longer see', async () => {
    const before = await syncToUpToDate(stack.url, 'stories', home.kid.token);
    expect([...before.rows.values()].map((r) => r.id)).toContain(toddlerStory);

    const set = await postMutations(stack.url, home.admin.token, [{ type: 'policy.set', payload: { key: 'allowed_age_ranges', value: ['4-6', '7-9', '10-12', '13+'] } }]);
    expect(set.results.map((r) => r.status)).toEqual(['accepted']);

    const stale = await shapeRequest(stack.url, 'stories', { offset: before.offset, handle: before.handle }, home.kid.token);
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual([{ headers: { control: 'must-refetch' } }]);
    const after = await syncToUpToDate(stack.url, 'stories', home.kid.token);
    expect(after.handle).toBe(stale.headers.get('electric-handle'));
    const ids = [...after.rows.values()].map((r) => r.id);
    expect(ids).not.toContain(toddlerStory);
    expect(ids.length).toBeGreaterThan(0);
  });

  it('reaches a live official client: it refetches by itself and drops the hidden story', async () => {
    const kid = proxiedShape(stack.url, 'stories', home.kid.token);
    try {
      const bedtime = (await kid.shape.rows).find((r) => r.title === 'Bedtime owl');
      expect(bedtime).toBeDefined();
      const set = await postMutations(stack.url, home.admin.token, [{ type: 'policy.set', payload: { key: 'allowed_age_ranges', value: ['7-9'] } }]);
      expect(set.results.map((r) => r.status)).toEqual(['accepted']);
      await eventually(() => expect(kid.rows().map((r) => r.title)).not.toContain('Bedtime owl'), 15_000);
    } finally {
      kid.stop();
    }
  });
});
