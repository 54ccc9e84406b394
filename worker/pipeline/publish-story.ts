/**
 * Publish: the story points at its narration and cover, takes the measured
 * duration, is approved by moderation, and is published with the
 * visibility the request asked for. Runs in the transaction that completes
 * the request, so a parent never sees a half-published story.
 */
import type { Tx } from '../../server/db/database.ts';
import type { StoryGenerationInput } from '../../server/services/agent-task-input.ts';
import { TaskRefusal } from '../tasks/task-failure.ts';

export interface Publication {
  storyId: string;
  tenantId: string;
  audioAssetId: string;
  imageAssetId: string;
  durationSeconds: number;
  publish: StoryGenerationInput['publish'];
}

export async function publishStory(tx: Tx, p: Publication): Promise<{ published_at: Date | null }> {
  const row = await tx.maybeOne<{ published_at: Date | null }>(
    `UPDATE stories
     SET audio_asset_id = $3, image_asset_id = $4, duration_seconds = $5, is_published = $6, visibility = $7,
         moderation_status = 'approved', moderation_reasons = '{}',
         published_at = CASE WHEN $6 THEN coalesce(published_at, now()) ELSE published_at END
     WHERE id = $1 AND tenant_id = $2 AND moderation_status <> 'rejected'
     RETURNING published_at`,
    [p.storyId, p.tenantId, p.audioAssetId, p.imageAssetId, Math.round(p.durationSeconds), p.publish.is_published, p.publish.visibility],
  );
  if (row) return row;
  const exists = await tx.maybeOne('SELECT 1 FROM stories WHERE id = $1 AND tenant_id = $2', [p.storyId, p.tenantId]);
  throw new TaskRefusal(
    exists
      ? 'An admin rejected this story while it was being made, so it was not published.'
      : 'The story was deleted before it was finished, so there is nothing to publish.',
  );
}
