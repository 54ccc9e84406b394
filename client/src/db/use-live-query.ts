/**
 * Live queries on the replica: every list in the app is one, so a row synced
 * or written anywhere (another tab, the sync, the outbox) shows at once.
 */
import { useEffect, useState } from 'react';
import { useReplica } from './replica-context.tsx';

export interface LiveResult<T> {
  rows: T[];
  /** False until the first result: the replica answers in milliseconds, no network involved. */
  ready: boolean;
  error: Error | null;
}

export function useLiveQuery<T>(sql: string, params: unknown[] = []): LiveResult<T> {
  const pg = useReplica();
  const [state, setState] = useState<LiveResult<T>>({ rows: [], ready: false, error: null });
  const key = JSON.stringify(params);
  useEffect(() => {
    const args = JSON.parse(key) as unknown[];
    let cancelled = false;
    let live = false;
    let unsubscribe: (() => Promise<void>) | undefined;
    const show = (rows: T[]) => !cancelled && setState({ rows, ready: true, error: null });
    const fail = (err: unknown) => !cancelled && setState({ rows: [], ready: true, error: err instanceof Error ? err : new Error(String(err)) });

    // A plain query answers first: setting up a live query (a view, triggers on
    // every table it reads) costs far more than running it, and a screen should
    // not wait for that on a cold start.
    pg.query<T>(sql, args).then((res) => !live && show(res.rows), fail);

    const subscribe = () =>
      pg.live
        .query<T>(sql, args, (res) => {
          live = true;
          show(res.rows);
        })
        .then((q) => {
          live = true;
          if (cancelled) return void q.unsubscribe();
          unsubscribe = q.unsubscribe;
          show(q.initialResults.rows);
        }, fail);
    // Live set-ups queue after every plain query this render asked for (effects
    // run in one task; the worker answers in arrival order).
    const timer = setTimeout(() => !cancelled && void subscribe(), 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      void unsubscribe?.();
    };
  }, [pg, sql, key]);
  return state;
}
