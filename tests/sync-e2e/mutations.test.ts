/**
 * POST /api/sync/mutations end to end: every mutation type goes through the
 * real app over HTTP, is applied by the domain services, and comes back to
 * the writer through its shape (official client, through the proxy) carrying
 * its write_id. Replays change nothing, refusals say why, a malformed batch
 * writes nothing, and one bad mutation does not stop the others.
 */
import { randomUUID } from 'node:crypto';
import type { Row } from '@electric-sql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStory, createFamily, type Family } from './support/family-world.ts';
import { eventually, postMutations, proxiedShape, request } from './support/sync-clients.ts';
import { startSyncStack, type SyncStack } from './support/sync-stack.ts';

let stack: SyncStack;
let home: Family;
let other: Family;
let publishedStory: string;
const shapes: Array<{ stop(): void }> = [];

function follow(name: string, token: string) {
  const s = proxiedShape(stack.url, name, token);
  shapes.push(s);
  return s;
}

/** Waits until the materialised shape holds a row matching `match`, and returns it. */
async function arrives(shape: { rows(): Row[] }, match: (r: Row) => boolean): Promise<Row> {
  let found: Row | undefined;
  await eventually(() => {
    found = shape.rows().find(match);
    expect(found).toBeDefined();
  }, 15_000);
  return found!;
}

async function count(sql: string, params: unknown[]): Promise<number> {
  return Number((await stack.admin.query<{ n: string }>(sql, params)).rows[0]!.n);
}

beforeAll(async () => {
  stack = await startSyncStack('mutations');
  home = await createFamily(stack.t, 'Home');
  other = await createFamily(stack.t, 'Other');
  publishedStory = await addStory(stack.t, home.tenantId, { title: 'The Sleepy Owl', ageRange: '4-6', createdBy: home.parent.userId });
});

afterAll(async () => {
  for (const s of shapes) s.stop();
  await stack?.close();
});

