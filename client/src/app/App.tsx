/** Picks the experience: sign-in screens, kid mode, or the adult app. */
import { lazy, Suspense } from 'react';
import { AcceptInvitation } from '../auth/AcceptInvitation.tsx';
import { PairDevice } from '../auth/PairDevice.tsx';
import { SignIn } from '../auth/SignIn.tsx';
import { SignUp } from '../auth/SignUp.tsx';
import { KidApp } from '../kid/KidApp.tsx';
import { UpdatePrompt } from '../pwa/UpdatePrompt.tsx';
import { Spinner } from '../ui/basics.tsx';
import { usePath } from './router.tsx';
import { useSession } from './session.tsx';

// Adults' screens load on demand: a kid tablet never downloads them.
const AdultApp = lazy(() => import('../parent/AdultApp.tsx'));

export function App() {
  const { state } = useSession();
  const { path, query } = usePath();
  return (
    <>
      <Main state={state} path={path} query={query} />
      <UpdatePrompt />
    </>
  );
}

function Main({ state, path, query }: { state: ReturnType<typeof useSession>['state']; path: string; query: URLSearchParams }) {
  if (state.status === 'loading') return <Splash />;
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

export function Splash() {
  return (
    <div className="splash">
      <img src="/icons/icon-192.png" alt="" width="88" height="88" />
      <Spinner />
    </div>
  );
}
