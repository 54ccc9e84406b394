/**
 * A story generation request's version: a hash of the story as it will be
 * narrated and drawn (title, description, text, language, age range) and of
 * how it was asked for (voice, illustration style, publishing). The
 * pipeline's job id is keyed by it, so enqueueing the same version twice
 * (the server's dispatch and the worker's sweep, a retried request, a
 * double tap) gives one job and one set of assets. The content, not
 * `updated_at`, is hashed because the pipeline itself updates the story row.
 */
import { createHash } from 'node:crypto';
import type { StoryGenerationInput } from '../../server/services/agent-task-input.ts';

export interface VersionedStory {
  id: string;
  title: string;
  description: string;
  content: string;
  language: string;
  age_range: string;
}

export function storyVersion(story: VersionedStory, input: Pick<StoryGenerationInput, 'voice' | 'illustration_style' | 'publish'>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([story.title, story.description, story.content, story.language, story.age_range]));
  hash.update(JSON.stringify([input.voice ?? null, input.illustration_style ?? null, input.publish.is_published, input.publish.visibility]));
  return hash.digest('hex').slice(0, 24);
}

/** BullMQ job ids may not contain ':' (it separates Redis key parts), hence dots. */
export function pipelineJobId(storyId: string, version: string): string {
  return `pipeline.${storyId}.${version}`;
}
