/**
 * Access, generated from the route table: every operation in
 * /api/openapi.json gets these tests, so a new route cannot skip them.
 *
 * For every route that is not in PUBLIC_ROUTES:
 * - without a session → 401;
 * - a member of another tenant using this tenant's ids → 403/404, with
 *   nothing of this tenant changed and none of its ids in the answer;
 * - a member whose profile lacks the route's permission → 403, nothing
 *   changed; routes open to every member answer a profile with no actions;
 * - (routes declared with x-talemo-access) a member who has the
 *   permission succeeds, which shows each sample request is valid, so the
 *   refusals above come from the access rules and not from bad input.
 *
 * Access comes from each operation's `x-talemo-access`; routes of other
 * modules that do not declare it yet are declared in EXTERNAL_ACCESS below.
 * A route with neither fails. Routes outside the OpenAPI document must be
 * in NON_OPENAPI_ROUTES, with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccess } from '../../server/routes/route-kit.ts';
import { createApiHarness, tenantFingerprint, type ApiHarness } from './support/api-harness.ts';
import { loadRouteTable } from './support/route-table.ts';
import { createVictim, idsOf, sampleRequests, type Sample, type Victim } from './support/sample-requests.ts';
import { actionsExcept, addMember, createWorld, type Member, type World } from './support/tenant-world.ts';

const { operations, registered } = await loadRouteTable();

/** Routes anyone may call without a session, and why. */
const PUBLIC_ROUTES: Record<string, string> = {
  'GET /api/health': 'Liveness probe for load balancers; says nothing about any tenant.',
  'GET /api/health/ready': 'Readiness probe for load balancers; reports only database reachability and migrations.',
  'GET /assets/{id}/content': 'Signed asset URL: the HMAC over asset, tenant and expiry is the credential (audio players and the service worker fetch it without a session).',
  'POST /api/webhooks/subscription-status': 'Incoming payment webhook: the provider has no session; its Stripe-Signature over the raw body is the credential.',
  'GET /api/auth/providers': 'The sign-in screen must know which providers exist before anyone signs in.',
  'POST /api/auth/signup': 'Creating an account is how one gets a session.',
  'POST /api/auth/token': 'Password sign-in: exchanges credentials for a session.',
  'GET /api/auth/google': 'Starts Google sign-in (state, nonce, PKCE).',
  'GET /api/auth/google/callback': 'Google returns here; the single-use OAuth state is the credential.',
  'GET /api/auth/apple': 'Starts Apple sign-in.',
  'POST /api/auth/apple/callback': 'Apple form_post callback; the single-use OAuth state is the credential.',
  'GET /api/auth/invitations/preview': 'Shows an invitation to its bearer; the one-time token is the credential.',
  'POST /api/auth/invitations/accept': 'Accepting an invitation creates the session; the one-time token is the credential.',
  'POST /api/auth/pairing/redeem': 'A kid device redeems a one-time pairing code for its session.',
};

/** Routes Hono serves outside the OpenAPI document, and why. */
const NON_OPENAPI_ROUTES: Record<string, string> = {
  'GET /metrics': 'Prometheus scrape endpoint, outside /api; protected by METRICS_TOKEN when set.',
  'GET /api/openapi.json': 'The API description itself is public.',
  'GET /*': 'The PWA\'s static files (HTML, scripts, service worker, icons): public by nature; every /api route is matched before it.',
  'HEAD /*': 'HEAD for the PWA\'s static files.',
};

/** Access of routes whose module does not declare x-talemo-access (yet). */
const EXTERNAL_ACCESS: Record<string, RouteAccess> = {
  // Per shape: the stories shape (the sample's) needs stories.read.
  'GET /api/shapes/{name}': { kind: 'permission', any: ['stories.read'] },
  'GET /api/auth/me': { kind: 'member', reason: 'Who am I.' },
  'POST /api/auth/token/refresh': { kind: 'member', reason: 'Rotates one\'s own session.' },
  'POST /api/auth/signout': { kind: 'member', reason: 'Ends one\'s own session.' },
  'GET /api/auth/sessions': { kind: 'member', reason: 'One\'s own sessions.' },
  'DELETE /api/auth/sessions/{id}': { kind: 'member', reason: 'Revokes one of one\'s own sessions.' },
  'POST /api/auth/password': { kind: 'member', reason: 'Changes one\'s own password.' },
  'POST /api/auth/google/link': { kind: 'member', reason: 'Links a provider to one\'s own account.' },
  'POST /api/auth/apple/link': { kind: 'member', reason: 'Links a provider to one\'s own account.' },
  'POST /api/auth/invitations': { kind: 'permission', any: ['users.manage'] },
  'GET /api/auth/invitations': { kind: 'permission', any: ['users.manage'] },
  'DELETE /api/auth/invitations/{id}': { kind: 'permission', any: ['users.manage'] },
  'POST /api/auth/kids': { kind: 'permission', any: ['users.manage'] },
  'GET /api/auth/kids': { kind: 'permission', any: ['users.manage'] },
  'POST /api/auth/pairing': { kind: 'permission', any: ['users.manage'] },
  'POST /api/auth/pairing/codes': { kind: 'permission', any: ['users.manage'] },
};

