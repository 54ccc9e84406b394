/**
 * Invitations: an admin (users.manage) invites someone into the family with
 * a chosen profile and gets a one-time link. The token in the link is stored
 * only as a SHA-256; it expires, can be revoked, and works once: accepting
 * claims the row with a conditional UPDATE under RLS, so two people racing
 * with one link cannot both join.
 */
import type { Viewer } from '../../shapes/viewer.ts';
import { requirePermission } from './access.ts';
import { recordAudit, type RequestMeta } from '../audit/audit-writer.ts';
import type { Tx } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import type { AuthDeps } from './auth-deps.ts';
import { assertRoomForMember } from './member-limit.ts';
import { newLinkToken, sha256Of } from './one-time-secret.ts';
import { hashPassword } from './password.ts';
import { findOpenInvitation } from './pre-tenant-lookups.ts';
import type { IssuedSession } from './session-transport.ts';
import { createSession, type SessionClientInfo } from './session-store.ts';
import { emailTaken } from './sign-up-service.ts';
import { isUniqueViolation } from './unique-violation.ts';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InvitationView {
  id: string;
  email: string | null;
  profile: { id: string; name: string };
  status: InvitationStatus;
  expiresAt: string;
  createdAt: string;
  createdBy: string | null;
  acceptedBy: string | null;
}

interface InvitationRow {
  id: string;
  email: string | null;
  profile_id: string;
  profile_name: string;
  expires_at: Date;
  created_at: Date;
  created_by: string | null;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
}

const INVITATION_COLUMNS = `i.id, i.email, i.profile_id, p.name AS profile_name, i.expires_at, i.created_at, i.created_by, i.accepted_at, i.accepted_by, i.revoked_at`;

export function invitationLinkFor(publicUrl: string, token: string): string {
  // In the fragment, so the token never reaches a server log or a Referer header.
  return `${publicUrl}/invite#token=${token}`;
}

export function invitationNoLongerValid(): HttpError {
  return new HttpError(404, 'This invitation link is not valid any more: it was used, revoked or has expired. Ask the person who invited you for a new link.');
}

export async function createInvitation(
  deps: AuthDeps,
  viewer: Viewer,
  input: { profileId: string; email?: string | undefined; expiresInHours?: number | undefined },
  meta: RequestMeta,
): Promise<{ invitation: InvitationView; token: string; link: string }> {
  requirePermission(viewer, 'users.manage');
  const token = newLinkToken();
  const hours = input.expiresInHours ?? deps.auth.invitationTtlHours;
  const row = await deps.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => {
    const profile = await tx.maybeOne<{ name: string }>('SELECT name FROM profiles WHERE id = $1', [input.profileId]);
    if (!profile) throw HttpError.invalid({ profileId: ['is not a profile of your family'] });
    const created = await tx.one<InvitationRow>(
      `WITH i AS (
         INSERT INTO invitations (tenant_id, token_hash, email, profile_id, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6)) RETURNING *)
       SELECT ${INVITATION_COLUMNS} FROM i JOIN profiles p ON p.id = i.profile_id`,
      [viewer.tenantId, sha256Of(token), input.email ?? null, input.profileId, viewer.userId, hours],
    );
    await recordAudit(
      tx,
      viewer.tenantId,
      { action: 'invitation.create', actorId: viewer.userId, targetType: 'invitation', targetId: created.id, after: { email: created.email, profileId: input.profileId, expiresAt: created.expires_at.toISOString() } },
      meta,
    );
    return created;
  });
  return { invitation: toView(row), token, link: invitationLinkFor(deps.publicUrl, token) };
}

export async function listInvitations(deps: AuthDeps, viewer: Viewer): Promise<InvitationView[]> {
  requirePermission(viewer, 'users.manage');
  const rows = await deps.db.transaction(
    { tenantId: viewer.tenantId, userId: viewer.userId },
    (tx) => tx.query<InvitationRow>(`SELECT ${INVITATION_COLUMNS} FROM invitations i JOIN profiles p ON p.id = i.profile_id ORDER BY i.created_at DESC LIMIT 500`),
    { readOnly: true },
  );
  return rows.map(toView);
}

export async function revokeInvitation(deps: AuthDeps, viewer: Viewer, invitationId: string, meta: RequestMeta): Promise<void> {
  requirePermission(viewer, 'users.manage');
  const revoked = await deps.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => {
    const row = await tx.maybeOne<{ id: string }>(
      'UPDATE invitations SET revoked_at = now() WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id',
      [invitationId],
    );
    if (row) await recordAudit(tx, viewer.tenantId, { action: 'invitation.revoke', actorId: viewer.userId, targetType: 'invitation', targetId: invitationId }, meta);
    return Boolean(row);
  });
  if (!revoked) throw HttpError.notFound('A pending invitation with that id');
}

export interface InvitationPreview {
  tenant: { name: string; type: 'family' | 'institution' };
  profile: { name: string };
  /** Set when the invitation is for one address only. */
  email: string | null;
  expiresAt: string;
}

