/**
 * Bad input on every /api/auth route, generated from the route table (the
 * OpenAPI document at /api/openapi.json), so a new auth route cannot skip
 * it: the coverage test fails until the route has a sample request below,
 * and the sample must fill every field its body declares.
 *
 * - JSON bodies: malformed JSON, non-objects, wrong types, unknown fields,
 *   oversized bodies and injection strings answer 400 (413 for size, 415 for
 *   a non-JSON body) with the envelope and field errors naming the field.
 * - Query, path and form parameters: unknown, repeated, oversized and
 *   injected values, likewise.
 * - Never a 500, and a refusal writes nothing at all.
 *
 * Two deliberate exceptions, declared on their samples: passwords accept any
 * string (they are only hashed), and the OAuth callbacks accept unknown
 * parameters and any text in the provider's values (RFC 6749 §4.1.2; their
 * single-use state is what is checked). There injection strings must still
 * never cause a 500, and a request that does not succeed writes nothing but
 * its audit row.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sessionFor } from '../support/test-app.ts';
import { startFakeOidcProvider, type FakeOidcProvider } from '../support/fake-oidc-provider.ts';
import { loadAuthOperations, type AuthOperation } from './auth-operations.ts';
import { createHarness, envelopeOf, knownPasswordHash, PASSWORD, rowCounts, uniqueEmail, type Family, type Harness } from './identity-harness.ts';

const MAX_JSON = 65_536;
const TABLES = ['tenants', 'users', 'user_credentials', 'user_identities', 'sessions', 'invitations', 'pairing_codes', 'audit_log', 'oauth_flows', 'profiles', 'tenant_policies'];
/** What a request that did not succeed may still write: its audit row (failed sign-ins are audited). */
const DOMAIN_TABLES = TABLES.filter((t) => t !== 'audit_log');
const INJECTIONS = ["'; DROP TABLE users; --", "1' OR '1'='1", '<script>alert(1)</script>', '${7*7}{{7*7}}', '../../etc/passwd', 'nul\u0000byte', 'x'.repeat(3000)];
const CALLBACK_REASON = 'RFC 6749 §4.1.2: the provider may add parameters; its values are only compared with the stored single-use state';
const PASSWORD_REASON = 'any string is a valid password; it is only ever hashed';

const operations = (await loadAuthOperations()).sort((a, b) => a.key.localeCompare(b.key));

interface Sample {
  /** The path with its parameters filled in and a valid query. */
  path: string;
  json?: Record<string, unknown>;
  form?: Record<string, string>;
  /** Fields (body fields or query parameters) that accept any string, and why. '*' for all of them. */
  freeText?: Record<string, string>;
  /** Why unknown fields or parameters are accepted instead of refused. */
  loose?: string;
}

/** Who calls: a fresh session per route, so a route that ends its session cannot disturb another. */
type Caller = 'admin' | 'member' | 'passwordChanger' | 'anonymous';

interface SampleSpec {
  as: Caller;
  /** A valid request; called afresh for every request sent. */
  build: () => Sample;
  /**
   * For a route whose success ends the caller's sessions (a password change):
   * undo what the previous request may have done and sign in afresh before
   * every request, so each one is judged on its own input.
   */
  resetBeforeEach?: () => Promise<void>;
}

let h: Harness;
let family: Family;
let member: { userId: string; email: string | null; token: string };
/** Changes its own password in the /password samples, so nobody else's sign-in is affected. */
let passwordChanger: { userId: string; email: string | null; token: string };
let kidId: string;
let google: FakeOidcProvider;
let apple: FakeOidcProvider;

