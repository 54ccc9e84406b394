/**
 * The kid player's sleep timer: each tap moves off → 10 → 20 → 30 minutes →
 * off; when the time is up the story fades to silence over SLEEP_FADE_MS
 * and pauses (kid-playback.ts).
 */

export const SLEEP_STEPS = [0, 10, 20, 30] as const;
export const SLEEP_FADE_MS = 8_000;

export class SleepTimer {
  #index = 0;
  #endsAt: number | null = null;

  /** 0 when off, else the position in SLEEP_STEPS. */
  get index(): number {
    return this.#index;
  }

  get minutes(): number {
    return SLEEP_STEPS[this.#index]!;
  }

  get endsAt(): number | null {
    return this.#endsAt;
  }

  /** The next step, counted from `now`. */
  cycle(now: number): void {
    this.#index = (this.#index + 1) % SLEEP_STEPS.length;
    this.#endsAt = this.minutes ? now + this.minutes * 60_000 : null;
  }

  /** True once, when the time is up; the timer is then off again. */
  takeDue(now: number): boolean {
    if (this.#endsAt === null || now < this.#endsAt) return false;
    this.#index = 0;
    this.#endsAt = null;
    return true;
  }
}
