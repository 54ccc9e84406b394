/**
 * Who is signed in on this device. The answer comes from the replica first
 * (device_meta keeps the last `/api/auth/me`), so the app opens offline with
 * no network round trip; the server is asked in the background, and a 401
 * there signs the device out (replica and caches cleared).
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ProfilePermissions } from '../../../shapes/permissions.ts';
import type { Plan } from '../../../shapes/policies.ts';
import { clearedByOtherTab, control, destroyReplica, whenCleared, type Replica } from '../db/replica.ts';
import { clearListeningQueue, discardBootPlayback } from '../kid/boot-playback.ts';
import { clearLibrarySnapshot } from '../kid/library-snapshot.ts';
import { clearOfflineCaches } from '../offline/offline-cache.ts';
import { forgetPersistRequest, requestPersistentStorage } from '../offline/persistent-storage.ts';
import { ApiError, apiFetch } from './api.ts';

export interface Me {
  user: { id: string; displayName: string; kind: 'adult' | 'kid'; email: string | null; avatar: string | null };
  tenant: { id: string; name: string; type: 'family' | 'institution' };
  profile: { id: string; name: string };
  permissions: ProfilePermissions;
  plan: Plan;
}

export type SessionState = { status: 'loading' } | { status: 'signed_out'; reason?: 'expired' | 'offline' } | { status: 'signed_in'; me: Me };

interface SessionApi {
  state: SessionState;
  /** After the server set the session cookie: learn who we are and start syncing. */
  completeSignIn(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

/** Why the last sign-out happened, shown by the sign-in screen after the reload that follows it. */
const SIGNED_OUT_KEY = 'talemo.signed-out';
/** True while this tab signs out (it reloads when done). */
let signingOutHere = false;

function takeSignOutReason(): 'expired' | undefined {
  const reason = sessionStorage.getItem(SIGNED_OUT_KEY);
  sessionStorage.removeItem(SIGNED_OUT_KEY);
  return reason === 'expired' ? 'expired' : undefined;
}

async function cachedMe(pg: Replica): Promise<Me | null> {
  const { rows } = await pg.query<{ value: Me }>(`SELECT value FROM device_meta WHERE key = 'me'`);
  return rows[0]?.value ?? null;
}

/**
 * Everything of the person bound to the replica leaves the device: the boot
 * snapshot and its queued listening, the replica's rows (the leader clears
 * them and stops syncing) and the downloads in Cache Storage.
 */
async function clearPersonFromDevice(pg: Replica): Promise<void> {
  discardBootPlayback();
  clearLibrarySnapshot();
  clearListeningQueue();
  forgetPersistRequest();
  const cleared = whenCleared(pg);
  await control(pg, 'sign_out');
  await cleared;
  await clearOfflineCaches();
}

/** Binds the replica to this viewer (clearing it first if it was someone else's) and starts sync. */
async function adopt(pg: Replica, me: Me): Promise<void> {
  const previous = await cachedMe(pg);
  if (previous && previous.user.id !== me.user.id) await clearPersonFromDevice(pg);
  await pg.transaction(async (tx) => {
    const entries: Array<[string, unknown]> = [
      ['me', me],
      ['user_id', me.user.id],
      ['tenant_id', me.tenant.id],
      ['viewer_kind', me.user.kind],
      ['display_name', me.user.displayName],
    ];
    for (const [k, v] of entries) {
      await tx.query(`INSERT INTO device_meta (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, [k, JSON.stringify(v)]);
    }
  });
  if (!previous || previous.user.id !== me.user.id) await control(pg, 'start');
}

export function SessionProvider({ pg, children }: { pg: Replica; children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  /**
   * Everything of this person leaves the device, then the replica's
   * IndexedDB database itself. The page then starts afresh on the sign-in
   * screen.
   */
  const forgetDevice = useCallback(
    async (reason?: 'expired') => {
      signingOutHere = true;
      await clearPersonFromDevice(pg);
      await destroyReplica();
      if (reason) sessionStorage.setItem(SIGNED_OUT_KEY, reason);
      location.replace('/');
    },
    [pg],
  );

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const cached = await cachedMe(pg);
      performance.mark('talemo:session-known');
      if (cached && !cancelled) setState({ status: 'signed_in', me: cached });
      try {
        const me = await apiFetch<Me>('/api/auth/me');
        if (cancelled) return;
        await adopt(pg, me);
        setState({ status: 'signed_in', me });
      } catch (err) {
        if (cancelled) return;
        if (err instanceof ApiError && err.status === 401) {
          if (cached) return void (await forgetDevice('expired'));
          setState({ status: 'signed_out', reason: takeSignOutReason() });
        } else if (!cached) {
          setState({ status: 'signed_out', reason: 'offline' });
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [pg, forgetDevice]);

  // The leader worker saw a 401 on a shape or the outbox: the session is gone.
  useEffect(() => {
    let unlisten: (() => Promise<void>) | undefined;
    void pg
      .listen('talemo_session', async (payload) => {
        if (payload === 'expired' && !signingOutHere) await forgetDevice('expired');
        // Another tab signed out: this one's screens show a replica that is gone, and its downloads under way are dropped.
        else if (clearedByOtherTab(payload) && !signingOutHere) {
          void clearOfflineCaches();
          location.replace('/');
        }
      })
      .then((u) => (unlisten = u));
    return () => void unlisten?.();
  }, [pg, forgetDevice]);

  const completeSignIn = useCallback(async () => {
    const me = await apiFetch<Me>('/api/auth/me');
    await adopt(pg, me);
    // A freshly paired kid tablet will live on its downloads: ask the browser to keep them.
    if (me.user.kind === 'kid') void requestPersistentStorage('paired');
    setState({ status: 'signed_in', me });
  }, [pg]);

  const signOut = useCallback(async () => {
    await apiFetch('/api/auth/signout', { method: 'POST' }).catch(() => {});
    await forgetDevice();
  }, [forgetDevice]);

  return <SessionContext.Provider value={{ state, completeSignIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in viewer; only for screens rendered when signed in. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed_in') throw new Error('useMe while not signed in');
  return state.me;
}
