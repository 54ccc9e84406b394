/**
 * The PWA's session cookie over HTTPS (issue 3 §1, DESIGN "Sessions"): named
 * `__Host-talemo_session`, with `Secure`, `HttpOnly`, `SameSite=Lax`,
 * `Path=/` and no `Domain` — on every response that sets it (sign-in,
 * refresh, rotation after a privilege change) and on the one that clears it,
 * since a browser ignores a `__Host-` cookie that lacks any of these.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_LIFETIME_MS } from '../../server/auth/session-store.ts';
import { createHarness, envelopeOf, PASSWORD, type Family, type Harness } from './identity-harness.ts';

const HOST_COOKIE = '__Host-talemo_session';

let https: Harness;
let family: Family;

beforeAll(async () => {
  https = await createHarness('cookie_https', { PUBLIC_URL: 'https://talemo.example' });
  family = await https.createFamily();
});

afterAll(async () => {
  await https?.close();
});

interface ParsedCookie {
  name: string;
  value: string;
  /** Attribute names in lower case, mapped to their value ('' for flags). */
  attributes: Map<string, string>;
}

/** Every Set-Cookie of the response, parsed. */
function cookiesOf(res: Response): ParsedCookie[] {
  return res.headers.getSetCookie().map((line) => {
    const [pair, ...attrs] = line.split(';').map((part) => part.trim());
    const eq = pair!.indexOf('=');
    const attributes = new Map(
      attrs.filter(Boolean).map((a) => {
        const i = a.indexOf('=');
        return i === -1 ? [a.toLowerCase(), ''] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
      }),
    );
    return { name: pair!.slice(0, eq), value: decodeURIComponent(pair!.slice(eq + 1)), attributes };
  });
}

/** The one session cookie the response sets, checked against the __Host- rules. */
function expectHostSessionCookie(res: Response): ParsedCookie {
  const session = cookiesOf(res).filter((c) => c.name.endsWith('talemo_session'));
  expect(session.map((c) => c.name)).toEqual([HOST_COOKIE]);
  const cookie = session[0]!;
  expect(cookie.attributes.has('secure')).toBe(true);
  expect(cookie.attributes.has('httponly')).toBe(true);
  expect(cookie.attributes.get('samesite')).toBe('Lax');
  expect(cookie.attributes.get('path')).toBe('/');
  expect(cookie.attributes.has('domain')).toBe(false);
  return cookie;
}

async function signIn(): Promise<ParsedCookie> {
  const res = await https.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD, cookie: true } });
  expect(res.status).toBe(200);
  expect((await envelopeOf(res.clone())).data.token).toBeNull();
  return expectHostSessionCookie(res);
}

describe('over HTTPS the session cookie', () => {
  it('is __Host-talemo_session with Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain, lasting the session lifetime', async () => {
    const cookie = await signIn();
    expect(cookie.value).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{32}$/);
    const expires = Date.parse(cookie.attributes.get('expires')!);
    expect(expires - Date.now()).toBeGreaterThan(SESSION_LIFETIME_MS - 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(SESSION_LIFETIME_MS);
  });

  it('is read back under that name only', async () => {
    const cookie = await signIn();
    expect((await https.call('GET', '/api/auth/me', { cookie: `${HOST_COOKIE}=${cookie.value}` })).status).toBe(200);
    // The plain-HTTP name is not a credential on an HTTPS deployment.
    expect((await https.call('GET', '/api/auth/me', { cookie: `talemo_session=${cookie.value}` })).status).toBe(401);
  });

  it('keeps the same attributes when refresh replaces it', async () => {
    const cookie = await signIn();
    const res = await https.call('POST', '/api/auth/token/refresh', { cookie: `${HOST_COOKIE}=${cookie.value}`, headers: { origin: https.publicUrl } });
    expect(res.status).toBe(200);
    expect(expectHostSessionCookie(res).value).not.toBe(cookie.value);
  });

  it('keeps the same attributes when a privilege change rotates it', async () => {
    const member = await https.addMember(family, 'parentCreator');
    const signedIn = await https.call('POST', '/api/auth/token', { body: { email: member.email, password: PASSWORD, cookie: true } });
    const cookie = expectHostSessionCookie(signedIn);
    const move = await https.call('PUT', `/api/admin/users/${member.userId}`, { token: family.adminToken, body: { profile_id: family.profileIds.kidsListenOnly } });
    expect(move.status).toBe(200);
    const res = await https.call('GET', '/api/auth/me', { cookie: `${HOST_COOKIE}=${cookie.value}` });
    expect(res.status).toBe(200);
    expect(expectHostSessionCookie(res).value).not.toBe(cookie.value);
  });

  it('is cleared on sign-out with the attributes a browser needs to accept the deletion', async () => {
    const cookie = await signIn();
    const res = await https.call('POST', '/api/auth/signout', { cookie: `${HOST_COOKIE}=${cookie.value}`, headers: { origin: https.publicUrl } });
    expect(res.status).toBe(200);
    const cleared = expectHostSessionCookie(res);
    expect(cleared.value).toBe('');
    expect(cleared.attributes.get('max-age')).toBe('0');
  });
});
