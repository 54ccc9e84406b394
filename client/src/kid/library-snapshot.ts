/**
 * The kid library as last shown, kept in localStorage so a cold start paints
 * it at once — before PGlite has restored the replica (about two seconds on
 * a tablet) — and is usable at once: it carries what the player needs (ids,
 * title, cover and audio, where to resume) and the limits last known (the
 * bedtime window, daily minutes and what was used today, the volume cap),
 * so a story whose audio is in Cache Storage plays from a tap on the boot
 * screen (KidBootApp.tsx). It is written from the replica
 * (library-snapshot-writer.ts), replaced by the live library as soon as the
 * replica answers, and removed on sign-out.
 */
import type { Policies } from '../../../shapes/policies.ts';

/** A story of the kid library, as KidApp.tsx lists it (`kidLibrarySql`). */
export interface LibraryStory {
  id: string;
  title: string;
  image_asset_id: string | null;
  audio_asset_id: string | null;
  duration_seconds: number | null;
  /** Downloaded for offline use when the snapshot was taken (the boot screen still checks Cache Storage). */
  offline: boolean;
}

export interface SnapshotStory extends LibraryStory {
  /** Where the player resumes (listening-recorder.ts `resumeFrom`). */
  resume_at: number;
}

export interface SnapshotLimits {
  bedtime: Policies['bedtime'];
  daily_listening_minutes: number | null;
  /** 0–100, as the policy. */
  max_volume: number;
}

export interface LibrarySnapshot {
  version: 2;
  userId: string;
  displayName: string;
  limits: SnapshotLimits;
  /** Seconds listened on `day` (local date, YYYY-MM-DD) when the snapshot was taken. */
  listenedToday: { day: string; seconds: number };
  stories: SnapshotStory[];
}

const KEY = 'talemo.kid-library.v2';
const OLD_KEYS = ['talemo.kid-library.v1'];

/** A local calendar day, as the daily minutes count it. */
export function localDay(at: Date): string {
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
}

export function saveLibrarySnapshot(snapshot: LibrarySnapshot): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(snapshot));
  } catch {
    // Storage full or disabled: the next cold start shows the splash instead.
  }
}

export function readLibrarySnapshot(): LibrarySnapshot | null {
  try {
    for (const old of OLD_KEYS) localStorage.removeItem(old);
    const raw = localStorage.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as LibrarySnapshot) : null;
    return parsed?.version === 2 && Array.isArray(parsed.stories) ? parsed : null;
  } catch {
    return null;
  }
}

export function clearLibrarySnapshot(): void {
  localStorage.removeItem(KEY);
  for (const old of OLD_KEYS) localStorage.removeItem(old);
}

let bootPick: string | null = null;

/** A story tapped on the boot library that cannot play before the app is ready (not cached): opened then. */
export function pickDuringBoot(storyId: string): void {
  bootPick = storyId;
}

export function takeBootPick(): string | null {
  const id = bootPick;
  bootPick = null;
  return id;
}
