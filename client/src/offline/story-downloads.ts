/**
 * "Available offline": a story's narration and cover, downloaded whole into
 * Cache Storage one story at a time (a kid tablet has few connections to
 * spare next to its live sync), with progress recorded in `offline_files`
 * so every screen shows it through a live query.
 */
import type { Replica } from '../db/replica.ts';
import { fetchAssetWhole } from './asset-download.ts';
import { audioPath, coverPath, isCached, offlineGeneration, putFile, removeFile } from './offline-cache.ts';
import { requestPersistentStorage } from './persistent-storage.ts';

export interface DownloadableStory {
  id: string;
  audio_asset_id: string | null;
  image_asset_id: string | null;
}

let queue: Promise<void> = Promise.resolve();
const queued = new Set<string>();

export function makeAvailableOffline(pg: Replica, story: DownloadableStory, automatic = false): Promise<void> {
  if (!story.audio_asset_id || queued.has(story.id)) return queue;
  queued.add(story.id);
  // Asked for by this viewer: a sign-out (or another viewer's sign-in) before it is stored drops it.
  const since = offlineGeneration();
  // From now on the device depends on its storage: ask the browser to keep it (once per session).
  void requestPersistentStorage('download');
  const job = async () => {
    try {
      await download(pg, story, automatic, since);
    } finally {
      queued.delete(story.id);
    }
  };
  queue = queue.then(job, job);
  void pg.query(
    `INSERT INTO offline_files (story_id, audio_asset_id, image_asset_id, status, automatic) VALUES ($1, $2, $3, 'queued', $4)
     ON CONFLICT (story_id) DO UPDATE SET status = CASE WHEN offline_files.status = 'ready' THEN 'ready' ELSE 'queued' END, error = NULL`,
    [story.id, story.audio_asset_id, story.image_asset_id, automatic],
  );
  return queue;
}

async function download(pg: Replica, story: DownloadableStory, automatic: boolean, since: number): Promise<void> {
  const current = await pg.query<{ status: string }>(`SELECT status FROM offline_files WHERE story_id = $1`, [story.id]);
  if (current.rows[0]?.status === 'ready' && (await isCached(audioPath(story.id)))) return;
  await pg.query(
    `INSERT INTO offline_files (story_id, audio_asset_id, image_asset_id, status, automatic) VALUES ($1, $2, $3, 'downloading', $4)
     ON CONFLICT (story_id) DO UPDATE SET status = 'downloading', bytes_done = 0, error = NULL, audio_asset_id = EXCLUDED.audio_asset_id, image_asset_id = EXCLUDED.image_asset_id`,
    [story.id, story.audio_asset_id, story.image_asset_id, automatic],
  );
  let lastWrite = 0;
  const progress = (done: number, total: number) => {
    const now = Date.now();
    if (now - lastWrite < 200 && done < total) return;
    lastWrite = now;
    void pg.query(`UPDATE offline_files SET bytes_done = $2, bytes_total = $3 WHERE story_id = $1`, [story.id, done, total]);
  };
  try {
    const audio = await fetchAssetWhole(story.audio_asset_id!, progress);
    // Signed out meanwhile: the replica row is gone with everything else, so nothing is recorded.
    if (!(await putFile(audioPath(story.id), audio.blob, audio.mimeType, since))) return;
    let total = audio.blob.size;
    if (story.image_asset_id && !(await isCached(coverPath(story.image_asset_id)))) {
      const cover = await fetchAssetWhole(story.image_asset_id, () => {});
      if (!(await putFile(coverPath(story.image_asset_id), cover.blob, cover.mimeType, since))) return;
      total += cover.blob.size;
    }
    await pg.query(`UPDATE offline_files SET status = 'ready', bytes_done = $2, bytes_total = $2, ready_at = now() WHERE story_id = $1`, [story.id, total]);
  } catch (err) {
    await pg.query(`UPDATE offline_files SET status = 'failed', error = $2 WHERE story_id = $1`, [story.id, err instanceof Error ? err.message : String(err)]);
  }
}

export async function removeDownload(pg: Replica, storyId: string): Promise<void> {
  await removeFile(audioPath(storyId));
  await pg.query(`DELETE FROM offline_files WHERE story_id = $1`, [storyId]);
}
