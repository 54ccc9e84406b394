/**
 * Bad input on every auth endpoint that takes a body, query or path
 * parameter: malformed JSON, wrong types, unknown fields, oversized bodies
 * and injection strings all answer 400 (413 for size, 415 for a non-JSON
 * body) with the envelope and field errors, and write nothing at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, envelopeOf, PASSWORD, rowCounts, uniqueEmail, type Family, type Harness } from './identity-harness.ts';

let h: Harness;
let family: Family;
let kidId: string;

const TABLES = ['tenants', 'users', 'user_credentials', 'user_identities', 'sessions', 'invitations', 'pairing_codes', 'audit_log', 'oauth_flows', 'profiles', 'tenant_policies'];

const INJECTIONS = ["'; DROP TABLE users; --", "1' OR '1'='1", '<script>alert(1)</script>', '${7*7}{{7*7}}', '../../etc/passwd', 'nul\u0000byte'];

interface Endpoint {
  path: string;
  signedIn: boolean;
  /** A body that would pass validation. */
  valid: () => Record<string, unknown>;
  /** Fields whose content is parsed or constrained (passwords are not: any string is a fine password, and it is only ever hashed). */
  constrained: string[];
}

const endpoints: Endpoint[] = [
  { path: '/api/auth/signup', signedIn: false, valid: () => ({ email: uniqueEmail('new'), password: PASSWORD, displayName: 'Pat', familyName: 'Pats' }), constrained: ['email', 'displayName', 'familyName'] },
  { path: '/api/auth/token', signedIn: false, valid: () => ({ email: family.adminEmail, password: PASSWORD }), constrained: ['email'] },
  { path: '/api/auth/password', signedIn: true, valid: () => ({ currentPassword: PASSWORD, newPassword: 'another long passphrase' }), constrained: [] },
  { path: '/api/auth/token/refresh', signedIn: true, valid: () => ({ cookie: false }), constrained: [] },
  { path: '/api/auth/invitations', signedIn: true, valid: () => ({ profileId: family.profileIds.parentCreator, email: uniqueEmail('inv'), expiresInHours: 24 }), constrained: ['profileId', 'email'] },
  { path: '/api/auth/invitations/accept', signedIn: false, valid: () => ({ token: 'a'.repeat(32), email: uniqueEmail('acc'), password: PASSWORD, displayName: 'Pat' }), constrained: ['token', 'email', 'displayName'] },
  { path: '/api/auth/kids', signedIn: true, valid: () => ({ displayName: 'Noé', avatar: 'fox', profileId: family.profileIds.kidsListenOnly }), constrained: ['displayName', 'avatar', 'profileId'] },
  { path: '/api/auth/pairing', signedIn: true, valid: () => ({ kidId, deviceName: 'Tablet' }), constrained: ['kidId', 'deviceName'] },
  { path: '/api/auth/pairing/codes', signedIn: true, valid: () => ({ kidId, deviceName: 'Tablet' }), constrained: ['kidId', 'deviceName'] },
  { path: '/api/auth/pairing/redeem', signedIn: false, valid: () => ({ code: 'ABCD-EFGH', deviceName: 'Tablet' }), constrained: ['code', 'deviceName'] },
  { path: '/api/auth/google/link', signedIn: true, valid: () => ({ returnTo: '/settings' }), constrained: ['returnTo'] },
];

beforeAll(async () => {
  h = await createHarness('auth_bad_input', { MAX_JSON_BODY_BYTES: '65536' });
  family = await h.createFamily();
  const res = await h.call('POST', '/api/auth/kids', { token: family.adminToken, body: { displayName: 'Léa' } });
  kidId = (await envelopeOf(res)).data.kid.id;
});

afterAll(async () => {
  await h?.close();
});

async function post(endpoint: Endpoint, options: { body?: unknown; rawBody?: string; headers?: Record<string, string> }) {
  return h.call('POST', endpoint.path, { token: endpoint.signedIn ? family.adminToken : undefined, ...options });
}

