/**
 * Kid accounts and device pairing: a parent with users.manage creates a kid
 * (no email) and signs a device in as that kid, on the device itself or with
 * a one-time code; the kid session can do only what the kid profile allows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILES } from '../../shapes/permissions.ts';
import { createHarness, envelopeOf, PASSWORD, setCookie, type Family, type Harness } from './identity-harness.ts';

let h: Harness;
let family: Family;
let kidId: string;

beforeAll(async () => {
  h = await createHarness('kids', { PAIRING_CODE_TTL_SECONDS: '300' });
  family = await h.createFamily('The Pairers');
  const res = await h.call('POST', '/api/auth/kids', { token: family.adminToken, body: { displayName: 'Léa', avatar: 'fox' } });
  expect(res.status).toBe(201);
  kidId = (await envelopeOf(res)).data.kid.id;
});

afterAll(async () => {
  await h?.close();
});

async function adminCookie(): Promise<string> {
  const res = await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD, cookie: true } });
  expect(res.status).toBe(200);
  return `talemo_session=${setCookie(res, 'talemo_session')!.value}`;
}

async function pairingCode(token = family.adminToken, kid = kidId): Promise<string> {
  const res = await h.call('POST', '/api/auth/pairing/codes', { token, body: { kidId: kid, deviceName: 'Living-room tablet' } });
  expect(res.status).toBe(201);
  return (await envelopeOf(res)).data.code;
}

describe('kid accounts', () => {
  it('have no email, sit on the Kids Listen-Only profile by default, and their creation is audited', async () => {
    const row = await h.admin.query('SELECT kind, email, display_name, avatar, profile_id FROM users WHERE id = $1', [kidId]);
    expect(row.rows[0]).toEqual({ kind: 'kid', email: null, display_name: 'Léa', avatar: 'fox', profile_id: family.profileIds.kidsListenOnly });
    const audit = await h.admin.query(`SELECT actor_id, after FROM audit_log WHERE action = 'user.create' AND target_id = $1`, [kidId]);
    expect(audit.rows[0]).toMatchObject({ actor_id: family.adminId, after: { kind: 'kid' } });
    const list = await envelopeOf(await h.call('GET', '/api/auth/kids', { token: family.adminToken }));
    expect(list.data.kids).toEqual([{ id: kidId, displayName: 'Léa', avatar: 'fox', profile: { id: family.profileIds.kidsListenOnly, name: DEFAULT_PROFILES.kidsListenOnly.name }, isActive: true }]);
  });

  it('are created only by someone with users.manage', async () => {
    const parent = await h.addMember(family, 'parentCreator');
    expect((await h.call('POST', '/api/auth/kids', { token: parent.token, body: { displayName: 'Noé' } })).status).toBe(403);
    expect((await h.call('GET', '/api/auth/kids', { token: parent.token })).status).toBe(403);
  });
});

describe('pairing this device', () => {
  it("turns the parent's session on the device into the kid's, recording who issued it", async () => {
    const cookie = await adminCookie();
    const parentSessionId = cookie.split('=')[1]!.split('.')[0]!;
    const res = await h.call('POST', '/api/auth/pairing', { cookie, headers: { origin: h.publicUrl }, body: { kidId, deviceName: 'Léa’s tablet' } });
    expect(res.status).toBe(201);
    const grant = (await envelopeOf(res)).data;
    expect(grant).toMatchObject({ token: null, transport: 'cookie', userId: kidId, tenantId: family.tenantId, session: { kind: 'pairing' } });
    const kidCookie = `talemo_session=${setCookie(res, 'talemo_session')!.value}`;

    const session = await h.admin.query('SELECT user_id, kind, issued_by_session_id, device_name FROM sessions WHERE id = $1', [grant.session.id]);
    expect(session.rows[0]).toEqual({ user_id: kidId, kind: 'pairing', issued_by_session_id: parentSessionId, device_name: 'Léa’s tablet' });
    // The tablet keeps no parent credential.
    expect((await h.call('GET', '/api/auth/me', { cookie })).status).toBe(401);
    const me = (await envelopeOf(await h.call('GET', '/api/auth/me', { cookie: kidCookie }))).data;
    expect(me.user).toMatchObject({ id: kidId, kind: 'kid', email: null });
    const audit = await h.admin.query(`SELECT actor_id, after FROM audit_log WHERE action = 'device.pair' AND target_id = $1 ORDER BY seq DESC LIMIT 1`, [kidId]);
    expect(audit.rows[0]).toMatchObject({ actor_id: family.adminId, after: { method: 'this_device', sessionId: grant.session.id } });
  });

  it('is refused without users.manage, for an adult, and for a kid of another family', async () => {
    const parent = await h.addMember(family, 'parentCreator');
    expect((await h.call('POST', '/api/auth/pairing', { token: parent.token, body: { kidId } })).status).toBe(403);
    expect((await h.call('POST', '/api/auth/pairing', { token: family.adminToken, body: { kidId: parent.userId } })).status).toBe(404);
    const other = await h.createFamily();
    const res = await h.call('POST', '/api/auth/pairing', { token: other.adminToken, body: { kidId } });
    expect(res.status).toBe(404);
    expect((await h.call('GET', '/api/auth/me', { token: other.adminToken })).status).toBe(200);
  });
});

describe('pairing with a code', () => {
  it('signs a second device in as the kid, once', async () => {
    const code = await pairingCode();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const res = await h.call('POST', '/api/auth/pairing/redeem', { body: { code } });
    expect(res.status).toBe(201);
    const grant = (await envelopeOf(res)).data;
    expect(grant).toMatchObject({ userId: kidId, session: { kind: 'pairing' } });
    const row = await h.admin.query('SELECT issued_by_session_id, device_name FROM sessions WHERE id = $1', [grant.session.id]);
    expect(row.rows[0]).toEqual({ issued_by_session_id: family.adminToken.split('.')[0], device_name: 'Living-room tablet' });
    expect((await h.call('GET', '/api/auth/me', { token: family.adminToken })).status).toBe(200); // the parent's phone stays signed in

    const again = await h.call('POST', '/api/auth/pairing/redeem', { body: { code } });
    expect(again.status).toBe(404);
    expect((await envelopeOf(again)).message).toMatch(/work once/);
  });

  it('accepts the code typed in lower case and without the dash', async () => {
    const code = await pairingCode();
    expect((await h.call('POST', '/api/auth/pairing/redeem', { body: { code: code.replace('-', '').toLowerCase() } })).status).toBe(201);
  });

  it('expires', async () => {
    const code = await pairingCode();
    await h.admin.query(`UPDATE pairing_codes SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    expect((await h.call('POST', '/api/auth/pairing/redeem', { body: { code } })).status).toBe(404);
  });

  it('dies with the parent session that asked for it', async () => {
    const parentToken = (await envelopeOf(await h.call('POST', '/api/auth/token', { body: { email: family.adminEmail, password: PASSWORD } }))).data.token;
    const code = await pairingCode(parentToken);
    expect((await h.call('POST', '/api/auth/signout', { token: parentToken })).status).toBe(200);
    expect((await h.call('POST', '/api/auth/pairing/redeem', { body: { code } })).status).toBe(404);
  });
});

describe('a kid session', () => {
  let kidToken: string;

  beforeAll(async () => {
    const res = await h.call('POST', '/api/auth/pairing/redeem', { body: { code: await pairingCode() } });
    kidToken = (await envelopeOf(res)).data.token;
  });

  it('sees exactly the kid profile’s permissions', async () => {
    const me = (await envelopeOf(await h.call('GET', '/api/auth/me', { token: kidToken }))).data;
    expect(me.permissions).toEqual(DEFAULT_PROFILES.kidsListenOnly.permissions);
    expect(me.profile.name).toBe(DEFAULT_PROFILES.kidsListenOnly.name);
  });

  it('is refused everything the kid profile does not allow', async () => {
    const attempts: Array<[string, string, unknown?]> = [
      ['POST', '/api/auth/invitations', { profileId: family.profileIds.tenantAdmin }],
      ['GET', '/api/auth/invitations'],
      ['POST', '/api/auth/kids', { displayName: 'Sneaky' }],
      ['GET', '/api/auth/kids'],
      ['POST', '/api/auth/pairing', { kidId }],
      ['POST', '/api/auth/pairing/codes', { kidId }],
    ];
    const before = await h.admin.query('SELECT (SELECT count(*) FROM invitations) + (SELECT count(*) FROM users) + (SELECT count(*) FROM pairing_codes) AS n');
    for (const [method, path, body] of attempts) {
      const res = await h.call(method, path, { token: kidToken, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await envelopeOf(res)).message).toMatch(/Kids Listen-Only/);
    }
    const after = await h.admin.query('SELECT (SELECT count(*) FROM invitations) + (SELECT count(*) FROM users) + (SELECT count(*) FROM pairing_codes) AS n');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('cannot pair even if its profile were widened: a paired device never pairs another', async () => {
    await h.t.db.transaction({ tenantId: family.tenantId, userId: family.adminId }, (tx) =>
      tx.execute(`UPDATE profiles SET permissions = jsonb_set(permissions, '{actions}', '["stories.read","users.manage"]') WHERE id = $1`, [family.profileIds.kidsListenOnly]),
    );
    try {
      const res = await h.call('POST', '/api/auth/pairing/codes', { token: kidToken, body: { kidId } });
      expect(res.status).toBe(403);
      expect((await envelopeOf(res)).message).toMatch(/paired device/);
    } finally {
      await h.t.db.transaction({ tenantId: family.tenantId, userId: family.adminId }, (tx) =>
        tx.execute(`UPDATE profiles SET permissions = $2 WHERE id = $1`, [family.profileIds.kidsListenOnly, JSON.stringify(DEFAULT_PROFILES.kidsListenOnly.permissions)]),
      );
    }
  });

  it('stays a pairing session, with its issuer, when refreshed', async () => {
    const res = await h.call('POST', '/api/auth/token/refresh', { token: kidToken });
    expect(res.status).toBe(200);
    const grant = (await envelopeOf(res)).data;
    expect(grant.session.kind).toBe('pairing');
    const row = await h.admin.query('SELECT issued_by_session_id FROM sessions WHERE id = $1', [grant.session.id]);
    expect(row.rows[0].issued_by_session_id).toBe(family.adminToken.split('.')[0]);
  });
});
