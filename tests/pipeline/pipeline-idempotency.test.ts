/**
 * Jobs are keyed by story version: the server's dispatch, the worker's
 * sweep and any retry may enqueue the same request again and again, and
 * there is still one job, one set of stage rows and one set of assets. A
 * second request for a version already made is settled with the first's
 * outcome (duplicate_of) instead of making it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/observability/logger.ts';
import { createAgentDispatcher } from '../../worker/index.ts';
import { PIPELINE_TEST_TIMEOUT, startPipelineStack, waitUntil, type PipelineStack } from './support/pipeline-stack.ts';
import { SHORT_STORY } from './support/story-texts.ts';

let stack: PipelineStack;

beforeAll(async () => {
  stack = await startPipelineStack({ label: 'idempotency' });
});
afterAll(async () => {
  await stack?.stop();
});

const assetsOf = async (storyId: string) => (await stack.admin.query('SELECT type FROM assets WHERE story_id = $1 ORDER BY type', [storyId])).rows.map((r) => r.type);

describe('a duplicate enqueue', () => {
  it('of one request gives one job, one run and one set of assets', async () => {
    const dispatcher = createAgentDispatcher({ jobs: stack.talemo.jobs, db: stack.t.db, logger: silentLogger() });
    const input = { story: { title: 'Milo Again', content: SHORT_STORY, language: 'en', age_range: '4-6' }, publish: { is_published: true, visibility: 'private' } };
    const request = await stack.trigger({ agent_type: 'QuotaAgent', input });
    const ref = { id: request.id, tenantId: stack.family.tenantId, agentType: 'QuotaAgent' as const, requestedBy: stack.family.parent.userId };
    // The server dispatched it once already; three more, at once, while it may be running.
    await Promise.all([dispatcher.enqueue(ref), dispatcher.enqueue(ref), dispatcher.enqueue(ref)]);
    const root = await stack.settled(request.id);
    expect(root.output.outcome).toBe('published');
    // And once more after it finished.
    await dispatcher.enqueue(ref);

    const jobs = await stack.talemo.jobs.queue('agents').getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    const mine = jobs.filter((j) => (j.data as { taskId: string }).taskId === request.id);
    expect(mine.map((j) => j.id)).toEqual([expect.stringMatching(new RegExp(`^pipeline\\.${root.story_id}\\.[0-9a-f]{24}$`))]);
    expect(mine[0]!.attemptsMade).toBeLessThanOrEqual(1);
    expect((await stack.stages(request.id)).map((s) => s.agent_type)).toEqual(['QuotaAgent', 'ModerationAgent', 'MetadataAgent', 'TTSAgent', 'IllustratorAgent']);
    expect(await assetsOf(root.story_id!)).toEqual(['audio', 'image', 'image']);
    await new Promise((r) => setTimeout(r, 500));
    expect((await stack.task(request.id)).completed_at).toEqual(root.completed_at);
  }, PIPELINE_TEST_TIMEOUT);

  it('of the same story version as a second request settles it with the first one’s outcome', async () => {
    const publish = { is_published: true, visibility: 'tenant_only' };
    const first = await stack.trigger({ agent_type: 'QuotaAgent', input: { story: { title: 'Milo Twice', content: SHORT_STORY, language: 'en', age_range: '4-6' }, publish } });
    const original = await stack.settled(first.id);
    expect(original.output.outcome).toBe('published');

    // The same story, asked for again in the same way (a double tap): no second pipeline.
    const again = await stack.trigger({ agent_type: 'QuotaAgent', story_id: original.story_id, input: { publish } });
    const duplicate = await stack.settled(again.id);
    expect(duplicate.status).toBe('completed');
    expect(duplicate.output).toMatchObject({ outcome: 'published', duplicate_of: original.id, audio_asset_id: original.output.audio_asset_id, image_asset_id: original.output.image_asset_id });
    expect(await stack.stages(again.id)).toEqual([]);
    expect(await assetsOf(original.story_id!)).toEqual(['audio', 'image', 'image']);

    // Asked for differently (privately now): a new version, a real run, and the same files reused.
    const privately = await stack.trigger({ agent_type: 'QuotaAgent', story_id: original.story_id, input: { publish: { is_published: false, visibility: 'private' } } });
    const rerun = await stack.settled(privately.id);
    expect(rerun.output).toMatchObject({ outcome: 'published', is_published: false, audio_asset_id: original.output.audio_asset_id });
    expect(rerun.output.duplicate_of).toBeUndefined();
    expect((await stack.stages(privately.id)).length).toBe(5);
    expect(await assetsOf(original.story_id!)).toEqual(['audio', 'image', 'image']);
    const story = (await stack.admin.query('SELECT is_published, visibility FROM stories WHERE id = $1', [original.story_id])).rows[0];
    expect(story).toEqual({ is_published: false, visibility: 'private' });
  }, PIPELINE_TEST_TIMEOUT);

  it('of the same story version while the first request runs settles both together', async () => {
    const publish = { is_published: true, visibility: 'tenant_only' };
    const first = await stack.trigger({ agent_type: 'QuotaAgent', input: { story: { title: 'Milo at Once', content: SHORT_STORY, language: 'en', age_range: '4-6' }, publish } });
    const second = await stack.trigger({ agent_type: 'QuotaAgent', story_id: first.story_id, input: { publish } });
    const [original, duplicate] = [await stack.settled(first.id), await stack.settled(second.id)];
    expect(original.output.outcome).toBe('published');
    expect(duplicate.output).toMatchObject({ outcome: 'published', duplicate_of: original.id, audio_asset_id: original.output.audio_asset_id });
    // Settled in the first request's own transaction, not afterwards by a dispatcher.
    expect(duplicate.completed_at).toEqual(original.completed_at);
    expect(await stack.stages(second.id)).toEqual([]);
  }, PIPELINE_TEST_TIMEOUT);
});

describe('the sweep for pending tasks', () => {
  it('runs a request the server never handed to the queue', async () => {
    // As if the server died between COMMIT and enqueue: a pending row nobody dispatched.
    const { rows } = await stack.admin.query(
      `INSERT INTO agent_tasks (tenant_id, agent_type, status, input, requested_by) VALUES ($1, 'StoryCompanion', 'pending', $2, $3) RETURNING id`,
      [stack.family.tenantId, JSON.stringify({ messages: [{ role: 'user', content: 'A story about a brave little hedgehog for my 4 year old' }] }), stack.family.parent.userId],
    );
    const id = rows[0].id as string;
    await waitUntil(async () => (await stack.task(id)).status === 'completed', 'the sweep to dispatch the task', 30_000, 100);
    const task = await stack.task(id);
    expect(task.output.form.title).toBeTruthy();
    expect(task.output.form.text.length).toBeGreaterThan(100);
  });
});
