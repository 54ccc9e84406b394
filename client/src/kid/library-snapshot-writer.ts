/**
 * Takes the boot snapshot of the kid library (library-snapshot.ts) from the
 * replica: the stories this kid sees with their offline state and resume
 * position, the effective policies, and the minutes used today.
 */
import { effectivePolicies } from '../../../shapes/policies.ts';
import type { Me } from '../app/session.tsx';
import { furthestPositionSql, resumeFrom } from '../audio/listening-recorder.ts';
import type { Replica } from '../db/replica.ts';
import { secondsListenedSince } from './kid-limits.ts';
import { localDay, saveLibrarySnapshot, type LibraryStory } from './library-snapshot.ts';

/** The stories of the kid library, newest first, each a `LibraryStory` plus any `extraColumns`. */
export function kidLibrarySql(extraColumns = ''): string {
  return `SELECT s.id, s.title, s.image_asset_id, s.audio_asset_id, s.duration_seconds,
                 coalesce(f.status = 'ready', false) AS offline${extraColumns}
            FROM stories s LEFT JOIN offline_files f ON f.story_id = s.id
           WHERE s.is_published AND s.audio_asset_id IS NOT NULL
           ORDER BY s.created_at DESC`;
}

export async function writeLibrarySnapshot(pg: Replica, me: Me): Promise<void> {
  const stories = await pg.query<LibraryStory & { furthest: number | null }>(kidLibrarySql(`, ${furthestPositionSql('s.id')} AS furthest`), [me.user.id]);
  const policyRows = await pg.query<{ key: string; value: unknown }>(`SELECT key, value FROM tenant_policies`);
  const policies = effectivePolicies(me.plan ?? 'free', policyRows.rows);
  const now = new Date();
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  saveLibrarySnapshot({
    version: 2,
    userId: me.user.id,
    displayName: me.user.displayName,
    limits: { bedtime: policies.bedtime, daily_listening_minutes: policies.daily_listening_minutes, max_volume: policies.max_volume },
    listenedToday: { day: localDay(now), seconds: await secondsListenedSince(pg, me.user.id, midnight) },
    stories: stories.rows.map(({ furthest, ...s }) => ({ ...s, resume_at: resumeFrom(furthest, s.duration_seconds) })),
  });
}
