/**
 * Kid mode before the replica opens, painted from the boot snapshot
 * (library-snapshot.ts) in a few hundred milliseconds. It is interactive: a
 * tap on a story whose audio is in Cache Storage plays it at once, within
 * the limits last known (bedtime, daily minutes, volume cap), and its
 * listening events wait in a queue for the replica (boot-playback.ts). When
 * the app is ready it adopts the playing story without a break. A story
 * that is not on the device is remembered and opened once the app is ready
 * (it needs the replica and the network).
 */
import { useEffect, useState } from 'react';
import { PROGRESS_EVERY_SECONDS, resumeFrom } from '../audio/listening-recorder.ts';
import { useT } from '../i18n/i18n.tsx';
import { audioPath, cachedPaths, coverPath, playableUrl } from '../offline/offline-cache.ts';
import { Icon } from '../ui/icons.tsx';
import { peekBootPlayback, queuedEvents, queueSink, setBootPlayback } from './boot-playback.ts';
import { inBedtime, remainingSeconds } from './kid-limits.ts';
import { KidPlayback, usePlaybackView } from './kid-playback.ts';
import { KidBackButton, KidPlayerView } from './KidPlayerView.tsx';
import { KidRestScreen } from './KidRestScreen.tsx';
import { localDay, pickDuringBoot, type LibrarySnapshot, type SnapshotStory } from './library-snapshot.ts';

let offlineAudio: Promise<Set<string>> | undefined;

/** Starts reading which stories' audio Cache Storage holds, so a tap does not wait for it. */
export function warmOfflineAudioIndex(): Promise<Set<string>> {
  offlineAudio ??= ('caches' in self ? cachedPaths('/offline/audio/') : Promise.resolve([])).then(
    (paths) => new Set(paths),
    () => new Set<string>(),
  );
  return offlineAudio;
}

/** A URL for the cached audio of `storyId`, or null when it is not on the device. */
async function cachedAudioSource(storyId: string): Promise<string | null> {
  if (!(await warmOfflineAudioIndex()).has(audioPath(storyId))) return null;
  // The service worker answers the path (with Range requests); without one yet, a blob of the cached copy.
  return navigator.serviceWorker?.controller ? audioPath(storyId) : playableUrl(audioPath(storyId));
}

/** Where to resume: the snapshot's position, moved on by anything listened since boot. */
function bootResumeAt(snapshot: LibrarySnapshot, story: SnapshotStory): number {
  const events = queuedEvents(snapshot.userId, story.id);
  const lastComplete = events.map((e) => e.kind).lastIndexOf('complete');
  const since = events.slice(lastComplete + 1).map((e) => e.position_seconds);
  const furthest = lastComplete >= 0 ? Math.max(0, ...since) : Math.max(story.resume_at, ...since);
  return resumeFrom(furthest, story.duration_seconds);
}

/** The limits last known, with what was listened since boot counted in. */
function bootLimits(snapshot: LibrarySnapshot, now: Date): { bedtime: boolean; remaining: number } {
  const today = localDay(now);
  const before = snapshot.listenedToday.day === today ? snapshot.listenedToday.seconds : 0;
  const sinceBoot = queuedEvents(snapshot.userId, null).filter((e) => e.kind === 'progress' && localDay(new Date(e.occurred_at)) === today).length * PROGRESS_EVERY_SECONDS;
  return { bedtime: inBedtime(snapshot.limits.bedtime, now), remaining: remainingSeconds(snapshot.limits.daily_listening_minutes, before + sinceBoot) };
}

export function KidBootApp({ snapshot }: { snapshot: LibrarySnapshot }) {
  const t = useT();
  const [playback, setPlayback] = useState<KidPlayback | null>(() => peekBootPlayback());
  const [picked, setPicked] = useState<string | null>(null);
  const [now, setNow] = useState(() => new Date());
  const [, setEvents] = useState(0);
  const view = usePlaybackView(playback);
  const limits = bootLimits(snapshot, now);
  const blocked = limits.bedtime || limits.remaining <= 0;

  useEffect(() => {
    performance.mark('talemo:library-painted');
    void warmOfflineAudioIndex();
    const tick = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(tick);
  }, []);
  useEffect(() => playback?.setBlocked(blocked), [playback, blocked]);

  const open = async (story: SnapshotStory) => {
    const src = await cachedAudioSource(story.id);
    if (!src) {
      pickDuringBoot(story.id);
      setPicked(story.id);
      return;
    }
    const p = new KidPlayback(story, queueSink(snapshot.userId, () => setEvents((n) => n + 1)), { maxVolume: snapshot.limits.max_volume / 100, artist: snapshot.displayName });
    p.setBlocked(blocked);
    setBootPlayback(p);
    p.start(src, bootResumeAt(snapshot, story), { autoplay: true });
    performance.mark('talemo:boot-playback');
    setPlayback(p);
  };
  const back = () => {
    playback?.stop();
    setBootPlayback(null);
    setPlayback(null);
  };

  if (playback) {
    if (blocked)
      return (
        <div className="kid-shell">
          <KidBackButton onBack={back} />
          <KidRestScreen kind={limits.bedtime ? 'bedtime' : 'limit'} />
        </div>
      );
    return <KidPlayerView title={playback.story.title} imageAssetId={playback.story.image_asset_id} view={view} playback={playback} onBack={back} />;
  }

  return (
    <div className="kid-shell" data-boot="true">
      <header className="kid-header">
        <div className="kid-hello" aria-label={snapshot.displayName}>
          <span className="kid-avatar" aria-hidden="true">
            {snapshot.displayName.slice(0, 1).toUpperCase()}
          </span>
          <span className="kid-name">{snapshot.displayName}</span>
        </div>
      </header>
      {limits.bedtime ? (
        <KidRestScreen kind="bedtime" />
      ) : limits.remaining <= 0 ? (
        <KidRestScreen kind="limit" />
      ) : (
        <ul className="kid-grid" aria-label={t('kid.library')}>
          {snapshot.stories.map((s) => (
            <li key={s.id}>
              <button type="button" className="kid-card" aria-label={s.title} data-story-id={s.id} data-offline={s.offline} onClick={() => void open(s)}>
                <div className="cover cover-boot">
                  {/* Served by the service worker from Cache Storage; a miss falls back to the painted background. */}
                  {s.image_asset_id && navigator.serviceWorker?.controller && <img src={coverPath(s.image_asset_id)} alt="" onError={(e) => (e.currentTarget.style.display = 'none')} />}
                </div>
                {s.offline && (
                  <span className="kid-offline-badge" aria-label={t('kid.offlineBadge')}>
                    <Icon name="check" size={22} />
                  </span>
                )}
                <span className="kid-card-play" aria-hidden="true">
                  {picked === s.id ? <span className="spinner spinner-small" /> : <Icon name="play" size={28} />}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
