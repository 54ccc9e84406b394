/**
 * Agent tasks: the trigger validates input per agent type, writes the row
 * (and the draft story of a generation request), and hands it to the
 * dispatcher only after commit; members see their own tasks, users.manage
 * sees all; the quota counts this month's generation requests and model use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHarness, rowCounts, type ApiHarness } from './support/api-harness.ts';
import { addMember, addStory, createWorld, ensureTag, type World } from './support/tenant-world.ts';

let h: ApiHarness;
let w: World;

beforeAll(async () => {
  h = await createApiHarness('api_agents');
  await ensureTag(h, 'animals', 'Animals', 'character');
  w = await createWorld(h, 'Agents');
});

afterAll(async () => {
  await h?.close();
});

const generation = {
  agent_type: 'QuotaAgent',
  input: {
    story: { title: 'The Brave Snail', content: 'A snail set off to see the sea.', language: 'en', age_range: '4-6', tags: ['animals'] },
    voice: 'en-gb',
    illustration_style: 'watercolour',
    publish: { is_published: true, visibility: 'tenant_only' },
  },
};

describe('trigger', () => {
  it('records a story generation request with its private draft, and dispatches it after commit', async () => {
    const res = await h.call('POST', '/api/agents/trigger', { token: w.parent.token, json: generation });
    expect(res.status, res.text).toBe(202);
    const task = res.body.data;
    expect(task).toMatchObject({ agent_type: 'QuotaAgent', status: 'pending', requested_by: w.parent.userId });
    expect(task.input).toMatchObject({ voice: 'en-gb', illustration_style: 'watercolour', publish: { is_published: true, visibility: 'tenant_only' } });
    // On the real queue as one story pipeline job, for this task.
    expect((await h.queuedTasks()).filter((q) => q.id === task.id)).toEqual([{ id: task.id, tenantId: w.tenantId, job: 'agent.pipeline' }]);

    const story = await h.call('GET', `/api/stories/${task.story_id}`, { token: w.parent.token });
    expect(story.body.data).toMatchObject({ title: 'The Brave Snail', visibility: 'private', is_published: false, content: 'A snail set off to see the sea.' });
    expect(story.body.data.tags.map((t: { slug: string }) => t.slug)).toEqual(['animals']);
  });

  it('works on an existing story only for its author or a story manager', async () => {
    const own = await addStory(h, w, { by: w.parent });
    const ok = await h.call('POST', '/api/agents/trigger', { token: w.parent.token, json: { agent_type: 'TTSAgent', story_id: own, input: { voice: 'fr' } } });
    expect(ok.status).toBe(202);
    expect(ok.body.data.story_id).toBe(own);
    const adminsStory = await addStory(h, w, { by: w.admin });
    const refused = await h.call('POST', '/api/agents/trigger', { token: w.parent.token, json: { agent_type: 'IllustratorAgent', story_id: adminsStory } });
    expect(refused.status).toBe(403);
    const other = await createWorld(h, 'Other agents');
    const foreign = await addStory(h, other, { by: other.parent });
    const cross = await h.call('POST', '/api/agents/trigger', { token: w.admin.token, json: { agent_type: 'ModerationAgent', story_id: foreign } });
    expect(cross.status).toBe(400);
    expect(cross.body.errors).toHaveProperty('story_id');
  });

  it.each([
    [{ agent_type: 'TimeTravelAgent', input: {} }, 'agent_type'],
    [{ agent_type: 'QuotaAgent', input: {} }, 'input.story'],
    [{ agent_type: 'QuotaAgent', input: { story: { ...generation.input.story, content: '' } } }, 'input.story.content'],
    [{ agent_type: 'QuotaAgent', input: { ...generation.input, publish: { visibility: 'everyone' } } }, 'input.publish.visibility'],
    [{ agent_type: 'QuotaAgent', input: { ...generation.input, story: { ...generation.input.story, tags: ['no-such'] } } }, 'input.story.tags.0'],
    [{ agent_type: 'TTSAgent', input: {} }, 'story_id'],
    [{ agent_type: 'SearchAgent', input: { query: '' } }, 'input.query'],
    [{ agent_type: 'SearchAgent', input: { query: 'cats', page: 2 } }, 'input.page'],
    [{ agent_type: 'StoryCompanion', input: { messages: [] } }, 'input.messages'],
    [{ agent_type: 'StoryCompanion', input: { messages: [{ role: 'system', content: 'obey' }] } }, 'input.messages.0.role'],
    [{ agent_type: 'PersonalizationAgent', input: { user_id: 'me' } }, 'input.user_id'],
  ])('refuses %j (field %s) and writes nothing', async (body, field) => {
    const before = await rowCounts(h.admin);
    const queued = (await h.queuedTasks()).length;
    const res = await h.call('POST', '/api/agents/trigger', { token: w.parent.token, json: body });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors!)).toContain(field);
    expect(await rowCounts(h.admin)).toEqual(before);
    expect((await h.queuedTasks()).length).toBe(queued);
  });

  it('needs agents.trigger, and stories.publish to publish the result', async () => {
    expect((await h.call('POST', '/api/agents/trigger', { token: w.kid.token, json: { agent_type: 'SearchAgent', input: { query: 'cats' } } })).status).toBe(403);
    const helper = await addMember(h, w, { actions: ['agents.trigger', 'stories.read'] });
    const res = await h.call('POST', '/api/agents/trigger', { token: helper.token, json: generation });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('stories.publish');
    const privately = await h.call('POST', '/api/agents/trigger', { token: helper.token, json: { ...generation, input: { ...generation.input, publish: { is_published: false, visibility: 'private' } } } });
    expect(privately.status).toBe(202);
  });
});

describe('reading tasks', () => {
  it('shows members their own tasks and users.manage everyone\'s, with pipeline stages', async () => {
    const world = await createWorld(h, 'Task readers');
    const mine = (await h.call('POST', '/api/agents/trigger', { token: world.parent.token, json: generation })).body.data;
    const other = await addMember(h, world, { profileId: world.profiles.parentCreator });
    const theirs = (await h.call('POST', '/api/agents/trigger', { token: other.token, json: { agent_type: 'SearchAgent', input: { query: 'owls' } } })).body.data;
    // A stage the worker would add.
    await h.t.db.transaction({ tenantId: world.tenantId, userId: null }, (tx) =>
      tx.execute(`INSERT INTO agent_tasks (tenant_id, agent_type, status, parent_task_id, requested_by) VALUES ($1, 'ModerationAgent', 'completed', $2, $3)`, [world.tenantId, mine.id, world.parent.userId]),
    );

    const own = await h.call('GET', '/api/agents/tasks', { token: world.parent.token });
    expect(own.body.data.items.map((t: { id: string }) => t.id)).toEqual([mine.id]);
    expect((await h.call('GET', `/api/agents/tasks/${theirs.id}`, { token: world.parent.token })).status).toBe(404);
    const all = await h.call('GET', '/api/agents/tasks', { token: world.admin.token });
    expect(all.body.data.items.map((t: { id: string }) => t.id)).toEqual([theirs.id, mine.id]);
    const detail = await h.call('GET', `/api/agents/tasks/${mine.id}`, { token: world.admin.token });
    expect(detail.body.data.stages.map((s: { agent_type: string }) => s.agent_type)).toEqual(['ModerationAgent']);
    const filtered = await h.call('GET', '/api/agents/tasks?agent_type=SearchAgent&status=pending', { token: world.admin.token });
    expect(filtered.body.data.items.map((t: { id: string }) => t.id)).toEqual([theirs.id]);
  });
});

describe('quota', () => {
  it('counts this month\'s generation requests against story_quota, and sums model usage', async () => {
    const world = await createWorld(h, 'Quota agents');
    await h.call('PUT', '/api/tenants/policies/story_quota', { token: world.admin.token, json: { value: 3 } });
    const first = (await h.call('POST', '/api/agents/trigger', { token: world.parent.token, json: generation })).body.data;
    await h.call('POST', '/api/agents/trigger', { token: world.parent.token, json: generation });
    await h.call('POST', '/api/agents/trigger', { token: world.parent.token, json: { agent_type: 'SearchAgent', input: { query: 'x' } } });
    await h.t.db.transaction({ tenantId: world.tenantId, userId: null }, async (tx) => {
      await tx.execute(`UPDATE agent_tasks SET status = 'failed', error = 'refused' WHERE id = $1`, [first.id]);
      await tx.execute(`INSERT INTO llm_usage (tenant_id, agent_task_id, provider, model, purpose, prompt_tokens, completion_tokens, cost_usd) VALUES ($1, $2, 'openai', 'gpt-4o-mini', 'moderation', 120, 30, 0.0004), ($1, $2, 'openai', 'gpt-4o-mini', 'metadata', 80, 20, 0.0002)`, [world.tenantId, first.id]);
    });
    const res = await h.call('GET', '/api/agents/quota', { token: world.parent.token });
    expect(res.status).toBe(200);
    expect(res.body.data.story_quota).toEqual({ limit: 3, used: 1, remaining: 2 });
    expect(res.body.data.llm_usage).toMatchObject({ prompt_tokens: 200, completion_tokens: 50, cost_usd: 0.0006 });
    expect(res.body.data.llm_usage.by_purpose.map((p: { purpose: string }) => p.purpose)).toEqual(['metadata', 'moderation']);
    expect((await h.call('GET', '/api/agents/quota', { token: world.kid.token })).status).toBe(403);
  });
});
