/**
 * The behaviour every AssetStorage backend must share, run against each one
 * by its own suite (local disk, S3 through the fake server).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetStorage } from '../../server/storage/index.ts';
import {
  AssetNotFoundError,
  InvalidAssetContentError,
  InvalidAssetKeyError,
  RangeNotSatisfiableError,
  UnsupportedMediaTypeError,
} from '../../server/storage/index.ts';

export interface StorageUnderTest {
  storage: AssetStorage;
  teardown(): Promise<void>;
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export function describeAssetStorageContract(name: string, setup: () => Promise<StorageUnderTest>): void {
  describe(`${name}: the AssetStorage contract`, () => {
    let subject: StorageUnderTest;
    let storage: AssetStorage;
    const tenantA = randomUUID();
    const tenantB = randomUUID();

    beforeAll(async () => {
      subject = await setup();
      storage = subject.storage;
    });
    afterAll(async () => {
      await subject?.teardown();
    });

    it('stores bytes under a key made from the tenant, type and content hash, and reads them back', async () => {
      const bytes = randomBytes(4096);
      const sha = createHash('sha256').update(bytes).digest('hex');
      const stored = await storage.put({ tenantId: tenantA, mimeType: 'audio/mpeg', bytes });
      expect(stored).toEqual({ key: `tenants/${tenantA}/audio/${sha}.mp3`, tenantId: tenantA, type: 'audio', mimeType: 'audio/mpeg', sizeBytes: 4096, sha256: sha, created: true });
      const read = await storage.get(stored.key);
      expect(read.range).toBeNull();
      expect(read.contentLength).toBe(4096);
      expect(read.stat).toMatchObject({ key: stored.key, sizeBytes: 4096, mimeType: 'audio/mpeg' });
      expect((await readAll(read.body)).equals(bytes)).toBe(true);
      expect(await storage.stat(stored.key)).toMatchObject({ sizeBytes: 4096, mimeType: 'audio/mpeg' });
    });

    it('writes the same bytes once: same key, created false, one object counted', async () => {
      const tenant = randomUUID();
      const bytes = randomBytes(1000);
      const first = await storage.put({ tenantId: tenant, mimeType: 'image/png', bytes });
      const second = await storage.put({ tenantId: tenant, mimeType: 'image/png', bytes: Buffer.from(bytes) });
      expect(second.key).toBe(first.key);
      expect([first.created, second.created]).toEqual([true, false]);
      expect(await storage.usage(tenant)).toEqual({ objects: 1, bytes: 1000 });
      const other = await storage.put({ tenantId: tenant, mimeType: 'image/png', bytes: randomBytes(1000) });
      expect(other.key).not.toBe(first.key);
      expect(await storage.usage(tenant)).toEqual({ objects: 2, bytes: 2000 });
    });

    it('keeps the same bytes of two tenants apart', async () => {
      const bytes = randomBytes(64);
      const a = await storage.put({ tenantId: tenantA, mimeType: 'image/webp', bytes });
      const b = await storage.put({ tenantId: tenantB, mimeType: 'image/webp', bytes });
      expect(a.key.startsWith(`tenants/${tenantA}/image/`)).toBe(true);
      expect(b.key.startsWith(`tenants/${tenantB}/image/`)).toBe(true);
      expect(b.created).toBe(true);
    });

    it('serves byte ranges: bounded, open-ended, suffix, clamped, and refuses one past the end', async () => {
      const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
      const { key } = await storage.put({ tenantId: tenantA, mimeType: 'audio/ogg', bytes });

      const bounded = await storage.get(key, { range: { start: 10, end: 19 } });
      expect(bounded.range).toEqual({ start: 10, end: 19 });
      expect(bounded.contentLength).toBe(10);
      expect(bounded.stat.sizeBytes).toBe(300);
      expect((await readAll(bounded.body)).equals(bytes.subarray(10, 20))).toBe(true);

      const open = await storage.get(key, { range: { start: 290 } });
      expect(open.range).toEqual({ start: 290, end: 299 });
      expect((await readAll(open.body)).equals(bytes.subarray(290))).toBe(true);

      const suffix = await storage.get(key, { range: { suffixLength: 5 } });
      expect(suffix.range).toEqual({ start: 295, end: 299 });
      expect((await readAll(suffix.body)).equals(bytes.subarray(295))).toBe(true);

      const clamped = await storage.get(key, { range: { start: 250, end: 10_000 } });
      expect(clamped.range).toEqual({ start: 250, end: 299 });
      expect(clamped.contentLength).toBe(50);
      expect((await readAll(clamped.body)).length).toBe(50);

      const past = await storage.get(key, { range: { start: 300 } }).catch((e: unknown) => e);
      expect(past).toBeInstanceOf(RangeNotSatisfiableError);
      expect((past as RangeNotSatisfiableError).sizeBytes).toBe(300);
    });

    it('streams a large object and a range from its middle', async () => {
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      const { key } = await storage.put({ tenantId: tenantA, mimeType: 'audio/mpeg', bytes });
      expect((await readAll((await storage.get(key)).body)).equals(bytes)).toBe(true);
      const middle = await storage.get(key, { range: { start: 1_000_000, end: 2_500_000 } });
      expect((await readAll(middle.body)).equals(bytes.subarray(1_000_000, 2_500_001))).toBe(true);
    });

    it('reports absent objects: get throws AssetNotFoundError, stat gives null', async () => {
      const key = `tenants/${tenantA}/audio/${'0'.repeat(64)}.mp3`;
      await expect(storage.get(key)).rejects.toBeInstanceOf(AssetNotFoundError);
      expect(await storage.stat(key)).toBeNull();
    });

    it('deletes, and deleting twice is not an error', async () => {
      const { key } = await storage.put({ tenantId: tenantA, mimeType: 'image/jpeg', bytes: randomBytes(10) });
      await storage.delete(key);
      expect(await storage.stat(key)).toBeNull();
      await expect(storage.get(key)).rejects.toBeInstanceOf(AssetNotFoundError);
      await storage.delete(key);
    });

    it('lists and sums one tenant only', async () => {
      const t1 = randomUUID();
      const t2 = randomUUID();
      const keys = [
        (await storage.put({ tenantId: t1, mimeType: 'audio/mpeg', bytes: randomBytes(100) })).key,
        (await storage.put({ tenantId: t1, mimeType: 'image/png', bytes: randomBytes(20) })).key,
        (await storage.put({ tenantId: t1, mimeType: 'image/png', bytes: randomBytes(3) })).key,
      ];
      await storage.put({ tenantId: t2, mimeType: 'audio/mpeg', bytes: randomBytes(7) });
      const listed = [];
      for await (const object of storage.list(t1)) listed.push(object);
      expect(listed.map((o) => o.key).sort()).toEqual([...keys].sort());
      expect(listed.find((o) => o.key === keys[0])).toMatchObject({ sizeBytes: 100, mimeType: 'audio/mpeg' });
      expect(await storage.usage(t1)).toEqual({ objects: 3, bytes: 123 });
      expect(await storage.usage(t2)).toEqual({ objects: 1, bytes: 7 });
      expect(await storage.usage(randomUUID())).toEqual({ objects: 0, bytes: 0 });
    });

    it('refuses keys outside tenants/<uuid>/ and every traversal, even one that would land in another tenant', async () => {
      const bytes = randomBytes(32);
      const victim = await storage.put({ tenantId: tenantB, mimeType: 'audio/mpeg', bytes });
      const file = victim.key.split('/').slice(2).join('/');
      const bad = [
        `tenants/${tenantA}/../${tenantB}/${file}`,
        `tenants/${tenantA}/audio/../../${tenantB}/${file}`,
        `tenants/${tenantA}/./audio/${victim.sha256}.mp3`,
        `tenants/${tenantA}//audio/${victim.sha256}.mp3`,
        `tenants/${tenantA}/audio/%2e%2e/${victim.sha256}.mp3`,
        `tenants\\${tenantB}\\${file.replace('/', '\\')}`,
        `/tenants/${tenantB}/${file}`,
        `../tenants/${tenantB}/${file}`,
        `tenants/${tenantB.toUpperCase()}/${file}`,
        `tenants/not-a-uuid/${file}`,
        `tenants/${tenantB}/${file}/..`,
        `tenants/${tenantB}/image/${victim.sha256}.mp3`,
        `tenants/${tenantB}/audio/${victim.sha256}.exe`,
        `tenants/${tenantB}/audio/${victim.sha256}.mp3\0.png`,
        `other/${tenantB}/${file}`,
        '',
      ];
      for (const key of bad) {
        await expect(storage.get(key), key).rejects.toBeInstanceOf(InvalidAssetKeyError);
        await expect(storage.stat(key), key).rejects.toBeInstanceOf(InvalidAssetKeyError);
        await expect(storage.delete(key), key).rejects.toBeInstanceOf(InvalidAssetKeyError);
      }
      expect(await storage.stat(victim.key)).not.toBeNull();
      const listBad = async () => {
        for await (const object of storage.list('../..')) expect.unreachable(`listed ${object.key}`);
      };
      await expect(listBad()).rejects.toBeInstanceOf(InvalidAssetKeyError);
      await expect(storage.usage(`${tenantA}/..`)).rejects.toBeInstanceOf(InvalidAssetKeyError);
    });

    it('refuses bad input to put with errors that say what to change', async () => {
      await expect(storage.put({ tenantId: '../../etc', mimeType: 'image/png', bytes: randomBytes(4) })).rejects.toThrow(/tenant id is not a UUID/);
      const svg = await storage.put({ tenantId: tenantA, mimeType: 'image/svg+xml', bytes: Buffer.from('<svg/>') }).catch((e: unknown) => e);
      expect(svg).toBeInstanceOf(UnsupportedMediaTypeError);
      expect((svg as Error).message).toMatch(/image\/png/);
      await expect(storage.put({ tenantId: tenantA, mimeType: 'audio/mpeg', bytes: new Uint8Array(0) })).rejects.toBeInstanceOf(InvalidAssetContentError);
    });
  });
}