let h: ApiHarness;
let a: World;
let b: World;
let victim: Victim;
let bIds: string[];
const SAMPLES: Record<string, Sample> = sampleRequests(() => h, () => victim);

const effectiveAccess = (key: string, declared: RouteAccess | undefined): RouteAccess | undefined =>
  declared ?? EXTERNAL_ACCESS[key] ?? (PUBLIC_ROUTES[key] ? { kind: 'public', reason: PUBLIC_ROUTES[key]! } : undefined);

beforeAll(async () => {
  h = await createApiHarness('api_access', { PLATFORM_OPERATOR_TOKEN: 'operator-token-operator-token-0123456789' });
  a = await createWorld(h, 'Attackers');
  victim = await createVictim(h);
  b = victim.world;
  expect((await h.call('PUT', '/api/tenants/policies/max_volume', { token: b.admin.token, json: { value: 33 } })).status).toBe(200);
  bIds = await idsOf(h, b.tenantId);
});

afterAll(async () => {
  await h?.close();
});

describe('the route table', () => {
  it('has every served route in the OpenAPI document, or listed with a reason', () => {
    const documented = new Set(operations.map((o) => o.key));
    const undocumented = registered.filter((r) => !documented.has(r) && !NON_OPENAPI_ROUTES[r]);
    expect(undocumented).toEqual([]);
  });

  it('has exactly the allowlisted routes public', () => {
    const publicRoutes = operations.filter((o) => effectiveAccess(o.key, o.access)?.kind === 'public').map((o) => o.key).sort();
    expect(publicRoutes).toEqual(Object.keys(PUBLIC_ROUTES).sort());
    for (const reason of Object.values(PUBLIC_ROUTES)) expect(reason.length).toBeGreaterThan(20);
  });

  it('has a sample request for every route that is not public', () => {
    const missing = operations.filter((o) => effectiveAccess(o.key, o.access)?.kind !== 'public' && !SAMPLES[o.key]).map((o) => o.key);
    expect(missing).toEqual([]);
  });
});

describe.each(operations.map((o) => [o.key, o] as const))('%s', (key, op) => {
  const rule = effectiveAccess(key, op.access);

  it('declares who may call it', () => {
    expect(rule, `${key}: add x-talemo-access (server/routes/route-kit.ts access()) or an entry in EXTERNAL_ACCESS`).toBeDefined();
  });

  if (!rule || rule.kind === 'public') return;
  const sample = SAMPLES[key];
  if (!sample) return;

  const call = (req: Awaited<ReturnType<Sample['own']>>, token?: string) => h.call(op.method, req.path, { json: req.json, form: req.form, raw: req.raw, token, headers: req.headers });

  it('refuses a request without a session (401)', async () => {
    const res = await call(await sample.own(a));
    expect(res.status, res.text).toBe(401);
  });

  if (rule.kind === 'operator') {
    it('refuses a tenant admin\'s session (401)', async () => {
      expect((await call(await sample.own(a), a.admin.token)).status).toBe(401);
    });
    return;
  }

  it('refuses another tenant\'s member reaching this tenant\'s data, changing nothing and leaking no ids', async () => {
    const attacker = await addMember(h, a, { actions: actionsExcept([]) });
    const req = sample.foreign ? await sample.foreign(b, a) : await sample.own(a);
    const before = await tenantFingerprint(h.admin, b.tenantId);
    const res = await call(req, attacker.token);
    if (sample.foreign) expect(sample.foreignStatuses ?? [400, 403, 404], res.text).toContain(res.status);
    for (const id of bIds) expect(res.text, `${key} leaked ${id}`).not.toContain(id);
    expect(await tenantFingerprint(h.admin, b.tenantId)).toEqual(before);
  });

  if (rule.kind === 'permission') {
    it(`refuses a profile without ${rule.any.join(' or ')} (403), changing nothing`, async () => {
      const lacking = await addMember(h, a, { actions: actionsExcept(rule.any) });
      const req = await sample.own(a);
      const before = await tenantFingerprint(h.admin, a.tenantId);
      const res = await call(req, lacking.token);
      expect(res.status, res.text).toBe(403);
      expect(await tenantFingerprint(h.admin, a.tenantId)).toEqual(before);
    });
  }

  if (sample.positive !== false) {
    const allowed = async (): Promise<Member> =>
      rule.kind === 'member' ? addMember(h, a, { actions: [] }) : addMember(h, a, { actions: [...rule.any] });
    it(rule.kind === 'member' ? 'answers any member, even a profile with no actions' : `answers a profile with only ${rule.any.join(' + ')}`, async () => {
      const member = await allowed();
      const res = await call(await sample.own(a), member.token);
      expect(res.status, res.text).toBe(sample.ok ?? 200);
    });
  }
});
