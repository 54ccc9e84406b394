/**
 * Where offline files live: Cache Storage, under stable same-origin URLs the
 * service worker answers (with Range support for audio), so a story plays
 * with no network and no signed URL:
 *
 *   /offline/audio/<story id>   the story's narration, whole
 *   /offline/cover/<asset id>   a cover image
 *
 * A sign-out deletes the cache, and it must stay gone. Two rules keep it so:
 *
 * - Only a write creates the cache. Reads answer through `caches.match`,
 *   which never creates one; listings and removals go through the cache only
 *   when it exists (`caches.open` would bring back an empty one).
 * - A write carries the generation it began in (`offlineGeneration()`, read
 *   before the download starts). Every clear starts a new generation, so a
 *   download that was still in flight when the viewer signed out is dropped
 *   instead of landing in a fresh cache.
 *
 * Within a page, clears, writes, listings and removals run one at a time, so
 * none of them can slip between another's "does it exist" and its use.
 */
export const OFFLINE_CACHE = 'talemo-offline-v1';

export const audioPath = (storyId: string) => `/offline/audio/${storyId}`;
export const coverPath = (assetId: string) => `/offline/cover/${assetId}`;

let generation = 0;
let turn: Promise<unknown> = Promise.resolve();

/** Runs `task` after every earlier clear, write, listing and removal of this page. */
function inTurn<T>(task: () => Promise<T>): Promise<T> {
  const run = turn.then(task);
  turn = run.catch(() => {});
  return run;
}

/** The offline cache if it exists; never creates it. Call inside `inTurn`. */
async function existingCache(): Promise<Cache | null> {
  if (!('caches' in self) || !(await caches.has(OFFLINE_CACHE))) return null;
  return caches.open(OFFLINE_CACHE);
}

/** Read before a download starts and hand to `putFile`: a sign-out in between makes the write a no-op. */
export function offlineGeneration(): number {
  return generation;
}

async function cachedResponse(path: string): Promise<Response | undefined> {
  if (!('caches' in self)) return undefined;
  return caches.match(path, { cacheName: OFFLINE_CACHE });
}

export async function isCached(path: string): Promise<boolean> {
  return (await cachedResponse(path)) !== undefined;
}

/** Stores a downloaded file; false (and nothing stored) when the device was cleared since `since`. */
export function putFile(path: string, blob: Blob, mimeType: string, since: number): Promise<boolean> {
  return inTurn(async () => {
    if (since !== generation) return false;
    const cache = await caches.open(OFFLINE_CACHE);
    await cache.put(path, new Response(blob, { headers: { 'content-type': mimeType, 'content-length': String(blob.size) } }));
    return true;
  });
}

export function removeFile(path: string): Promise<void> {
  return inTurn(async () => {
    await (await existingCache())?.delete(path);
  });
}

/** Every cached path under a prefix ("/offline/audio/", "/offline/cover/"). */
export function cachedPaths(prefix: string): Promise<string[]> {
  return inTurn(async () => {
    const keys = (await (await existingCache())?.keys()) ?? [];
    return keys.map((r) => new URL(r.url).pathname).filter((p) => p.startsWith(prefix));
  });
}

/**
 * A URL the <audio>/<img> element can load: the service worker's path when a
 * worker controls the page, otherwise a blob URL of the cached copy (the very
 * first visit, before the worker took over).
 */
export async function playableUrl(path: string): Promise<string | null> {
  const hit = await cachedResponse(path);
  if (!hit) return null;
  if (navigator.serviceWorker?.controller) return path;
  return URL.createObjectURL(await hit.blob());
}

/**
 * Sign-out (here or in another tab): downloads and cached covers leave the
 * device with the replica, and writes begun before now are dropped.
 */
export function clearOfflineCaches(): Promise<void> {
  generation += 1;
  return inTurn(async () => {
    if (!('caches' in self)) return;
    for (const name of await caches.keys()) if (name.startsWith('talemo-offline')) await caches.delete(name);
  });
}
