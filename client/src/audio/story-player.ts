/**
 * One story's playback with howler in html5 mode (streams, and plays the
 * service worker's cached copy through ordinary Range requests). Volume is
 * capped by the max_volume policy; a fade-out serves the sleep timer.
 */
import { Howl } from 'howler';

export interface PlayerEvents {
  onPlay?: () => void;
  onPause?: () => void;
  onEnd?: () => void;
  onLoad?: (duration: number) => void;
  onError?: (message: string) => void;
}

export class StoryPlayer {
  #howl: Howl;
  #maxVolume: number;
  #volume: number;
  #fadeTimer?: ReturnType<typeof setTimeout>;

  constructor(src: string, events: PlayerEvents, options: { maxVolume: number; volume?: number; startAt?: number }) {
    this.#maxVolume = clamp01(options.maxVolume);
    this.#volume = Math.min(options.volume ?? this.#maxVolume, this.#maxVolume);
    let seeked = false;
    this.#howl = new Howl({
      src: [src],
      html5: true,
      // Offline and signed URLs carry no file extension.
      format: ['mp3', 'mpeg'],
      volume: this.#volume,
      preload: true,
      onload: () => {
        if (!seeked && options.startAt) this.#howl.seek(options.startAt);
        seeked = true;
        events.onLoad?.(this.#howl.duration());
      },
      onplay: () => events.onPlay?.(),
      onpause: () => events.onPause?.(),
      onend: () => events.onEnd?.(),
      onloaderror: (_id, err) => events.onError?.(String(err)),
      onplayerror: (_id, err) => events.onError?.(String(err)),
    });
  }

  play(): void {
    if (!this.#howl.playing()) this.#howl.play();
  }

  pause(): void {
    this.#howl.pause();
  }

  get playing(): boolean {
    return this.#howl.playing();
  }

  get position(): number {
    const p = this.#howl.seek();
    return typeof p === 'number' ? p : 0;
  }

  get duration(): number {
    return this.#howl.duration();
  }

  seek(seconds: number): void {
    this.#howl.seek(Math.max(0, Math.min(seconds, this.duration || seconds)));
  }

  /** 0..1, never above the policy's maximum. */
  setVolume(v: number): void {
    this.#volume = Math.min(clamp01(v), this.#maxVolume);
    this.#howl.volume(this.#volume);
  }

  setMaxVolume(max: number): void {
    this.#maxVolume = clamp01(max);
    if (this.#volume > this.#maxVolume) this.setVolume(this.#maxVolume);
  }

  get volume(): number {
    return this.#volume;
  }

  /** Fades to silence over `ms`, pauses, and restores the volume for next time. */
  fadeOutAndPause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const from = this.#volume;
      this.#howl.fade(from, 0, ms);
      this.#fadeTimer = setTimeout(() => {
        this.#howl.pause();
        this.#howl.volume(from);
        resolve();
      }, ms);
    });
  }

  unload(): void {
    clearTimeout(this.#fadeTimer);
    this.#howl.unload();
  }
}

function clamp01(v: number): number {
  return Math.max(0, Math.min(1, v));
}
