/**
 * Bad input on every endpoint this API owns, generated from the route
 * table: malformed JSON, wrong types, unknown fields (body and query),
 * oversized bodies, non-JSON bodies and injection strings answer 400 (413
 * for size, 415 for a wrong media type) with the envelope and field errors,
 * never a 500, and write nothing. Free-text fields may legitimately hold
 * an injection string; then it must be stored as text, not run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../server/webhooks/index.ts';
import { createApiHarness, rowCounts, type ApiHarness, type ApiResult } from './support/api-harness.ts';
import { loadRouteTable, type Operation } from './support/route-table.ts';
import { createVictim, sampleRequests, type Req, type Sample, type Victim } from './support/sample-requests.ts';
import { addImageAsset, createWorld, type World } from './support/tenant-world.ts';

const OWNED_PREFIXES = ['/api/stories', '/api/assets', '/assets', '/api/agents', '/api/tenants', '/api/profiles', '/api/admin', '/api/webhooks', '/operator'];
const MAX_JSON = 64 * 1024;
const PAYMENT_SECRET = 'whsec_bad_input_payment_secret_0000000000';
const INJECTIONS = ["' OR '1'='1", "'; DROP TABLE stories; --", '../../../etc/passwd', '%00%2e%2e%2f', '<script>alert(1)</script>', '${7*7}{{7*7}}', '\u0000nul', 'x'.repeat(3000)];

const { operations } = await loadRouteTable();
const owned = operations.filter((o) => OWNED_PREFIXES.some((p) => o.path === p || o.path.startsWith(`${p}/`)));

let h: ApiHarness;
let w: World;
let victim: Victim;
const samples: Record<string, Sample> = sampleRequests(() => h, () => victim);

/** The signed-URL route has no session sample; it takes a real signed URL. */
samples['GET /assets/{id}/content'] = {
  own: async (world) => {
    const id = await addImageAsset(h, world, world.admin);
    const link = await h.call('GET', `/api/assets/${id}/download`, { token: world.admin.token });
    const url = new URL(link.body.data.url);
    return { path: `${url.pathname}${url.search}` };
  },
};

beforeAll(async () => {
  h = await createApiHarness('api_bad_input', { MAX_JSON_BODY_BYTES: String(MAX_JSON), PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET, PLATFORM_OPERATOR_TOKEN: 'operator-token-operator-token-0123456789' });
  w = await createWorld(h, 'Careful');
  victim = await createVictim(h);
});

afterAll(async () => {
  await h?.close();
});

/** Sends a bad request and checks the refusal: status, envelope, field errors, and no rows written. */
async function refused(op: Operation, req: Req, status: number, fieldPrefix?: string): Promise<ApiResult> {
  const before = await rowCounts(h.admin);
  const res = await h.call(op.method, req.path, { ...req, token: req.token ?? w.admin.token });
  expect(res.status, `${op.key} ${req.path}: ${res.text.slice(0, 400)}`).toBe(status);
  expect(res.body.status).toBe('error');
  expect(res.body.data).toBeNull();
  if (fieldPrefix !== undefined) {
    const keys = Object.keys(res.body.errors ?? {});
    expect(keys.some((k) => k === fieldPrefix || k.startsWith(`${fieldPrefix}.`)), `${op.key}: errors ${JSON.stringify(res.body.errors)} should name ${fieldPrefix}`).toBe(true);
  }
  expect(await rowCounts(h.admin), `${op.key}: rows were written`).toEqual(before);
  return res;
}

function wrongTypeFor(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not a number';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return { not: 'a list' };
  if (value === null) return 12345;
  return 'not an object';
}

function withQuery(path: string, extra: string): string {
  return path.includes('?') ? `${path}&${extra}` : `${path}?${extra}`;
}

describe('coverage', () => {
  it('has a valid sample for every owned endpoint', () => {
    const missing = owned.filter((o) => !samples[o.key] && o.key !== 'POST /api/webhooks/subscription-status').map((o) => o.key);
    expect(missing).toEqual([]);
    expect(owned.length).toBeGreaterThanOrEqual(35);
  });
});

const jsonOps = owned.filter((o) => o.hasJsonBody && o.key !== 'POST /api/webhooks/subscription-status');

