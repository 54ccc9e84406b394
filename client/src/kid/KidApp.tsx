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
import { usePolicies } from '../policies/use-policies.ts';
import { EmptyState, Spinner } from '../ui/basics.tsx';
import { Cover } from '../ui/Cover.tsx';
import { Icon } from '../ui/icons.tsx';
import { GrownUpsPanel } from './GrownUpsPanel.tsx';
import { inBedtime, remainingSeconds, useSecondsListenedToday } from './kid-limits.ts';
import { KidPlayer } from './KidPlayer.tsx';
import { saveLibrarySnapshot, takeBootPick } from './library-snapshot.ts';
import { KidRestScreen } from './KidRestScreen.tsx';
import { hasPin, PinPad, PinSetup } from './PicturePin.tsx';

interface KidStory {
  id: string;
  title: string;
  image_asset_id: string | null;
  audio_asset_id: string | null;
  duration_seconds: number | null;
  offline: boolean;
}

type Screen = { kind: 'library' } | { kind: 'player'; storyId: string } | { kind: 'pin' } | { kind: 'grownups' } | { kind: 'pin-setup' };

export function KidApp() {
  const t = useT();
  const pg = useReplica();
  const me = useMe();
  const policies = usePolicies();
  const [screen, setScreen] = useState<Screen>(() => {
    const picked = takeBootPick();
    return picked ? { kind: 'player', storyId: picked } : { kind: 'library' };
  });
  const [pinKnown, setPinKnown] = useState<boolean | null>(null);
  const [now, setNow] = useState(() => new Date());
  const used = useSecondsListenedToday(me.user.id);
  useOfflineHousekeeping(policies.offline_auto_download, me.user.id, true);

  useEffect(() => {
    void hasPin(pg).then(setPinKnown);
    const tick = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(tick);
  }, [pg]);

  const stories = useLiveQuery<KidStory>(
    `SELECT s.id, s.title, s.image_asset_id, s.audio_asset_id, s.duration_seconds,
            coalesce(f.status = 'ready', false) AS offline
       FROM stories s LEFT JOIN offline_files f ON f.story_id = s.id
      WHERE s.is_published AND s.audio_asset_id IS NOT NULL
      ORDER BY s.created_at DESC`,
  );

  useEffect(() => {
    if (!stories.ready) return;
    if (performance.getEntriesByName('talemo:library-ready').length === 0) performance.mark('talemo:library-ready');
    saveLibrarySnapshot({
      userId: me.user.id,
      displayName: me.user.displayName,
      stories: stories.rows.map((s) => ({ id: s.id, title: s.title, image_asset_id: s.image_asset_id, offline: s.offline })),
    });
  }, [stories.ready, stories.rows, me.user.id, me.user.displayName]);

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
    return <KidPlayer storyId={screen.storyId} onBack={() => setScreen({ kind: 'library' })} policies={policies} remainingSeconds={remaining} bedtime={bedtime} />;
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
