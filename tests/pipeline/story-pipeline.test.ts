/**
 * The story pipeline end to end, on both queue backends, with the offline
 * providers: a parent's request over HTTP becomes a published story whose
 * MP3 decodes (mpg123, not our code) to the duration the story records and
 * whose PNG decodes; its stage rows move in order; the agent-task-complete
 * webhook arrives. A request over the monthly quota is refused with a
 * reason, and an unsuitable draft is held for the parent.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMp3 } from '../providers/audio-fixtures.ts';
import { startTestRedis, type TestRedis } from '../support/redis-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../api/support/webhook-receiver.ts';
import { PIPELINE_TEST_TIMEOUT, startPipelineStack, type PipelineStack, type TaskRow } from './support/pipeline-stack.ts';
import { SHORT_STORY, UNSUITABLE_STORY } from './support/story-texts.ts';

const STAGES = ['QuotaAgent', 'ModerationAgent', 'MetadataAgent', 'TTSAgent', 'IllustratorAgent'];

describe.each(['postgres', 'redis'] as const)('the story pipeline on %s', (backend) => {
  let redis: TestRedis | undefined;
  let stack: PipelineStack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    redis = backend === 'redis' ? await startTestRedis() : undefined;
    stack = await startPipelineStack({ label: `pipeline_${backend}`, ...(redis ? { redisUrl: redis.url } : {}) });
    receiver = await startWebhookReceiver();
    await stack.admin.query(`INSERT INTO webhooks (tenant_id, url, events, secret, created_by) VALUES ($1, $2, '{agent-task-complete}', 'whsec_pipeline_test_secret_0123456789', $3)`, [
      stack.family.tenantId, receiver.url, stack.family.admin.userId,
    ]);
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
    await redis?.stop();
  });

  it('turns a request into a published story whose MP3 and PNG decode', async () => {
    const request = await stack.trigger({
      agent_type: 'QuotaAgent',
      input: { story: { title: 'Milo and the Moon', content: SHORT_STORY, language: 'en', age_range: '4-6' }, publish: { is_published: true, visibility: 'tenant_only' } },
    });
    expect(request.status).toBe('pending');
    const root = await stack.settled(request.id);
    expect(root.error).toBeNull();
    expect(root.status).toBe('completed');
    expect(root.output.outcome).toBe('published');

    const story = (await stack.admin.query('SELECT * FROM stories WHERE id = $1', [root.story_id])).rows[0];
    expect(story).toMatchObject({ is_published: true, visibility: 'tenant_only', moderation_status: 'approved', audio_asset_id: root.output.audio_asset_id, image_asset_id: root.output.image_asset_id });
    expect(story.published_at).not.toBeNull();
    expect(story.reading_level).not.toBeNull();

    // The MP3, fetched the way a device fetches it: a signed download URL.
    const audio = await download(stack, story.audio_asset_id);
    expect(audio.type).toBe('audio/mpeg');
    const decoded = await decodeMp3(audio.bytes);
    expect(decoded.errors).toBe(0);
    expect(decoded.rms).toBeGreaterThan(0.01);
    expect(decoded.seconds).toBeGreaterThan(15);
    expect(Math.abs(story.duration_seconds - decoded.seconds)).toBeLessThanOrEqual(1);

    const cover = await download(stack, story.image_asset_id);
    expect(cover.type).toBe('image/png');
    const meta = await sharp(cover.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1024, 1024]);
    const assets = (await stack.admin.query('SELECT id, type, source_task_id, story_id, metadata FROM assets WHERE story_id = $1 ORDER BY type, size_bytes DESC', [story.id])).rows;
    expect(assets.map((a) => a.type)).toEqual(['audio', 'image', 'image']);
    const thumbnail = assets.find((a) => a.metadata.kind === 'cover-thumbnail')!;
    expect(assets.find((a) => a.id === story.image_asset_id)!.metadata.thumbnail.asset_id).toBe(thumbnail.id);
    const small = await download(stack, thumbnail.id);
    expect((await sharp(small.bytes).metadata()).width).toBe(256);

    // Stage rows: one each, completed, in pipeline order, with narration and illustration overlapping.
    const stages = await stack.stages(root.id);
    expect(stages.map((s) => s.agent_type)).toEqual(STAGES);
    expect(stages.every((s) => s.status === 'completed' && s.error === null)).toBe(true);
    const [quota, moderation, metadata, tts, illustrator] = stages as [TaskRow, TaskRow, TaskRow, TaskRow, TaskRow];
    expect(quota.completed_at! <= moderation.started_at!).toBe(true);
    expect(moderation.completed_at! <= metadata.started_at!).toBe(true);
    expect(metadata.completed_at! <= tts.started_at! && metadata.completed_at! <= illustrator.started_at!).toBe(true);
    expect(tts.started_at! < illustrator.completed_at! && illustrator.started_at! < tts.completed_at!).toBe(true);
    expect(tts.completed_at! <= root.completed_at! && illustrator.completed_at! <= root.completed_at!).toBe(true);
    expect(assets.find((a) => a.type === 'audio')!.source_task_id).toBe(tts.id);
    expect(thumbnail.source_task_id).toBe(illustrator.id);

    // Every model call recorded against the stage that made it.
    const usage = (await stack.admin.query('SELECT agent_task_id, purpose, provider FROM llm_usage WHERE tenant_id = $1 ORDER BY purpose', [stack.family.tenantId])).rows;
    expect(usage.map((u) => [u.purpose, u.agent_task_id])).toEqual([
      ['illustration', illustrator.id],
      ['metadata', metadata.id],
      ['moderation', moderation.id],
      ['speech', tts.id],
    ]);
    const tags = (await stack.admin.query('SELECT t.slug FROM story_tags st JOIN tags t ON t.id = st.tag_id WHERE st.story_id = $1', [story.id])).rows.map((r) => r.slug);
    expect(tags).toEqual(expect.arrayContaining(metadata.output.tags));
    expect(tags.length).toBeGreaterThan(0);

    // The agent-task-complete webhook, through the worker's delivery jobs.
    const delivery = await waitForDelivery(receiver, root.id);
    expect(delivery.headers['talemo-event']).toBe('agent-task-complete');
    expect(JSON.parse(delivery.body).data).toMatchObject({ task_id: root.id, status: 'completed', outcome: 'published', story_id: story.id });
  }, PIPELINE_TEST_TIMEOUT);

  it('holds an unsuitable draft for a parent, with the reasons', async () => {
    const request = await stack.trigger({ agent_type: 'QuotaAgent', input: { story: { title: 'The Pirate', content: UNSUITABLE_STORY, language: 'en', age_range: '7-9' } } });
    const root = await stack.settled(request.id);
    expect(root.status).toBe('completed');
    expect(root.error).toBeNull();
    expect(root.output.outcome).toBe('held');
    expect(root.output.moderation.categories).toEqual(expect.arrayContaining(['violence', 'weapons']));
    const story = (await stack.admin.query('SELECT * FROM stories WHERE id = $1', [root.story_id])).rows[0];
    expect(story).toMatchObject({ moderation_status: 'flagged', is_published: false, audio_asset_id: null, image_asset_id: null });
    expect(story.moderation_reasons).toEqual(root.output.moderation.reasons);
    expect(story.moderation_reasons.join(' ')).toMatch(/“gun”/);
    expect((await stack.stages(root.id)).map((s) => [s.agent_type, s.status])).toEqual([
      ['QuotaAgent', 'completed'],
      ['ModerationAgent', 'completed'],
    ]);
    expect((await stack.admin.query('SELECT count(*)::int AS n FROM assets WHERE story_id = $1', [story.id])).rows[0].n).toBe(0);
    const delivery = await waitForDelivery(receiver, root.id);
    expect(JSON.parse(delivery.body).data).toMatchObject({ status: 'completed', outcome: 'held' });
  });

  it('refuses a request over the monthly story quota, with a reason, and does not count it', async () => {
    // Two requests so far this month (one published, one held): a quota of 2 is used up.
    await stack.admin.query(`INSERT INTO tenant_policies (tenant_id, key, value) VALUES ($1, 'story_quota', '2') ON CONFLICT (tenant_id, key) DO UPDATE SET value = '2'`, [stack.family.tenantId]);
    const request = await stack.trigger({ agent_type: 'QuotaAgent', input: { story: { title: 'One Too Many', content: SHORT_STORY, language: 'en', age_range: '4-6' } } });
    const root = await stack.settled(request.id);
    expect(root.status).toBe('failed');
    expect(root.output.outcome).toBe('refused');
    expect(root.error).toMatch(/already made its 2 stories for this month/);
    expect(root.error).toMatch(/story_quota/);
    expect(root.error).not.toMatch(/\n\s+at /);
    const stages = await stack.stages(root.id);
    expect(stages.map((s) => [s.agent_type, s.status, s.error])).toEqual([['QuotaAgent', 'failed', root.error]]);
    const story = (await stack.admin.query('SELECT is_published, audio_asset_id FROM stories WHERE id = $1', [root.story_id])).rows[0];
    expect(story).toEqual({ is_published: false, audio_asset_id: null });
    const quota = await stack.api('GET', '/api/agents/quota', stack.family.parent.token);
    expect(quota.body.data.story_quota).toMatchObject({ limit: 2, used: 2, remaining: 0 });
    const delivery = await waitForDelivery(receiver, root.id);
    expect(JSON.parse(delivery.body).data).toMatchObject({ status: 'failed', outcome: 'refused', error: root.error });
  });
});

async function download(stack: PipelineStack, assetId: string): Promise<{ type: string; bytes: Uint8Array }> {
  const signed = await stack.api('GET', `/api/assets/${assetId}/download`, stack.family.parent.token);
  expect(signed.status).toBe(200);
  const response = await fetch(new URL(signed.body.data.url, stack.url));
  expect(response.status).toBe(200);
  return { type: response.headers.get('content-type') ?? '', bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function waitForDelivery(receiver: WebhookReceiver, taskId: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = receiver.received.find((d) => JSON.parse(d.body).data?.task_id === taskId);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no agent-task-complete delivery for ${taskId}; got ${receiver.received.length} others`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
