/**
 * Rotation on a privilege change (issue 3 §1), through the real app: when an
 * admin moves a member to another profile, or edits the permissions of the
 * member's profile, the member's next request rotates their session — a new
 * cookie for the PWA, a `Talemo-Session-Token` header for bearer clients —
 * the old token keeps working only for the grace window, and the revocation
 * is audited. Requests whose privileges did not change rotate nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROTATION_GRACE_MS, SESSION_LIFETIME_MS } from '../../server/auth/session-store.ts';
import { ROTATED_SESSION_HEADER } from '../../server/auth/session-transport.ts';
import { deviceFetch, type ServerConnection } from '../../sync/device/server-connection.ts';
import { createHarness, envelopeOf, PASSWORD, setCookie, type Family, type Harness } from './identity-harness.ts';

let h: Harness;
let family: Family;

const COOKIE = 'talemo_session';
const idOf = (token: string) => token.split('.')[0]!;

beforeAll(async () => {
  h = await createHarness('priv_rotation');
  family = await h.createFamily();
});

afterAll(async () => {
  await h?.close();
});

async function signInCookie(email: string): Promise<string> {
  const res = await h.call('POST', '/api/auth/token', { body: { email, password: PASSWORD, cookie: true } });
  expect(res.status).toBe(200);
  return `${COOKIE}=${setCookie(res, COOKIE)!.value}`;
}

async function me(credential: { token?: string; cookie?: string }) {
  const res = await h.call('GET', '/api/auth/me', credential);
  const body = res.status === 200 ? (await envelopeOf(res.clone())).data : null;
  return { res, status: res.status, body, rotatedToken: res.headers.get(ROTATED_SESSION_HEADER), rotatedCookie: setCookie(res, COOKIE)?.value };
}

async function moveMember(userId: string, profileId: string): Promise<void> {
  const res = await h.call('PUT', `/api/admin/users/${userId}`, { token: family.adminToken, body: { profile_id: profileId } });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function profile(id: string) {
  const res = await h.call('GET', `/api/profiles/${id}`, { token: family.adminToken });
  expect(res.status).toBe(200);
  return (await envelopeOf(res)).data as { name: string; description: string; permissions: { actions: string[]; limits: unknown } };
}

async function putProfile(id: string, change: (p: Awaited<ReturnType<typeof profile>>) => Record<string, unknown>): Promise<void> {
  const current = await profile(id);
  const res = await h.call('PUT', `/api/profiles/${id}`, { token: family.adminToken, body: change(current) });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Moves the old session's revocation into the past, as if the grace window had run out. */
async function endGraceWindow(token: string): Promise<void> {
  await h.admin.query(`UPDATE sessions SET revoked_at = revoked_at - make_interval(secs => $2) WHERE id = $1`, [idOf(token), ROTATION_GRACE_MS / 1000 + 1]);
}

async function sessionRow(id: string) {
  const { rows } = await h.admin.query(
    `SELECT kind, device_name, user_agent, revoked_reason, replaced_by_session_id, issued_by_session_id, privilege_fingerprint,
            extract(epoch FROM expires_at - now()) * 1000 AS left_ms
     FROM sessions WHERE id = $1`,
    [id],
  );
  return rows[0];
}

async function revocationAudit(oldId: string) {
  const { rows } = await h.admin.query(`SELECT actor_id, after FROM audit_log WHERE tenant_id = $1 AND action = 'session.revoke' AND target_id = $2`, [family.tenantId, oldId]);
  return rows;
}

