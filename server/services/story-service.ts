/**
 * Stories: list, detail, create, update, visibility, delete and search.
 *
 * Who may do what (profile actions, shapes/permissions.ts):
 * - read and search: `stories.read`, narrowed by story-visibility.ts (the
 *   `stories` shape, plus the public library);
 * - create: `stories.create`; creating anything but a private draft also
 *   needs `stories.publish`;
 * - update: the author with `stories.create`, or anyone with
 *   `stories.delete` (who manages the tenant's stories, except other
 *   members' private ones, which stay out of sight);
 * - visibility and publishing: the author with `stories.publish`, or anyone
 *   with `stories.delete`;
 * - delete: `stories.delete`, any story of the tenant.
 *
 * Editing a story's words sends it back to moderation (`pending`), so an
 * approved public story cannot be swapped for unreviewed text.
 */
import { can } from '../../shapes/permissions.ts';
import type { Viewer } from '../../shapes/viewer.ts';
import type { Tx } from '../db/database.ts';
import { requirePermission } from '../auth/access.ts';
import { HttpError } from '../http/http-error.ts';
import { authorize, authorizeAny, type Actor } from './authorization.ts';
import { auditGovernance } from './governance-audit.ts';
import { cursorTime, decodeCursor, afterCursor, timeIdCursor, toPage, type Page } from './pagination.ts';
import type { ServiceDeps } from './service-deps.ts';
import { SqlParams } from './sql-params.ts';
import { presentStory, storyColumns, type StoryRow, type StoryView } from './story-records.ts';
import { checkStoryMedia, replaceStoryTags, resolveTagSlugs } from './story-references.ts';
import type { CreateStoryInput, ListStoriesQuery, SearchStoriesQuery, StoryVisibilityInput, UpdateStoryInput } from './story-schemas.ts';
import { searchStories, type RankedStory } from './story-search.ts';
import { managesStories, storyVisibleTo } from './story-visibility.ts';
import { inTenant } from './tenant-transaction.ts';

interface EditableStory {
  id: string;
  created_by: string | null;
  title: string;
  description: string;
  content: string;
  visibility: StoryRow['visibility'];
  is_published: boolean;
}

