/**
 * A device keeps working while the server is unreachable (its listener is
 * stopped): writes show at once from the overlay and wait in the outbox.
 * When the server comes back the outbox drains and each write lands exactly
 * once, even when an answer is lost on the way back and the batch is sent
 * again; a refused write is rolled back on the device with its message.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDevice, type Device } from './support/device-replicas.ts';
import { addStory, createFamily, type Family } from './support/family-world.ts';
import { eventually } from './support/sync-clients.ts';
import { startSyncStack, type SyncStack } from './support/sync-stack.ts';

let stack: SyncStack;
let home: Family;
let parent: Device;
let story: string;

async function outbox(): Promise<Array<{ mutation_type: string; status: string; message: string | null; write_id: string }>> {
  return (await parent.pg.query<{ mutation_type: string; status: string; message: string | null; write_id: string }>('SELECT mutation_type, status, message, write_id FROM outbox ORDER BY seq')).rows;
}

beforeAll(async () => {
  stack = await startSyncStack('offline');
  home = await createFamily(stack.t, 'Home');
  story = await addStory(stack.t, home.tenantId, { title: 'The Sleepy Owl', createdBy: home.admin.userId });
  parent = await startDevice(stack.url, home.tenantId, home.parent, 'parent-phone');
  await eventually(async () => expect((await parent.pg.query('SELECT 1 FROM stories WHERE id = $1', [story])).rows).toHaveLength(1), 30_000);
}, 120_000);

afterAll(async () => {
  await parent?.close();
  await stack?.close();
});

it('queues writes while the server is unreachable and lands each exactly once when it is back', async () => {
  await stack.stopListener();
  const draft = randomUUID();
  const task = randomUUID();
  await parent.pg.query(`INSERT INTO stories (id, title, age_range, content) VALUES ($1, 'Written in a tunnel', '4-6', 'Once upon a time')`, [draft]);
  await parent.pg.query(`UPDATE stories SET title = 'Written in a long tunnel' WHERE id = $1`, [draft]);
  for (const [kind, position] of [['start', 0], ['progress', 30], ['pause', 31.5]] as const) {
    await parent.pg.query(`INSERT INTO listening_events (story_id, position_seconds, event_kind) VALUES ($1, $2, $3)`, [story, position, kind]);
  }
  await parent.pg.query(
    `INSERT INTO agent_tasks (id, agent_type, input) VALUES ($1, 'QuotaAgent', $2)`,
    [task, JSON.stringify({ story: { title: 'The hiccup dragon', content: 'A dragon hiccups.', language: 'en', age_range: '4-6' }, publish: { is_published: false, visibility: 'private' } })],
  );
  // Shown at once, from the overlay; nothing reached the server.
  expect((await parent.pg.query('SELECT title, _pending FROM stories WHERE id = $1', [draft])).rows).toEqual([{ title: 'Written in a long tunnel', _pending: true }]);
  await new Promise((r) => setTimeout(r, 1_500)); // the sender tries, fails and backs off
  expect((await outbox()).every((e) => e.status === 'pending')).toBe(true);
  expect((await outbox()).length).toBe(6);
  expect(Number((await stack.admin.query('SELECT count(*) FROM stories WHERE id = $1', [draft])).rows[0].count)).toBe(0);

  // The first answer after the server is back is lost on the way to the
  // device: the server applied the batch, the device sends it all again.
  let lost = 0;
  parent.onMutationsAnswer = (res) => {
    if (res.ok && lost === 0) {
      lost++;
      throw new TypeError('fetch failed (the connection dropped before the answer arrived)');
    }
  };
  await stack.startListener();
  parent.sync.flush();
  await eventually(async () => expect((await outbox()).filter((e) => e.status === 'pending')).toEqual([]), 30_000);
  expect(lost).toBe(1);
  expect((await outbox()).map((e) => e.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'accepted']);

  const sent = await outbox();
  const stories = await stack.admin.query('SELECT title, content, write_id, created_by FROM stories WHERE id = $1', [draft]);
  expect(stories.rows).toEqual([{ title: 'Written in a long tunnel', content: 'Once upon a time', write_id: sent[1]!.write_id, created_by: home.parent.userId }]);
  const events = await stack.admin.query('SELECT event_kind, position_seconds::float8 AS p, device_id FROM listening_events WHERE user_id = $1 ORDER BY occurred_at, p', [home.parent.userId]);
  expect(events.rows).toEqual([
    { event_kind: 'start', p: 0, device_id: 'parent-phone' },
    { event_kind: 'progress', p: 30, device_id: 'parent-phone' },
    { event_kind: 'pause', p: 31.5, device_id: 'parent-phone' },
  ]);
  expect((await stack.admin.query('SELECT write_id FROM agent_tasks WHERE id = $1', [task])).rows).toEqual([{ write_id: sent[5]!.write_id }]);
  expect((await stack.queuedTasks()).filter((q) => q.id === task)).toHaveLength(1);
  // Every write was answered from its recorded result the second time, never applied twice.
  expect(Number((await stack.admin.query('SELECT count(*) FROM sync_mutation_results WHERE user_id = $1', [home.parent.userId])).rows[0].count)).toBe(6);

  // The rows come back through sync and the overlays are dropped.
  await eventually(async () => {
    expect((await parent.pg.query('SELECT title, _pending, write_id FROM stories WHERE id = $1', [draft])).rows).toEqual([{ title: 'Written in a long tunnel', _pending: false, write_id: sent[1]!.write_id }]);
    expect((await parent.pg.query('SELECT count(*)::int AS n FROM listening_events_local')).rows).toEqual([{ n: 0 }]);
    expect((await parent.pg.query('SELECT id FROM agent_tasks_synced WHERE id = $1', [task])).rows).toHaveLength(1);
  }, 30_000);
});

it('rolls back a write the server refuses, with the message, once it can be sent', async () => {
  const before = (await stack.admin.query(`SELECT value FROM tenant_policies WHERE tenant_id = $1 AND key = 'max_volume'`, [home.tenantId])).rows;
  await eventually(async () => expect((await parent.pg.query(`SELECT value FROM tenant_policies_synced WHERE key = 'max_volume'`)).rows).toEqual(before), 30_000);
  await stack.stopListener();
  // A parent may not change family settings; the device cannot know until the server says so.
  await parent.pg.query(`UPDATE tenant_policies SET value = '100' WHERE key = 'max_volume'`);
  expect((await parent.pg.query(`SELECT value, _pending FROM tenant_policies WHERE key = 'max_volume'`)).rows).toEqual([{ value: 100, _pending: true }]);
  await new Promise((r) => setTimeout(r, 500));
  await stack.startListener();
  parent.sync.flush();

  await eventually(async () => expect((await outbox()).at(-1)!.status).toBe('rejected'), 30_000);
  const refused = (await outbox()).at(-1)!;
  expect(refused.mutation_type).toBe('policy.set');
  expect(refused.message).toMatch(/was not allowed\. Your profile \(Parent Creator\) does not allow policies\.manage\. Ask a family admin/);
  expect((await parent.pg.query(`SELECT count(*)::int AS n FROM tenant_policies_local`)).rows).toEqual([{ n: 0 }]);
  expect((await parent.pg.query(`SELECT value, _pending FROM tenant_policies WHERE key = 'max_volume'`)).rows).toEqual([{ value: before[0].value, _pending: false }]);
  expect((await stack.admin.query(`SELECT value FROM tenant_policies WHERE tenant_id = $1 AND key = 'max_volume'`, [home.tenantId])).rows).toEqual(before);
});
