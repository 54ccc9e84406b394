/**
 * Checks what a story points at before it is written: tag slugs must name
 * tags of the shared vocabulary, and media must be this tenant's own assets
 * of the right type. Problems come back as 400 field errors.
 */
import type { Tx } from '../db/database.ts';
import { HttpError, type FieldErrors } from '../http/http-error.ts';

/** Tag ids for the slugs, in order; a 400 naming each unknown slug. */
export async function resolveTagSlugs(tx: Tx, slugs: readonly string[]): Promise<string[]> {
  const unique = [...new Set(slugs)];
  if (unique.length === 0) return [];
  const rows = await tx.query<{ id: string; slug: string }>('SELECT id, slug FROM tags WHERE slug = ANY ($1::text[])', [unique]);
  const bySlug = new Map(rows.map((r) => [r.slug, r.id]));
  const errors: FieldErrors = {};
  slugs.forEach((slug, i) => {
    if (!bySlug.has(slug)) (errors[`tags.${i}`] ??= []).push(`"${slug}" is not a known tag`);
  });
  if (Object.keys(errors).length > 0) throw HttpError.invalid(errors);
  return unique.map((slug) => bySlug.get(slug)!);
}

/** Refuses media that is not the tenant's own asset of the expected type. */
export async function checkStoryMedia(tx: Tx, tenantId: string, media: { image_asset_id?: string | null; audio_asset_id?: string | null }): Promise<void> {
  const errors: FieldErrors = {};
  for (const [field, type] of [['image_asset_id', 'image'], ['audio_asset_id', 'audio']] as const) {
    const id = media[field];
    if (id === undefined || id === null) continue;
    const asset = await tx.maybeOne<{ type: string }>('SELECT type FROM assets WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
    if (!asset) errors[field] = ['is not an asset of your family or school'];
    else if (asset.type !== type) errors[field] = [`must be an ${type} asset, not ${asset.type === 'audio' ? 'an' : 'a'} ${asset.type} asset`];
  }
  if (Object.keys(errors).length > 0) throw HttpError.invalid(errors);
}

export async function replaceStoryTags(tx: Tx, tenantId: string, storyId: string, tagIds: readonly string[]): Promise<void> {
  await tx.execute('DELETE FROM story_tags WHERE story_id = $1 AND tenant_id = $2', [storyId, tenantId]);
  if (tagIds.length > 0) {
    await tx.execute('INSERT INTO story_tags (tenant_id, story_id, tag_id) SELECT $1, $2, unnest($3::uuid[])', [tenantId, storyId, tagIds]);
  }
}
