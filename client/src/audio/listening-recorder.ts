/**
 * Listening progress as append-only events in the replica (the
 * `listening_events` view: overlay + outbox), synced when online. Progress
 * is never an overwritten position: resume reads the furthest one.
 */
import type { Replica } from '../db/replica.ts';

/** One `progress` event per this many seconds of playback (daily limits count them). */
export const PROGRESS_EVERY_SECONDS = 15;

/** Closer than this to the end, a story starts again from the beginning. */
const RESTART_WITHIN_SECONDS = 5;

export type ListeningKind = 'start' | 'progress' | 'pause' | 'resume' | 'seek' | 'complete' | 'stop';

/** Where a player's listening events go: the replica, or (before it opens) the boot queue. */
export interface ListeningSink {
  record(storyId: string, kind: ListeningKind, positionSeconds: number): void;
}

/** Stores a listening event; a start or resume also marks the offline copy as played then (the budget's order). */
export async function recordListening(pg: Replica, storyId: string, kind: ListeningKind, positionSeconds: number, occurredAt?: string): Promise<void> {
  await pg.query(`INSERT INTO listening_events (story_id, position_seconds, event_kind, occurred_at) VALUES ($1, $2, $3, coalesce($4::timestamptz, now()))`, [
    storyId,
    Math.max(0, Math.round(positionSeconds * 1000) / 1000),
    kind,
    occurredAt ?? null,
  ]);
  if (kind === 'start' || kind === 'resume') {
    await pg.query(`UPDATE offline_files SET last_played_at = greatest(last_played_at, coalesce($2::timestamptz, now())) WHERE story_id = $1`, [storyId, occurredAt ?? null]);
  }
}

/** Events go straight to the replica. */
export function replicaSink(pg: Replica): ListeningSink {
  return {
    record(storyId, kind, positionSeconds) {
      void recordListening(pg, storyId, kind, positionSeconds);
    },
  };
}

/**
 * The furthest position of `$2` (a user) in the story named by `story_expr`,
 * counting only events after the last `complete` (a finished story starts
 * over). Shared by the player and the boot snapshot of the library.
 */
export function furthestPositionSql(storyExpr: string): string {
  return `(SELECT max(e.position_seconds)::float8 FROM listening_events e
            WHERE e.story_id = ${storyExpr} AND e.user_id = $1 AND e.event_kind <> 'complete'
              AND e.occurred_at > coalesce((SELECT max(c.occurred_at) FROM listening_events c
                                             WHERE c.story_id = ${storyExpr} AND c.user_id = $1 AND c.event_kind = 'complete'), '-infinity'))`;
}

/** Where to resume from the furthest position listened, unless that was the very end. */
export function resumeFrom(furthest: number | null, duration: number | null): number {
  const at = furthest ?? 0;
  if (duration && at > duration - RESTART_WITHIN_SECONDS) return 0;
  return at;
}

/** Where to resume: the furthest position listened, unless the story was finished. */
export async function resumePosition(pg: Replica, storyId: string, userId: string, duration: number | null): Promise<number> {
  const { rows } = await pg.query<{ furthest: number | null }>(`SELECT ${furthestPositionSql('$2')} AS furthest`, [userId, storyId]);
  return resumeFrom(rows[0]?.furthest ?? null, duration);
}
