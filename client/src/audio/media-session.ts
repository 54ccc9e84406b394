/** Lock-screen and headset controls (Media Session API), where the browser has them. */

export interface MediaHandlers {
  play: () => void;
  pause: () => void;
  seekBy: (seconds: number) => void;
}

export function setMediaSession(meta: { title: string; artist: string; artworkUrl?: string | null }, handlers: MediaHandlers): () => void {
  if (!('mediaSession' in navigator)) return () => {};
  const ms = navigator.mediaSession;
  ms.metadata = new MediaMetadata({
    title: meta.title,
    artist: meta.artist,
    album: 'Talemo',
    artwork: meta.artworkUrl ? [{ src: meta.artworkUrl, sizes: '512x512' }] : [{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' }],
  });
  const set = (action: MediaSessionAction, handler: MediaSessionActionHandler | null) => {
    try {
      ms.setActionHandler(action, handler);
    } catch {
      // An action this browser does not support.
    }
  };
  set('play', () => handlers.play());
  set('pause', () => handlers.pause());
  set('seekbackward', (d) => handlers.seekBy(-(d.seekOffset ?? 15)));
  set('seekforward', (d) => handlers.seekBy(d.seekOffset ?? 15));
  return () => {
    for (const a of ['play', 'pause', 'seekbackward', 'seekforward'] as MediaSessionAction[]) set(a, null);
    ms.metadata = null;
  };
}

export function setPlaybackState(playing: boolean): void {
  if ('mediaSession' in navigator) navigator.mediaSession.playbackState = playing ? 'playing' : 'paused';
}
