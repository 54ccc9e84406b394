/**
 * Assets end to end: uploads are checked from their bytes, re-encoded
 * without metadata, capped by policy and quota, and abusive ones write
 * nothing; downloads go through short-lived signed URLs that honour Range
 * and refuse expired or altered signatures; detail, delete and usage follow
 * the permission rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { AssetUrlSigner } from '../../server/services/asset-url-signer.ts';
import { createApiHarness, rowCounts, storedFiles, type ApiHarness } from './support/api-harness.ts';
import { decompressionBombPng, EXIF_SECRET, fileForm, jpegWithExif, SVG_WITH_SCRIPT, TEXT_NAMED_PNG } from './support/hostile-files.ts';
import { addImageAsset, addMember, addStory, createWorld, pngBytes, type World } from './support/tenant-world.ts';

let h: ApiHarness;
let a: World;
let b: World;

beforeAll(async () => {
  h = await createApiHarness('api_assets');
  a = await createWorld(h, 'Uploaders');
  b = await createWorld(h, 'Neighbours');
});

afterAll(async () => {
  await h?.close();
});

const upload = (token: string, bytes: Uint8Array, name: string, type?: string) => h.call('POST', '/api/assets', { token, form: fileForm(bytes, name, type) });

/** Follows a signed URL the way a device would: no session. */
async function follow(url: string, headers: Record<string, string> = {}) {
  const u = new URL(url);
  return h.fetch('GET', `${u.pathname}${u.search}`, { headers });
}

