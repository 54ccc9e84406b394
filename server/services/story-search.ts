/**
 * The SearchAgent's query: Postgres full-text search over title, description
 * and text (weighted A/B/C, stemmed per the story's language; see
 * migrations/020_story_search.sql), trigram word similarity on title and
 * description for typos, and tag names. Results are what the viewer may see
 * (story-visibility.ts): their tenant's stories plus the public library.
 *
 * The worker's SearchAgent reuses `searchStories` with a transaction in the
 * requester's context and their Viewer (server/auth/viewer-loader.ts).
 */
import { z } from 'zod';
import type { Viewer } from '../../shapes/viewer.ts';
import type { Tx } from '../db/database.ts';
import { decodeCursor, toPage, type Page } from './pagination.ts';
import { SqlParams } from './sql-params.ts';
import { presentStory, storyColumns, type StoryRow, type StoryView } from './story-records.ts';
import { storyVisibleTo } from './story-visibility.ts';

export interface StorySearch {
  q: string;
  age_range?: string | undefined;
  language?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface RankedStory extends StoryView {
  /** Higher is better; comparable within one search only. */
  rank: number;
}

const offsetCursor = z.object({ offset: z.number().int().min(0).max(10_000) }).strict();

export async function searchStories(tx: Tx, viewer: Viewer, search: StorySearch): Promise<Page<RankedStory>> {
  const offset = decodeCursor(search.cursor, offsetCursor)?.offset ?? 0;
  const p = new SqlParams();
  const q = p.add(search.q);
  const document = 'story_search_document(s.language, s.title, s.description, s.content)';
  // One tsquery OR-ing the stemmed forms, so the index serves every language.
  const tsquery = `(websearch_to_tsquery('english', ${q}) || websearch_to_tsquery('french', ${q}) || websearch_to_tsquery('simple', ${q}))`;
  const tagHit = `EXISTS (SELECT 1 FROM story_tags st JOIN tags t ON t.id = st.tag_id
                          WHERE st.story_id = s.id AND (t.slug = lower(${q}) OR ${q} <% t.name OR t.name ILIKE '%' || ${q} || '%'))`;
  const filters = [
    storyVisibleTo(viewer, p),
    `(${document} @@ ${tsquery} OR ${q} <% (s.title || ' ' || s.description) OR ${tagHit})`,
    search.age_range ? `s.age_range = ${p.add(search.age_range)}` : null,
    search.language ? `split_part(s.language, '-', 1) = split_part(${p.add(search.language)}, '-', 1)` : null,
  ].filter(Boolean);
  const rows = await tx.query<StoryRow & { rank: number }>(
    `SELECT ${storyColumns(false)},
            (ts_rank_cd(${document}, ${tsquery}) * 2
             + word_similarity(${q}, s.title || ' ' || s.description)
             + CASE WHEN ${tagHit} THEN 0.5 ELSE 0 END)::float8 AS rank
     FROM stories s
     WHERE ${filters.join(' AND ')}
     ORDER BY rank DESC, s.created_at DESC, s.id
     LIMIT ${p.add(search.limit + 1)} OFFSET ${p.add(offset)}`,
    p.values,
  );
  const page = toPage(rows, search.limit, () => ({ offset: offset + search.limit }), (row) => {
    const { rank, ...story } = row;
    return { ...presentStory(viewer, story), rank: Math.round(rank * 10_000) / 10_000 };
  });
  return page;
}