describe.each(jsonOps.map((o) => [o.key, o] as const))('%s body', (key, op) => {
  const valid = () => samples[key]!.own(w);

  it('refuses malformed JSON', async () => {
    const req = await valid();
    await refused(op, { path: req.path, raw: '{"title": "unterminated' }, 400, 'body');
  });

  it('refuses an empty object, an array and null', async () => {
    const req = await valid();
    await refused(op, { path: req.path, raw: '[]' }, 400);
    await refused(op, { path: req.path, raw: 'null' }, 400);
    const res = await h.call(op.method, req.path, { raw: '{}', token: w.admin.token });
    expect(res.status).toBe(400);
  });

  it('refuses an unknown field, naming it', async () => {
    const req = await valid();
    const res = await refused(op, { path: req.path, json: { ...(req.json as object), zz_unknown: 1 } }, 400);
    expect(res.body.errors).toMatchObject({ zz_unknown: ['is not a known field'] });
  });

  it('refuses a wrong type in each field, naming the field', async () => {
    const req = await valid();
    const body = req.json as Record<string, unknown>;
    for (const [field, value] of Object.entries(body)) {
      await refused(op, { path: req.path, json: { ...body, [field]: wrongTypeFor(value) } }, 400, field);
    }
  });

  it('refuses an oversized body with 413', async () => {
    const req = await valid();
    const body = { ...(req.json as object), padding: 'x'.repeat(MAX_JSON + 10) };
    await refused(op, { path: req.path, json: body }, 413, 'body');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const req = await valid();
    await refused(op, { path: req.path, raw: 'title=hello', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415);
  });

  it('never answers 500 to injection strings, and stores them only as text', async () => {
    const req = await valid();
    const body = req.json as Record<string, unknown>;
    for (const [field, value] of Object.entries(body)) {
      if (typeof value !== 'string') continue;
      for (const injection of INJECTIONS) {
        const path = (await valid()).path;
        const before = await rowCounts(h.admin);
        const res = await h.call(op.method, path, { json: { ...body, [field]: injection }, token: w.admin.token });
        expect(res.status, `${key} ${field}=${JSON.stringify(injection.slice(0, 40))}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.body.errors, `${key} ${field}`).not.toBeNull();
          expect(await rowCounts(h.admin)).toEqual(before);
        } else if (res.body.data && typeof res.body.data === 'object' && field in res.body.data) {
          expect(res.body.data[field]).toBe(injection.trim());
        }
      }
    }
    // Still there, still whole.
    expect((await h.admin.query('SELECT count(*)::int AS n FROM stories')).rows[0].n).toBeGreaterThan(0);
  });
});

const pathOps = owned.filter((o) => o.pathParams.length > 0);

describe.each(pathOps.map((o) => [o.key, o] as const))('%s path', (key, op) => {
  it.each(INJECTIONS.filter((i) => !i.includes('/')).concat(['not-a-uuid', '00000000-0000-0000-0000-00000000000g']))('refuses %j as a path parameter', async (bad) => {
    const req = await samples[key]!.own(w);
    const param = op.pathParams[0]!;
    const value = param === 'key' ? `${bad}x` : bad;
    const path = op.path.replace(`{${param}}`, encodeURIComponent(value)).concat(req.path.includes('?') ? req.path.slice(req.path.indexOf('?')) : '');
    await refused(op, { path, json: req.json, form: req.form, token: op.key.includes('/content') ? '' : undefined }, 400, `path.${param}`);
  });
});

const queryOps = owned.filter((o) => o.queryParams.length > 0);

describe.each(queryOps.map((o) => [o.key, o] as const))('%s query', (key, op) => {
  const token = key.includes('/content') ? '' : undefined;

  it('refuses an unknown query parameter, naming it', async () => {
    const req = await samples[key]!.own(w);
    const res = await refused(op, { path: withQuery(req.path, 'zz_unknown=1'), token }, 400);
    expect(res.body.errors).toMatchObject({ 'query.zz_unknown': ['is not a known field'] });
  });

  if (op.queryParams.includes('limit')) {
    it.each(['abc', '0', '101', '1.5', '-1', "1' OR '1'='1"])('refuses limit=%s', async (limit) => {
      const req = await samples[key]!.own(w);
      await refused(op, { path: withQuery(req.path.replace(/([?&])limit=\d+&?/, '$1'), `limit=${encodeURIComponent(limit)}`) }, 400, 'query.limit');
    });

    it('refuses a repeated parameter and a forged cursor', async () => {
      const req = await samples[key]!.own(w);
      const base = req.path.replace(/([?&])limit=\d+&?/, '$1');
      await refused(op, { path: withQuery(base, 'limit=1&limit=2') }, 400, 'query.limit');
      await refused(op, { path: withQuery(base, `cursor=${encodeURIComponent("' OR 1=1 --")}`) }, 400, 'query.cursor');
      await refused(op, { path: withQuery(base, `cursor=${Buffer.from('["1","not-a-uuid"]').toString('base64url')}`) }, 400, 'query.cursor');
    });
  }

  it('never answers 500 to injection strings in any parameter', async () => {
    const req = await samples[key]!.own(w);
    for (const param of op.queryParams) {
      for (const injection of INJECTIONS) {
        const url = new URL(req.path, 'http://x');
        url.searchParams.set(param, injection);
        const before = await rowCounts(h.admin);
        const res = await h.call(op.method, `${url.pathname}${url.search}`, { token: token === '' ? undefined : w.admin.token });
        expect(res.status, `${key} ${param}=${JSON.stringify(injection.slice(0, 40))}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) expect(await rowCounts(h.admin)).toEqual(before);
      }
    }
  });
});

describe('POST /api/webhooks/subscription-status', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    h.call('POST', '/api/webhooks/subscription-status', { raw: body, headers: { 'stripe-signature': signatureHeader(PAYMENT_SECRET, body), ...headers } });

  it('refuses malformed JSON even when correctly signed', async () => {
    const before = await rowCounts(h.admin);
    const res = await post('{"id": "evt_1", ');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ body: ['must be valid JSON'] });
    expect(await rowCounts(h.admin)).toEqual(before);
  });

  it.each([
    [{ id: 5, type: 'customer.subscription.updated', created: 1, data: { object: {} } }, 'body.id'],
    [{ id: 'evt_1', type: 'customer.subscription.updated', created: 'yesterday', data: { object: {} } }, 'body.created'],
    [{ id: 'evt_1', type: 'customer.subscription.updated', created: 1, data: { object: { id: 'sub_1', status: 'active', metadata: { tenant_id: "' OR 1=1 --" } } } }, 'data.object.metadata.tenant_id'],
    [{ id: 'evt_1', type: 'customer.subscription.updated', created: 1, data: { object: { id: 'sub_1', status: 'on fire', metadata: { tenant_id: '00000000-0000-4000-8000-000000000000' } } } }, 'data.object.status'],
  ])('refuses %j (field %s)', async (event, field) => {
    const before = await rowCounts(h.admin);
    const res = await post(JSON.stringify(event));
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors!)).toContain(field);
    expect(await rowCounts(h.admin)).toEqual(before);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await post(JSON.stringify({ id: 'evt', padding: 'x'.repeat(MAX_JSON + 10) }));
    expect(res.status).toBe(413);
  });
});