const samples: Record<string, SampleSpec> = {
  'GET /api/auth/me': { as: 'member', build: () => ({ path: '/api/auth/me' }) },
  'GET /api/auth/providers': { as: 'anonymous', build: () => ({ path: '/api/auth/providers' }) },
  'GET /api/auth/sessions': { as: 'member', build: () => ({ path: '/api/auth/sessions' }) },
  'DELETE /api/auth/sessions/{id}': { as: 'member', build: () => ({ path: `/api/auth/sessions/${member.token.split('.')[0]}` }) },
  'POST /api/auth/token/refresh': { as: 'member', build: () => ({ path: '/api/auth/token/refresh', json: { cookie: false } }) },
  'POST /api/auth/signout': { as: 'member', build: () => ({ path: '/api/auth/signout' }) },
  'POST /api/auth/signup': {
    as: 'anonymous',
    build: () => ({ path: '/api/auth/signup', json: { email: uniqueEmail('new'), password: PASSWORD, displayName: 'Pat', familyName: 'Pats', cookie: false }, freeText: { password: PASSWORD_REASON } }),
  },
  'POST /api/auth/token': {
    as: 'anonymous',
    build: () => ({ path: '/api/auth/token', json: { email: member.email, password: PASSWORD, cookie: false }, freeText: { password: PASSWORD_REASON } }),
  },
  'POST /api/auth/password': {
    as: 'passwordChanger',
    build: () => ({ path: '/api/auth/password', json: { currentPassword: PASSWORD, newPassword: 'another long passphrase' }, freeText: { currentPassword: PASSWORD_REASON, newPassword: PASSWORD_REASON } }),
    resetBeforeEach: async () => {
      await h.admin.query('UPDATE user_credentials SET password_hash = $2 WHERE user_id = $1', [passwordChanger.userId, await knownPasswordHash()]);
    },
  },
  'GET /api/auth/invitations': { as: 'admin', build: () => ({ path: '/api/auth/invitations' }) },
  'POST /api/auth/invitations': {
    as: 'admin',
    build: () => ({ path: '/api/auth/invitations', json: { profileId: family.profileIds.parentCreator, email: uniqueEmail('inv'), expiresInHours: 24 } }),
  },
  'DELETE /api/auth/invitations/{id}': { as: 'admin', build: () => ({ path: '/api/auth/invitations/6f1e7a52-9c1b-4a8e-9d7e-2b6f0c1d4e5a' }) },
  'GET /api/auth/invitations/preview': { as: 'anonymous', build: () => ({ path: `/api/auth/invitations/preview?token=${'a'.repeat(32)}` }) },
  'POST /api/auth/invitations/accept': {
    as: 'anonymous',
    build: () => ({
      path: '/api/auth/invitations/accept',
      json: { token: 'a'.repeat(32), email: uniqueEmail('acc'), password: PASSWORD, displayName: 'Pat', cookie: false },
      freeText: { password: PASSWORD_REASON },
    }),
  },
  'GET /api/auth/kids': { as: 'admin', build: () => ({ path: '/api/auth/kids' }) },
  'POST /api/auth/kids': { as: 'admin', build: () => ({ path: '/api/auth/kids', json: { displayName: 'Noé', avatar: 'fox', profileId: family.profileIds.kidsListenOnly } }) },
  'POST /api/auth/pairing': { as: 'admin', build: () => ({ path: '/api/auth/pairing', json: { kidId, deviceName: 'Tablet', cookie: false } }) },
  'POST /api/auth/pairing/codes': { as: 'admin', build: () => ({ path: '/api/auth/pairing/codes', json: { kidId, deviceName: 'Tablet' } }) },
  'POST /api/auth/pairing/redeem': { as: 'anonymous', build: () => ({ path: '/api/auth/pairing/redeem', json: { code: 'ABCD-EFGH', deviceName: 'Tablet', cookie: false } }) },
};
for (const provider of ['google', 'apple'] as const) {
  samples[`GET /api/auth/${provider}`] = { as: 'anonymous', build: () => ({ path: `/api/auth/${provider}?returnTo=%2Flibrary&invitation=${'a'.repeat(32)}` }) };
  samples[`POST /api/auth/${provider}/link`] = { as: 'member', build: () => ({ path: `/api/auth/${provider}/link`, json: { returnTo: '/settings' } }) };
}
const callbackFields = { code: 'abc', state: 'x'.repeat(43), error: 'access_denied', error_description: 'no', iss: 'https://issuer.example', user: '{}' };
samples['GET /api/auth/google/callback'] = {
  as: 'anonymous',
  build: () => ({ path: `/api/auth/google/callback?${new URLSearchParams(callbackFields)}`, freeText: { '*': CALLBACK_REASON }, loose: CALLBACK_REASON }),
};
samples['POST /api/auth/apple/callback'] = {
  as: 'anonymous',
  build: () => ({ path: '/api/auth/apple/callback', form: { ...callbackFields }, freeText: { '*': CALLBACK_REASON }, loose: CALLBACK_REASON }),
};

