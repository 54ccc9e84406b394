/**
 * Kid mode, for a tablet: touch only, no reading needed. A grid of big
 * covers; a tap plays. Grown-ups get out through the picture code.
 */
import { useEffect, useState } from 'react';
import { useMe } from '../app/session.tsx';
import { useReplica } from '../db/replica-context.tsx';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useT } from '../i18n/i18n.tsx';
import { useOfflineHousekeeping } from '../offline/use-offline-housekeeping.ts';
import { usePoliciesState } from '../policies/use-policies.ts';
import { EmptyState, Spinner } from '../ui/basics.tsx';
import { Cover } from '../ui/Cover.tsx';
import { Icon } from '../ui/icons.tsx';
import { GrownUpsPanel } from './GrownUpsPanel.tsx';
import { inBedtime, remainingSeconds, useSecondsListenedToday } from './kid-limits.ts';
import { KidPlayer } from './KidPlayer.tsx';
import { flushListeningQueue, peekBootPlayback } from './boot-playback.ts';
import { takeBootPick, type LibraryStory } from './library-snapshot.ts';
import { kidLibrarySql, writeLibrarySnapshot } from './library-snapshot-writer.ts';
import { KidRestScreen } from './KidRestScreen.tsx';
import { hasPin, PinPad, PinSetup } from './PicturePin.tsx';

type Screen = { kind: 'library' } | { kind: 'player'; storyId: string } | { kind: 'pin' } | { kind: 'grownups' } | { kind: 'pin-setup' };

export function KidApp() {
  const t = useT();
  const pg = useReplica();
  const me = useMe();
  const { policies, ready: policiesReady } = usePoliciesState();
  const [screen, setScreen] = useState<Screen>(() => {
    // A story playing since the boot screen carries on here; one tapped there that needed the app opens now.
    const playing = peekBootPlayback()?.story.id ?? takeBootPick();
    return playing ? { kind: 'player', storyId: playing } : { kind: 'library' };
  });
  const [pinKnown, setPinKnown] = useState<boolean | null>(null);
  const [now, setNow] = useState(() => new Date());
  const used = useSecondsListenedToday(me.user.id);
  useOfflineHousekeeping(policies.offline_auto_download, me.user.id, true);

  useEffect(() => {
    // Listening done on the boot screen, before the replica opened.
    void flushListeningQueue(pg, me.user.id).catch((err: unknown) => console.warn('[talemo] listening queue not written yet', err));
  }, [pg, me.user.id]);

  useEffect(() => {
    void hasPin(pg).then(setPinKnown);
    const tick = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(tick);
  }, [pg]);

  const stories = useLiveQuery<LibraryStory>(kidLibrarySql());
  // What the boot snapshot holds besides the list: listening (resume, minutes today) and the policies.
  const snapshotInputs = useLiveQuery<{ events: number; policies: string | null }>(
    `SELECT (SELECT count(*)::int FROM listening_events WHERE user_id = $1) AS events,
            (SELECT string_agg(key || '=' || value::text, ',' ORDER BY key) FROM tenant_policies) AS policies`,
    [me.user.id],
  );
  const snapshotKey = JSON.stringify([stories.rows, snapshotInputs.rows[0]]);

  useEffect(() => {
    if (!stories.ready) return;
    if (performance.getEntriesByName('talemo:library-ready').length === 0) performance.mark('talemo:library-ready');
  }, [stories.ready]);

  useEffect(() => {
    if (!stories.ready || !snapshotInputs.ready) return;
    // Off the critical path, and once for a burst of changes.
    const timer = setTimeout(() => void writeLibrarySnapshot(pg, me).catch((err: unknown) => console.warn('[talemo] library snapshot not saved', err)), 500);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- snapshotKey stands for the rows
  }, [pg, me, stories.ready, snapshotInputs.ready, snapshotKey]);

  if (pinKnown === false || screen.kind === 'pin-setup')
    return (
      <PinSetup
        pg={pg}
        onDone={() => {
          setPinKnown(true);
          setScreen({ kind: 'library' });
        }}
        onCancel={pinKnown ? () => setScreen({ kind: 'grownups' }) : undefined}
      />
    );
  if (screen.kind === 'pin') return <PinPad pg={pg} onUnlock={() => setScreen({ kind: 'grownups' })} onCancel={() => setScreen({ kind: 'library' })} />;
  if (screen.kind === 'grownups') return <GrownUpsPanel onBack={() => setScreen({ kind: 'library' })} onChangePin={() => setScreen({ kind: 'pin-setup' })} />;

  const bedtime = inBedtime(policies.bedtime, now);
  const remaining = remainingSeconds(policies.daily_listening_minutes, used);

  if (screen.kind === 'player') {
    return <KidPlayer storyId={screen.storyId} onBack={() => setScreen({ kind: 'library' })} policies={policies} policiesReady={policiesReady} remainingSeconds={remaining} bedtime={bedtime} />;
  }

  return (
    <div className="kid-shell">
      <header className="kid-header">
        <div className="kid-hello" aria-label={me.user.displayName}>
          <span className="kid-avatar" aria-hidden="true">
            {me.user.displayName.slice(0, 1).toUpperCase()}
          </span>
          <span className="kid-name">{me.user.displayName}</span>
        </div>
        <button type="button" className="icon-btn kid-lock" aria-label={t('kid.grownUps')} onClick={() => setScreen({ kind: 'pin' })}>
          <Icon name="lock" />
        </button>
      </header>
      {bedtime ? (
        <KidRestScreen kind="bedtime" />
      ) : remaining <= 0 ? (
        <KidRestScreen kind="limit" />
      ) : !stories.ready ? (
        <Spinner />
      ) : stories.rows.length === 0 ? (
        <EmptyState icon="book" title={t('kid.empty')} />
      ) : (
        <ul className="kid-grid" aria-label={t('kid.library')}>
          {stories.rows.map((s) => (
            <li key={s.id}>
              <button type="button" className="kid-card" aria-label={s.title} data-story-id={s.id} data-offline={s.offline} onClick={() => setScreen({ kind: 'player', storyId: s.id })}>
                <Cover title={s.title} assetId={s.image_asset_id} />
                {s.offline && (
                  <span className="kid-offline-badge" title={t('kid.offlineBadge')} aria-label={t('kid.offlineBadge')}>
                    <Icon name="check" size={22} />
                  </span>
                )}
                <span className="kid-card-play" aria-hidden="true">
                  <Icon name="play" size={28} />
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
