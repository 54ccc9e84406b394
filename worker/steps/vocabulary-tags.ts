/**
 * Tags suggested by the MetadataAgent come from the shared vocabulary
 * (providers/language/tag-vocabulary.ts). The `tags` table holds the ones in
 * use: a suggested tag that is not there yet is created with the
 * vocabulary's name and category, then linked to the story. Tags the parent
 * chose stay; suggestions are added to them.
 */
import type { Tx } from '../../server/db/database.ts';
import { TAG_VOCABULARY } from '../providers/index.ts';

export async function linkVocabularyTags(tx: Tx, tenantId: string, storyId: string, slugs: readonly string[]): Promise<string[]> {
  const known = slugs.map((slug) => TAG_VOCABULARY.find((t) => t.slug === slug)).filter((t) => t !== undefined);
  if (known.length === 0) return [];
  await tx.execute(
    `INSERT INTO tags (name, slug, category) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (slug) DO NOTHING`,
    [known.map((t) => t.name), known.map((t) => t.slug), known.map((t) => t.category)],
  );
  const linked = await tx.query<{ slug: string }>(
    `INSERT INTO story_tags (tenant_id, story_id, tag_id)
     SELECT $1, $2, id FROM tags WHERE slug = ANY ($3::text[])
     ON CONFLICT DO NOTHING
     RETURNING (SELECT slug FROM tags WHERE id = tag_id)`,
    [tenantId, storyId, known.map((t) => t.slug)],
  );
  return linked.map((r) => r.slug);
}
