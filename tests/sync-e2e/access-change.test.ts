/**
 * A change of access reaches a kid's device: when an admin narrows what the
 * kid may see (the tenant's allowed_age_ranges policy, or the kid profile's
 * own age limits), the proxy computes a different shape for the kid, the
 * kid's live stream gets a must-refetch (409), and after re-syncing the
 * hidden stories and their covers are gone from the kid's PGlite replica,
 * which then holds exactly what the server selects for the kid.
 *
 * The service holds live requests for 20 s here, as in production, so the
 * last test shows the proxy ending a held request at once.
 */
import { Shape } from '@electric-sql/client';
import type { ShapeName } from '../../shapes/shape-definitions.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDevice, type Device } from './support/device-replicas.ts';
import { addCover, fillFamily } from './support/family-content.ts';
import { addStory, createFamily, viewerOf, type Family } from './support/family-world.ts';
import { eventually, postMutations, proxiedStream } from './support/sync-clients.ts';
import { startSyncStack, type SyncStack } from './support/sync-stack.ts';
import { comparedColumns, deviceRows, differences, expectedRows } from './support/viewer-rows.ts';

let stack: SyncStack;
let home: Family;
let kid: Device;
const stories: Record<string, string> = {};
const covers: Record<string, string> = {};

/** The kid's replica equals what the server selects for the kid now, for every shape it follows. */
async function kidMatchesServer(): Promise<void> {
  const viewer = await viewerOf(stack.t, home.kid);
  for (const shape of kid.shapes as ShapeName[]) {
    const columns = comparedColumns(shape, viewer);
    const expected = (await expectedRows(stack.admin, shape, viewer, columns))!;
    expect(differences(expected, await deviceRows(kid.pg, shape, columns)), shape).toEqual([]);
  }
}

async function kidHas(id: string): Promise<boolean> {
  return (await kid.pg.query('SELECT 1 FROM stories WHERE id = $1', [id])).rows.length === 1;
}

async function kidHasCover(id: string): Promise<boolean> {
  return (await kid.pg.query('SELECT 1 FROM assets WHERE id = $1', [id])).rows.length === 1;
}

beforeAll(async () => {
  stack = await startSyncStack('access', { longPollMs: 20_000 });
  await stack.admin.query(`INSERT INTO tags (name, slug, category) VALUES ('Owls', 'owls', 'theme') ON CONFLICT (slug) DO NOTHING`);
  home = await createFamily(stack.t, 'Home');
  await fillFamily(stack.t, home, 'owls');
  for (const age of ['0-3', '4-6', '7-9']) {
    stories[age] = await addStory(stack.t, home.tenantId, { title: `For ${age}`, ageRange: age, createdBy: home.admin.userId });
    covers[age] = await addCover(stack.t, home.tenantId, stories[age]!);
  }
  kid = await startDevice(stack.url, home.tenantId, home.kid, 'kid-tablet');
  await eventually(kidMatchesServer, 30_000);
}, 120_000);

afterAll(async () => {
  await kid?.close();
  await stack?.close();
});

it('drops what an admin hides through the allowed_age_ranges policy, after a must-refetch', async () => {
  expect(await kidHas(stories['0-3']!)).toBe(true);
  expect(await kidHasCover(covers['0-3']!)).toBe(true);
  const since = Date.now();
  const set = await postMutations(stack.url, home.admin.token, [{ type: 'policy.set', payload: { key: 'allowed_age_ranges', value: ['4-6', '7-9', '10-12', '13+'] } }]);
  expect(set.results.map((r) => r.status)).toEqual(['accepted']);

  // pglite-sync may commit the refetch's truncation before the new snapshot
  // (on a subscription it started fresh), so wait for the end state.
  await eventually(async () => expect([await kidHas(stories['0-3']!), await kidHas(stories['4-6']!)]).toEqual([false, true]), 30_000);
  expect(kid.shapeResponses.some((r) => r.shape === 'stories' && r.status === 409 && r.at >= since)).toBe(true);
  await eventually(kidMatchesServer, 30_000);
  expect([await kidHasCover(covers['0-3']!), await kidHasCover(covers['4-6']!)]).toEqual([false, true]);
});

it("drops what an admin hides by narrowing the kid profile's own age ranges", async () => {
  const since = Date.now();
  const narrowed = await postMutations(stack.url, home.admin.token, [
    { type: 'profile.update', payload: { id: home.profiles.kidsListenOnly, permissions: { actions: ['stories.read'], limits: { ageRanges: ['7-9'], languages: null } } } },
  ]);
  expect(narrowed.results.map((r) => r.status)).toEqual(['accepted']);

  await eventually(async () => expect([await kidHas(stories['4-6']!), await kidHas(stories['7-9']!)]).toEqual([false, true]), 30_000);
  expect(kid.shapeResponses.some((r) => r.shape === 'stories' && r.status === 409 && r.at >= since)).toBe(true);
  await eventually(kidMatchesServer, 30_000);
});

it('brings stories back when access widens again', async () => {
  const widened = await postMutations(stack.url, home.admin.token, [
    { type: 'profile.update', payload: { id: home.profiles.kidsListenOnly, permissions: { actions: ['stories.read'], limits: { ageRanges: ['0-3', '4-6', '7-9'], languages: null } } } },
    { type: 'policy.set', payload: { key: 'allowed_age_ranges', value: ['0-3', '4-6', '7-9', '10-12', '13+'] } },
  ]);
  expect(widened.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  await eventually(async () => expect(await kidHas(stories['0-3']!)).toBe(true), 30_000);
  await eventually(kidMatchesServer, 30_000);
});

it('ends a live request held by the proxy with must-refetch at once, not at the long-poll timeout (official client)', async () => {
  // No device logic here: a bare official client, whose live request the
  // service would hold for 20 s when nothing in its old shape changes.
  const seen: Array<{ status: number; at: number }> = [];
  const fetchClient: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    seen.push({ status: res.status, at: Date.now() });
    return res;
  };
  const controller = new AbortController();
  const shape = new Shape(proxiedStream(stack.url, 'stories', home.kid.token, { signal: controller.signal, fetchClient }));
  try {
    expect((await shape.rows).map((r) => r.id)).toContain(stories['7-9']);
    await new Promise((r) => setTimeout(r, 500)); // its live request is parked
    const since = Date.now();
    const set = await postMutations(stack.url, home.admin.token, [{ type: 'policy.set', payload: { key: 'allowed_age_ranges', value: ['0-3', '4-6'] } }]);
    expect(set.results.map((r) => r.status)).toEqual(['accepted']);
    // The client empties its rows on must-refetch, then fills them from the new shape.
    await eventually(() => {
      const ids = shape.currentRows.map((r) => r.id);
      expect([ids.includes(stories['7-9']), ids.includes(stories['4-6'])]).toEqual([false, true]);
    }, 8_000);
    expect(Date.now() - since).toBeLessThan(8_000);
    expect(seen.some((s) => s.status === 409 && s.at >= since)).toBe(true);
  } finally {
    controller.abort();
  }
});