describe('an admin moves a member to another profile', () => {
  it('rotates their bearer session on the next request: new token in the header, old one only within the grace window, audited', async () => {
    const member = await h.addMember(family, 'parentCreator');
    await h.admin.query(`UPDATE sessions SET device_name = 'Kitchen tablet' WHERE id = $1`, [idOf(member.token)]);
    const before = await me({ token: member.token });
    expect(before.rotatedToken).toBeNull();

    await moveMember(member.userId, family.profileIds.tenantAdmin);

    const first = await me({ token: member.token });
    expect(first.status).toBe(200);
    // The request that notices already runs with the new privileges.
    expect(first.body.profile.id).toBe(family.profileIds.tenantAdmin);
    expect(first.body.permissions.actions).toContain('users.manage');
    const rotated = first.rotatedToken!;
    expect(rotated).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{32}$/);
    expect(rotated).not.toBe(member.token);
    expect(first.res.headers.get('cache-control')).toBe('no-store');

    // The new session: same kind and device, fresh lifetime, current privileges recorded.
    const next = await me({ token: rotated });
    expect(next.status).toBe(200);
    expect(next.rotatedToken).toBeNull();
    expect(next.body.session.id).toBe(idOf(rotated));
    const fresh = await sessionRow(idOf(rotated));
    expect(fresh).toMatchObject({ kind: 'password', device_name: 'Kitchen tablet', revoked_reason: null });
    expect(Number(fresh.left_ms)).toBeGreaterThan(SESSION_LIFETIME_MS - 60_000);

    // The old one is revoked, points at its successor, and the revocation is audited.
    const old = await sessionRow(idOf(member.token));
    expect(old).toMatchObject({ revoked_reason: 'privilege_change', replaced_by_session_id: idOf(rotated) });
    expect(await revocationAudit(idOf(member.token))).toEqual([
      { actor_id: member.userId, after: { reason: 'privilege_change', replacedBySessionId: idOf(rotated), profileId: family.profileIds.tenantAdmin } },
    ]);

    // In flight: the old token still works, as the new session, rotates
    // nothing more, and is handed the same new token again (the first answer
    // may never have reached the client).
    const inFlight = await me({ token: member.token });
    expect(inFlight.status).toBe(200);
    expect(inFlight.rotatedToken).toBe(rotated);
    expect(inFlight.body.session.id).toBe(idOf(rotated));

    await endGraceWindow(member.token);
    const late = await me({ token: member.token });
    expect(late.status).toBe(401);
    expect(late.rotatedToken).toBeNull();
    expect((await me({ token: rotated })).status).toBe(200);
    const sessions = await h.admin.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [member.userId]);
    expect(sessions.rows[0].n).toBe(2);
  });

  it('rotates their cookie session with a new Set-Cookie', async () => {
    const member = await h.addMember(family, 'parentCreator');
    const cookie = await signInCookie(member.email!);
    expect((await me({ cookie })).rotatedCookie).toBeUndefined();

    await moveMember(member.userId, family.profileIds.kidsListenOnly);

    const first = await me({ cookie });
    expect(first.status).toBe(200);
    expect(first.body.permissions.actions).toEqual(['stories.read']);
    expect(first.rotatedToken).toBeNull();
    const rotated = first.rotatedCookie!;
    expect(rotated).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{32}$/);
    expect(setCookie(first.res, COOKIE)!.attributes).toMatch(/HttpOnly/);

    const next = await me({ cookie: `${COOKIE}=${rotated}` });
    expect(next.status).toBe(200);
    expect(next.rotatedCookie).toBeUndefined();
    expect(await revocationAudit(idOf(cookie.split('=')[1]!))).toHaveLength(1);

    const inFlight = await me({ cookie });
    expect(inFlight.status).toBe(200);
    expect(inFlight.rotatedCookie).toBe(rotated);
    await endGraceWindow(cookie.split('=')[1]!);
    expect((await me({ cookie })).status).toBe(401);
    expect((await me({ cookie: `${COOKIE}=${rotated}` })).status).toBe(200);
  });

  it('rotates when they are moved with POST /api/profiles/{id}/assign as well', async () => {
    const member = await h.addMember(family, 'kidsListenOnly');
    const res = await h.call('POST', `/api/profiles/${family.profileIds.parentCreator}/assign`, { token: family.adminToken, body: { user_ids: [member.userId] } });
    expect(res.status, await res.clone().text()).toBe(200);
    const first = await me({ token: member.token });
    expect(first.rotatedToken).not.toBeNull();
    expect((await sessionRow(idOf(member.token))).revoked_reason).toBe('privilege_change');
  });
});

