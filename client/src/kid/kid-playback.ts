/**
 * One story playing on a kid device, outside React: the howler player, the
 * listening events it produces (every PROGRESS_EVERY_SECONDS of playback, and
 * on start, pause, seek, end), the sleep timer and the limits. Screens show
 * it through `usePlaybackView`.
 *
 * It lives outside React because the same playback may start on the boot
 * screen (painted from the library snapshot before the replica opens) and
 * carry on, uninterrupted, in the app once it has: the app adopts it and
 * points its events at the replica (`setSink`).
 */
import { useSyncExternalStore } from 'react';
import { PROGRESS_EVERY_SECONDS, type ListeningSink } from '../audio/listening-recorder.ts';
import { setMediaSession, setPlaybackState } from '../audio/media-session.ts';
import { StoryPlayer } from '../audio/story-player.ts';
import { SLEEP_FADE_MS, SleepTimer } from './sleep-timer.ts';

export interface PlaybackStory {
  id: string;
  title: string;
  image_asset_id: string | null;
  audio_asset_id: string | null;
  duration_seconds: number | null;
}

export interface PlaybackView {
  state: 'loading' | 'ready' | 'unavailable';
  playing: boolean;
  position: number;
  duration: number;
  volume: number;
  maxVolume: number;
  sleepIndex: number;
}

/** How long a limit reached mid-story takes to fade out. */
const LIMIT_FADE_MS = 1_500;
const CLOCK_MS = 250;

export class KidPlayback {
  readonly story: PlaybackStory;
  readonly sleep = new SleepTimer();
  #sink: ListeningSink;
  #player: StoryPlayer | null = null;
  #view: PlaybackView;
  #listeners = new Set<() => void>();
  #listened = { sinceProgress: 0, started: false, lastPos: 0 };
  #startAt = 0;
  #blocked = false;
  #clock: ReturnType<typeof setInterval> | undefined;
  #endMediaSession = () => {};
  #stopped = false;
  readonly #fadeMs: number;
  readonly #artist: string;

  constructor(story: PlaybackStory, sink: ListeningSink, options: { maxVolume: number; artist: string; fadeMs?: number }) {
    this.story = story;
    this.#sink = sink;
    this.#artist = options.artist;
    this.#fadeMs = options.fadeMs ?? SLEEP_FADE_MS;
    this.#view = { state: 'loading', playing: false, position: 0, duration: story.duration_seconds ?? 0, volume: options.maxVolume, maxVolume: options.maxVolume, sleepIndex: 0 };
  }

