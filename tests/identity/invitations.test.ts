/**
 * Invitations: only members with users.manage create, list and revoke them;
 * the token is stored hashed; a link works once, expires, and joins its
 * tenant with its profile.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILES } from '../../shapes/permissions.ts';
import { createHarness, envelopeOf, PASSWORD, rowCounts, uniqueEmail, type Family, type Harness } from './identity-harness.ts';

let h: Harness;
let family: Family;

beforeAll(async () => {
  h = await createHarness('invitations');
  family = await h.createFamily('The Inviters');
});

afterAll(async () => {
  await h?.close();
});

async function invite(body: Record<string, unknown> = {}, token = family.adminToken) {
  const res = await h.call('POST', '/api/auth/invitations', { token, body: { profileId: family.profileIds.parentCreator, ...body } });
  return { res, body: await envelopeOf(res) };
}

function accept(token: string, email = uniqueEmail('joiner'), extra: Record<string, unknown> = {}) {
  return h.call('POST', '/api/auth/invitations/accept', { body: { token, email, password: PASSWORD, displayName: 'Alex Martin', ...extra } });
}

const WRITTEN = ['users', 'user_credentials', 'sessions', 'invitations', 'audit_log'];

describe('creating an invitation', () => {
  it('gives an admin a one-time link and stores only a hash of its token', async () => {
    const { res, body } = await invite({ email: 'Partner@Example.com' });
    expect(res.status).toBe(201);
    const { token, link, invitation } = body.data;
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(link).toBe(`${h.publicUrl}/invite#token=${token}`);
    expect(invitation).toMatchObject({ email: 'partner@example.com', status: 'pending', profile: { id: family.profileIds.parentCreator, name: DEFAULT_PROFILES.parentCreator.name } });

    const row = await h.admin.query('SELECT token_hash, to_jsonb(i)::text AS everything FROM invitations i WHERE id = $1', [invitation.id]);
    expect(row.rows[0].token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(row.rows[0].everything).not.toContain(token);
    const audit = await h.admin.query(`SELECT actor_id, after::text AS after FROM audit_log WHERE action = 'invitation.create' AND target_id = $1`, [invitation.id]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].actor_id).toBe(family.adminId);
    expect(audit.rows[0].after).not.toContain(token);
  });

  it('is refused without users.manage, without a session, and for a profile of another family', async () => {
    const parent = await h.addMember(family, 'parentCreator');
    const refused = await invite({}, parent.token);
    expect(refused.res.status).toBe(403);
    expect(refused.body.message).toMatch(/users\.manage/);
    expect((await h.call('POST', '/api/auth/invitations', { body: { profileId: family.profileIds.parentCreator } })).status).toBe(401);
    const other = await h.createFamily();
    const foreign = await invite({ profileId: other.profileIds.tenantAdmin });
    expect(foreign.res.status).toBe(400);
    expect(foreign.body.errors).toEqual({ profileId: ['is not a profile of your family'] });
  });
});

describe('an invitation link', () => {
  it('can be previewed by anyone holding it', async () => {
    const { body } = await invite();
    const res = await h.call('GET', `/api/auth/invitations/preview?token=${body.data.token}`);
    expect(res.status).toBe(200);
    expect((await envelopeOf(res)).data).toMatchObject({ tenant: { name: 'The Inviters', type: 'family' }, profile: { name: DEFAULT_PROFILES.parentCreator.name }, email: null });
    const unknown = await h.call('GET', `/api/auth/invitations/preview?token=${'a'.repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect((await envelopeOf(unknown)).message).toMatch(/not valid any more/);
  });

  it('joins the tenant with its profile, signed in, and records it', async () => {
    const { body } = await invite();
    const email = uniqueEmail('alex');
    const res = await accept(body.data.token, email);
    expect(res.status).toBe(201);
    const grant = (await envelopeOf(res)).data;
    expect(grant).toMatchObject({ tenantId: family.tenantId, session: { kind: 'invitation' } });
    const me = (await envelopeOf(await h.call('GET', '/api/auth/me', { token: grant.token }))).data;
    expect(me.tenant.id).toBe(family.tenantId);
    expect(me.profile).toEqual({ id: family.profileIds.parentCreator, name: DEFAULT_PROFILES.parentCreator.name });
    expect(me.user.email).toBe(email);
    const inv = await h.admin.query('SELECT accepted_by, accepted_at IS NOT NULL AS accepted FROM invitations WHERE id = $1', [body.data.invitation.id]);
    expect(inv.rows[0]).toEqual({ accepted_by: grant.userId, accepted: true });
    const audit = await h.admin.query(`SELECT actor_id FROM audit_log WHERE action = 'invitation.accept' AND target_id = $1`, [body.data.invitation.id]);
    expect(audit.rows).toEqual([{ actor_id: grant.userId }]);
    // The new member can sign in with the password they chose.
    expect((await h.call('POST', '/api/auth/token', { body: { email, password: PASSWORD } })).status).toBe(200);
  });

  it('works once: a second acceptance is refused and writes nothing', async () => {
    const { body } = await invite();
    expect((await accept(body.data.token)).status).toBe(201);
    const before = await rowCounts(h.admin, WRITTEN);
    const again = await accept(body.data.token);
    expect(again.status).toBe(404);
    expect((await envelopeOf(again)).message).toMatch(/not valid any more/);
    expect(await rowCounts(h.admin, WRITTEN)).toEqual(before);
    expect((await h.call('GET', `/api/auth/invitations/preview?token=${body.data.token}`)).status).toBe(404);
  });

  it('works once even when two people race with it', async () => {
    const { body } = await invite();
    const results = await Promise.all([accept(body.data.token), accept(body.data.token), accept(body.data.token)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 404, 404]);
    const members = await h.admin.query('SELECT count(*)::int AS n FROM invitations WHERE id = $1 AND accepted_by IS NOT NULL', [body.data.invitation.id]);
    expect(members.rows[0].n).toBe(1);
  });

  it('expires', async () => {
    const { body } = await invite({ expiresInHours: 1 });
    const hours = await h.admin.query(`SELECT round(extract(epoch FROM expires_at - created_at) / 3600) AS h FROM invitations WHERE id = $1`, [body.data.invitation.id]);
    expect(Number(hours.rows[0].h)).toBe(1);
    await h.admin.query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [body.data.invitation.id]);
    const before = await rowCounts(h.admin, WRITTEN);
    expect((await h.call('GET', `/api/auth/invitations/preview?token=${body.data.token}`)).status).toBe(404);
    expect((await accept(body.data.token)).status).toBe(404);
    expect(await rowCounts(h.admin, WRITTEN)).toEqual(before);
    const list = (await envelopeOf(await h.call('GET', '/api/auth/invitations', { token: family.adminToken }))).data.invitations;
    expect(list.find((i: { id: string }) => i.id === body.data.invitation.id).status).toBe('expired');
  });

  it('can be revoked by an admin of its family only, and then no longer works', async () => {
    const { body } = await invite();
    const stranger = await h.createFamily();
    expect((await h.call('DELETE', `/api/auth/invitations/${body.data.invitation.id}`, { token: stranger.adminToken })).status).toBe(404);
    expect((await h.call('DELETE', `/api/auth/invitations/${body.data.invitation.id}`, { token: family.adminToken })).status).toBe(200);
    expect((await h.call('DELETE', `/api/auth/invitations/${body.data.invitation.id}`, { token: family.adminToken })).status).toBe(404);
    expect((await accept(body.data.token)).status).toBe(404);
    const audit = await h.admin.query(`SELECT actor_id FROM audit_log WHERE action = 'invitation.revoke' AND target_id = $1`, [body.data.invitation.id]);
    expect(audit.rows).toEqual([{ actor_id: family.adminId }]);
  });

  it('for one address refuses another, and stays open for the right one', async () => {
    const email = uniqueEmail('invited');
    const { body } = await invite({ email });
    const wrong = await accept(body.data.token, uniqueEmail('intruder'));
    expect(wrong.status).toBe(400);
    expect((await envelopeOf(wrong)).errors).toEqual({ email: ['must be the address this invitation was sent to'] });
    expect((await accept(body.data.token, email)).status).toBe(201);
  });

  it('cannot be accepted by someone already signed in, and stays open', async () => {
    const { body } = await invite();
    const other = await h.createFamily();
    const res = await h.call('POST', '/api/auth/invitations/accept', {
      token: other.adminToken,
      body: { token: body.data.token, email: uniqueEmail('x'), password: PASSWORD, displayName: 'X' },
    });
    expect(res.status).toBe(409);
    expect((await envelopeOf(res)).message).toMatch(/another family/);
    expect((await h.call('GET', `/api/auth/invitations/preview?token=${body.data.token}`)).status).toBe(200);
  });

  it("respects the family's max_users policy and stays open when refused", async () => {
    const small = await h.createFamily('Small');
    await h.t.db.transaction({ tenantId: small.tenantId, userId: small.adminId }, (tx) =>
      tx.execute(`INSERT INTO tenant_policies (tenant_id, key, value) VALUES ($1, 'max_users', '1')`, [small.tenantId]),
    );
    const res = await h.call('POST', '/api/auth/invitations', { token: small.adminToken, body: { profileId: small.profileIds.parentCreator } });
    const { token } = (await envelopeOf(res)).data;
    const refused = await accept(token);
    expect(refused.status).toBe(409);
    expect((await envelopeOf(refused)).message).toMatch(/max_users/);
    expect((await h.call('GET', `/api/auth/invitations/preview?token=${token}`)).status).toBe(200);
  });

  it('are listed for admins with their status', async () => {
    const { body } = await invite();
    const list = await envelopeOf(await h.call('GET', '/api/auth/invitations', { token: family.adminToken }));
    expect(list.data.invitations.find((i: { id: string }) => i.id === body.data.invitation.id)).toMatchObject({ status: 'pending', createdBy: family.adminId });
    const parent = await h.addMember(family, 'parentCreator');
    expect((await h.call('GET', '/api/auth/invitations', { token: parent.token })).status).toBe(403);
  });
});
