/**
 * Runs the offline housekeeping (offline-housekeeping.ts):
 *
 * - all of it (revoked files, the budget, automatic downloads) when the set
 *   of visible stories changes (a new story synced in, one was hidden or
 *   deleted) or the policy does;
 * - the budget alone when a download finishes or a story is finished
 *   (a `complete` listening event), the two moments a device goes over it.
 */
import { useEffect, useRef } from 'react';
import type { Policies } from '../../../shapes/policies.ts';
import { useReplica } from '../db/replica-context.tsx';
import { useLiveQuery } from '../db/use-live-query.ts';
import { autoDownload, enforceBudget, removeRevokedFiles } from './offline-housekeeping.ts';

/** Not on the critical path of a cold start: the library paints first. */
const FIRST_RUN_DELAY_MS = 2_000;

export function useOfflineHousekeeping(policy: Policies['offline_auto_download'], userId: string, automatic: boolean): void {
  const pg = useReplica();
  const stories = useLiveQuery<{ sig: string | null }>(`SELECT string_agg(id::text || ':' || coalesce(audio_asset_id::text, ''), ',' ORDER BY id) AS sig FROM stories`);
  const budget = useLiveQuery<{ sig: string | null }>(
    `SELECT coalesce((SELECT string_agg(story_id::text, ',' ORDER BY story_id) FROM offline_files WHERE status = 'ready'), '') || '|' ||
            (SELECT count(*) FROM listening_events WHERE user_id = $1 AND event_kind = 'complete') AS sig`,
    [userId],
  );
  const running = useRef<Promise<void>>(Promise.resolve());
  const mountedAt = useRef(Date.now());
  const policyKey = JSON.stringify(policy);

  /** One task at a time, in order; none before the first-run delay. */
  const schedule = (task: () => Promise<void>) => {
    running.current = running.current
      .then(() => new Promise((r) => setTimeout(r, Math.max(0, mountedAt.current + FIRST_RUN_DELAY_MS - Date.now()))))
      .then(task)
      .catch((err: unknown) => console.warn('[talemo] offline housekeeping failed', err));
  };

  useEffect(() => {
    if (!stories.ready) return;
    schedule(async () => {
      await removeRevokedFiles(pg);
      await enforceBudget(pg, policy, userId);
      if (automatic && navigator.onLine) await autoDownload(pg, policy, userId);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- policyKey stands for policy
  }, [pg, stories.ready, stories.rows[0]?.sig, policyKey, userId, automatic]);

  useEffect(() => {
    if (!budget.ready) return;
    schedule(() => enforceBudget(pg, policy, userId));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- policyKey stands for policy
  }, [pg, budget.ready, budget.rows[0]?.sig, policyKey, userId]);
}
