/**
 * S3 storage through the real AWS SDK against a local fake S3 that verifies
 * SigV4 signatures: the shared contract, plus what is specific to S3 (signed
 * requests, no second upload of the same bytes, Range forwarded, pagination,
 * credential and network failures as typed errors).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { createAssetStorage, S3AssetStorage, StorageBackendError } from '../../server/storage/index.ts';
import { freePort } from '../support/free-port.ts';
import { describeAssetStorageContract, readAll } from './asset-storage-contract.ts';
import { startFakeS3, type FakeS3 } from './fake-s3-server.ts';

const credentials = { accessKeyId: 'AKIATALEMOTEST', secretAccessKey: 'fake-secret-key-for-tests-only' };
const region = 'eu-west-3';
const bucket = 'talemo-assets';

function storageFor(fake: FakeS3, secretAccessKey = credentials.secretAccessKey): S3AssetStorage {
  return new S3AssetStorage({ bucket, endpoint: fake.endpoint, region, credentials: { ...credentials, secretAccessKey }, forcePathStyle: true });
}

describeAssetStorageContract('S3', async () => {
  const fake = await startFakeS3({ bucket, region, ...credentials, maxKeysPerPage: 2 });
  const storage = storageFor(fake);
  return {
    storage,
    teardown: async () => {
      storage.close();
      await fake.close();
    },
  };
});

describe('S3 storage', () => {
  let fake: FakeS3;
  let storage: S3AssetStorage;
  beforeAll(async () => {
    fake = await startFakeS3({ bucket, region, ...credentials, maxKeysPerPage: 2 });
    storage = storageFor(fake);
  });
  afterAll(async () => {
    storage.close();
    await fake.close();
  });

  it('is chosen by S3_* settings', () => {
    const config = loadConfig({ S3_BUCKET: bucket, S3_ENDPOINT: fake.endpoint, S3_REGION: region, S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b', S3_FORCE_PATH_STYLE: 'true' });
    const chosen = createAssetStorage(config.storage);
    expect(chosen).toBeInstanceOf(S3AssetStorage);
    (chosen as S3AssetStorage).close();
  });

  it('signs every request with SigV4, which the fake verifies', async () => {
    const before = fake.requests.length;
    const { key } = await storage.put({ tenantId: randomUUID(), mimeType: 'audio/mpeg', bytes: randomBytes(100) });
    await storage.get(key);
    const sent = fake.requests.slice(before);
    expect(sent.map((r) => r.method)).toEqual(['HEAD', 'PUT', 'GET']);
    for (const request of sent) {
      expect(String(request.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATALEMOTEST\/\d{8}\/eu-west-3\/s3\/aws4_request/);
      expect(request.signed).toBe(true);
    }
  });

  it('stores the content type and does not upload the same bytes twice', async () => {
    const tenant = randomUUID();
    const bytes = randomBytes(2048);
    const first = await storage.put({ tenantId: tenant, mimeType: 'image/png', bytes });
    const before = fake.requests.length;
    const second = await storage.put({ tenantId: tenant, mimeType: 'image/png', bytes });
    expect(second).toEqual({ ...first, created: false });
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(['HEAD']);
    expect(fake.objects.get(first.key)?.contentType).toBe('image/png');
  });

  it('forwards the byte range to S3 rather than reading the whole object', async () => {
    const bytes = randomBytes(10_000);
    const { key } = await storage.put({ tenantId: randomUUID(), mimeType: 'audio/mpeg', bytes });
    const before = fake.requests.length;
    const read = await storage.get(key, { range: { start: 100, end: 199 } });
    expect((await readAll(read.body)).equals(bytes.subarray(100, 200))).toBe(true);
    expect(fake.requests.slice(before).map((r) => r.headers.range)).toEqual(['bytes=100-199']);
  });

  it('pages through listings longer than one response', async () => {
    const tenant = randomUUID();
    for (let i = 0; i < 5; i++) await storage.put({ tenantId: tenant, mimeType: 'audio/mpeg', bytes: randomBytes(10 + i) });
    const before = fake.requests.length;
    expect(await storage.usage(tenant)).toEqual({ objects: 5, bytes: 60 });
    const lists = fake.requests.slice(before).filter((r) => r.query['list-type'] === '2');
    expect(lists.length).toBe(3);
    expect(lists[0]!.query.prefix).toBe(`tenants/${tenant}/`);
  });

  it('fails with a permanent, actionable error when the secret is wrong, and writes nothing', async () => {
    const wrong = storageFor(fake, 'not-the-secret');
    const before = fake.objects.size;
    const err = await wrong.put({ tenantId: randomUUID(), mimeType: 'audio/mpeg', bytes: randomBytes(10) }).catch((e: unknown) => e);
    wrong.close();
    expect(err).toBeInstanceOf(StorageBackendError);
    expect((err as StorageBackendError).retryable).toBe(false);
    expect((err as Error).message).toMatch(/S3_SECRET_ACCESS_KEY/);
    expect(fake.objects.size).toBe(before);
  });

  it('fails with a retryable error when the endpoint does not answer', async () => {
    const port = await freePort();
    const down = new S3AssetStorage({ bucket, endpoint: `http://127.0.0.1:${port}`, region, credentials, forcePathStyle: true });
    const err = await down.stat(`tenants/${randomUUID()}/audio/${'a'.repeat(64)}.mp3`).catch((e: unknown) => e);
    down.close();
    expect(err).toBeInstanceOf(StorageBackendError);
    expect((err as StorageBackendError).retryable).toBe(true);
    expect((err as Error).message).toMatch(/S3_ENDPOINT/);
  });
});
