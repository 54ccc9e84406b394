/**
 * Tenant isolation through sync: two families with something in every
 * synced table; every shape synced through the proxy by several viewers of
 * each. A viewer receives exactly what its shape definition selects in
 * Postgres, and never a row (nor an id) of the other family: not in the
 * initial sync, not live while the other family writes, not when the device
 * tampers with the query.
 */
import type { ChangeMessage, Message, Row, ShapeStream } from '@electric-sql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHAPE_NAMES, type ShapeName } from '../../shapes/shape-definitions.ts';
import { fillFamily, type FamilyContent } from './support/family-content.ts';
import { addStory, createFamily, viewerOf, type Family, type Member } from './support/family-world.ts';
import { eventually, proxiedStream, shapeRequest, syncToUpToDate } from './support/sync-clients.ts';
import { startSyncStack, type SyncStack } from './support/sync-stack.ts';
import { expectedRows, primaryKeyOf } from './support/viewer-rows.ts';

let stack: SyncStack;
let a: Family;
let b: Family;
let aContent: FamilyContent;
let bContent: FamilyContent;

/** Every id of `family` that could appear in a row. */
function idsOf(family: Family, content: FamilyContent): string[] {
  return [family.tenantId, family.admin.userId, family.parent.userId, family.kid.userId, ...Object.values(family.profiles), ...content.stories, ...content.assets, ...content.tasks, ...content.events];
}

/** The tenant a synced row belongs to (tags are a shared vocabulary and belong to none). */
function tenantOf(shape: ShapeName, row: Record<string, unknown>): unknown {
  if (shape === 'tags') return null;
  return shape === 'tenants' ? row.id : row.tenant_id;
}

const viewers = (f: Family): Array<[string, Member]> => [
  ['kid', f.kid],
  ['parent', f.parent],
  ['admin', f.admin],
];

beforeAll(async () => {
  stack = await startSyncStack('isolation');
  await stack.admin.query(`INSERT INTO tags (name, slug, category) VALUES ('Dragons', 'dragons', 'theme') ON CONFLICT (slug) DO NOTHING`);
  a = await createFamily(stack.t, 'Alpha');
  b = await createFamily(stack.t, 'Beta');
  aContent = await fillFamily(stack.t, a, 'dragons');
  bContent = await fillFamily(stack.t, b, 'dragons');
});

afterAll(async () => {
  await stack?.close();
});

describe.each([
  ['Alpha', () => [a, b] as const],
  ['Beta', () => [b, a] as const],
])('viewers of %s', (_name, families) => {
  it('receive through every shape exactly what their definition selects, and nothing of the other family', async () => {
    const [own, foreign] = families();
    const foreignIds = idsOf(foreign, own === a ? bContent : aContent);
    let compared = 0;
    for (const [role, member] of viewers(own)) {
      const viewer = await viewerOf(stack.t, member);
      for (const shape of SHAPE_NAMES) {
        const expected = await expectedRows(stack.admin, shape, viewer);
        const res = await shapeRequest(stack.url, shape, { offset: '-1' }, member.token);
        if (expected === null) {
          expect(res.status, `${role} ${shape}`).toBe(403);
          continue;
        }
        const synced = await syncToUpToDate(stack.url, shape, member.token);
        const rows = [...synced.rows.values()];
        for (const row of rows) expect(tenantOf(shape, row), `${role} ${shape}`).not.toBe(foreign.tenantId);
        const keys = rows.map((r) => primaryKeyOf(shape).map((k) => r[k]).join('/')).sort();
        expect(keys, `${role} ${shape}`).toEqual([...expected.keys()].sort());
        for (const id of foreignIds) expect(JSON.stringify(rows), `${role} ${shape}`).not.toContain(id);
        if (shape !== 'tags') expect(rows.length, `${role} ${shape} has rows to compare`).toBeGreaterThan(0);
        compared++;
      }
    }
    // Kids lack agent_tasks; everything else is compared.
    expect(compared).toBe(3 * SHAPE_NAMES.length - 1);
  });
});

it("does not leak the other family's rows live, while they write, or when the device tampers with the query", async () => {
  const received: Array<{ who: string; shape: ShapeName; message: Message<Row> }> = [];
  const controllers: AbortController[] = [];
  const streams: ShapeStream<Row>[] = [];
  for (const [role, member] of viewers(a)) {
    const viewer = await viewerOf(stack.t, member);
    for (const shape of SHAPE_NAMES) {
      if (!(await expectedRows(stack.admin, shape, viewer))) continue;
      const controller = new AbortController();
      controllers.push(controller);
      const stream = proxiedStream(stack.url, shape, member.token, { signal: controller.signal });
      stream.subscribe((messages) => {
        for (const message of messages) received.push({ who: role, shape, message });
      });
      streams.push(stream);
    }
  }
  try {
    await eventually(() => expect(streams.every((s) => s.isUpToDate)).toBe(true));
    // The other family writes in every synced table…
    const more = await fillFamily(stack.t, b, 'dragons');
    await stack.admin.query(`UPDATE tenant_policies SET value = '42' WHERE tenant_id = $1 AND key = 'max_volume'`, [b.tenantId]);
    await stack.admin.query(`UPDATE profiles SET description = 'changed' WHERE tenant_id = $1`, [b.tenantId]);
    await stack.admin.query(`UPDATE users SET avatar = 'fox' WHERE tenant_id = $1`, [b.tenantId]);
    await stack.admin.query(`UPDATE tenants SET name = 'Beta renamed' WHERE id = $1`, [b.tenantId]);
    // …then this family writes one story, after all of theirs.
    const sentinel = await addStory(stack.t, a.tenantId, { title: 'Sentinel', createdBy: a.parent.userId });
    await eventually(() => expect(received.some((r) => r.shape === 'stories' && r.who === 'kid' && (r.message as ChangeMessage<Row>).value?.id === sentinel)).toBe(true));

    const foreignIds = [...idsOf(b, bContent), ...more.stories, ...more.assets, ...more.tasks, ...more.events];
    const text = JSON.stringify(received, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    for (const id of foreignIds) expect(text).not.toContain(id);
    expect(text).not.toContain('Beta renamed');
  } finally {
    for (const c of controllers) c.abort();
  }

  // Aiming the query at the other family changes nothing.
  for (const shape of SHAPE_NAMES) {
    const res = await shapeRequest(stack.url, shape, { offset: '-1', table: 'stories', where: `tenant_id = '${b.tenantId}'`, 'params[1]': b.tenantId, 'params[2]': b.parent.userId }, a.admin.token);
    expect(res.status, shape).toBe(200);
    for (const id of idsOf(b, bContent)) expect(res.text, shape).not.toContain(id);
  }
});