describe('upload', () => {
  it('stores a JPEG re-encoded without its EXIF, and gives back the same asset for the same bytes', async () => {
    const jpeg = await jpegWithExif();
    expect(jpeg.includes(Buffer.from(EXIF_SECRET))).toBe(true);
    const first = await upload(a.parent.token, jpeg, 'holiday.jpg', 'image/jpeg');
    expect(first.status, first.text).toBe(201);
    expect(first.body.data).toMatchObject({ type: 'image', mime_type: 'image/jpeg', created_by: a.parent.userId, metadata: { original_name: 'holiday.jpg', width: 32, height: 24 } });

    const link = await h.call('GET', `/api/assets/${first.body.data.id}/download`, { token: a.parent.token });
    const stored = Buffer.from(await (await follow(link.body.data.url)).arrayBuffer());
    expect(stored.includes(Buffer.from(EXIF_SECRET))).toBe(false);
    expect((await sharp(stored).metadata()).exif).toBeUndefined();

    const again = await upload(a.parent.token, jpeg, 'again.jpg');
    expect(again.status).toBe(200);
    expect(again.body.data.id).toBe(first.body.data.id);
  });

  it('takes the type from the bytes, not the name', async () => {
    const png = await pngBytes(4, 4);
    const res = await upload(a.parent.token, png, 'picture.mp3', 'audio/mpeg');
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ type: 'image', mime_type: 'image/png' });
  });

  describe('abuse gets a 4xx and writes nothing', () => {
    const cases: Array<[string, () => Promise<{ bytes: Uint8Array; name: string; type?: string }>, number, string]> = [
      ['an oversized file', async () => ({ bytes: Buffer.concat([await pngBytes(2, 2), Buffer.alloc(11 * 1024 * 1024)]), name: 'big.png' }), 413, 'max_upload_mb'],
      ['text with an image name', async () => ({ bytes: TEXT_NAMED_PNG, name: 'cat.png', type: 'image/png' }), 415, 'file'],
      ['an SVG with script', async () => ({ bytes: SVG_WITH_SCRIPT, name: 'cat.svg', type: 'image/svg+xml' }), 415, 'file'],
      ['a decompression-bomb PNG', async () => ({ bytes: decompressionBombPng(), name: 'bomb.png', type: 'image/png' }), 400, 'megapixels'],
      ['a PNG cut short', async () => ({ bytes: (await pngBytes(64, 64)).subarray(0, 60), name: 'cut.png' }), 400, 'file'],
      ['a path-traversal name', async () => ({ bytes: await pngBytes(), name: '../../etc/passwd.png' }), 400, 'file.name'],
      ['a Windows traversal name', async () => ({ bytes: await pngBytes(), name: '..\\..\\boot.ini.png' }), 400, 'file.name'],
      ['an encoded traversal name', async () => ({ bytes: await pngBytes(), name: '%2e%2e%2fsecret.png' }), 400, 'file.name'],
      ['a name with a NUL byte', async () => ({ bytes: await pngBytes(), name: 'cat.png\u0000.exe' }), 400, 'file.name'],
      ['an empty file', async () => ({ bytes: new Uint8Array(0), name: 'empty.png' }), 400, 'file'],
    ];

    it.each(cases)('%s', async (_label, make, status, mention) => {
      const file = await make();
      const counts = await rowCounts(h.admin);
      const files = storedFiles(h.storageRoot);
      const res = await upload(a.parent.token, file.bytes, file.name, file.type);
      expect(res.status, res.text).toBe(status);
      expect(res.body.status).toBe('error');
      expect(JSON.stringify(res.body.errors) + res.body.message).toContain(mention);
      expect(await rowCounts(h.admin)).toEqual(counts);
      expect(storedFiles(h.storageRoot)).toEqual(files);
    });

    it('a request that is not multipart, or has no file part, or an extra part', async () => {
      const counts = await rowCounts(h.admin);
      expect((await h.call('POST', '/api/assets', { token: a.parent.token, json: { file: 'x' } })).status).toBe(415);
      const noFile = new FormData();
      noFile.append('name', 'x');
      const r1 = await h.call('POST', '/api/assets', { token: a.parent.token, form: noFile });
      expect(r1.status).toBe(400);
      const extra = fileForm(await pngBytes(), 'x.png');
      extra.append('storage_key', '../../other-tenant');
      const r2 = await h.call('POST', '/api/assets', { token: a.parent.token, form: extra });
      expect(r2.status).toBe(400);
      expect(r2.body.errors).toHaveProperty('storage_key');
      expect(await rowCounts(h.admin)).toEqual(counts);
    });
  });

  it('follows the max_upload_mb and storage_quota_mb policies from the next request', async () => {
    const world = await createWorld(h, 'Quota');
    const png = await pngBytes(300, 300);
    expect((await upload(world.parent.token, png, 'a.png')).status).toBe(201);
    expect((await h.call('PUT', '/api/tenants/policies/storage_quota_mb', { token: world.admin.token, json: { value: 0 } })).status).toBe(200);
    const counts = await rowCounts(h.admin);
    const res = await upload(world.parent.token, await pngBytes(300, 300), 'b.png');
    expect(res.status).toBe(413);
    expect(res.body.message).toContain('storage quota');
    expect(await rowCounts(h.admin)).toEqual(counts);

    const usage = await h.call('GET', '/api/assets/tenant-usage', { token: world.parent.token });
    expect(usage.body.data).toMatchObject({ asset_count: 1, quota_bytes: 0, remaining_bytes: 0, max_upload_bytes: 10 * 1024 * 1024 });
    expect(usage.body.data.used_bytes).toBe(usage.body.data.by_type.image.bytes);
  });

  it('is refused when the tenant turned uploads off, or the profile lacks assets.upload', async () => {
    const world = await createWorld(h, 'No uploads');
    expect((await upload(world.kid.token, await pngBytes(), 'k.png')).status).toBe(403);
    await h.call('PUT', '/api/tenants/policies/feature_flags', { token: world.admin.token, json: { value: { story_companion: true, public_library: true, search_assistant: true, uploads: false } } });
    const res = await upload(world.parent.token, await pngBytes(), 'p.png');
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('feature_flags.uploads');
  });
});

