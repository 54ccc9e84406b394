/**
 * Something in every synced table for a family, written as the worker and the
 * REST routes would leave it: stories of every visibility, publication and
 * moderation state, a cover asset on each story, tags, an agent task and
 * listening events by the kid and the parent.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { TestDatabase } from '../../support/test-database.ts';
import type { Family } from './family-world.ts';

export interface FamilyContent {
  stories: string[];
  assets: string[];
  tasks: string[];
  events: string[];
}

const STORY_STATES = [
  { visibility: 'tenant_only', published: true, moderation: 'approved', age: '4-6' },
  { visibility: 'public', published: true, moderation: 'approved', age: '7-9' },
  { visibility: 'private', published: false, moderation: 'pending', age: '4-6' },
  { visibility: 'tenant_only', published: false, moderation: 'pending', age: '0-3' },
  { visibility: 'tenant_only', published: true, moderation: 'flagged', age: '4-6' },
  { visibility: 'tenant_only', published: true, moderation: 'approved', age: '13+' },
] as const;

export async function fillFamily(t: TestDatabase, family: Family, tagSlug: string): Promise<FamilyContent> {
  const content: FamilyContent = { stories: [], assets: [], tasks: [], events: [] };
  await t.db.transaction({ tenantId: family.tenantId, userId: null }, async (tx) => {
    const authors = [family.admin.userId, family.parent.userId];
    for (const [i, s] of STORY_STATES.entries()) {
      const author = authors[i % 2]!;
      const assetId = randomUUID();
      await tx.execute(
        `INSERT INTO assets (id, tenant_id, type, storage_key, size_bytes, mime_type, checksum_sha256, created_by)
         VALUES ($1, $2, 'image', $3, 100, 'image/png', $4, $5)`,
        [assetId, family.tenantId, `tenants/${family.tenantId}/image/${assetId}.png`, createHash('sha256').update(assetId).digest('hex'), author],
      );
      const { id } = await tx.one<{ id: string }>(
        `INSERT INTO stories (tenant_id, title, content, age_range, visibility, is_published, moderation_status, created_by, image_asset_id, published_at)
         VALUES ($1, $2, 'Once upon a time.', $3, $4, $5, $6, $7, $8, CASE WHEN $5 THEN now() END) RETURNING id`,
        [family.tenantId, `${s.visibility} ${s.moderation} ${s.age} #${i}`, s.age, s.visibility, s.published, s.moderation, author, assetId],
      );
      await tx.execute('INSERT INTO story_tags (tenant_id, story_id, tag_id) SELECT $1, $2, id FROM tags WHERE slug = $3', [family.tenantId, id, tagSlug]);
      content.stories.push(id);
      content.assets.push(assetId);
    }
    const task = await tx.one<{ id: string }>(`INSERT INTO agent_tasks (tenant_id, agent_type, requested_by, story_id) VALUES ($1, 'TTSAgent', $2, $3) RETURNING id`, [
      family.tenantId, family.parent.userId, content.stories[0],
    ]);
    content.tasks.push(task.id);
    for (const member of [family.kid, family.parent]) {
      const e = await tx.one<{ id: string }>(
        `INSERT INTO listening_events (tenant_id, user_id, story_id, device_id, position_seconds, event_kind, occurred_at)
         VALUES ($1, $2, $3, 'tablet', 42.5, 'progress', now()) RETURNING id`,
        [family.tenantId, member.userId, content.stories[0]],
      );
      content.events.push(e.id);
    }
  });
  return content;
}

/** Gives a story a cover asset; the story's facts are copied onto it (migration 050). */
export async function addCover(t: TestDatabase, tenantId: string, storyId: string): Promise<string> {
  const assetId = randomUUID();
  await t.db.transaction({ tenantId, userId: null }, async (tx) => {
    await tx.execute(
      `INSERT INTO assets (id, tenant_id, type, storage_key, size_bytes, mime_type, checksum_sha256) VALUES ($1, $2, 'image', $3, 100, 'image/png', $4)`,
      [assetId, tenantId, `tenants/${tenantId}/image/${assetId}.png`, createHash('sha256').update(assetId).digest('hex')],
    );
    await tx.execute('UPDATE stories SET image_asset_id = $2 WHERE id = $1', [storyId, assetId]);
  });
  return assetId;
}
