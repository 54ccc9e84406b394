/**
 * Listening limits a kid device enforces by itself, offline included: the
 * bedtime window (device local time; it may span midnight) and the daily
 * minutes, counted from this kid's synced and local listening events.
 */
import type { Policies } from '../../../shapes/policies.ts';
import { PROGRESS_EVERY_SECONDS } from '../audio/listening-recorder.ts';
import type { Replica } from '../db/replica.ts';
import { useLiveQuery } from '../db/use-live-query.ts';

const PROGRESS_SINCE_SQL = `SELECT count(*)::int AS n FROM listening_events WHERE user_id = $1 AND event_kind = 'progress' AND occurred_at >= $2`;

function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

export function inBedtime(bedtime: Policies['bedtime'], now = new Date()): boolean {
  if (!bedtime.enabled) return false;
  const t = now.getHours() * 60 + now.getMinutes();
  const start = minutesOfDay(bedtime.start);
  const end = minutesOfDay(bedtime.end);
  return start < end ? t >= start && t < end : t >= start || t < end;
}

/**
 * Seconds listened today: each `progress` event stands for
 * PROGRESS_EVERY_SECONDS of playback (the recorder writes one per interval
 * while playing), so the count is the same on every device of the kid.
 */
export function useSecondsListenedToday(userId: string): number {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  const { rows } = useLiveQuery<{ n: number }>(PROGRESS_SINCE_SQL, [userId, start.toISOString()]);
  return (rows[0]?.n ?? 0) * PROGRESS_EVERY_SECONDS;
}

/** The same count, once (the boot snapshot). */
export async function secondsListenedSince(pg: Replica, userId: string, since: Date): Promise<number> {
  const { rows } = await pg.query<{ n: number }>(PROGRESS_SINCE_SQL, [userId, since.toISOString()]);
  return (rows[0]?.n ?? 0) * PROGRESS_EVERY_SECONDS;
}

export function remainingSeconds(limitMinutes: number | null, usedSeconds: number): number {
  return limitMinutes === null ? Number.POSITIVE_INFINITY : Math.max(0, limitMinutes * 60 - usedSeconds);
}
