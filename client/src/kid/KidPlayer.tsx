/**
 * The kid's player: a big cover and big buttons. Plays the cached copy when
 * the story is available offline (through the service worker, with Range
 * requests), otherwise streams a signed URL. Listening is recorded as events
 * in the replica; bedtime, daily minutes and the volume cap apply offline.
 */
import { useEffect, useRef, useState } from 'react';
import type { Policies } from '../../../shapes/policies.ts';
import { apiFetch } from '../app/api.ts';
import { useMe } from '../app/session.tsx';
import { setMediaSession, setPlaybackState } from '../audio/media-session.ts';
import { PROGRESS_EVERY_SECONDS, recordListening, resumePosition } from '../audio/listening-recorder.ts';
import { StoryPlayer } from '../audio/story-player.ts';
import { useReplica } from '../db/replica-context.tsx';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useT } from '../i18n/i18n.tsx';
import { audioPath, playableUrl } from '../offline/offline-cache.ts';
import { Spinner } from '../ui/basics.tsx';
import { Cover, useCoverUrl } from '../ui/Cover.tsx';
import { Icon } from '../ui/icons.tsx';
import { KidRestScreen } from './KidRestScreen.tsx';

const SLEEP_STEPS = [0, 10, 20, 30];
const FADE_MS = 8_000;

interface PlayerStory {
  id: string;
  title: string;
  image_asset_id: string | null;
  audio_asset_id: string | null;
  duration_seconds: number | null;
}

async function sourceFor(story: PlayerStory): Promise<string | null> {
  const cached = await playableUrl(audioPath(story.id));
  if (cached) return cached;
  if (!story.audio_asset_id || !navigator.onLine) return null;
  try {
    const signed = await apiFetch<{ url: string }>(`/api/assets/${story.audio_asset_id}/download`);
    return signed.url;
  } catch {
    return null;
  }
}

