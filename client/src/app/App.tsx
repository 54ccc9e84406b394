/** Picks the experience: sign-in screens, kid mode, or the adult app. */
import { lazy, Suspense, useEffect } from 'react';
import { AcceptInvitation } from '../auth/AcceptInvitation.tsx';
import { PairDevice } from '../auth/PairDevice.tsx';
import { SignIn } from '../auth/SignIn.tsx';
import { SignUp } from '../auth/SignUp.tsx';
import { discardBootPlayback } from '../kid/boot-playback.ts';
import { KidApp } from '../kid/KidApp.tsx';
import { KidBootApp } from '../kid/KidBootApp.tsx';
import { readLibrarySnapshot } from '../kid/library-snapshot.ts';
import { UpdatePrompt } from '../pwa/UpdatePrompt.tsx';
import { Spinner } from '../ui/basics.tsx';
import { usePath } from './router.tsx';
import { useSession } from './session.tsx';

// Adults' screens load on demand: a kid tablet never downloads them.
const AdultApp = lazy(() => import('../parent/AdultApp.tsx'));

export function App() {
  const { state } = useSession();
  const { path, query } = usePath();
  const kid = state.status === 'signed_in' && state.me.user.kind === 'kid';
  // A story started on the boot screen belongs to kid mode; anyone else stops it.
  useEffect(() => {
    if (state.status !== 'loading' && !kid) discardBootPlayback();
  }, [state.status, kid]);
  return (
    <>
      <Main state={state} path={path} query={query} />
      <UpdatePrompt />
    </>
  );
}

function Main({ state, path, query }: { state: ReturnType<typeof useSession>['state']; path: string; query: URLSearchParams }) {
  if (state.status === 'loading') return <BootScreen />;
  // Invitation links carry the token in the fragment (never sent to a server or a Referer).
  const inviteToken = path === '/invite' ? (new URLSearchParams(location.hash.slice(1)).get('token') ?? query.get('token')) : null;
  if (inviteToken && state.status === 'signed_out') return <AcceptInvitation token={inviteToken} />;
  if (state.status === 'signed_out') {
    if (path === '/pair') return <PairDevice />;
    if (path === '/signup') return <SignUp />;
    return <SignIn reason={state.reason} />;
  }
  if (state.me.user.kind === 'kid') return <KidApp />;
  return (
    <Suspense fallback={<Splash />}>
      <AdultApp />
    </Suspense>
  );
}

/** Until the session is known: the kid library from its snapshot (still playing what was tapped), or the splash. */
function BootScreen() {
  const snapshot = readLibrarySnapshot();
  return snapshot && snapshot.stories.length > 0 ? <KidBootApp snapshot={snapshot} /> : <Splash />;
}

export function Splash() {
  return (
    <div className="splash">
      <img src="/icons/icon-192.png" alt="" width="88" height="88" />
      <Spinner />
    </div>
  );
}