describe('each mutation type', () => {
  it('records a listening event, which comes back to the kid with its write_id', async () => {
    const events = follow('listening_events', home.kid.token);
    const id = randomUUID();
    const sent = await postMutations(stack.url, home.kid.token, [
      { type: 'listening_event.insert', payload: { id, story_id: publishedStory, device_id: 'kid-tablet', position_seconds: 12.5, event_kind: 'progress', occurred_at: '2026-05-01T19:30:00Z' } },
    ]);
    expect(sent.status).toBe(200);
    expect(sent.results).toEqual([{ write_id: sent.sent[0]!.write_id, status: 'accepted' }]);
    const row = await arrives(events, (r) => r.id === id);
    expect(row).toMatchObject({ write_id: sent.sent[0]!.write_id, user_id: home.kid.userId, story_id: publishedStory, listener_kind: 'kid', event_kind: 'progress' });
  });

  it('creates a draft with the id the device made, then edits only the fields sent', async () => {
    const stories = follow('stories', home.parent.token);
    const id = randomUUID();
    const created = await postMutations(stack.url, home.parent.token, [
      { type: 'story.upsert_draft', payload: { id, title: 'Written on the train', age_range: '4-6', content: 'Once upon a time', reading_level: 'early' } },
    ]);
    expect(created.results.map((r) => r.status)).toEqual(['accepted']);
    const draft = await arrives(stories, (r) => r.id === id && r.write_id === created.sent[0]!.write_id);
    expect(draft).toMatchObject({ title: 'Written on the train', visibility: 'private', is_published: false, created_by: home.parent.userId, reading_level: 'early' });

    const edited = await postMutations(stack.url, home.parent.token, [{ type: 'story.upsert_draft', payload: { id, title: 'Written on the night train' } }]);
    expect(edited.results.map((r) => r.status)).toEqual(['accepted']);
    const row = await arrives(stories, (r) => r.id === id && r.write_id === edited.sent[0]!.write_id);
    expect(row).toMatchObject({ title: 'Written on the night train', content: 'Once upon a time', age_range: '4-6', reading_level: 'early' });
    expect(await count('SELECT count(*) AS n FROM stories WHERE id = $1', [id])).toBe(1);
  });

  it('publishes a story and carries the write_id on it', async () => {
    const stories = follow('stories', home.parent.token);
    const id = randomUUID();
    await postMutations(stack.url, home.parent.token, [{ type: 'story.upsert_draft', payload: { id, title: 'To share', age_range: '7-9' } }]);
    const published = await postMutations(stack.url, home.parent.token, [{ type: 'story.set_visibility', payload: { id, visibility: 'tenant_only', is_published: true } }]);
    expect(published.results.map((r) => r.status)).toEqual(['accepted']);
    const row = await arrives(stories, (r) => r.id === id && r.write_id === published.sent[0]!.write_id);
    expect(row).toMatchObject({ visibility: 'tenant_only', is_published: true });
  });

  it('deletes a story (admin), which leaves the shape; deleting it again is accepted with a note', async () => {
    const stories = follow('stories', home.admin.token);
    const id = await addStory(stack.t, home.tenantId, { title: 'To delete', createdBy: home.parent.userId });
    await arrives(stories, (r) => r.id === id);
    const deleted = await postMutations(stack.url, home.admin.token, [{ type: 'story.delete', payload: { id } }]);
    expect(deleted.results.map((r) => r.status)).toEqual(['accepted']);
    await eventually(() => expect(stories.rows().map((r) => r.id)).not.toContain(id), 15_000);
    const again = await postMutations(stack.url, home.admin.token, [{ type: 'story.delete', payload: { id } }]);
    expect(again.results).toEqual([{ write_id: again.sent[0]!.write_id, status: 'accepted', message: 'This story was already deleted.' }]);
  });

  it('updates a profile (admin) partially, keeping the fields not sent', async () => {
    const profiles = follow('profiles', home.kid.token);
    const updated = await postMutations(stack.url, home.admin.token, [{ type: 'profile.update', payload: { id: home.profiles.kidsListenOnly, description: 'Listens to stories for little ones.' } }]);
    expect(updated.results.map((r) => r.status)).toEqual(['accepted']);
    const row = await arrives(profiles, (r) => r.id === home.profiles.kidsListenOnly && r.write_id === updated.sent[0]!.write_id);
    expect(row).toMatchObject({ name: 'Kids Listen-Only', description: 'Listens to stories for little ones.' });
    expect((row.permissions as { actions: string[] }).actions).toEqual(['stories.read']);
  });

  it('sets a policy (admin), seen by every member', async () => {
    const policies = follow('tenant_policies', home.kid.token);
    const set = await postMutations(stack.url, home.admin.token, [{ type: 'policy.set', payload: { key: 'max_volume', value: 55 } }]);
    expect(set.results.map((r) => r.status)).toEqual(['accepted']);
    const row = await arrives(policies, (r) => r.key === 'max_volume' && r.write_id === set.sent[0]!.write_id);
    expect(row.value).toBe(55);
  });

  it('requests an agent task with the device id, hands it to the worker after commit, and syncs it to the parent', async () => {
    const tasks = follow('agent_tasks', home.parent.token);
    const id = randomUUID();
    const asked = await postMutations(stack.url, home.parent.token, [
      {
        type: 'agent_task.request',
        payload: {
          id,
          agent_type: 'QuotaAgent',
          input: { story: { title: 'A dragon who hiccups', content: 'A small dragon could not stop hiccuping.', language: 'en', age_range: '4-6' }, publish: { is_published: false, visibility: 'private' } },
        },
      },
    ]);
    expect(asked.results.map((r) => r.status)).toEqual(['accepted']);
    const row = await arrives(tasks, (r) => r.id === id);
    expect(row).toMatchObject({ write_id: asked.sent[0]!.write_id, agent_type: 'QuotaAgent', status: 'pending', requested_by: home.parent.userId });
    expect((await stack.queuedTasks()).filter((q) => q.id === id)).toEqual([{ id, tenantId: home.tenantId, job: 'agent.pipeline' }]);
  });
});

