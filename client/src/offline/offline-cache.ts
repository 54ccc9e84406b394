/**
 * Where offline files live: Cache Storage, under stable same-origin URLs the
 * service worker answers (with Range support for audio), so a story plays
 * with no network and no signed URL:
 *
 *   /offline/audio/<story id>   the story's narration, whole
 *   /offline/cover/<asset id>   a cover image
 */
export const OFFLINE_CACHE = 'talemo-offline-v1';

export const audioPath = (storyId: string) => `/offline/audio/${storyId}`;
export const coverPath = (assetId: string) => `/offline/cover/${assetId}`;

export async function openOfflineCache(): Promise<Cache> {
  return caches.open(OFFLINE_CACHE);
}

export async function isCached(path: string): Promise<boolean> {
  if (!('caches' in self)) return false;
  const cache = await openOfflineCache();
  return (await cache.match(path)) !== undefined;
}

export async function putFile(path: string, blob: Blob, mimeType: string): Promise<void> {
  const cache = await openOfflineCache();
  await cache.put(path, new Response(blob, { headers: { 'content-type': mimeType, 'content-length': String(blob.size) } }));
}

export async function removeFile(path: string): Promise<void> {
  const cache = await openOfflineCache();
  await cache.delete(path);
}

/** Every cached path under a prefix ("/offline/audio/", "/offline/cover/"). */
export async function cachedPaths(prefix: string): Promise<string[]> {
  const cache = await openOfflineCache();
  const keys = await cache.keys();
  return keys.map((r) => new URL(r.url).pathname).filter((p) => p.startsWith(prefix));
}

/**
 * A URL the <audio>/<img> element can load: the service worker's path when a
 * worker controls the page, otherwise a blob URL of the cached copy (the very
 * first visit, before the worker took over).
 */
export async function playableUrl(path: string): Promise<string | null> {
  const cache = await openOfflineCache();
  const hit = await cache.match(path);
  if (!hit) return null;
  if (navigator.serviceWorker?.controller) return path;
  return URL.createObjectURL(await hit.blob());
}

/** Sign-out: downloads and cached covers leave the device with the replica. */
export async function clearOfflineCaches(): Promise<void> {
  if (!('caches' in self)) return;
  for (const name of await caches.keys()) if (name.startsWith('talemo-offline')) await caches.delete(name);
}
