/** A compact player for adults: preview a story (cached copy or stream). */
import { useEffect, useRef, useState } from 'react';
import { apiFetch } from '../app/api.ts';
import { useT } from '../i18n/i18n.tsx';
import { audioPath, playableUrl } from '../offline/offline-cache.ts';
import { Icon } from '../ui/icons.tsx';
import { setMediaSession, setPlaybackState } from './media-session.ts';
import { StoryPlayer } from './story-player.ts';

export function PreviewPlayer({ storyId, audioAssetId, title }: { storyId: string; audioAssetId: string; title: string }) {
  const t = useT();
  const player = useRef<StoryPlayer | null>(null);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [duration, setDuration] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => () => player.current?.unload(), []);
  useEffect(() => {
    const tick = setInterval(() => player.current && setPosition(player.current.position), 500);
    return () => clearInterval(tick);
  }, []);

  const toggle = async () => {
    if (!player.current) {
      const src = (await playableUrl(audioPath(storyId))) ?? (await apiFetch<{ url: string }>(`/api/assets/${audioAssetId}/download`).then((s) => s.url).catch(() => null));
      if (!src) return setError(t('common.needsConnection'));
      player.current = new StoryPlayer(
        src,
        {
          onLoad: setDuration,
          onPlay: () => {
            setPlaying(true);
            setPlaybackState(true);
          },
          onPause: () => {
            setPlaying(false);
            setPlaybackState(false);
          },
          onEnd: () => setPlaying(false),
          onError: (m) => setError(m),
        },
        { maxVolume: 1 },
      );
      const p = player.current;
      setMediaSession({ title, artist: 'Talemo' }, { play: () => p.play(), pause: () => p.pause(), seekBy: (s) => p.seek(p.position + s) });
      p.play();
      return;
    }
    if (player.current.playing) player.current.pause();
    else player.current.play();
  };
  const fmt = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  return (
    <div className="preview-player">
      <button type="button" className="preview-play" aria-label={playing ? t('kid.pause') : t('story.listen')} onClick={() => void toggle()}>
        <Icon name={playing ? 'pause' : 'play'} size={28} />
      </button>
      <div className="preview-track">
        <input
          type="range"
          min={0}
          max={duration || 1}
          step={1}
          value={position}
          aria-label={title}
          onChange={(e) => {
            player.current?.seek(Number(e.target.value));
            setPosition(Number(e.target.value));
          }}
        />
        <span className="muted preview-time">
          {fmt(position)} / {duration ? fmt(duration) : '–:––'}
        </span>
      </div>
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
