/**
 * TTSAgent: the story read aloud (title, then text) in its language, or
 * the voice the request names; an MP3 whose duration is measured from its
 * frames. Stored as the story's audio asset (see story-assets.ts); pointing
 * the story at it is the caller's move (publish, or a single TTS task).
 */
import type { Database, DbContext } from '../../server/db/database.ts';
import type { AssetStorage } from '../../server/storage/index.ts';
import type { Providers } from '../providers/index.ts';
import { ensureStorageRoom, recordAsset, storeFile } from './story-assets.ts';
import type { StepResult } from './step-result.ts';
import { narrationText, type StoryRecord } from './story-record.ts';

export interface NarrationOutput {
  audio_asset_id: string;
  duration_seconds: number;
  size_bytes: number;
  voice: string;
  provider: string;
}

export interface NarrationRequest {
  story: StoryRecord;
  voice: string | undefined;
  /** The task the asset is recorded against. */
  taskId: string;
  requestedBy: string | null;
}

export async function narrateStory(
  deps: { db: Database; storage: AssetStorage; providers: Providers },
  context: DbContext & { tenantId: string },
  request: NarrationRequest,
): Promise<StepResult<NarrationOutput>> {
  const { story } = request;
  const speech = await deps.providers.speech.synthesize({ text: narrationText(story), language: story.language, ...(request.voice ? { voice: request.voice } : {}) });
  const file = { mimeType: speech.mimeType, bytes: speech.audio, label: 'narration' };
  await ensureStorageRoom(deps.db, context, [file]);
  const stored = await storeFile(deps.storage, story.tenant_id, file);
  return {
    usage: [{ purpose: 'speech', usage: speech.usage }],
    apply: async (tx) => {
      const id = await recordAsset(tx, {
        stored,
        storyId: story.id,
        sourceTaskId: request.taskId,
        createdBy: request.requestedBy,
        metadata: { kind: 'narration', duration_seconds: speech.durationSeconds, sample_rate: speech.sampleRate, channels: speech.channels, voice: speech.voice, language: story.language },
      });
      return { audio_asset_id: id, duration_seconds: speech.durationSeconds, size_bytes: stored.sizeBytes, voice: speech.voice, provider: speech.usage.provider };
    },
  };
}