describe("editing a profile's permissions", () => {
  it("rotates every member's sessions, whatever their kind, and nobody else's", async () => {
    const a = await h.addMember(family, 'kidsListenOnly');
    const b = await h.addMember(family, 'kidsListenOnly');
    const kid = await h.addMember(family, 'kidsListenOnly', 'kid');
    const other = await h.addMember(family, 'parentCreator');
    await h.admin.query(`UPDATE sessions SET device_name = 'Bedroom tablet', issued_by_session_id = $2 WHERE id = $1`, [idOf(kid.token), idOf(family.adminToken)]);

    await putProfile(family.profileIds.kidsListenOnly, (p) => ({ name: p.name, description: p.description, permissions: { ...p.permissions, limits: { ageRanges: ['0-3'], languages: null } } }));

    for (const member of [a, b, kid]) {
      const res = await me({ token: member.token });
      expect(res.status).toBe(200);
      expect(res.body.permissions.limits.ageRanges).toEqual(['0-3']);
      expect(res.rotatedToken, `member ${member.userId}`).not.toBeNull();
      expect(await revocationAudit(idOf(member.token))).toHaveLength(1);
    }
    // A kid's device session stays a pairing session, on the same device, issued by the same parent session.
    const kidNext = (await h.admin.query('SELECT replaced_by_session_id FROM sessions WHERE id = $1', [idOf(kid.token)])).rows[0].replaced_by_session_id;
    expect(await sessionRow(kidNext)).toMatchObject({ kind: 'pairing', device_name: 'Bedroom tablet', issued_by_session_id: idOf(family.adminToken) });

    expect((await me({ token: other.token })).rotatedToken).toBeNull();
    expect((await me({ token: family.adminToken })).rotatedToken).toBeNull();
  });
});

describe('a request whose privileges did not change', () => {
  it('rotates nothing: no header, no cookie, no new session, no audit row', async () => {
    const member = await h.addMember(family, 'parentCreator');
    const cookie = await signInCookie(member.email!);
    const count = async () => (await h.admin.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [member.userId])).rows[0].n;
    const sessionsBefore = await count();

    // Renaming the profile, saving it unchanged, or "moving" a member to the profile they are on changes no privilege.
    await putProfile(family.profileIds.parentCreator, (p) => ({ name: p.name, description: `${p.description} (edited)`, permissions: p.permissions }));
    await moveMember(member.userId, family.profileIds.parentCreator);

    for (let i = 0; i < 3; i++) {
      const bearer = await me({ token: member.token });
      expect(bearer.status).toBe(200);
      expect(bearer.rotatedToken).toBeNull();
      const browser = await me({ cookie });
      expect(browser.status).toBe(200);
      expect(browser.rotatedCookie).toBeUndefined();
    }
    expect(await count()).toBe(sessionsBefore);
    expect(await revocationAudit(idOf(member.token))).toEqual([]);
  });

  it('is not rotated for a session issued before fingerprints were recorded: the current one is stamped instead', async () => {
    const member = await h.addMember(family, 'parentCreator');
    const stamped = (await sessionRow(idOf(member.token))).privilege_fingerprint;
    expect(stamped).toHaveLength(32);
    await h.admin.query('UPDATE sessions SET privilege_fingerprint = NULL WHERE id = $1', [idOf(member.token)]);
    expect((await me({ token: member.token })).rotatedToken).toBeNull();
    expect((await sessionRow(idOf(member.token))).privilege_fingerprint).toEqual(stamped);
  });
});