beforeAll(async () => {
  google = await startFakeOidcProvider({ flavour: 'google', clientId: 'talemo-web.apps.googleusercontent.com', clientSecret: 'google-secret' });
  apple = await startFakeOidcProvider({ flavour: 'apple', clientId: 'com.talemo.web' });
  h = await createHarness('auth_bad_input', {
    MAX_JSON_BODY_BYTES: String(MAX_JSON),
    // Wrong passwords are part of the injection runs; lockout has its own suite.
    AUTH_LOCKOUT_THRESHOLD: '1000',
    GOOGLE_CLIENT_ID: 'talemo-web.apps.googleusercontent.com',
    GOOGLE_CLIENT_SECRET: 'google-secret',
    GOOGLE_ISSUER: google.issuer,
    APPLE_CLIENT_ID: 'com.talemo.web',
    APPLE_CLIENT_SECRET: 'apple-secret',
    APPLE_ISSUER: apple.issuer,
  });
  family = await h.createFamily();
  member = await h.addMember(family, 'parentCreator');
  passwordChanger = await h.addMember(family, 'parentCreator');
  const res = await h.call('POST', '/api/auth/kids', { token: family.adminToken, body: { displayName: 'Léa' } });
  kidId = (await envelopeOf(res)).data.kid.id;
});

afterAll(async () => {
  await h?.close();
  await google?.close();
  await apple?.close();
});

async function tokenFor(as: Caller): Promise<string | undefined> {
  if (as === 'anonymous') return undefined;
  return sessionFor(h.t, family.tenantId, { admin: family.adminId, member: member.userId, passwordChanger: passwordChanger.userId }[as]);
}

interface Send {
  path?: string;
  json?: unknown;
  raw?: string;
  form?: Record<string, string | string[]>;
  headers?: Record<string, string>;
}

function send(op: AuthOperation, token: string | undefined, sample: Sample, req: Send): Promise<Response> {
  const headers = { ...req.headers };
  let rawBody = req.raw;
  if (req.form) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(req.form)) for (const one of [v].flat()) body.append(k, one);
    rawBody = body.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  return h.call(op.method, req.path ?? sample.path, { token, body: req.json, rawBody, headers });
}

function namesField(errors: Record<string, string[]> | null, field: string): boolean {
  return Object.keys(errors ?? {}).some((k) => k === field || k.startsWith(`${field}.`));
}

/** Sends a bad request and checks the refusal: status, envelope, field errors, and not one row written. */
async function refused(request: () => Promise<Response>, status: number, field?: string) {
  const before = await rowCounts(h.admin, TABLES);
  const res = await request();
  const text = await res.clone().text();
  expect(res.status, text.slice(0, 400)).toBe(status);
  const body = await envelopeOf(res);
  expect(body.status).toBe('error');
  expect(body.data).toBeNull();
  expect(body.message ?? '').not.toBe('');
  if (field !== undefined) expect(namesField(body.errors, field), `errors ${JSON.stringify(body.errors)} should name ${field}`).toBe(true);
  expect(await rowCounts(h.admin, TABLES), 'a refusal wrote rows').toEqual(before);
  return body;
}

/** Sends a request carrying text that may be legitimate: never a 500, and if it does not succeed it writes nothing but an audit row. */
async function survives(request: () => Promise<Response>, label: string) {
  const before = await rowCounts(h.admin, DOMAIN_TABLES);
  const res = await request();
  expect(res.status, `${label}: ${(await res.clone().text()).slice(0, 300)}`).toBeLessThan(500);
  if (res.status < 200 || res.status >= 300) expect(await rowCounts(h.admin, DOMAIN_TABLES), `${label}: answered ${res.status} but wrote rows`).toEqual(before);
  return res;
}

