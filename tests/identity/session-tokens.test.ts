/**
 * Sessions in Lucia's design, through the real app: forged, mutated,
 * truncated, expired and revoked tokens are refused; expiry slides; refresh
 * rotates; sign-out and session revocation end a session; a cookie-borne
 * state-changing request from another site is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_LIFETIME_MS } from '../../server/auth/session-store.ts';
import { createHarness, envelopeOf, PASSWORD, setCookie, type Family, type Harness } from './identity-harness.ts';

let h: Harness;
let family: Family;

beforeAll(async () => {
  h = await createHarness('sessions');
  family = await h.createFamily();
});

afterAll(async () => {
  await h?.close();
});

async function freshToken(): Promise<string> {
  const res = await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD } });
  expect(res.status).toBe(200);
  return (await envelopeOf(res)).data.token;
}

async function freshCookie(): Promise<string> {
  const res = await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD, cookie: true } });
  expect(res.status).toBe(200);
  return `talemo_session=${setCookie(res, 'talemo_session')!.value}`;
}

async function meStatus(token: string): Promise<number> {
  const res = await h.call('GET', '/api/auth/me', { token });
  if (res.status !== 200) {
    const body = await envelopeOf(res);
    expect(body.status).toBe('error');
  }
  return res.status;
}

const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);

describe('a presented token', () => {
  it('works when genuine (the control for every refusal below)', async () => {
    expect(await meStatus(await freshToken())).toBe(200);
  });

  it('is refused when forged: a real session id with a secret the server did not issue', async () => {
    const [id] = (await freshToken()).split('.');
    expect(await meStatus(`${id}.${'a'.repeat(32)}`)).toBe(401);
    expect(await meStatus(`${'a'.repeat(24)}.${'b'.repeat(32)}`)).toBe(401);
  });

  it('is refused when mutated in its secret or its id', async () => {
    const token = await freshToken();
    expect(await meStatus(flip(token, token.length - 1))).toBe(401);
    expect(await meStatus(flip(token, 30))).toBe(401);
    expect(await meStatus(flip(token, 0))).toBe(401);
    expect(await meStatus(token.toUpperCase())).toBe(401);
  });

  it('is refused when truncated or padded', async () => {
    const token = await freshToken();
    expect(await meStatus(token.slice(0, -1))).toBe(401);
    expect(await meStatus(token.split('.')[0]!)).toBe(401);
    expect(await meStatus(`${token}a`)).toBe(401);
    expect(await meStatus(`${token}.extra`)).toBe(401);
  });

  it('is refused once expired', async () => {
    const token = await freshToken();
    await h.admin.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [token.split('.')[0]]);
    expect(await meStatus(token)).toBe(401);
  });

  it('is refused once revoked by sign-out, and the cookie is cleared', async () => {
    const cookie = await freshCookie();
    const res = await h.call('POST', '/api/auth/signout', { cookie, headers: { origin: h.publicUrl } });
    expect(res.status).toBe(200);
    expect(setCookie(res, 'talemo_session')?.value).toBe('');
    expect((await h.call('GET', '/api/auth/me', { cookie })).status).toBe(401);
    const row = await h.admin.query('SELECT revoked_reason FROM sessions WHERE id = $1', [cookie.split('=')[1]!.split('.')[0]]);
    expect(row.rows[0].revoked_reason).toBe('sign_out');
  });

  it('is refused with a malformed Authorization header', async () => {
    const token = await freshToken();
    const res = await h.call('GET', '/api/auth/me', { headers: { authorization: `Token ${token}` } });
    expect(res.status).toBe(401);
    expect((await envelopeOf(res)).message).toMatch(/Bearer/);
  });

  it('slides: a session used in its second half gets a fresh lifetime', async () => {
    const token = await freshToken();
    const id = token.split('.')[0];
    await h.admin.query(`UPDATE sessions SET expires_at = now() + interval '10 days' WHERE id = $1`, [id]);
    expect(await meStatus(token)).toBe(200);
    const { rows } = await h.admin.query('SELECT extract(epoch FROM expires_at - now()) * 1000 AS left_ms FROM sessions WHERE id = $1', [id]);
    expect(Number(rows[0].left_ms)).toBeGreaterThan(SESSION_LIFETIME_MS - 60_000);
  });
});

describe('refresh', () => {
  it('rotates: a new session works, the presented one is revoked and the revocation audited', async () => {
    const old = await freshToken();
    const res = await h.call('POST', '/api/auth/token/refresh', { token: old });
    expect(res.status).toBe(200);
    const body = await envelopeOf(res);
    expect(body.data.session.kind).toBe('refresh');
    expect(body.data.token).not.toBe(old);
    expect(await meStatus(body.data.token)).toBe(200);
    expect(await meStatus(old)).toBe(401);
    expect((await h.call('POST', '/api/auth/token/refresh', { token: old })).status).toBe(401);
    const audit = await h.admin.query(`SELECT after FROM audit_log WHERE tenant_id = $1 AND action = 'session.revoke' AND target_id = $2`, [family.tenantId, old.split('.')[0]]);
    expect(audit.rows).toEqual([{ after: { reason: 'rotated' } }]);
  });

  it('keeps a cookie session in a cookie', async () => {
    const cookie = await freshCookie();
    const res = await h.call('POST', '/api/auth/token/refresh', { cookie, headers: { origin: h.publicUrl } });
    expect(res.status).toBe(200);
    expect((await envelopeOf(res)).data.token).toBeNull();
    const next = setCookie(res, 'talemo_session')!.value;
    expect((await h.call('GET', '/api/auth/me', { cookie: `talemo_session=${next}` })).status).toBe(200);
    expect((await h.call('GET', '/api/auth/me', { cookie })).status).toBe(401);
  });
});

describe('signing in again', () => {
  it('revokes the session the browser presented (rotation on sign-in)', async () => {
    const cookie = await freshCookie();
    const res = await h.call('POST', '/api/auth/token', { cookie, headers: { origin: h.publicUrl }, body: { email: family.adminEmail, password: PASSWORD, cookie: true } });
    expect(res.status).toBe(200);
    expect((await h.call('GET', '/api/auth/me', { cookie })).status).toBe(401);
    const row = await h.admin.query('SELECT revoked_reason FROM sessions WHERE id = $1', [cookie.split('=')[1]!.split('.')[0]]);
    expect(row.rows[0].revoked_reason).toBe('replaced_by_sign_in');
  });

  it('is not blocked by a stale cookie', async () => {
    const cookie = await freshCookie();
    await h.call('POST', '/api/auth/signout', { cookie, headers: { origin: h.publicUrl } });
    const res = await h.call('POST', '/api/auth/token', { cookie, headers: { origin: h.publicUrl }, body: { email: family.adminEmail, password: PASSWORD, cookie: true } });
    expect(res.status).toBe(200);
    expect((await h.call('GET', '/api/auth/providers', { cookie })).status).toBe(200);
    // Elsewhere the same stale cookie is a clear 401, so the client knows to sign in.
    expect((await h.call('GET', '/api/auth/sessions', { cookie })).status).toBe(401);
  });
});

describe('cross-site requests carrying the cookie', () => {
  it('are refused for state-changing methods, whether told by Origin or Sec-Fetch-Site', async () => {
    const cookie = await freshCookie();
    const evil = await h.call('POST', '/api/auth/signout', { cookie, headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect((await envelopeOf(evil)).message).toMatch(/Cross-site/);
    const noOrigin = await h.call('POST', '/api/auth/signout', { cookie, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(noOrigin.status).toBe(403);
    const bare = await h.call('POST', '/api/auth/signout', { cookie });
    expect(bare.status).toBe(403);
    // Still signed in: none of them did anything.
    expect((await h.call('GET', '/api/auth/me', { cookie })).status).toBe(200);
  });

  it('are accepted from our own origin, or same-origin by Sec-Fetch-Site', async () => {
    const a = await freshCookie();
    expect((await h.call('POST', '/api/auth/signout', { cookie: a, headers: { origin: h.publicUrl } })).status).toBe(200);
    const b = await freshCookie();
    expect((await h.call('POST', '/api/auth/signout', { cookie: b, headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
  });

  it('do not affect bearer tokens, which browsers never send on their own', async () => {
    const token = await freshToken();
    expect((await h.call('POST', '/api/auth/signout', { token, headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });
});

describe('a user’s own sessions', () => {
  it('are listed with the current one marked, and one can be revoked (audited)', async () => {
    const current = await freshToken();
    const other = await freshToken();
    const list = await envelopeOf(await h.call('GET', '/api/auth/sessions', { token: current }));
    const ids = list.data.sessions.map((s: { id: string }) => s.id);
    expect(ids).toContain(current.split('.')[0]);
    expect(ids).toContain(other.split('.')[0]);
    expect(list.data.sessions.find((s: { current: boolean }) => s.current).id).toBe(current.split('.')[0]);

    const res = await h.call('DELETE', `/api/auth/sessions/${other.split('.')[0]}`, { token: current });
    expect(res.status).toBe(200);
    expect(await meStatus(other)).toBe(401);
    expect(await meStatus(current)).toBe(200);
    const audit = await h.admin.query(`SELECT actor_id, after FROM audit_log WHERE action = 'session.revoke' AND target_id = $1`, [other.split('.')[0]]);
    expect(audit.rows).toEqual([{ actor_id: family.adminId, after: { reason: 'revoked_by_user' } }]);
  });

  it("cannot include another user's session: revoking one is a 404 and leaves it alive", async () => {
    const member = await h.addMember(family, 'parentCreator');
    const res = await h.call('DELETE', `/api/auth/sessions/${member.token.split('.')[0]}`, { token: family.adminToken });
    expect(res.status).toBe(404);
    expect(await meStatus(member.token)).toBe(200);
    const stranger = await h.createFamily();
    expect((await h.call('DELETE', `/api/auth/sessions/${stranger.adminToken.split('.')[0]}`, { token: family.adminToken })).status).toBe(404);
    expect(await meStatus(stranger.adminToken)).toBe(200);
  });
});