describe('rotation under concurrency and alongside other session changes', () => {
  it('happens once when several requests arrive with the stale token together, and all of them succeed', async () => {
    const member = await h.addMember(family, 'parentCreator');
    await moveMember(member.userId, family.profileIds.kidsListenOnly);
    const results = await Promise.all(Array.from({ length: 6 }, () => me({ token: member.token })));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    // Those that arrive after the rotation are handed the same token again.
    const rotated = results.map((r) => r.rotatedToken).filter((t): t is string => t !== null);
    expect(rotated.length).toBeGreaterThanOrEqual(1);
    expect(new Set(rotated).size).toBe(1);
    expect(await revocationAudit(idOf(member.token))).toHaveLength(1);
    const live = await h.admin.query('SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL', [member.userId]);
    expect(live.rows.map((r) => r.id)).toEqual([idOf(rotated[0]!)]);
  });

  it('ends the grace window when the new session is signed out', async () => {
    const member = await h.addMember(family, 'parentCreator');
    await moveMember(member.userId, family.profileIds.kidsListenOnly);
    const rotated = (await me({ token: member.token })).rotatedToken!;
    expect((await h.call('POST', '/api/auth/signout', { token: rotated })).status).toBe(200);
    expect((await me({ token: member.token })).status).toBe(401);
  });

  it('signs out the session the client holds even when sign-out is sent with the old token in the grace window', async () => {
    const member = await h.addMember(family, 'parentCreator');
    await moveMember(member.userId, family.profileIds.kidsListenOnly);
    const rotated = (await me({ token: member.token })).rotatedToken!;
    const signOut = await h.call('POST', '/api/auth/signout', { token: member.token });
    expect(signOut.status).toBe(200);
    // Nor is the session just signed out handed back.
    expect(signOut.headers.get(ROTATED_SESSION_HEADER)).toBeNull();
    expect((await me({ token: rotated })).status).toBe(401);
    expect((await me({ token: member.token })).status).toBe(401);
  });

  it('signs out a cookie session sent with the old cookie in the grace window, and does not set the new one back', async () => {
    const member = await h.addMember(family, 'parentCreator');
    const cookie = await signInCookie(member.email!);
    await moveMember(member.userId, family.profileIds.kidsListenOnly);
    const rotated = (await me({ cookie })).rotatedCookie!;
    const signOut = await h.call('POST', '/api/auth/signout', { cookie, headers: { origin: h.publicUrl } });
    expect(signOut.status, await signOut.clone().text()).toBe(200);
    // Every Set-Cookie for the session clears it (a browser applies them in order).
    const sessionCookies = signOut.headers.getSetCookie().filter((line) => line.startsWith(`${COOKIE}=`));
    expect(sessionCookies.length).toBeGreaterThan(0);
    expect(sessionCookies.map((line) => line.split(';')[0])).toEqual(sessionCookies.map(() => `${COOKIE}=`));
    expect((await me({ cookie: `${COOKIE}=${rotated}` })).status).toBe(401);
  });

  it('hands a new token lost with its answer to the next request made with the old one, and only within the grace window', async () => {
    const member = await h.addMember(family, 'parentCreator');
    await moveMember(member.userId, family.profileIds.kidsListenOnly);
    // The answer that carried the new token never reached the client.
    const lost = (await me({ token: member.token })).rotatedToken!;
    const again = await me({ token: member.token });
    expect(again.status).toBe(200);
    expect(again.rotatedToken).toBe(lost);
    expect((await me({ token: again.rotatedToken! })).status).toBe(200);
    expect(await revocationAudit(idOf(member.token))).toHaveLength(1);

    await endGraceWindow(member.token);
    const late = await me({ token: member.token });
    expect(late.status).toBe(401);
    expect(late.rotatedToken).toBeNull();
  });

  it('does not hand again a token this server cannot vouch for (the successor was minted under another instance secret)', async () => {
    const member = await h.addMember(family, 'parentCreator');
    await moveMember(member.userId, family.profileIds.kidsListenOnly);
    const lost = (await me({ token: member.token })).rotatedToken!;
    // As if another process, with another TALEMO_SECRET, had minted it.
    await h.admin.query(`UPDATE sessions SET secret_hash = sha256('minted elsewhere'::bytea) WHERE id = $1`, [idOf(lost)]);
    const again = await me({ token: member.token });
    expect(again.status).toBe(200);
    expect(again.rotatedToken).toBeNull();
  });

  it('rotates nothing for a request whose client hung up before the answer; the next request rotates', async () => {
    const member = await h.addMember(family, 'parentCreator');
    await moveMember(member.userId, family.profileIds.kidsListenOnly);
    const gone = new AbortController();
    gone.abort();
    const res = await h.app.request('http://talemo.test/api/auth/me', { headers: { authorization: `Bearer ${member.token}` }, signal: gone.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get(ROTATED_SESSION_HEADER)).toBeNull();
    expect((await sessionRow(idOf(member.token))).revoked_reason).toBeNull();

    const next = await me({ token: member.token });
    expect(next.rotatedToken).not.toBeNull();
    expect((await sessionRow(idOf(member.token))).revoked_reason).toBe('privilege_change');
  });

  it('leaves an explicit refresh in charge: its token in the body is the only new one', async () => {
    const member = await h.addMember(family, 'parentCreator');
    await moveMember(member.userId, family.profileIds.kidsListenOnly);
    const res = await h.call('POST', '/api/auth/token/refresh', { token: member.token });
    expect(res.status).toBe(200);
    expect(res.headers.get(ROTATED_SESSION_HEADER)).toBeNull();
    const refreshed = (await envelopeOf(res)).data.token as string;
    const next = await me({ token: refreshed });
    expect(next.status).toBe(200);
    expect(next.rotatedToken).toBeNull();
    expect((await sessionRow(idOf(member.token))).revoked_reason).toBe('rotated');
  });

  it('delivers the new token even when the request is then refused for lack of the permission it just lost', async () => {
    const member = await h.addMember(family, 'tenantAdmin');
    await moveMember(member.userId, family.profileIds.kidsListenOnly);
    const res = await h.call('GET', '/api/admin/users', { token: member.token });
    expect(res.status).toBe(403);
    const rotated = res.headers.get(ROTATED_SESSION_HEADER)!;
    expect(rotated).not.toBeNull();
    expect((await me({ token: rotated })).status).toBe(200);
  });
});

describe('the device (sync/device/server-connection.ts)', () => {
  it('adopts the rotated bearer token and keeps working after the grace window, even where a caller passed the old header', async () => {
    const member = await h.addMember(family, 'parentCreator');
    const adopted: string[] = [];
    const conn: ServerConnection = {
      baseUrl: 'http://talemo.test',
      bearerToken: member.token,
      fetch: (input, init) => Promise.resolve(h.app.request(input instanceof Request ? input : String(input), init)),
      onTokenRotated: (token) => adopted.push(token),
    };
    const f = deviceFetch(conn);
    // What the shape client was given once, at subscribe time.
    const staleHeaders = { authorization: `Bearer ${member.token}` };

    expect((await f('http://talemo.test/api/auth/me')).status).toBe(200);
    expect(conn.bearerToken).toBe(member.token);

    await moveMember(member.userId, family.profileIds.kidsListenOnly);
    expect((await f('http://talemo.test/api/auth/me', { headers: staleHeaders })).status).toBe(200);
    expect(conn.bearerToken).not.toBe(member.token);
    expect(adopted).toEqual([conn.bearerToken]);

    await endGraceWindow(member.token);
    const after = await f('http://talemo.test/api/auth/me', { headers: staleHeaders });
    expect(after.status).toBe(200);
    expect((await envelopeOf(after)).data.session.id).toBe(idOf(conn.bearerToken!));
  });
});
