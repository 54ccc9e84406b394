/**
 * The agents that are not the story pipeline, each an 'agent.run' job
 * triggered over HTTP and run by the in-process worker on the offline
 * providers: StoryCompanion, SearchAgent, SearchAssistant,
 * PersonalizationAgent, and the pipeline's stages as single tasks on an
 * existing story.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMp3 } from '../providers/audio-fixtures.ts';
import { PIPELINE_TEST_TIMEOUT, startPipelineStack, type PipelineStack } from './support/pipeline-stack.ts';
import { LIGHTHOUSE_STORY, SHORT_STORY } from './support/story-texts.ts';

let stack: PipelineStack;
const ids: Record<string, string> = {};

async function addStory(title: string, o: { content?: string; tags: string[]; age?: string; language?: string; published?: boolean; moderation?: string }): Promise<string> {
  const { rows } = await stack.admin.query(
    `INSERT INTO stories (tenant_id, title, content, language, age_range, visibility, is_published, moderation_status, created_by, published_at)
     VALUES ($1, $2, $3, $4, $5, 'tenant_only', $6, $7, $8, now()) RETURNING id`,
    [stack.family.tenantId, title, o.content ?? `${title}. Once upon a time.`, o.language ?? 'en', o.age ?? '4-6', o.published ?? true, o.moderation ?? 'approved', stack.family.parent.userId],
  );
  for (const slug of o.tags) {
    await stack.admin.query(`INSERT INTO tags (name, slug, category) VALUES ($1, $1, 'theme') ON CONFLICT (slug) DO NOTHING`, [slug]);
    await stack.admin.query('INSERT INTO story_tags (tenant_id, story_id, tag_id) SELECT $1, $2, id FROM tags WHERE slug = $3', [stack.family.tenantId, rows[0].id, slug]);
  }
  return rows[0].id;
}

async function listened(storyId: string, kind: 'progress' | 'complete', daysAgo = 1): Promise<void> {
  await stack.admin.query(
    `INSERT INTO listening_events (tenant_id, user_id, story_id, device_id, position_seconds, event_kind, occurred_at, write_id)
     VALUES ($1, $2, $3, 'tablet-1', 30, $4, now() - make_interval(days => $5), $6)`,
    [stack.family.tenantId, stack.family.kid.userId, storyId, kind, daysAgo, randomUUID()],
  );
}

async function run(body: unknown) {
  const task = await stack.trigger(body);
  const done = await stack.settled(task.id);
  expect(done.error).toBeNull();
  expect(done.status).toBe('completed');
  return done;
}

beforeAll(async () => {
  stack = await startPipelineStack({ label: 'other_agents' });
  ids.finished = await addStory('Whiskers Finds a Friend', { tags: ['animals', 'cats'] });
  ids.started = await addStory('The Sleepy Kitten', { tags: ['cats', 'bedtime'], content: 'A sleepy kitten curls up in bed and dreams of the moon.' });
  ids.similar = await addStory('Cats in the Garden', { tags: ['cats', 'animals'] });
  ids.french = await addStory('Le petit dragon', { tags: ['dragons'], language: 'fr' });
  ids.tooOld = await addStory('Space Cats for Big Kids', { tags: ['cats', 'space'], age: '10-12' });
  ids.lighthouse = await addStory('Pebble and the Lighthouse', { tags: ['sea'], content: LIGHTHOUSE_STORY, published: false, moderation: 'pending' });
  await listened(ids.finished, 'complete', 2);
  await listened(ids.started, 'progress', 1);
});
afterAll(async () => {
  await stack?.stop();
});

describe('StoryCompanion', () => {
  it('turns the chat into a structured story form and a reply', async () => {
    const task = await run({
      agent_type: 'StoryCompanion',
      input: { messages: [{ role: 'user', content: 'Une histoire sur un hérisson courageux qui s’appelle Pip, pour ma fille de 5 ans, en français' }] },
    });
    const { form, reply } = task.output;
    expect(form).toMatchObject({ language: 'fr', age_range: '4-6' });
    expect(form.characters.map((c: { name: string }) => c.name)).toContain('Pip');
    expect(form.text.split(/\s+/).length).toBeGreaterThan(80);
    expect(typeof form.title).toBe('string');
    expect(reply).toMatch(/Voulez-vous changer/);
    const usage = (await stack.admin.query('SELECT purpose FROM llm_usage WHERE agent_task_id = $1', [task.id])).rows;
    expect(usage).toEqual([{ purpose: 'companion' }]);
  });
});

describe('search', () => {
  it('SearchAgent ranks what the asker may see', async () => {
    const task = await run({ agent_type: 'SearchAgent', input: { query: 'kitten' } });
    expect(task.output.results[0]).toMatchObject({ story_id: ids.started, title: 'The Sleepy Kitten' });
  });

  it('SearchAssistant turns a question into a search with filters', async () => {
    const task = await run({ agent_type: 'SearchAssistant', input: { question: 'a bedtime story about cats for my 4 year old' } });
    expect(task.output.plan.filters).toMatchObject({ ageRanges: ['4-6'], tags: expect.arrayContaining(['cats', 'bedtime']) });
    const found = task.output.results.map((r: { story_id: string }) => r.story_id);
    expect(found[0]).toBe(ids.started);
    expect(found).not.toContain(ids.tooOld);
    expect(task.output.results.every((r: { age_range: string }) => r.age_range === '4-6')).toBe(true);
  });
});

describe('PersonalizationAgent', () => {
  it('recommends for a kid from their listening: started first, then by shared tags, never what they finished or may not see', async () => {
    const task = await run({ agent_type: 'PersonalizationAgent', input: { user_id: stack.family.kid.userId } });
    const recommended = task.output.recommendations.map((r: { story_id: string }) => r.story_id);
    expect(recommended.slice(0, 2)).toEqual([ids.started, ids.similar]);
    expect(recommended).toContain(ids.french);
    expect(recommended).not.toContain(ids.finished);
    expect(recommended).not.toContain(ids.tooOld); // Kids Listen-Only sees up to 7-9
    expect(recommended).not.toContain(ids.lighthouse); // unpublished
    expect(task.output.recommendations[0].reason).toMatch(/started this one/);
    expect(task.output.recommendations[1].reason).toMatch(/enjoyed stories about cats/);
    expect(task.output.based_on).toMatchObject({ stories_listened: 2, stories_finished: 1 });
  });
});

describe('single stages on an existing story', () => {
  it('ModerationAgent approves a clean story and MetadataAgent tags it', async () => {
    const moderation = await run({ agent_type: 'ModerationAgent', story_id: ids.lighthouse, input: {} });
    expect(moderation.output).toMatchObject({ flagged: false, moderation_status: 'approved' });
    const metadata = await run({ agent_type: 'MetadataAgent', story_id: ids.lighthouse, input: {} });
    expect(metadata.output.tags).toContain('sea');
    // The parent's tag stays; suggestions are added, each created in the vocabulary when new.
    expect(metadata.output.added_tags).not.toContain('sea');
    const tags = (await stack.admin.query('SELECT t.slug FROM story_tags st JOIN tags t ON t.id = st.tag_id WHERE st.story_id = $1', [ids.lighthouse])).rows.map((r) => r.slug);
    expect(tags.sort()).toEqual([...metadata.output.tags].sort());
    const story = (await stack.admin.query('SELECT moderation_status, reading_level, duration_seconds FROM stories WHERE id = $1', [ids.lighthouse])).rows[0];
    expect(story.moderation_status).toBe('approved');
    expect(story.reading_level).toBe(metadata.output.reading_level);
    expect(story.duration_seconds).toBe(metadata.output.estimated_duration_seconds);
  });

  it('TTSAgent narrates it and IllustratorAgent draws it, each pointing the story at the new asset', async () => {
    const story = await addStory('Milo Reads Aloud', { tags: ['animals'], content: SHORT_STORY });
    const tts = await run({ agent_type: 'TTSAgent', story_id: story, input: { voice: 'en-gb' } });
    const illustration = await run({ agent_type: 'IllustratorAgent', story_id: story, input: { style: 'watercolour' } });
    const row = (await stack.admin.query('SELECT audio_asset_id, image_asset_id, duration_seconds FROM stories WHERE id = $1', [story])).rows[0];
    expect(row.audio_asset_id).toBe(tts.output.audio_asset_id);
    expect(row.image_asset_id).toBe(illustration.output.image_asset_id);
    const assets = (await stack.admin.query('SELECT id, source_task_id, storage_key, metadata FROM assets WHERE story_id = $1', [story])).rows;
    expect(assets.find((a) => a.id === row.audio_asset_id)).toMatchObject({ source_task_id: tts.id, metadata: { voice: 'en-gb' } });
    expect(assets.find((a) => a.id === row.image_asset_id)).toMatchObject({ source_task_id: illustration.id, metadata: { style: 'watercolour' } });
    const dir = `${stack.config.dataDir}/assets/`;
    const audio = await decodeMp3(new Uint8Array(fs.readFileSync(dir + assets.find((a) => a.id === row.audio_asset_id)!.storage_key)));
    expect(Math.abs(audio.seconds - row.duration_seconds)).toBeLessThanOrEqual(1);
    const cover = await sharp(dir + assets.find((a) => a.id === row.image_asset_id)!.storage_key).metadata();
    expect([cover.format, cover.width]).toEqual(['png', 1024]);
  }, PIPELINE_TEST_TIMEOUT);
});