async function expectRefused(res: Response, status: number, fields?: string[]) {
  expect(res.status, await res.clone().text()).toBe(status);
  const body = await envelopeOf(res);
  expect(body.status).toBe('error');
  expect(body.data).toBeNull();
  expect(body.message ?? '').not.toBe('');
  if (fields) expect(Object.keys(body.errors ?? {}).sort()).toEqual([...fields].sort());
  return body;
}

describe.each(endpoints)('POST $path', (endpoint) => {
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await rowCounts(h.admin, TABLES);
  });

  it('refuses malformed JSON', async () => {
    for (const raw of ['{"email": ', '{email: 1}', 'null,', '\u0000']) {
      const body = await expectRefused(await post(endpoint, { rawBody: raw }), 400);
      expect(body.errors).toEqual({ body: ['must be valid JSON'] });
    }
  });

  it('refuses a body that is not a JSON object, or not JSON at all', async () => {
    await expectRefused(await post(endpoint, { rawBody: '[]' }), 400);
    await expectRefused(await post(endpoint, { rawBody: '"text"' }), 400);
    await expectRefused(await post(endpoint, { rawBody: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
  });

  it('refuses wrong types, naming each field', async () => {
    const valid = endpoint.valid();
    const wrong = Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, typeof v === 'string' ? 12345 : 'not-the-right-type']));
    await expectRefused(await post(endpoint, { body: wrong }), 400, Object.keys(valid));
    for (const [k] of Object.entries(valid)) {
      await expectRefused(await post(endpoint, { body: { ...valid, [k]: [valid[k]] } }), 400, [k]);
      await expectRefused(await post(endpoint, { body: { ...valid, [k]: { $gt: '' } } }), 400, [k]);
    }
  });

  it('refuses unknown fields by name', async () => {
    const body = await expectRefused(await post(endpoint, { body: { ...endpoint.valid(), isAdmin: true, tenantId: family.tenantId } }), 400);
    expect(body.errors).toMatchObject({ isAdmin: ['is not a known field'], tenantId: ['is not a known field'] });
  });

  it('refuses an oversized body with 413', async () => {
    const body = await expectRefused(await post(endpoint, { body: { ...endpoint.valid(), padding: 'x'.repeat(70_000) } }), 413);
    expect(body.errors).toEqual({ body: ['must be at most 65536 bytes'] });
  });

  it('refuses injection strings in every constrained field', async () => {
    for (const field of endpoint.constrained) {
      for (const attack of INJECTIONS) {
        await expectRefused(await post(endpoint, { body: { ...endpoint.valid(), [field]: attack } }), 400, [field]);
      }
    }
  });

  it('wrote nothing while refusing all of that', async () => {
    expect(await rowCounts(h.admin, TABLES)).toEqual(before);
  });
});

describe('query and path parameters', () => {
  it('are validated with field errors, and refusals write nothing', async () => {
    const before = await rowCounts(h.admin, TABLES);
    const cases: Array<[string, string, string[]]> = [
      ['GET', `/api/auth/invitations/preview?token=${encodeURIComponent(INJECTIONS[0]!)}`, ['query.token']],
      ['GET', '/api/auth/invitations/preview', ['query.token']],
      ['GET', `/api/auth/invitations/preview?token=${'a'.repeat(32)}&admin=1`, ['query.admin']],
      ['DELETE', `/api/auth/sessions/${encodeURIComponent("x' OR '1'='1")}`, ['path.id']],
      ['DELETE', '/api/auth/invitations/not-a-uuid', ['path.id']],
      ['GET', `/api/auth/google?returnTo=${encodeURIComponent('//evil.example/phish')}`, ['query.returnTo']],
      ['GET', `/api/auth/google?returnTo=${encodeURIComponent('https://evil.example/')}`, ['query.returnTo']],
      ['GET', `/api/auth/google?returnTo=${encodeURIComponent('/\\evil.example')}`, ['query.returnTo']],
      ['GET', `/api/auth/google?invitation=${encodeURIComponent(INJECTIONS[1]!)}`, ['query.invitation']],
    ];
    for (const [method, path, fields] of cases) {
      await expectRefused(await h.call(method, path, { token: family.adminToken }), 400, fields);
    }
    expect(await rowCounts(h.admin, TABLES)).toEqual(before);
  });
});
