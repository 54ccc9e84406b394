/**
 * IllustratorAgent: a 1024² cover PNG and a 256² thumbnail, both stored as
 * image assets of the story. The cover's metadata names its thumbnail (and
 * the thumbnail's names its cover), so a list can show the small one and a
 * player the large one without another lookup. A requested style is passed
 * along with the description; the offline art derives from it like from the
 * rest of the story.
 */
import type { Database, DbContext } from '../../server/db/database.ts';
import type { AssetStorage } from '../../server/storage/index.ts';
import type { Providers } from '../providers/index.ts';
import { ensureStorageRoom, recordAsset, storeFile } from './story-assets.ts';
import type { StepResult } from './step-result.ts';
import type { StoryRecord } from './story-record.ts';

export interface IllustrationOutput {
  image_asset_id: string;
  thumbnail_asset_id: string;
  width: number;
  height: number;
  size_bytes: number;
  provider: string;
}

export interface IllustrationRequest {
  story: StoryRecord;
  /** Tag slugs that steer the scene (the story's, plus MetadataAgent's suggestions). */
  tags: readonly string[];
  style: string | undefined;
  taskId: string;
  requestedBy: string | null;
}

export async function illustrateStory(
  deps: { db: Database; storage: AssetStorage; providers: Providers },
  context: DbContext & { tenantId: string },
  request: IllustrationRequest,
): Promise<StepResult<IllustrationOutput>> {
  const { story } = request;
  const description = [story.description.trim(), request.style ? `Illustration style: ${request.style}.` : ''].filter(Boolean).join(' ');
  const cover = await deps.providers.covers.generate({ title: story.title, description, text: story.content, language: story.language, tags: [...request.tags] });
  const image = { mimeType: cover.mimeType, bytes: cover.image, label: 'cover' };
  const thumbnail = { mimeType: cover.mimeType, bytes: cover.thumbnail, label: 'cover thumbnail' };
  await ensureStorageRoom(deps.db, context, [image, thumbnail]);
  const storedThumbnail = await storeFile(deps.storage, story.tenant_id, thumbnail);
  const storedImage = await storeFile(deps.storage, story.tenant_id, image);
  return {
    usage: [{ purpose: 'illustration', usage: cover.usage }],
    apply: async (tx) => {
      const common = { storyId: story.id, sourceTaskId: request.taskId, createdBy: request.requestedBy };
      const thumbnailId = await recordAsset(tx, {
        ...common,
        stored: storedThumbnail,
        metadata: { kind: 'cover-thumbnail', width: cover.thumbnailWidth, height: cover.thumbnailHeight },
      });
      const imageId = await recordAsset(tx, {
        ...common,
        stored: storedImage,
        metadata: {
          kind: 'cover',
          width: cover.width,
          height: cover.height,
          thumbnail: { asset_id: thumbnailId, width: cover.thumbnailWidth, height: cover.thumbnailHeight, size_bytes: storedThumbnail.sizeBytes },
          ...(request.style ? { style: request.style } : {}),
        },
      });
      await tx.execute(`UPDATE assets SET metadata = metadata || jsonb_build_object('cover_asset_id', $2::text) WHERE id = $1 AND NOT metadata ? 'cover_asset_id'`, [thumbnailId, imageId]);
      return { image_asset_id: imageId, thumbnail_asset_id: thumbnailId, width: cover.width, height: cover.height, size_bytes: storedImage.sizeBytes, provider: cover.usage.provider };
    },
  };
}