describe('replays', () => {
  it('answer a resent batch exactly as before and change nothing', async () => {
    const story = randomUUID();
    const task = randomUUID();
    const event = randomUUID();
    const batch = [
      { type: 'story.upsert_draft', payload: { id: story, title: 'Once', age_range: '0-3' }, write_id: randomUUID() },
      { type: 'listening_event.insert', payload: { id: event, story_id: publishedStory, device_id: 'phone', position_seconds: 3, event_kind: 'start', occurred_at: '2026-05-01T19:30:00Z' }, write_id: randomUUID() },
      { type: 'agent_task.request', payload: { id: task, agent_type: 'SearchAssistant', input: { question: 'Which stories have dragons?' } }, write_id: randomUUID() },
      { type: 'policy.set', payload: { key: 'max_volume', value: 10 }, write_id: randomUUID() },
    ];
    const first = await postMutations(stack.url, home.parent.token, batch);
    expect(first.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'rejected']);
    const fingerprint = async () => ({
      stories: (await stack.admin.query('SELECT id, title, write_id, updated_at FROM stories WHERE tenant_id = $1 ORDER BY id', [home.tenantId])).rows,
      events: await count('SELECT count(*) AS n FROM listening_events WHERE tenant_id = $1', [home.tenantId]),
      tasks: await count('SELECT count(*) AS n FROM agent_tasks WHERE tenant_id = $1', [home.tenantId]),
      audit: await count('SELECT count(*) AS n FROM audit_log WHERE tenant_id = $1', [home.tenantId]),
      results: await count('SELECT count(*) AS n FROM sync_mutation_results WHERE tenant_id = $1', [home.tenantId]),
      queued: (await stack.queuedTasks()).length,
    });
    const before = await fingerprint();

    const again = await postMutations(stack.url, home.parent.token, batch);
    expect(again.results).toEqual(first.results);
    // Twice at once: one applies, the other waits for its answer; still nothing new.
    const [x, y] = await Promise.all([postMutations(stack.url, home.parent.token, batch), postMutations(stack.url, home.parent.token, batch)]);
    expect(x.results).toEqual(first.results);
    expect(y.results).toEqual(first.results);
    expect(await fingerprint()).toEqual(before);
  });

  it('lands a batch sent twice at the same moment exactly once', async () => {
    const event = randomUUID();
    const batch = [{ type: 'listening_event.insert', payload: { id: event, story_id: publishedStory, device_id: 'tab', position_seconds: 1, event_kind: 'start', occurred_at: '2026-05-01T19:30:00Z' }, write_id: randomUUID() }];
    const answers = await Promise.all([1, 2, 3].map(() => postMutations(stack.url, home.kid.token, batch)));
    for (const a of answers) expect(a.results).toEqual([{ write_id: batch[0]!.write_id, status: 'accepted' }]);
    expect(await count('SELECT count(*) AS n FROM listening_events WHERE id = $1', [event])).toBe(1);
  });

  it("refuse someone else's write_id without revealing their answer, and a write_id reused for another change", async () => {
    const writeId = randomUUID();
    const mine = await postMutations(stack.url, home.parent.token, [{ type: 'story.upsert_draft', payload: { id: randomUUID(), title: 'Mine', age_range: '4-6' }, write_id: writeId }]);
    expect(mine.results[0]!.status).toBe('accepted');
    const theirs = await postMutations(stack.url, home.admin.token, [{ type: 'story.upsert_draft', payload: { id: randomUUID(), title: 'Mine', age_range: '4-6' }, write_id: writeId }]);
    expect(theirs.results[0]).toMatchObject({ status: 'rejected', message: expect.stringContaining("another member's device") });
    const changed = await postMutations(stack.url, home.parent.token, [{ type: 'story.upsert_draft', payload: { id: randomUUID(), title: 'Something else', age_range: '4-6' }, write_id: writeId }]);
    expect(changed.results[0]).toMatchObject({ status: 'rejected', message: expect.stringContaining('different change') });
    expect(await count("SELECT count(*) AS n FROM stories WHERE tenant_id = $1 AND title = 'Something else'", [home.tenantId])).toBe(0);
  });
});