const isFree = (sample: Sample, field: string) => sample.freeText !== undefined && (field in sample.freeText || '*' in sample.freeText);

function wrongTypeFor(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not a number';
  if (typeof value === 'boolean') return 'yes';
  return 'not an object';
}

function withQuery(path: string, extra: string): string {
  return path.includes('?') ? `${path}&${extra}` : `${path}?${extra}`;
}

function setQuery(path: string, param: string, value: string | string[]): string {
  const url = new URL(path, 'http://x');
  url.searchParams.delete(param);
  for (const v of [value].flat()) url.searchParams.append(param, v);
  return `${url.pathname}${url.search}`;
}

describe('coverage', () => {
  it('has a sample request for every auth route in the OpenAPI document, filling every declared body field and query parameter', () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
    expect(operations.filter((op) => !samples[op.key]).map((op) => op.key)).toEqual([]);
    expect(Object.keys(samples).filter((key) => !operations.some((op) => op.key === key))).toEqual([]);
    for (const op of operations) {
      const sample = samples[op.key]!.build();
      const sent = op.bodyMediaType === 'application/json' ? Object.keys(sample.json ?? {}) : op.bodyMediaType ? Object.keys(sample.form ?? {}) : [];
      expect(sent.sort(), `${op.key} body`).toEqual([...op.bodyFields].sort());
      expect([...new URL(sample.path, 'http://x').searchParams.keys()].sort(), `${op.key} query`).toEqual([...op.queryParams].sort());
      if (op.bodyMediaType === undefined) expect(sample.json ?? sample.form, `${op.key} declares no body`).toBeUndefined();
    }
  });
});

const jsonOps = operations.filter((op) => op.bodyMediaType === 'application/json');

describe.each(jsonOps.map((op) => [op.key, op] as const))('%s JSON body', (key, op) => {
  const spec = samples[key]!;
  let token: string | undefined;
  const call = (req: Send) => send(op, token, spec.build(), req);
  const reset = async () => {
    if (!spec.resetBeforeEach) return;
    await spec.resetBeforeEach();
    token = await tokenFor(spec.as);
  };
  beforeAll(async () => {
    token = await tokenFor(spec.as);
  });
  beforeEach(reset);

  it('refuses malformed JSON', async () => {
    for (const raw of ['{"email": ', '{email: 1}', 'null,', '\u0000', '{"a": 1}}']) {
      const body = await refused(() => call({ raw, headers: { 'content-type': 'application/json' } }), 400, 'body');
      expect(body.errors).toEqual({ body: ['must be valid JSON'] });
    }
  });

  it('refuses a body that is not a JSON object', async () => {
    for (const raw of ['[]', '"text"', '42', 'null']) await refused(() => call({ raw, headers: { 'content-type': 'application/json' } }), 400);
  });

  it('refuses a body that is not JSON with 415', async () => {
    await refused(() => call({ raw: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
    await refused(() => call({ raw: '{}', headers: { 'content-type': 'text/plain' } }), 415);
  });

  it('refuses a wrong type in each field, naming it', async () => {
    const valid = spec.build().json!;
    for (const [field, value] of Object.entries(valid)) {
      await refused(() => call({ json: { ...valid, [field]: wrongTypeFor(value) } }), 400, field);
      await refused(() => call({ json: { ...valid, [field]: [value] } }), 400, field);
      await refused(() => call({ json: { ...valid, [field]: { $gt: '' } } }), 400, field);
      await refused(() => call({ json: { ...valid, [field]: null } }), 400, field);
    }
    if (Object.keys(valid).length > 0) {
      const body = await refused(() => call({ json: Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, wrongTypeFor(v)])) }), 400);
      expect(Object.keys(body.errors ?? {}).sort()).toEqual(Object.keys(valid).sort());
    }
  });

  it('refuses unknown fields, naming each', async () => {
    const body = await refused(() => call({ json: { ...spec.build().json, isAdmin: true, tenantId: family.tenantId } }), 400);
    expect(body.errors).toMatchObject({ isAdmin: ['is not a known field'], tenantId: ['is not a known field'] });
  });

  it('refuses an oversized body with 413', async () => {
    const body = await refused(() => call({ json: { ...spec.build().json, padding: 'x'.repeat(MAX_JSON + 10) } }), 413, 'body');
    expect(body.errors).toEqual({ body: [`must be at most ${MAX_JSON} bytes`] });
  });

  it('refuses injection strings in every constrained field, and never fails on them in free-text ones', async () => {
    const valid = spec.build();
    for (const [field, value] of Object.entries(valid.json!)) {
      if (typeof value !== 'string') continue;
      for (const attack of INJECTIONS) {
        await reset();
        if (isFree(valid, field)) await survives(() => call({ json: { ...spec.build().json, [field]: attack } }), `${key} ${field}=${JSON.stringify(attack.slice(0, 30))}`);
        else {
          const body = await refused(() => call({ json: { ...spec.build().json, [field]: attack } }), 400, field);
          expect(Object.keys(body.errors ?? {})).toEqual([field]);
        }
      }
    }
    // Still there, still whole.
    expect((await h.admin.query('SELECT count(*)::int AS n FROM users WHERE tenant_id = $1', [family.tenantId])).rows[0].n).toBeGreaterThan(0);
  });

  // Last: the control for every refusal above, which may use up this route's session.
  it('accepts the sample itself past validation (the control for the refusals above)', async () => {
    const res = await survives(() => call({ json: spec.build().json }), `${key} sample`);
    expect([400, 413, 415], (await res.clone().text()).slice(0, 300)).not.toContain(res.status);
  });
});