export function KidPlayer({ storyId, onBack, policies, remainingSeconds, bedtime }: { storyId: string; onBack: () => void; policies: Policies; remainingSeconds: number; bedtime: boolean }) {
  const t = useT();
  const pg = useReplica();
  const me = useMe();
  const { rows, ready } = useLiveQuery<PlayerStory>(`SELECT id, title, image_asset_id, audio_asset_id, duration_seconds FROM stories WHERE id = $1`, [storyId]);
  const story = rows[0];
  const coverUrl = useCoverUrl(story?.image_asset_id ?? null);
  const player = useRef<StoryPlayer | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'unavailable'>('loading');
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [duration, setDuration] = useState(0);
  const [volume, setVolume] = useState(policies.max_volume / 100);
  const [sleepIndex, setSleepIndex] = useState(0);
  const [sleepEndsAt, setSleepEndsAt] = useState<number | null>(null);
  const listened = useRef({ sinceProgress: 0, started: false, lastPos: 0 });
  const blocked = bedtime || remainingSeconds <= 0;

  // Load once per story; a story that leaves the replica (hidden by a parent) closes the player.
  useEffect(() => {
    if (!ready) return;
    if (!story) {
      onBack();
      return;
    }
    let alive = true;
    let cleanupSession = () => {};
    (async () => {
      // Both are local (Cache Storage, the replica): ask for them together.
      const [src, startAt] = await Promise.all([sourceFor(story), resumePosition(pg, story.id, me.user.id, story.duration_seconds)]);
      performance.mark('talemo:player-source');
      if (!alive) return;
      if (!src) return setState('unavailable');
      const p = new StoryPlayer(
        src,
        {
          onLoad: (d) => {
            performance.mark('talemo:player-loaded');
            setDuration(d);
            setState('ready');
          },
          onPlay: () => {
            performance.mark('talemo:player-playing');
            setPlaying(true);
            setPlaybackState(true);
            const kind = listened.current.started ? 'resume' : startAt > 0 ? 'resume' : 'start';
            listened.current.started = true;
            void recordListening(pg, story.id, kind, p.position);
            void pg.query(`UPDATE offline_files SET last_played_at = now() WHERE story_id = $1`, [story.id]);
          },
          onPause: () => {
            setPlaying(false);
            setPlaybackState(false);
            void recordListening(pg, story.id, 'pause', p.position);
          },
          onEnd: () => {
            setPlaying(false);
            setPlaybackState(false);
            void recordListening(pg, story.id, 'complete', p.duration);
          },
          onError: () => setState((s) => (s === 'loading' ? 'unavailable' : s)),
        },
        { maxVolume: policies.max_volume / 100, startAt },
      );
      player.current = p;
      listened.current.lastPos = startAt;
      setPosition(startAt);
      cleanupSession = setMediaSession(
        { title: story.title, artist: me.user.displayName, artworkUrl: coverUrl },
        { play: () => p.play(), pause: () => p.pause(), seekBy: (s) => p.seek(p.position + s) },
      );
      if (!blocked) p.play();
    })();
    return () => {
      alive = false;
      cleanupSession();
      const p = player.current;
      if (p?.playing) void recordListening(pg, storyId, 'stop', p.position);
      p?.unload();
      player.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load once per story
  }, [ready, story?.id]);

  // Position, progress events and the sleep timer, on one clock.
  useEffect(() => {
    const tick = setInterval(() => {
      const p = player.current;
      if (!p) return;
      const pos = p.position;
      setPosition(pos);
      if (p.playing) {
        const delta = pos - listened.current.lastPos;
        if (delta > 0 && delta < 2) listened.current.sinceProgress += delta;
        if (listened.current.sinceProgress >= PROGRESS_EVERY_SECONDS) {
          listened.current.sinceProgress -= PROGRESS_EVERY_SECONDS;
          void recordListening(pg, storyId, 'progress', pos);
        }
      }
      listened.current.lastPos = pos;
      if (sleepEndsAt !== null && Date.now() >= sleepEndsAt) {
        setSleepEndsAt(null);
        setSleepIndex(0);
        if (p.playing) void p.fadeOutAndPause(FADE_MS);
      }
    }, 250);
    return () => clearInterval(tick);
  }, [pg, storyId, sleepEndsAt]);

  // Limits reached while playing: stop gently.
  useEffect(() => {
    if (blocked && player.current?.playing) void player.current.fadeOutAndPause(1_500);
  }, [blocked]);

  useEffect(() => {
    player.current?.setMaxVolume(policies.max_volume / 100);
    setVolume((v) => Math.min(v, policies.max_volume / 100));
  }, [policies.max_volume]);

  if (!ready || !story) return <Spinner />;
  if (blocked)
    return (
      <div className="kid-shell">
        <KidBackButton onBack={onBack} />
        <KidRestScreen kind={bedtime ? 'bedtime' : 'limit'} />
      </div>
    );

  const toggle = () => {
    const p = player.current;
    if (!p) return;
    if (p.playing) p.pause();
    else p.play();
  };
  const seekBy = (s: number) => {
    const p = player.current;
    if (!p) return;
    p.seek(p.position + s);
    void recordListening(pg, storyId, 'seek', p.position);
  };
  const cycleSleep = () => {
    const next = (sleepIndex + 1) % SLEEP_STEPS.length;
    setSleepIndex(next);
    setSleepEndsAt(SLEEP_STEPS[next] ? Date.now() + SLEEP_STEPS[next]! * 60_000 : null);
  };
  const maxVolume = policies.max_volume / 100;
  const total = duration || story.duration_seconds || 0;

  return (
    <div className="kid-shell kid-player">
      <KidBackButton onBack={onBack} />
      <div className="kid-player-cover">
        <Cover title={story.title} assetId={story.image_asset_id} />
      </div>
      <div className="kid-player-panel">
        <h1 className="kid-player-title">{story.title}</h1>
        {state === 'unavailable' ? (
          <div className="kid-unavailable" role="status">
            <Icon name="cloudOff" size={56} />
            <span className="sr-only">{t('kid.unavailable')}</span>
          </div>
        ) : (
          <>
            <div
              className="kid-progress"
              role="slider"
              aria-label={story.title}
              aria-valuemin={0}
              aria-valuemax={Math.round(total)}
              aria-valuenow={Math.floor(position)}
              data-current-time={position.toFixed(2)}
              tabIndex={0}
            >
              <div className="kid-progress-fill" style={{ width: total ? `${Math.min(100, (position / total) * 100)}%` : '0%' }} />
            </div>
            <div className="kid-controls">
              <button type="button" className="icon-btn kid-round" aria-label={t('kid.rewind')} onClick={() => seekBy(-15)}>
                <Icon name="rewind" size={36} />
              </button>
              <button type="button" className="kid-play" aria-label={playing ? t('kid.pause') : t('kid.play')} data-playing={playing} disabled={state === 'loading'} onClick={toggle}>
                {state === 'loading' ? <span className="spinner" aria-hidden="true" /> : <Icon name={playing ? 'pause' : 'play'} size={56} />}
              </button>
              <button type="button" className="icon-btn kid-round" aria-label={t('kid.forward')} onClick={() => seekBy(15)}>
                <Icon name="forward" size={36} />
              </button>
            </div>
            <div className="kid-extras">
              <button type="button" className={`kid-sleep${sleepIndex ? ' on' : ''}`} aria-label={sleepIndex ? t('kid.sleepIn', { n: SLEEP_STEPS[sleepIndex]! }) : t('kid.sleepTimer')} onClick={cycleSleep}>
                <Icon name="moon" size={30} />
                {sleepIndex > 0 && (
                  <span className="kid-sleep-dots" aria-hidden="true">
                    {Array.from({ length: sleepIndex }, (_, i) => (
                      <span key={i} />
                    ))}
                  </span>
                )}
              </button>
              <label className="kid-volume">
                <Icon name="volume" size={28} />
                <span className="sr-only">{t('kid.volume')}</span>
                <input
                  type="range"
                  min={0}
                  max={maxVolume}
                  step={0.01}
                  value={volume}
                  onChange={(e) => {
                    const v = Number(e.target.value);
                    setVolume(v);
                    player.current?.setVolume(v);
                  }}
                />
              </label>
            </div>
          </>
        )}
      </div>
    </div>
  );
}

function KidBackButton({ onBack }: { onBack: () => void }) {
  const t = useT();
  return (
    <button type="button" className="icon-btn kid-back" aria-label={t('kid.back')} onClick={onBack}>
      <Icon name="back" size={36} />
    </button>
  );
}
