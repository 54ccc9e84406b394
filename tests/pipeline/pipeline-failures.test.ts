/**
 * Failures a parent can read. The language model is an OpenAI-compatible
 * fake (the vendor is the one part we cannot run here), configured by env
 * as in production: answering 401 to a wrong key is permanent, so the
 * request fails at once, without retries, with a plain reason on the task
 * and on its stage; answering 503 once is retried with backoff, with a note
 * on the stage meanwhile, and the story is still published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBody, startFakeOpenAi, type FakeOpenAi } from '../providers/fake-openai-server.ts';
import { PIPELINE_TEST_TIMEOUT, startPipelineStack, waitUntil, type PipelineStack } from './support/pipeline-stack.ts';
import { SHORT_STORY } from './support/story-texts.ts';

const KEY = 'sk-test-the-right-key-0123456789';

/** Valid answers to the moderation and metadata prompts (providers/language/language-prompts.ts). */
function chat(body: Record<string, unknown>): unknown {
  const system = String((body.messages as Array<{ content: string }>)[0]!.content);
  if (system.startsWith('You review stories')) return { flagged: false, categories: [], reasons: [] };
  if (system.startsWith('You catalogue')) return { language: 'en', readingLevel: 'early', ageRange: '4-6', tags: ['animals', 'space', 'not-a-tag'] };
  throw new Error(`unexpected prompt: ${system.slice(0, 40)}`);
}

const chatCalls = (fake: FakeOpenAi) => fake.calls.filter((c) => c.path === '/v1/chat/completions').length;

const request = (stack: PipelineStack, title: string) =>
  stack.trigger({ agent_type: 'QuotaAgent', input: { story: { title, content: SHORT_STORY, language: 'en', age_range: '4-6' } } });

describe('a permanent provider failure (401, a wrong key)', () => {
  let fake: FakeOpenAi;
  let stack: PipelineStack;
  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: KEY, chat });
    stack = await startPipelineStack({ label: 'failure_401', env: { LLM_BASE_URL: fake.baseUrl, LLM_API_KEY: 'sk-test-a-wrong-key' } });
  });
  afterAll(async () => {
    await stack?.stop();
    await fake?.close();
  });

  it('fails the request at once with a reason a parent can read', async () => {
    const { id } = await request(stack, 'Milo Without a Key');
    const root = await stack.settled(id);
    expect(root.status).toBe('failed');
    expect(root.error).toBe(
      'We could not finish checking that the story suits children: the language service is not set up correctly, so an administrator needs to check it. ' +
        'This request does not count toward this month’s stories.',
    );
    // The operator's detail is kept apart from the parent's sentence.
    expect(root.output).toMatchObject({ outcome: 'failed', activity: 'moderation', story_id: root.story_id });
    expect(root.output.failure.detail).toMatch(/HTTP 401: Incorrect API key provided/);
    expect(root.output.failure.detail).toMatch(/LLM_API_KEY/);
    const stages = await stack.stages(id);
    expect(stages.map((s) => [s.agent_type, s.status])).toEqual([
      ['QuotaAgent', 'completed'],
      ['ModerationAgent', 'failed'],
    ]);
    expect(stages[1]!.error).toBe(root.error!.replace(' This request does not count toward this month’s stories.', ''));
    // Permanent: asked once, not retried.
    await new Promise((r) => setTimeout(r, 2500));
    expect(chatCalls(fake)).toBe(1);
    const story = (await stack.admin.query('SELECT is_published, moderation_status FROM stories WHERE id = $1', [root.story_id])).rows[0];
    expect(story).toEqual({ is_published: false, moderation_status: 'pending' });
  }, PIPELINE_TEST_TIMEOUT);
});

describe('a passing provider failure (503 once)', () => {
  let fake: FakeOpenAi;
  let stack: PipelineStack;
  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: KEY, chat, usage: { prompt_tokens: 120, completion_tokens: 30 } });
    stack = await startPipelineStack({ label: 'failure_503', env: { LLM_BASE_URL: fake.baseUrl, LLM_API_KEY: KEY, LLM_MODEL: 'gpt-4o-mini' } });
  });
  afterAll(async () => {
    await stack?.stop();
    await fake?.close();
  });

  it('is retried with backoff, noted on the stage meanwhile, and the story is published', async () => {
    fake.queue.push({ status: 503, body: errorBody('The server is overloaded.', 'server_error', null) });
    const { id } = await request(stack, 'Milo Tries Again');
    let note = '';
    await waitUntil(async () => {
      const moderation = (await stack.stages(id)).find((s) => s.agent_type === 'ModerationAgent');
      note = moderation?.error ?? '';
      return moderation?.status === 'processing' && note !== '';
    }, 'the retry note on the moderation stage', 30_000, 20);
    expect(note).toBe('Attempt 1 of 4 at checking that the story suits children did not work; trying again shortly.');

    const root = await stack.settled(id);
    expect(root.error).toBeNull();
    expect(root.output.outcome).toBe('published');
    const stages = await stack.stages(id);
    expect(stages.every((s) => s.status === 'completed' && s.error === null)).toBe(true);
    // Moderation asked twice (503, then the answer), metadata once.
    expect(chatCalls(fake)).toBe(3);
    const retriedAfter = stages[1]!.completed_at!.getTime() - root.started_at!.getTime();
    expect(retriedAfter).toBeGreaterThanOrEqual(2000); // the queue's first backoff
    // Usage: the model's tokens and price for the calls that answered; offline speech and cover at zero cost.
    const usage = (await stack.admin.query('SELECT purpose, provider, model, prompt_tokens, completion_tokens, cost_usd::float8 AS cost FROM llm_usage WHERE tenant_id = $1 ORDER BY purpose', [stack.family.tenantId])).rows;
    const host = new URL(fake.baseUrl).host;
    expect(usage).toEqual([
      { purpose: 'illustration', provider: 'generated-cover', model: 'vector-v1', prompt_tokens: 0, completion_tokens: 0, cost: 0 },
      { purpose: 'metadata', provider: host, model: 'gpt-4o-mini', prompt_tokens: 120, completion_tokens: 30, cost: 0.000036 },
      { purpose: 'moderation', provider: host, model: 'gpt-4o-mini', prompt_tokens: 120, completion_tokens: 30, cost: 0.000036 },
      { purpose: 'speech', provider: 'espeak-ng', model: 'en-us', prompt_tokens: 0, completion_tokens: 0, cost: 0 },
    ]);
    // Only vocabulary tags reach the story.
    const tags = (await stack.admin.query('SELECT t.slug FROM story_tags st JOIN tags t ON t.id = st.tag_id WHERE st.story_id = $1 ORDER BY t.slug', [root.story_id])).rows.map((r) => r.slug);
    expect(tags).toEqual(['animals', 'space']);
  }, PIPELINE_TEST_TIMEOUT);
});