/** What an invitation link offers, for anyone holding the link. */
export async function previewInvitation(deps: AuthDeps, token: string): Promise<InvitationPreview> {
  const open = await findOpenInvitation(deps.db, sha256Of(token));
  if (!open) throw invitationNoLongerValid();
  const row = await deps.db.transaction(
    { tenantId: open.tenantId, userId: null },
    (tx) =>
      tx.maybeOne<{ tenant_name: string; tenant_type: 'family' | 'institution'; profile_name: string; email: string | null; expires_at: Date }>(
        `SELECT t.name AS tenant_name, t.type AS tenant_type, p.name AS profile_name, i.email, i.expires_at
         FROM invitations i JOIN tenants t ON t.id = i.tenant_id JOIN profiles p ON p.id = i.profile_id WHERE i.id = $1`,
        [open.invitationId],
      ),
    { readOnly: true },
  );
  if (!row) throw invitationNoLongerValid();
  return { tenant: { name: row.tenant_name, type: row.tenant_type }, profile: { name: row.profile_name }, email: row.email, expiresAt: row.expires_at.toISOString() };
}

export interface NewMember {
  email: string | null;
  displayName: string;
}

/**
 * Claims the invitation and adds the new member with its profile, in the
 * caller's transaction (context: the invitation's tenant). Throws when the
 * invitation was claimed meanwhile, is for another address, or the family
 * is full; the caller adds the credential (password or identity).
 */
export async function joinByInvitation(tx: Tx, tenantId: string, invitationId: string, member: NewMember, meta: RequestMeta): Promise<{ userId: string; profileId: string }> {
  const claimed = await tx.maybeOne<{ profile_id: string; email: string | null; created_by: string | null }>(
    `UPDATE invitations SET accepted_at = now()
     WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
     RETURNING profile_id, email, created_by`,
    [invitationId],
  );
  if (!claimed) throw invitationNoLongerValid();
  if (claimed.email !== null && claimed.email !== member.email) {
    throw HttpError.invalid({ email: ['must be the address this invitation was sent to'] });
  }
  await assertRoomForMember(tx, tenantId);
  let userId: string;
  try {
    userId = (
      await tx.one<{ id: string }>(`INSERT INTO users (tenant_id, profile_id, kind, email, display_name) VALUES ($1, $2, 'adult', $3, $4) RETURNING id`, [
        tenantId,
        claimed.profile_id,
        member.email,
        member.displayName,
      ])
    ).id;
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_key')) throw emailTaken();
    throw err;
  }
  await tx.execute('UPDATE invitations SET accepted_by = $2 WHERE id = $1', [invitationId, userId]);
  await recordAudit(
    tx,
    tenantId,
    { action: 'invitation.accept', actorId: userId, targetType: 'invitation', targetId: invitationId, after: { userId, profileId: claimed.profile_id, invitedBy: claimed.created_by } },
    meta,
  );
  return { userId, profileId: claimed.profile_id };
}

/**
 * Accepting with a new password account. Someone already signed in cannot
 * accept: an account belongs to exactly one family, so joining another would
 * need a second account (sign out first), and a member of this family is
 * already in.
 */
export async function acceptInvitationWithPassword(
  deps: AuthDeps,
  token: string,
  signedIn: Viewer | undefined,
  input: { email: string; password: string; displayName: string },
  client: SessionClientInfo,
  meta: RequestMeta,
): Promise<IssuedSession> {
  const open = await findOpenInvitation(deps.db, sha256Of(token));
  if (!open) throw invitationNoLongerValid();
  if (signedIn) {
    throw HttpError.conflict(
      signedIn.tenantId === open.tenantId
        ? 'You are already a member of this family. Nothing to accept.'
        : 'You are signed in to an account of another family, and an account belongs to one family. Sign out, then accept this invitation with a new account.',
    );
  }
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction({ tenantId: open.tenantId, userId: null }, async (tx) => {
    const { userId } = await joinByInvitation(tx, open.tenantId, open.invitationId, { email: input.email, displayName: input.displayName }, meta);
    await tx.execute('INSERT INTO user_credentials (user_id, tenant_id, password_hash) VALUES ($1, $2, $3)', [userId, open.tenantId, passwordHash]);
    const issued = await createSession(tx, open.tenantId, userId, 'invitation', client);
    return { ...issued, tenantId: open.tenantId, userId };
  });
}

function toView(r: InvitationRow): InvitationView {
  const status: InvitationStatus = r.accepted_at ? 'accepted' : r.revoked_at ? 'revoked' : r.expires_at.getTime() <= Date.now() ? 'expired' : 'pending';
  return {
    id: r.id,
    email: r.email,
    profile: { id: r.profile_id, name: r.profile_name },
    status,
    expiresAt: r.expires_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    acceptedBy: r.accepted_by,
  };
}
