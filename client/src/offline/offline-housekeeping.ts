/**
 * Keeps the offline files in line with what the viewer may see and with the
 * device's budget:
 *
 * - Files of stories that left the replica (deleted, or hidden by a changed
 *   profile or policy: a must-refetch removed them) are deleted, and so are
 *   covers no visible story uses.
 * - Over the offline_auto_download budget, finished stories go: those whose
 *   latest listening event is `complete`, made after the file was saved (a
 *   story saved again on purpose after it was finished stays), automatic
 *   downloads before chosen ones, least recently played first. Only the
 *   audio goes: the cover stays, the library shows it offline. Unfinished
 *   stories are never removed for the budget.
 * - New stories are downloaded by themselves when the policy allows, newest
 *   first, within max_stories and max_megabytes; stories already finished
 *   are not new.
 */
import type { Policies } from '../../../shapes/policies.ts';
import type { Replica } from '../db/replica.ts';
import { audioPath, cachedPaths, coverPath, removeFile } from './offline-cache.ts';
import { makeAvailableOffline } from './story-downloads.ts';

export async function removeRevokedFiles(pg: Replica): Promise<number> {
  const gone = await pg.query<{ story_id: string }>(`SELECT story_id FROM offline_files f WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = f.story_id)`);
  for (const { story_id } of gone.rows) {
    await removeFile(audioPath(story_id));
    await pg.query(`DELETE FROM offline_files WHERE story_id = $1`, [story_id]);
  }
  // Files the table lost track of (a sign-out elsewhere, an interrupted download).
  const known = new Set((await pg.query<{ id: string }>(`SELECT id::text FROM stories`)).rows.map((r) => r.id));
  for (const path of await cachedPaths('/offline/audio/')) {
    if (!known.has(path.split('/').pop()!)) await removeFile(path);
  }
  const covers = new Set((await pg.query<{ id: string }>(`SELECT image_asset_id::text AS id FROM stories WHERE image_asset_id IS NOT NULL`)).rows.map((r) => r.id));
  for (const path of await cachedPaths('/offline/cover/')) {
    if (!covers.has(path.split('/').pop()!)) await removeFile(path);
  }
  return gone.rows.length;
}

export async function enforceBudget(pg: Replica, policy: Policies['offline_auto_download'], userId: string): Promise<void> {
  const budget = policy.max_megabytes * 1024 * 1024;
  const { rows } = await pg.query<{ story_id: string; bytes_total: number; finished: boolean }>(
    `SELECT f.story_id, f.bytes_total::float8 AS bytes_total,
            coalesce((SELECT e.event_kind = 'complete' AND e.occurred_at >= f.ready_at
                        FROM listening_events e WHERE e.story_id = f.story_id AND e.user_id = $1
                       ORDER BY e.occurred_at DESC LIMIT 1), false) AS finished
       FROM offline_files f WHERE f.status = 'ready'
      ORDER BY f.automatic DESC, f.last_played_at ASC NULLS FIRST, f.ready_at ASC`,
    [userId],
  );
  let used = rows.reduce((n, r) => n + r.bytes_total, 0);
  for (const r of rows) {
    if (used <= budget) break;
    if (!r.finished) continue;
    await removeFile(audioPath(r.story_id));
    await pg.query(`DELETE FROM offline_files WHERE story_id = $1`, [r.story_id]);
    used -= r.bytes_total;
  }
}

export async function autoDownload(pg: Replica, policy: Policies['offline_auto_download'], userId: string): Promise<void> {
  if (!policy.enabled || policy.max_stories <= 0) return;
  const budget = policy.max_megabytes * 1024 * 1024;
  const have = await pg.query<{ n: number; bytes: number }>(`SELECT count(*)::int AS n, coalesce(sum(bytes_total), 0)::float8 AS bytes FROM offline_files WHERE status IN ('ready', 'downloading', 'queued')`);
  let count = have.rows[0]!.n;
  let bytes = have.rows[0]!.bytes;
  const candidates = await pg.query<{ id: string; audio_asset_id: string; image_asset_id: string | null; size: number }>(
    `SELECT s.id, s.audio_asset_id, s.image_asset_id, coalesce(a.size_bytes, 0)::float8 AS size
       FROM stories s LEFT JOIN assets a ON a.id = s.audio_asset_id
      WHERE s.audio_asset_id IS NOT NULL AND s.is_published
        AND NOT EXISTS (SELECT 1 FROM offline_files f WHERE f.story_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM listening_events e WHERE e.story_id = s.id AND e.user_id = $1 AND e.event_kind = 'complete')
      ORDER BY s.created_at DESC LIMIT 50`,
    [userId],
  );
  for (const c of candidates.rows) {
    if (count >= policy.max_stories || bytes + c.size > budget) break;
    count++;
    bytes += c.size;
    void makeAvailableOffline(pg, c, true);
  }
}
