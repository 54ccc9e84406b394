/**
 * The story an agent works on, read in the task's context. A story deleted
 * while its request waited is a refusal the parent can understand, not a
 * crash to retry.
 */
import type { Database, DbContext } from '../../server/db/database.ts';
import { TaskRefusal } from '../tasks/task-failure.ts';

export interface StoryRecord {
  id: string;
  tenant_id: string;
  title: string;
  description: string;
  content: string;
  language: string;
  age_range: string;
  visibility: 'public' | 'tenant_only' | 'private';
  is_published: boolean;
  moderation_status: 'pending' | 'approved' | 'flagged' | 'rejected';
  audio_asset_id: string | null;
  image_asset_id: string | null;
  duration_seconds: number | null;
  /** Tag slugs already on the story. */
  tags: string[];
}

export async function loadStory(db: Database, context: DbContext & { tenantId: string }, storyId: string | null): Promise<StoryRecord> {
  if (!storyId) throw new TaskRefusal('This request does not name a story to work on.');
  const story = await db.transaction(context, (tx) =>
    tx.maybeOne<StoryRecord>(
      `SELECT s.id, s.tenant_id, s.title, s.description, s.content, s.language, s.age_range, s.visibility, s.is_published,
              s.moderation_status, s.audio_asset_id, s.image_asset_id, s.duration_seconds,
              coalesce((SELECT array_agg(t.slug ORDER BY t.slug) FROM story_tags st JOIN tags t ON t.id = st.tag_id WHERE st.story_id = s.id), '{}') AS tags
       FROM stories s WHERE s.id = $1 AND s.tenant_id = $2`,
      [storyId, context.tenantId],
    ),
  );
  if (!story) throw new TaskRefusal('The story was deleted before it was finished, so there is nothing to make.');
  return story;
}

/** What the narrator reads: the title, a pause, then the story. */
export function narrationText(story: Pick<StoryRecord, 'title' | 'content'>): string {
  return `${story.title.trim()}.\n\n${story.content.trim()}`;
}

/** What moderation and metadata look at: everything a listener will hear or read. */
export function storyText(story: Pick<StoryRecord, 'description' | 'content'>): string {
  return [story.description.trim(), story.content.trim()].filter(Boolean).join('\n\n');
}
