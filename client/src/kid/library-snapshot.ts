/**
 * The kid library as last shown, kept in localStorage so a cold start paints
 * it at once — before PGlite has restored the replica (about a second on a
 * tablet). It is a boot placeholder only: it is written from the live query,
 * replaced by it as soon as the replica answers, and removed on sign-out.
 */
export interface LibrarySnapshot {
  userId: string;
  displayName: string;
  stories: Array<{ id: string; title: string; image_asset_id: string | null; offline: boolean }>;
}

const KEY = 'talemo.kid-library.v1';

export function saveLibrarySnapshot(snapshot: LibrarySnapshot): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(snapshot));
  } catch {
    // Storage full or disabled: the next cold start shows the splash instead.
  }
}

export function readLibrarySnapshot(): LibrarySnapshot | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as LibrarySnapshot) : null;
  } catch {
    return null;
  }
}

export function clearLibrarySnapshot(): void {
  localStorage.removeItem(KEY);
}

let bootPick: string | null = null;

/** A story tapped on the boot library, opened once the app is ready. */
export function pickDuringBoot(storyId: string): void {
  bootPick = storyId;
}

export function takeBootPick(): string | null {
  const id = bootPick;
  bootPick = null;
  return id;
}
