/**
 * Over its offline budget, a device removes finished stories' audio: those
 * the kid finished after the file was saved, automatic downloads before
 * chosen ones, least recently played first, and only until it is back under
 * budget. Unfinished stories are never removed. The replica is a real device
 * PGlite; Cache Storage, which Node lacks, is a small in-memory one with the
 * browser's semantics for the calls used (memory-cache-storage.test-support.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bindViewer } from '../../../sync/device/device-meta.ts';
import { openDeviceDatabase, type DeviceDatabase } from '../../../sync/device/device-database.ts';
import { recordListening } from '../audio/listening-recorder.ts';
import { flushListeningQueue, queueSink } from '../kid/boot-playback.ts';
import type { Replica } from '../db/replica.ts';
import { enforceBudget } from './offline-housekeeping.ts';
import { cacheStores, installMemoryCacheStorage } from './memory-cache-storage.test-support.ts';
import { audioPath, cachedPaths, offlineGeneration, putFile } from './offline-cache.ts';

installMemoryCacheStorage();
/** localStorage, for the boot screen's listening queue. */
const stored = new Map<string, string>();
Object.assign(globalThis, {
  localStorage: { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v), removeItem: (k: string) => void stored.delete(k) },
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-budget-'));
const kid = { userId: '33333333-3333-4333-8333-333333333333', tenantId: '11111111-1111-4111-8111-111111111111', kind: 'kid' as const, displayName: 'Lou' };
const MB = 1024 * 1024;
const policy = { enabled: true, max_stories: 10, max_megabytes: 10 };
let pg: DeviceDatabase;
const replica = () => pg as unknown as Replica;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

interface Saved {
  id: string;
  megabytes: number;
  automatic: boolean;
  savedAgo: number;
  playedAgo?: number;
  /** Minutes ago the kid finished it; after a save, it counts as finished. */
  finishedAgo?: number;
}

async function save(files: Saved[]): Promise<void> {
  for (const f of files) {
    await pg.query(
      `INSERT INTO offline_files (story_id, status, bytes_total, bytes_done, automatic, ready_at, last_played_at)
       VALUES ($1, 'ready', $2, $2, $3, $4, $5)`,
      [f.id, f.megabytes * MB, f.automatic, ago(f.savedAgo), f.playedAgo === undefined ? null : ago(f.playedAgo)],
    );
    await putFile(audioPath(f.id), new Blob([new Uint8Array(16)]), 'audio/mpeg', offlineGeneration());
    if (f.finishedAgo !== undefined) await recordListening(replica(), f.id, 'complete', 60, ago(f.finishedAgo));
  }
}

async function kept(): Promise<string[]> {
  const rows = (await pg.query<{ story_id: string }>(`SELECT story_id FROM offline_files ORDER BY story_id`)).rows.map((r) => r.story_id);
  const cached = (await cachedPaths('/offline/audio/')).map((p) => p.split('/').pop()!).sort();
  expect(cached, 'the cache and the table agree').toEqual(rows);
  return rows;
}

/** Story ids are new in every test: listening events are append-only, so earlier tests' stay. */
let run = 0;
const id = (n: number) => `00000000-0000-4000-8000-${String(run * 10 + n).padStart(12, '0')}`;

beforeAll(async () => {
  pg = await openDeviceDatabase(dir);
  await bindViewer(pg, kid);
}, 60_000);

beforeEach(async () => {
  run++;
  await pg.query('DELETE FROM offline_files');
  cacheStores.clear();
});

afterAll(async () => {
  await pg?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('over the offline budget', () => {
  it('removes finished stories, automatic ones and the least recently played first, only until under budget', async () => {
    await save([
      { id: id(1), megabytes: 4, automatic: false, savedAgo: 100, playedAgo: 90, finishedAgo: 80 },
      { id: id(2), megabytes: 4, automatic: true, savedAgo: 100, playedAgo: 50, finishedAgo: 40 },
      { id: id(3), megabytes: 4, automatic: true, savedAgo: 100, playedAgo: 70, finishedAgo: 60 },
      { id: id(4), megabytes: 4, automatic: true, savedAgo: 100, playedAgo: 10 },
    ]);
    // 16 MB against 10: two finished automatic downloads go, the oldest played first (3, then 2).
    await enforceBudget(replica(), policy, kid.userId);
    expect(await kept()).toEqual([id(1), id(4)]);
  });

  it('counts a story played on the boot screen, before the replica opened, as just played', async () => {
    await save([
      { id: id(1), megabytes: 4, automatic: true, savedAgo: 100, playedAgo: 90 },
      { id: id(2), megabytes: 4, automatic: true, savedAgo: 100, playedAgo: 50, finishedAgo: 40 },
      { id: id(3), megabytes: 4, automatic: true, savedAgo: 100, playedAgo: 10, finishedAgo: 5 },
    ]);
    // Played to the end from the boot screen; its events reach the replica when it opens.
    const boot = queueSink(kid.userId);
    boot.record(id(1), 'start', 0);
    await new Promise((r) => setTimeout(r, 5));
    boot.record(id(1), 'complete', 60);
    expect(await flushListeningQueue(replica(), kid.userId)).toBe(2);
    // 12 MB against 10: one finished story goes, and story 1 was played last.
    await enforceBudget(replica(), policy, kid.userId);
    expect(await kept()).toEqual([id(1), id(3)]);
  });

  it('never removes a story the kid has not finished, even when still over budget', async () => {
    await save([
      { id: id(1), megabytes: 8, automatic: true, savedAgo: 100, playedAgo: 5 },
      { id: id(2), megabytes: 8, automatic: false, savedAgo: 100 },
    ]);
    await enforceBudget(replica(), policy, kid.userId);
    expect(await kept()).toEqual([id(1), id(2)]);
  });

  it('keeps a story saved again on purpose after it was finished', async () => {
    await save([
      { id: id(1), megabytes: 8, automatic: false, savedAgo: 5, finishedAgo: 30 },
      { id: id(2), megabytes: 8, automatic: true, savedAgo: 100, finishedAgo: 20 },
    ]);
    await enforceBudget(replica(), policy, kid.userId);
    expect(await kept()).toEqual([id(1)]);
  });

  it('removes nothing within budget', async () => {
    await save([
      { id: id(1), megabytes: 4, automatic: true, savedAgo: 100, finishedAgo: 50 },
      { id: id(2), megabytes: 4, automatic: true, savedAgo: 100, finishedAgo: 40 },
    ]);
    await enforceBudget(replica(), policy, kid.userId);
    expect(await kept()).toEqual([id(1), id(2)]);
  });
});
