/**
 * Runs the offline housekeeping whenever the set of visible stories changes
 * (a new story synced in, one was hidden or deleted) or the policy does.
 */
import { useEffect, useRef } from 'react';
import type { Policies } from '../../../shapes/policies.ts';
import { useReplica } from '../db/replica-context.tsx';
import { useLiveQuery } from '../db/use-live-query.ts';
import { autoDownload, enforceBudget, removeRevokedFiles } from './offline-housekeeping.ts';

export function useOfflineHousekeeping(policy: Policies['offline_auto_download'], userId: string, automatic: boolean): void {
  const pg = useReplica();
  const { rows, ready } = useLiveQuery<{ sig: string | null }>(`SELECT string_agg(id::text || ':' || coalesce(audio_asset_id::text, ''), ',' ORDER BY id) AS sig FROM stories`);
  const signature = rows[0]?.sig ?? '';
  const running = useRef<Promise<void>>(Promise.resolve());
  const policyKey = JSON.stringify(policy);
  useEffect(() => {
    if (!ready) return;
    // Not on the critical path of a cold start: let the library paint first.
    running.current = running.current.then(() => new Promise((r) => setTimeout(r, 2_000))).then(async () => {
      try {
        await removeRevokedFiles(pg);
        await enforceBudget(pg, policy, userId);
        if (automatic && navigator.onLine) await autoDownload(pg, policy);
      } catch (err) {
        console.warn('[talemo] offline housekeeping failed', err);
      }
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- policyKey stands for policy
  }, [pg, ready, signature, policyKey, userId, automatic]);
}