export class StoryService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor, query: ListStoriesQuery): Promise<Page<StoryView>> {
    const viewer = authorize(actor, 'stories.read');
    const cursor = decodeCursor(query.cursor, timeIdCursor);
    const p = new SqlParams();
    const filters = [storyVisibleTo(viewer, p)];
    if (query.scope === 'tenant') filters.push(`s.tenant_id = ${p.add(viewer.tenantId)}::uuid`);
    if (query.scope === 'public') filters.push(`s.tenant_id <> ${p.add(viewer.tenantId)}::uuid`);
    if (query.age_range) filters.push(`s.age_range = ${p.add(query.age_range)}`);
    if (query.language) filters.push(`split_part(s.language, '-', 1) = split_part(${p.add(query.language)}, '-', 1)`);
    if (query.visibility) filters.push(`s.visibility = ${p.add(query.visibility)}`);
    if (query.tags && query.tags.length > 0) {
      const slugs = [...new Set(query.tags)];
      filters.push(`(SELECT count(DISTINCT t.slug) FROM story_tags st JOIN tags t ON t.id = st.tag_id
                     WHERE st.story_id = s.id AND t.slug = ANY (${p.add(slugs)}::text[])) = ${p.add(slugs.length)}`);
    }
    filters.push(afterCursor(cursor, 's.created_at', 's.id', (v) => p.add(v)));
    const rows = await this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      (tx) =>
        tx.query<StoryRow & { cursor_at: string }>(
          `SELECT ${storyColumns(false)}, ${cursorTime('s.created_at')} AS cursor_at
           FROM stories s WHERE ${filters.join(' AND ')}
           ORDER BY s.created_at DESC, s.id DESC LIMIT ${p.add(query.limit + 1)}`,
          p.values,
        ),
      { readOnly: true },
    );
    return toPage(rows, query.limit, (r) => [r.cursor_at, r.id], ({ cursor_at: _, ...row }) => presentStory(viewer, row));
  }

  async search(actor: Actor, query: SearchStoriesQuery): Promise<Page<RankedStory>> {
    const viewer = authorize(actor, 'stories.read');
    return this.deps.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, (tx) => searchStories(tx, viewer, query), { readOnly: true });
  }

  async get(actor: Actor, id: string): Promise<StoryView> {
    const viewer = authorize(actor, 'stories.read');
    return this.deps.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, (tx) => this.load(tx, viewer, id), { readOnly: true });
  }

  async create(actor: Actor, input: CreateStoryInput, options: { writeId?: string } = {}): Promise<StoryView> {
    const viewer = authorize(actor, 'stories.create');
    const shared = input.is_published || input.visibility !== 'private';
    if (shared) requirePermission(viewer, 'stories.publish');
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      const tagIds = await resolveTagSlugs(tx, input.tags);
      await checkStoryMedia(tx, viewer.tenantId, input);
      const { id } = await tx.one<{ id: string }>(
        `INSERT INTO stories (tenant_id, title, description, content, language, age_range, visibility, is_published, published_at,
                              image_asset_id, audio_asset_id, duration_seconds, created_by, write_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $8 THEN now() END, $9, $10, $11, $12, $13) RETURNING id`,
        [viewer.tenantId, input.title, input.description, input.content, input.language, input.age_range, input.visibility, input.is_published,
          input.image_asset_id, input.audio_asset_id, input.duration_seconds, viewer.userId, options.writeId ?? null],
      );
      await replaceStoryTags(tx, viewer.tenantId, id, tagIds);
      if (shared) {
        await auditGovernance(tx, after, viewer.tenantId, {
          action: 'story.visibility', actorId: viewer.userId, targetType: 'story', targetId: id,
          before: null, after: { visibility: input.visibility, is_published: input.is_published },
        }, actor.meta);
      }
      return this.written(tx, viewer, id);
    });
  }

  async update(actor: Actor, id: string, input: UpdateStoryInput): Promise<StoryView> {
    const viewer = authorizeAny(actor, ['stories.create', 'stories.delete']);
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => {
      const story = await this.lockEditable(tx, viewer, id, 'edit');
      const tagIds = await resolveTagSlugs(tx, input.tags);
      await checkStoryMedia(tx, viewer.tenantId, input);
      const wordsChanged = story.title !== input.title || story.description !== input.description || story.content !== input.content;
      await tx.execute(
        `UPDATE stories SET title = $2, description = $3, content = $4, language = $5, age_range = $6,
                image_asset_id = CASE WHEN $7 THEN $8::uuid ELSE image_asset_id END,
                audio_asset_id = CASE WHEN $9 THEN $10::uuid ELSE audio_asset_id END,
                duration_seconds = CASE WHEN $11 THEN $12::int ELSE duration_seconds END,
                moderation_status = CASE WHEN $13 THEN 'pending' ELSE moderation_status END,
                moderation_reasons = CASE WHEN $13 THEN '{}' ELSE moderation_reasons END
         WHERE id = $1 AND tenant_id = $14`,
        [id, input.title, input.description, input.content, input.language, input.age_range,
          input.image_asset_id !== undefined, input.image_asset_id ?? null,
          input.audio_asset_id !== undefined, input.audio_asset_id ?? null,
          input.duration_seconds !== undefined, input.duration_seconds ?? null,
          wordsChanged, viewer.tenantId],
      );
      await replaceStoryTags(tx, viewer.tenantId, id, tagIds);
      return this.written(tx, viewer, id);
    });
  }

  async setVisibility(actor: Actor, id: string, input: StoryVisibilityInput): Promise<StoryView> {
    const viewer = authorizeAny(actor, ['stories.publish', 'stories.delete']);
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      const story = await this.lockEditable(tx, viewer, id, 'publish');
      const next = { visibility: input.visibility, is_published: input.is_published ?? story.is_published };
      await tx.execute(
        `UPDATE stories SET visibility = $2, is_published = $3,
                published_at = CASE WHEN $3 THEN coalesce(published_at, now()) ELSE published_at END
         WHERE id = $1 AND tenant_id = $4`,
        [id, next.visibility, next.is_published, viewer.tenantId],
      );
      await auditGovernance(tx, after, viewer.tenantId, {
        action: 'story.visibility', actorId: viewer.userId, targetType: 'story', targetId: id,
        before: { visibility: story.visibility, is_published: story.is_published }, after: next,
      }, actor.meta);
      return this.written(tx, viewer, id);
    });
  }

  async delete(actor: Actor, id: string): Promise<{ id: string }> {
    const viewer = authorize(actor, 'stories.delete');
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      const story = await tx.maybeOne<{ title: string; visibility: string; is_published: boolean; created_by: string | null }>(
        'SELECT title, visibility, is_published, created_by FROM stories WHERE id = $1 AND tenant_id = $2 FOR UPDATE',
        [id, viewer.tenantId],
      );
      if (!story) throw HttpError.notFound('The story');
      await tx.execute('DELETE FROM stories WHERE id = $1 AND tenant_id = $2', [id, viewer.tenantId]);
      await auditGovernance(tx, after, viewer.tenantId, { action: 'story.delete', actorId: viewer.userId, targetType: 'story', targetId: id, before: story, after: null }, actor.meta);
      return { id };
    });
  }

  /** A story the viewer may see, with its text; 404 otherwise (another tenant's private story looks absent). */
  private async load(tx: Tx, viewer: Viewer, id: string): Promise<StoryView> {
    const p = new SqlParams();
    const idParam = p.add(id);
    const row = await tx.maybeOne<StoryRow>(`SELECT ${storyColumns(true)} FROM stories s WHERE s.id = ${idParam} AND ${storyVisibleTo(viewer, p)}`, p.values);
    if (!row) throw HttpError.notFound('The story');
    return presentStory(viewer, row);
  }

  /** The story just written, as the answer to the write (the writer may lack stories.read). */
  private async written(tx: Tx, viewer: Viewer, id: string): Promise<StoryView> {
    return presentStory(viewer, await tx.one<StoryRow>(`SELECT ${storyColumns(true)} FROM stories s WHERE s.id = $1 AND s.tenant_id = $2`, [id, viewer.tenantId]));
  }

  /**
   * Locks a story of the viewer's own tenant that they may change: their own
   * (with the action's permission), or, for a manager of every story, any
   * that is not another member's private story (those stay out of sight, as
   * in every listing: 404).
   */
  private async lockEditable(tx: Tx, viewer: Viewer, id: string, purpose: 'edit' | 'publish'): Promise<EditableStory> {
    const story = await tx.maybeOne<EditableStory>(
      `SELECT s.id, s.created_by, s.title, s.description, s.content, s.visibility, s.is_published FROM stories s
       WHERE s.id = $1 AND s.tenant_id = $2 FOR UPDATE`,
      [id, viewer.tenantId],
    );
    const own = story?.created_by === viewer.userId;
    if (!story || (!own && story.visibility === 'private')) throw HttpError.notFound('The story');
    if (managesStories(viewer)) return story;
    const needed = purpose === 'edit' ? 'stories.create' : 'stories.publish';
    if (!own || !can(viewer.permissions, needed)) {
      throw HttpError.forbidden(`Only the story's author (with ${needed}) or someone whose profile allows stories.delete may ${purpose} it.`);
    }
    return story;
  }
}
