/**
 * How a story row is read and presented, shared by the list, detail and
 * search queries so every endpoint answers with the same shape.
 */
import type { Viewer } from '../../shapes/viewer.ts';

/** Columns selected for `stories s`; `content` only where asked (it can be 100 kB). */
export function storyColumns(withContent: boolean): string {
  return `s.id, s.tenant_id, s.title, s.description, ${withContent ? 's.content,' : ''} s.language, s.age_range, s.duration_seconds,
    s.reading_level, s.image_asset_id, s.audio_asset_id, s.created_by, s.visibility, s.is_published, s.moderation_status,
    s.moderation_reasons, s.created_at, s.updated_at, s.published_at,
    coalesce((SELECT jsonb_agg(jsonb_build_object('slug', t.slug, 'name', t.name, 'category', t.category) ORDER BY t.name)
              FROM story_tags st JOIN tags t ON t.id = st.tag_id WHERE st.story_id = s.id), '[]'::jsonb) AS tags`;
}

export interface StoryRow {
  id: string;
  tenant_id: string;
  title: string;
  description: string;
  content?: string;
  language: string;
  age_range: string;
  duration_seconds: number | null;
  reading_level: string | null;
  image_asset_id: string | null;
  audio_asset_id: string | null;
  created_by: string | null;
  visibility: 'public' | 'tenant_only' | 'private';
  is_published: boolean;
  moderation_status: 'pending' | 'approved' | 'flagged' | 'rejected';
  moderation_reasons: string[];
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  tags: Array<{ slug: string; name: string; category: string }>;
}

export interface StoryView extends StoryRow {
  /** True for another tenant's public story. */
  from_other_tenant: boolean;
}

/** Another tenant's story keeps its author to itself. */
export function presentStory(viewer: Viewer, row: StoryRow): StoryView {
  const foreign = row.tenant_id !== viewer.tenantId;
  return { ...row, created_by: foreign ? null : row.created_by, from_other_tenant: foreign };
}