describe('download', () => {
  let assetId: string;
  let bytes: Buffer;
  let url: string;

  beforeAll(async () => {
    const res = await upload(a.parent.token, await pngBytes(40, 40), 'cover.png');
    assetId = res.body.data.id;
    const link = await h.call('GET', `/api/assets/${assetId}/download`, { token: a.parent.token });
    expect(link.status).toBe(200);
    url = link.body.data.url;
    expect(new Date(link.body.data.expires_at).getTime()).toBeGreaterThan(Date.now());
    bytes = Buffer.from(await (await follow(url)).arrayBuffer());
  });

  it('serves the whole file with its type and immutable caching, without a session', async () => {
    const res = await follow(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(40);
  });

  it('ignores any stale credential the client sends along: the signature alone decides', async () => {
    const res = await follow(url, { authorization: `Bearer ${'a'.repeat(24)}.${'b'.repeat(32)}`, cookie: 'talemo_session=expired.session' });
    expect(res.status).toBe(200);
  });

  it('answers a Range with 206 and exactly those bytes', async () => {
    const res = await follow(url, { range: 'bytes=8-23' });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 8-23/${bytes.length}`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes.subarray(8, 24));
    const suffix = await follow(url, { range: 'bytes=-10' });
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 10));
    const outside = await follow(url, { range: `bytes=${bytes.length + 5}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
  });

  it('refuses an expired URL with 403', async () => {
    const old = AssetUrlSigner.fromConfig(h.config).sign(assetId, a.tenantId, Date.now() - 60 * 60 * 1000);
    const res = await follow(old.url);
    expect(res.status).toBe(403);
    expect((await res.json()).message).toContain('expired');
  });

  it('refuses a URL moved to another tenant or another asset with 403', async () => {
    const otherTenant = url.replace(`tenant=${a.tenantId}`, `tenant=${b.tenantId}`);
    expect(otherTenant).not.toBe(url);
    expect((await follow(otherTenant)).status).toBe(403);
    const bAsset = await addImageAsset(h, b, b.parent);
    expect((await follow(url.replace(assetId, bAsset))).status).toBe(403);
    const later = url.replace(/expires=\d+/, (m) => `expires=${Number(m.slice(8)) + 3600}`);
    expect((await follow(later)).status).toBe(403);
  });

  it('gives no URL for another tenant\'s private asset, but does for its public story\'s cover', async () => {
    expect((await h.call('GET', `/api/assets/${assetId}/download`, { token: b.admin.token })).status).toBe(404);
    const cover = await addImageAsset(h, a, a.parent);
    await addStory(h, a, { by: a.parent, visibility: 'public', published: true, moderation: 'approved', imageAssetId: cover });
    const link = await h.call('GET', `/api/assets/${cover}/download`, { token: b.kid.token });
    expect(link.status).toBe(200);
    expect((await follow(link.body.data.url)).status).toBe(200);
  });
});

describe('detail, delete and usage', () => {
  it('hides an unattached upload from other members but not from its uploader or a story manager', async () => {
    const id = await addImageAsset(h, a, a.parent);
    expect((await h.call('GET', `/api/assets/${id}`, { token: a.kid.token })).status).toBe(404);
    expect((await h.call('GET', `/api/assets/${id}`, { token: a.parent.token })).status).toBe(200);
    expect((await h.call('GET', `/api/assets/${id}`, { token: a.admin.token })).body.data.id).toBe(id);
  });

  it('lets the uploader delete their own, not another\'s; keeps assets a story uses; removes the file', async () => {
    const mine = await upload(a.parent.token, await pngBytes(), 'mine.png');
    const other = await addMember(h, a, { profileId: a.profiles.parentCreator });
    expect((await h.call('DELETE', `/api/assets/${mine.body.data.id}`, { token: other.token })).status).toBe(403);

    const used = await addImageAsset(h, a, a.parent);
    await addStory(h, a, { by: a.parent, title: 'Uses the cover', imageAssetId: used });
    const refused = await h.call('DELETE', `/api/assets/${used}`, { token: a.admin.token });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('Uses the cover');

    const before = storedFiles(h.storageRoot).length;
    expect((await h.call('DELETE', `/api/assets/${mine.body.data.id}`, { token: a.parent.token })).status).toBe(200);
    expect(storedFiles(h.storageRoot).length).toBe(before - 1);
    const { rows } = await h.admin.query(`SELECT action FROM audit_log WHERE tenant_id = $1 AND target_id = $2`, [a.tenantId, mine.body.data.id]);
    expect(rows).toEqual([{ action: 'asset.delete' }]);
  });
});
