/**
 * Listening progress as append-only events in the replica (the
 * `listening_events` view: overlay + outbox), synced when online. Progress
 * is never an overwritten position: resume reads the furthest one.
 */
import type { Replica } from '../db/replica.ts';

/** One `progress` event per this many seconds of playback (daily limits count them). */
export const PROGRESS_EVERY_SECONDS = 15;

export type ListeningKind = 'start' | 'progress' | 'pause' | 'resume' | 'seek' | 'complete' | 'stop';

export async function recordListening(pg: Replica, storyId: string, kind: ListeningKind, positionSeconds: number): Promise<void> {
  await pg.query(`INSERT INTO listening_events (story_id, position_seconds, event_kind, occurred_at) VALUES ($1, $2, $3, now())`, [storyId, Math.max(0, Math.round(positionSeconds * 1000) / 1000), kind]);
}

/** Where to resume: the furthest position listened, unless the story was finished. */
export async function resumePosition(pg: Replica, storyId: string, userId: string, duration: number | null): Promise<number> {
  const { rows } = await pg.query<{ furthest: number | null }>(
    `SELECT max(position_seconds)::float8 AS furthest FROM listening_events WHERE story_id = $1 AND user_id = $2 AND event_kind <> 'complete'
       AND occurred_at > coalesce((SELECT max(occurred_at) FROM listening_events WHERE story_id = $1 AND user_id = $2 AND event_kind = 'complete'), '-infinity')`,
    [storyId, userId],
  );
  const furthest = rows[0]?.furthest ?? 0;
  if (duration && furthest > duration - 5) return 0;
  return furthest;
}