  /**
   * Loads `src` (null: nothing playable here) at `startAt` and plays it
   * unless a limit blocks playback.
   */
  start(src: string | null, startAt: number, options: { autoplay: boolean; artworkUrl?: string | null }): void {
    if (this.#stopped || this.#player) return;
    if (!src) return this.#update({ state: 'unavailable' });
    this.#startAt = startAt;
    this.#listened.lastPos = startAt;
    const p = new StoryPlayer(
      src,
      {
        onLoad: (d) => {
          performance.mark('talemo:player-loaded');
          this.#update({ duration: d || this.#view.duration, state: 'ready' });
        },
        onPlay: () => {
          performance.mark('talemo:player-playing');
          this.#update({ playing: true });
          setPlaybackState(true);
          const kind = this.#listened.started || this.#startAt > 0 ? 'resume' : 'start';
          this.#listened.started = true;
          this.#sink.record(this.story.id, kind, p.position);
        },
        onPause: () => {
          this.#update({ playing: false });
          setPlaybackState(false);
          this.#sink.record(this.story.id, 'pause', p.position);
        },
        onEnd: () => {
          this.#update({ playing: false, position: p.duration });
          setPlaybackState(false);
          this.#sink.record(this.story.id, 'complete', p.duration);
        },
        onError: () => this.#update({ state: this.#view.state === 'loading' ? 'unavailable' : this.#view.state }),
      },
      { maxVolume: this.#view.maxVolume, volume: this.#view.volume, startAt },
    );
    this.#player = p;
    this.#update({ position: startAt });
    this.#endMediaSession = setMediaSession(
      { title: this.story.title, artist: this.#artist, artworkUrl: options.artworkUrl ?? null },
      { play: () => this.play(), pause: () => p.pause(), seekBy: (s) => this.seekBy(s) },
    );
    this.#clock = setInterval(() => this.tick(Date.now()), CLOCK_MS);
    if (options.autoplay && !this.#blocked) p.play();
  }

  /** Where listening events go from now on (the app adopting a boot playback). */
  setSink(sink: ListeningSink): void {
    this.#sink = sink;
  }

  get view(): PlaybackView {
    return this.#view;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  play(): void {
    if (!this.#blocked) this.#player?.play();
  }

  toggle(): void {
    const p = this.#player;
    if (!p) return;
    if (p.playing) p.pause();
    else this.play();
  }

  seekBy(seconds: number): void {
    const p = this.#player;
    if (!p) return;
    p.seek(p.position + seconds);
    this.#listened.lastPos = p.position;
    this.#update({ position: p.position });
    this.#sink.record(this.story.id, 'seek', p.position);
  }

  setVolume(v: number): void {
    this.#player?.setVolume(v);
    this.#update({ volume: Math.min(Math.max(0, v), this.#view.maxVolume) });
  }

  /** The max_volume policy, 0..1; a lower cap lowers the volume at once. */
  setMaxVolume(max: number): void {
    this.#player?.setMaxVolume(max);
    this.#update({ maxVolume: max, volume: Math.min(this.#view.volume, max) });
  }

  /** Bedtime or the daily minutes: reached while playing, the story fades out; while blocked, it will not play. */
  setBlocked(blocked: boolean): void {
    this.#blocked = blocked;
    if (blocked && this.#player?.playing) void this.#player.fadeOutAndPause(LIMIT_FADE_MS);
  }

  cycleSleep(now: number): void {
    this.sleep.cycle(now);
    this.#update({ sleepIndex: this.sleep.index });
  }

  /** The clock (every 250 ms): position, progress events, the sleep timer. */
  tick(now: number): void {
    const p = this.#player;
    if (!p) return;
    const pos = p.position;
    if (p.playing) {
      const delta = pos - this.#listened.lastPos;
      if (delta > 0 && delta < 2) this.#listened.sinceProgress += delta;
      if (this.#listened.sinceProgress >= PROGRESS_EVERY_SECONDS) {
        this.#listened.sinceProgress -= PROGRESS_EVERY_SECONDS;
        this.#sink.record(this.story.id, 'progress', pos);
      }
    }
    this.#listened.lastPos = pos;
    if (this.sleep.takeDue(now) && p.playing) void p.fadeOutAndPause(this.#fadeMs);
    this.#update({ position: pos, sleepIndex: this.sleep.index });
  }

  /** Leaves the story: a `stop` event if it was playing, then the player is unloaded. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#clock);
    const p = this.#player;
    if (p?.playing) this.#sink.record(this.story.id, 'stop', p.position);
    this.#endMediaSession();
    p?.unload();
    this.#player = null;
    setPlaybackState(false);
  }

  #update(patch: Partial<PlaybackView>): void {
    const next = { ...this.#view, ...patch };
    if ((Object.keys(patch) as Array<keyof PlaybackView>).every((k) => next[k] === this.#view[k])) return;
    this.#view = next;
    for (const l of this.#listeners) l();
  }
}

const IDLE_VIEW: PlaybackView = { state: 'loading', playing: false, position: 0, duration: 0, volume: 1, maxVolume: 1, sleepIndex: 0 };
const noSubscription = () => () => {};

/** The playback's state for rendering; re-renders on every change. */
export function usePlaybackView(playback: KidPlayback | null): PlaybackView {
  return useSyncExternalStore(playback ? playback.subscribe : noSubscription, () => playback?.view ?? IDLE_VIEW);
}