const formOps = operations.filter((op) => op.bodyMediaType === 'application/x-www-form-urlencoded');

describe.each(formOps.map((op) => [op.key, op] as const))('%s form body', (key, op) => {
  const spec = samples[key]!;
  let token: string | undefined;
  const call = (req: Send) => send(op, token, spec.build(), req);
  beforeAll(async () => {
    token = await tokenFor(spec.as);
  });

  it('refuses JSON, other media types and an untyped body with 415', async () => {
    await refused(() => call({ json: spec.build().form }), 415);
    await refused(() => call({ raw: 'code=abc', headers: { 'content-type': 'text/plain' } }), 415);
    await refused(() => call({ raw: 'code=abc', headers: { 'content-type': '' } }), 415);
  });

  it('refuses an oversized body with 413', async () => {
    const body = await refused(() => call({ form: { ...spec.build().form, padding: 'x'.repeat(MAX_JSON + 10) } }), 413, 'body');
    expect(body.errors).toEqual({ body: [`must be at most ${MAX_JSON} bytes`] });
  });

  it('refuses a repeated field (a list where one value is expected) and an oversized one, naming it', async () => {
    for (const field of op.bodyFields) {
      await refused(() => call({ form: { ...spec.build().form, [field]: ['one', 'two'] } }), 400, field);
      await refused(() => call({ form: { ...spec.build().form, [field]: 'x'.repeat(5000) } }), 400, field);
    }
  });

  it('treats unknown fields as the sample says', async () => {
    const sample = spec.build();
    if (sample.loose) await survives(() => call({ form: { ...sample.form, zz_unknown: '1' } }), `${key} unknown field`);
    else await refused(() => call({ form: { ...sample.form, zz_unknown: '1' } }), 400, 'zz_unknown');
  });

  it('never fails on injection strings or broken percent-encoding, and refuses them where constrained', async () => {
    const sample = spec.build();
    for (const field of op.bodyFields) {
      for (const attack of INJECTIONS.filter((i) => i.length < 4000)) {
        const req = () => call({ form: { ...spec.build().form, [field]: attack } });
        if (isFree(sample, field)) await survives(req, `${key} ${field}=${JSON.stringify(attack.slice(0, 30))}`);
        else await refused(req, 400, field);
      }
    }
    for (const raw of ['code=%E0%A4%A&state=%', 'code=%00&state=%ZZ', '&&&=&=', 'state']) {
      await survives(() => call({ raw, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), `${key} ${raw}`);
    }
  });

  it('accepts the sample itself past validation (the control for the refusals above)', async () => {
    const res = await survives(() => call({ form: spec.build().form }), `${key} sample`);
    expect([400, 413, 415]).not.toContain(res.status);
  });
});

const queryOps = operations.filter((op) => op.queryParams.length > 0);

describe.each(queryOps.map((op) => [op.key, op] as const))('%s query', (key, op) => {
  const spec = samples[key]!;
  let token: string | undefined;
  const call = (path: string) => send(op, token, spec.build(), { path });
  beforeAll(async () => {
    token = await tokenFor(spec.as);
  });

  it('treats an unknown parameter as the sample says', async () => {
    const sample = spec.build();
    const path = withQuery(sample.path, 'zz_unknown=1');
    if (sample.loose) await survives(() => call(path), `${key} unknown parameter`);
    else {
      const body = await refused(() => call(path), 400);
      expect(body.errors).toMatchObject({ 'query.zz_unknown': ['is not a known field'] });
    }
  });

  it('refuses a repeated or oversized parameter, naming it', async () => {
    for (const param of op.queryParams) {
      await refused(() => call(setQuery(spec.build().path, param, ['one', 'two'])), 400, `query.${param}`);
      await refused(() => call(setQuery(spec.build().path, param, 'x'.repeat(5000))), 400, `query.${param}`);
    }
  });

  it('refuses injection strings in every constrained parameter, and never fails on them in free-text ones', async () => {
    const sample = spec.build();
    for (const param of op.queryParams) {
      for (const attack of INJECTIONS) {
        const req = () => call(setQuery(spec.build().path, param, attack));
        if (isFree(sample, param)) await survives(req, `${key} ${param}=${JSON.stringify(attack.slice(0, 30))}`);
        else await refused(req, 400, `query.${param}`);
      }
    }
  });

  it('accepts the sample itself past validation (the control for the refusals above)', async () => {
    const res = await call(spec.build().path);
    expect(res.status, (await res.clone().text()).slice(0, 300)).toBeLessThan(500);
    expect([400, 413, 415]).not.toContain(res.status);
  });
});

const pathOps = operations.filter((op) => op.pathParams.length > 0);

describe.each(pathOps.map((op) => [op.key, op] as const))('%s path', (key, op) => {
  const spec = samples[key]!;
  let token: string | undefined;
  beforeAll(async () => {
    token = await tokenFor(spec.as);
  });

  it('refuses injection strings and malformed ids in each path parameter, naming it', async () => {
    for (const param of op.pathParams) {
      for (const bad of [...INJECTIONS.filter((i) => !i.includes('/')), 'not-an-id', '00000000-0000-0000-0000-00000000000g']) {
        const path = op.path.replace(`{${param}}`, encodeURIComponent(bad));
        await refused(() => send(op, token, spec.build(), { path }), 400, `path.${param}`);
      }
    }
  });

  it('accepts the sample itself past validation (the control for the refusals above)', async () => {
    const res = await send(op, token, spec.build(), {});
    expect(res.status, (await res.clone().text()).slice(0, 300)).toBeLessThan(500);
    expect([400, 413, 415]).not.toContain(res.status);
  });
});

const inputlessOps = operations.filter((op) => op.method === 'GET' && op.queryParams.length === 0 && op.pathParams.length === 0);

describe.each(inputlessOps.map((op) => [op.key, op] as const))('%s (takes no input)', (key, op) => {
  it('never fails on stray query parameters, and they change nothing', async () => {
    const token = await tokenFor(samples[key]!.as);
    for (const attack of INJECTIONS) {
      const res = await survives(() => send(op, token, samples[key]!.build(), { path: `${samples[key]!.build().path}?q=${encodeURIComponent(attack)}` }), `${key} ?q=`);
      expect(res.status).toBe(200);
    }
  });
});