describe('passing failures', () => {
  // Postgres itself fails the write, as a serialization failure would, for
  // events from this test device only.
  beforeAll(async () => {
    await stack.admin.query(`
      CREATE FUNCTION test_flaky_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.device_id = 'flaky-device' THEN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_flaky_events BEFORE INSERT ON listening_events FOR EACH ROW EXECUTE FUNCTION test_flaky_events();`);
  });

  afterAll(async () => {
    await stack.admin.query('DROP TRIGGER test_flaky_events ON listening_events; DROP FUNCTION test_flaky_events()');
  });

  it('answer retry, try nothing after it, and apply everything once sent again', async () => {
    const event = { id: randomUUID(), story_id: publishedStory, device_id: 'flaky-device', position_seconds: 5, event_kind: 'start', occurred_at: '2026-05-01T19:30:00Z' };
    const draft = randomUUID();
    const batch = [
      { type: 'listening_event.insert', payload: event, write_id: randomUUID() },
      { type: 'story.upsert_draft', payload: { id: draft, title: 'Built on the event', age_range: '4-6' }, write_id: randomUUID() },
    ];
    const first = await postMutations(stack.url, home.parent.token, batch);
    expect(first.status).toBe(200);
    expect(first.results.map((r) => r.status)).toEqual(['retry', 'retry']);
    expect(first.results[0]!.message).toMatch(/will be sent again automatically/);
    expect(await count('SELECT count(*) AS n FROM stories WHERE id = $1', [draft])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM sync_mutation_results WHERE tenant_id = $1 AND write_id = ANY($2::uuid[])', [home.tenantId, batch.map((m) => m.write_id)])).toBe(0);

    batch[0]!.payload = { ...event, device_id: 'steady-device' };
    // Same write_id, different payload: still accepted, since the failed try recorded nothing.
    const again = await postMutations(stack.url, home.parent.token, batch);
    expect(again.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(await count('SELECT count(*) AS n FROM listening_events WHERE id = $1', [event.id])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM stories WHERE id = $1', [draft])).toBe(1);
  });
});

describe('refusals', () => {
  it('rejects a kid editing a story, saying why and what to do, and changes nothing', async () => {
    const before = (await stack.admin.query('SELECT title, write_id, updated_at FROM stories WHERE id = $1', [publishedStory])).rows;
    const res = await postMutations(stack.url, home.kid.token, [{ type: 'story.upsert_draft', payload: { id: publishedStory, title: 'My story now' } }]);
    expect(res.status).toBe(200);
    expect(res.results[0]!.status).toBe('rejected');
    expect(res.results[0]!.message).toMatch(/^Your story draft was not allowed\. .*Ask a family admin/);
    expect((await stack.admin.query('SELECT title, write_id, updated_at FROM stories WHERE id = $1', [publishedStory])).rows).toEqual(before);
  });

  it('rejects a kid creating a story, and a parent changing a policy', async () => {
    const kid = await postMutations(stack.url, home.kid.token, [{ type: 'story.upsert_draft', payload: { id: randomUUID(), title: 'Mine', age_range: '4-6' } }]);
    expect(kid.results[0]).toMatchObject({ status: 'rejected', message: expect.stringContaining('does not allow stories.create') });
    const parent = await postMutations(stack.url, home.parent.token, [{ type: 'policy.set', payload: { key: 'max_volume', value: 100 } }]);
    expect(parent.results[0]).toMatchObject({ status: 'rejected', message: expect.stringContaining('does not allow policies.manage') });
  });

  it('undoes what a service wrote before refusing, and records only the refusal', async () => {
    // The profile service updates the row, then refuses because no one could manage profiles any more.
    const before = (await stack.admin.query('SELECT permissions, write_id, updated_at FROM profiles WHERE id = $1', [home.profiles.tenantAdmin])).rows;
    const res = await postMutations(stack.url, home.admin.token, [
      { type: 'profile.update', payload: { id: home.profiles.tenantAdmin, permissions: { actions: ['stories.read'], limits: { ageRanges: null, languages: null } } } },
    ]);
    expect(res.results[0]).toMatchObject({ status: 'rejected', message: expect.stringContaining('nobody able to manage profiles') });
    expect((await stack.admin.query('SELECT permissions, write_id, updated_at FROM profiles WHERE id = $1', [home.profiles.tenantAdmin])).rows).toEqual(before);
    expect((await stack.admin.query('SELECT status FROM sync_mutation_results WHERE tenant_id = $1 AND write_id = $2', [home.tenantId, res.sent[0]!.write_id])).rows).toEqual([{ status: 'rejected' }]);
  });

  it('hands nothing to the worker for a request it refused after the service had accepted it', async () => {
    // The task service makes the task; taking the device's id then fails, because that id is taken.
    const taken = (await stack.admin.query<{ id: string }>('SELECT id FROM agent_tasks WHERE tenant_id = $1 LIMIT 1', [home.tenantId])).rows[0]!.id;
    const tasks = await count('SELECT count(*) AS n FROM agent_tasks', []);
    const queued = (await stack.queuedTasks()).length;
    const res = await postMutations(stack.url, home.parent.token, [{ type: 'agent_task.request', payload: { id: taken, agent_type: 'SearchAssistant', input: { question: 'Owls?' } } }]);
    expect(res.results[0]).toMatchObject({ status: 'rejected', message: expect.stringContaining('Make the change again') });
    await new Promise((r) => setTimeout(r, 100));
    expect((await stack.queuedTasks()).length).toBe(queued);
    expect(await count('SELECT count(*) AS n FROM agent_tasks', [])).toBe(tasks);
  });

  it("cannot reach another family's story, even by id", async () => {
    const theirs = await addStory(stack.t, other.tenantId, { title: 'Theirs', createdBy: other.parent.userId, visibility: 'private', published: false });
    const res = await postMutations(stack.url, home.admin.token, [
      { type: 'story.set_visibility', payload: { id: theirs, visibility: 'public', is_published: true } },
      { type: 'story.upsert_draft', payload: { id: theirs, title: 'Taken over' } },
      { type: 'story.upsert_draft', payload: { id: theirs, title: 'Taken over', age_range: '4-6' } },
    ]);
    expect(res.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((await stack.admin.query('SELECT tenant_id, title, visibility FROM stories WHERE id = $1', [theirs])).rows).toEqual([{ tenant_id: other.tenantId, title: 'Theirs', visibility: 'private' }]);
  });

  it('answers a malformed batch with 400 field errors, writing nothing', async () => {
    const results = await count('SELECT count(*) AS n FROM sync_mutation_results', []);
    const stories = await count('SELECT count(*) AS n FROM stories', []);
    const cases: Array<[unknown, string]> = [
      [{ mutations: [] }, 'device_id'],
      [{ device_id: 'd', mutations: [] }, 'mutations'],
      [{ device_id: 'd', mutations: [{ write_id: 'not-a-uuid', type: 'story.delete', payload: { id: randomUUID() } }] }, 'mutations.0.write_id'],
      [{ device_id: 'd', mutations: [{ write_id: randomUUID(), type: 'story.delete', payload: {}, extra: 1 }] }, 'mutations.0.extra'],
      [{ device_id: 'd', mutations: Array.from({ length: 101 }, () => ({ write_id: randomUUID(), type: 'story.delete', payload: { id: randomUUID() } })) }, 'mutations'],
    ];
    const repeated = randomUUID();
    cases.push([{ device_id: 'd', mutations: [{ write_id: repeated, type: 'story.delete', payload: { id: randomUUID() } }, { write_id: repeated, type: 'story.delete', payload: { id: randomUUID() } }] }, 'mutations']);
    for (const [body, field] of cases) {
      const res = await request(stack.url, 'POST', '/api/sync/mutations', { token: home.admin.token, json: body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(Object.keys(res.body.errors), JSON.stringify(res.body.errors)).toContain(field);
    }
    const notJson = await request(stack.url, 'POST', '/api/sync/mutations', { token: home.admin.token, raw: '{"device_id": "d", "mutations": [' });
    expect(notJson.status).toBe(400);
    expect(await count('SELECT count(*) AS n FROM sync_mutation_results', [])).toBe(results);
    expect(await count('SELECT count(*) AS n FROM stories', [])).toBe(stories);
  });

  it('answers 401 without a session', async () => {
    const res = await request(stack.url, 'POST', '/api/sync/mutations', { json: { device_id: 'd', mutations: [{ write_id: randomUUID(), type: 'story.delete', payload: { id: randomUUID() } }] } });
    expect(res.status).toBe(401);
  });

  it('rejects an unknown type and a bad payload on their own, and applies the others', async () => {
    const good = randomUUID();
    const res = await postMutations(stack.url, home.parent.token, [
      { type: 'story.teleport', payload: { id: randomUUID() } },
      { type: 'story.upsert_draft', payload: { id: good, title: 'Still saved', age_range: '4-6' } },
      { type: 'story.upsert_draft', payload: { id: randomUUID(), title: '', age_range: '99+' } },
      { type: 'story.upsert_draft', payload: { id: randomUUID(), title: 'Bad\u0000title', age_range: '4-6' } },
    ]);
    expect(res.results.map((r) => r.status)).toEqual(['rejected', 'accepted', 'rejected', 'rejected']);
    expect(res.results[0]!.message).toContain('Unknown mutation type "story.teleport"');
    expect(res.results[0]!.errors).toHaveProperty('type');
    expect(Object.keys(res.results[2]!.errors ?? {})).toEqual(expect.arrayContaining(['payload.title', 'payload.age_range']));
    expect(res.results[3]).toMatchObject({ status: 'rejected', errors: { 'payload.title': [expect.stringContaining('control characters')] } });
    expect(await count('SELECT count(*) AS n FROM stories WHERE id = $1', [good])).toBe(1);
  });
});
