/**
 * The kid's player in the app. Plays the cached copy when the story is
 * available offline (through the service worker, with Range requests),
 * otherwise streams a signed URL. Listening is recorded as events in the
 * replica; bedtime, daily minutes and the volume cap apply offline. A story
 * already playing since the boot screen is adopted, not restarted.
 */
import { useEffect, useRef, useState } from 'react';
import type { Policies } from '../../../shapes/policies.ts';
import { apiFetch } from '../app/api.ts';
import { useMe } from '../app/session.tsx';
import { replicaSink, resumePosition } from '../audio/listening-recorder.ts';
import { useReplica } from '../db/replica-context.tsx';
import { useLiveQuery } from '../db/use-live-query.ts';
import { audioPath, playableUrl } from '../offline/offline-cache.ts';
import { Spinner } from '../ui/basics.tsx';
import { useCoverUrl } from '../ui/Cover.tsx';
import { discardBootPlayback, flushListeningQueue, peekBootPlayback, takeBootPlayback } from './boot-playback.ts';
import { KidPlayback, usePlaybackView, type PlaybackStory } from './kid-playback.ts';
import { KidBackButton, KidPlayerView } from './KidPlayerView.tsx';
import { KidRestScreen } from './KidRestScreen.tsx';

async function sourceFor(story: PlaybackStory): Promise<string | null> {
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

export function KidPlayer({
  storyId,
  onBack,
  policies,
  policiesReady,
  remainingSeconds,
  bedtime,
}: {
  storyId: string;
  onBack: () => void;
  policies: Policies;
  /** False while the policies are still the plan's defaults (the replica has not answered). */
  policiesReady: boolean;
  remainingSeconds: number;
  bedtime: boolean;
}) {
  const pg = useReplica();
  const me = useMe();
  const { rows, ready } = useLiveQuery<PlaybackStory>(`SELECT id, title, image_asset_id, audio_asset_id, duration_seconds FROM stories WHERE id = $1`, [storyId]);
  const [playback, setPlayback] = useState<KidPlayback | null>(() => (peekBootPlayback()?.story.id === storyId ? peekBootPlayback() : null));
  // Until the replica answers, a story playing since boot shows what the snapshot knew.
  const story = rows[0] ?? (ready ? undefined : playback?.story);
  const coverUrl = useCoverUrl(story?.image_asset_id ?? null);
  const artwork = useRef(coverUrl);
  artwork.current = coverUrl;
  const view = usePlaybackView(playback);
  const blocked = bedtime || remainingSeconds <= 0;
  const blockedNow = useRef(blocked);
  blockedNow.current = blocked;

  // One playback per story; a story that leaves the replica (hidden by a parent) closes the player.
  useEffect(() => {
    if (!ready) return;
    const row = rows[0];
    if (!row) {
      if (peekBootPlayback()?.story.id === storyId) discardBootPlayback();
      onBack();
      return;
    }
    let alive = true;
    const adopted = takeBootPlayback(row.id);
    let p: KidPlayback;
    if (adopted) {
      p = adopted;
      p.setSink(replicaSink(pg));
      void flushListeningQueue(pg, me.user.id).catch((err: unknown) => console.warn('[talemo] listening queue not written yet', err));
    } else {
      p = new KidPlayback(row, replicaSink(pg), { maxVolume: policies.max_volume / 100, artist: me.user.displayName });
      p.setBlocked(blockedNow.current);
      // Both are local (Cache Storage, the replica): ask for them together.
      void Promise.all([sourceFor(row), resumePosition(pg, row.id, me.user.id, row.duration_seconds)]).then(([src, startAt]) => {
        performance.mark('talemo:player-source');
        if (alive) p.start(src, startAt, { autoplay: true, artworkUrl: artwork.current });
      });
    }
    setPlayback(p);
    return () => {
      alive = false;
      p.stop();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one playback per story
  }, [ready, rows[0]?.id]);

  // Limits reached while playing: stop gently (and refuse to start while they hold).
  useEffect(() => playback?.setBlocked(blocked), [playback, blocked]);

  useEffect(() => {
    if (policiesReady) playback?.setMaxVolume(policies.max_volume / 100);
  }, [playback, policiesReady, policies.max_volume]);

  if (!story) return <Spinner />;
  if (blocked)
    return (
      <div className="kid-shell">
        <KidBackButton onBack={onBack} />
        <KidRestScreen kind={bedtime ? 'bedtime' : 'limit'} />
      </div>
    );
  return <KidPlayerView title={story.title} imageAssetId={story.image_asset_id} view={view} playback={playback} onBack={onBack} />;
}
