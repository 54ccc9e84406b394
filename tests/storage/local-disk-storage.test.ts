/**
 * Local disk storage against a temporary directory: the shared contract, plus
 * what only the disk backend promises (where files land, no partial files
 * left, racing writers, healing a damaged file).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { createAssetStorage, LocalDiskStorage } from '../../server/storage/index.ts';
import { describeAssetStorageContract, readAll } from './asset-storage-contract.ts';

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-assets-'));
}

describeAssetStorageContract('local disk', async () => {
  const root = tempRoot();
  return { storage: new LocalDiskStorage(root), teardown: async () => fs.rmSync(root, { recursive: true, force: true }) };
});

describe('local disk storage', () => {
  let root: string;
  let storage: LocalDiskStorage;
  beforeAll(() => {
    root = tempRoot();
    storage = new LocalDiskStorage(root);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is the default, under the data directory’s assets/', () => {
    const cwd = tempRoot();
    const chosen = createAssetStorage(loadConfig({ TALEMO_DATA_DIR: 'data' }, cwd).storage);
    expect(chosen).toBeInstanceOf(LocalDiskStorage);
    expect((chosen as LocalDiskStorage).root).toBe(path.join(cwd, 'data', 'assets'));
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('puts the file at the key’s path and leaves no partial file behind', async () => {
    const tenant = randomUUID();
    const bytes = randomBytes(500);
    const { key } = await storage.put({ tenantId: tenant, mimeType: 'audio/mpeg', bytes });
    expect(fs.readFileSync(path.join(root, ...key.split('/'))).equals(bytes)).toBe(true);
    expect(fs.readdirSync(path.join(root, '.partial'))).toEqual([]);
  });

  it('lets exactly one of several racing writers of the same bytes create the file', async () => {
    const tenant = randomUUID();
    const bytes = randomBytes(200_000);
    const results = await Promise.all(Array.from({ length: 6 }, () => storage.put({ tenantId: tenant, mimeType: 'image/png', bytes })));
    expect(new Set(results.map((r) => r.key)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await storage.usage(tenant)).toEqual({ objects: 1, bytes: 200_000 });
    expect(fs.readdirSync(path.join(root, '.partial'))).toEqual([]);
  });

  it('replaces a truncated file found under a content-hash key', async () => {
    const tenant = randomUUID();
    const bytes = randomBytes(1000);
    const { key } = await storage.put({ tenantId: tenant, mimeType: 'audio/mpeg', bytes });
    fs.truncateSync(path.join(root, ...key.split('/')), 10);
    const again = await storage.put({ tenantId: tenant, mimeType: 'audio/mpeg', bytes });
    expect(again.created).toBe(true);
    expect((await readAll((await storage.get(key)).body)).equals(bytes)).toBe(true);
  });

  it('does not count stray files that are not asset keys', async () => {
    const tenant = randomUUID();
    await storage.put({ tenantId: tenant, mimeType: 'audio/mpeg', bytes: randomBytes(10) });
    fs.writeFileSync(path.join(root, 'tenants', tenant, 'audio', 'notes.txt'), 'not an asset');
    expect(await storage.usage(tenant)).toEqual({ objects: 1, bytes: 10 });
  });
});
