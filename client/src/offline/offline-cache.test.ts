/**
 * A sign-out deletes the offline cache and it stays gone: nothing that reads,
 * lists or removes files brings it back, and a download that was in flight
 * when the viewer signed out stores nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { cacheStores, installMemoryCacheStorage } from './memory-cache-storage.test-support.ts';
import { audioPath, cachedPaths, clearOfflineCaches, coverPath, isCached, offlineGeneration, playableUrl, putFile, removeFile } from './offline-cache.ts';

installMemoryCacheStorage();
Object.assign(globalThis, { navigator: { serviceWorker: { controller: {} } } });

const bytes = (n: number) => new Blob([new Uint8Array(n)]);

beforeEach(() => cacheStores.clear());

describe('the offline cache', () => {
  it('stores a file and answers for it', async () => {
    expect(await putFile(audioPath('a'), bytes(8), 'audio/mpeg', offlineGeneration())).toBe(true);
    expect(await isCached(audioPath('a'))).toBe(true);
    expect(await playableUrl(audioPath('a'))).toBe(audioPath('a'));
    expect(await cachedPaths('/offline/audio/')).toEqual([audioPath('a')]);
    await removeFile(audioPath('a'));
    expect(await isCached(audioPath('a'))).toBe(false);
  });

  it('is not brought back, even empty, by reads, listings or removals after a sign-out', async () => {
    await putFile(audioPath('a'), bytes(8), 'audio/mpeg', offlineGeneration());
    await clearOfflineCaches();
    expect([...cacheStores.keys()]).toEqual([]);

    expect(await isCached(audioPath('a'))).toBe(false);
    expect(await playableUrl(coverPath('c'))).toBeNull();
    expect(await cachedPaths('/offline/audio/')).toEqual([]);
    await removeFile(audioPath('a'));
    expect([...cacheStores.keys()]).toEqual([]);
  });

  it('drops a download that was in flight when the viewer signed out', async () => {
    const since = offlineGeneration();
    // The download is on the wire; the viewer signs out; then the bytes arrive.
    await clearOfflineCaches();
    expect(await putFile(audioPath('a'), bytes(8), 'audio/mpeg', since)).toBe(false);
    expect([...cacheStores.keys()]).toEqual([]);

    // The next viewer's downloads are stored as usual.
    expect(await putFile(audioPath('b'), bytes(8), 'audio/mpeg', offlineGeneration())).toBe(true);
    expect(await cachedPaths('/offline/audio/')).toEqual([audioPath('b')]);
  });

  it('lets a sign-out that arrives while a listing or write is under way win', async () => {
    const since = offlineGeneration();
    const listing = cachedPaths('/offline/audio/');
    const write = putFile(audioPath('a'), bytes(8), 'audio/mpeg', since);
    const cleared = clearOfflineCaches();
    const late = removeFile(audioPath('a'));
    await Promise.all([listing, write, cleared, late]);
    expect([...cacheStores.keys()]).toEqual([]);
  });
});
