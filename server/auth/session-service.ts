/**
 * A signed-in user's own sessions: who am I, list, revoke, sign out, and
 * refresh (rotation: a new session replaces the presented one).
 */
import type { Viewer } from '../../shapes/viewer.ts';
import type { Policies } from '../../shapes/policies.ts';
import type { ProfilePermissions } from '../../shapes/permissions.ts';
import { recordAudit, type RequestMeta } from '../audit/audit-writer.ts';
import type { Database, Tx } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import type { AuthDeps } from './auth-deps.ts';
import type { IssuedSession } from './session-transport.ts';
import { createSession, revokeSession, type SessionClientInfo, type SessionInfo, type SessionKind } from './session-store.ts';

/** Why a session ended, as recorded in sessions.revoked_reason and the audit log. */
export type RevocationReason = 'sign_out' | 'revoked_by_user' | 'rotated' | 'replaced_by_sign_in' | 'handed_to_kid' | 'password_changed' | 'privilege_change';

/** Revokes a session of the tenant in `tx` and records it. False when it was not live. */
export async function revokeAndRecord(tx: Tx, viewer: Pick<Viewer, 'tenantId' | 'userId'>, sessionId: string, reason: RevocationReason, meta: RequestMeta): Promise<boolean> {
  const revoked = await revokeSession(tx, sessionId, reason);
  if (revoked) {
    await recordAudit(tx, viewer.tenantId, { action: 'session.revoke', actorId: viewer.userId, targetType: 'session', targetId: sessionId, after: { reason } }, meta);
  }
  return revoked;
}

/**
 * When someone signs in while presenting a live session (another account, or
 * the same one), that session ends: one browser holds one session, and a
 * session id is never carried across a sign-in.
 */
export async function retirePresentedSession(db: Database, viewer: Viewer | undefined, session: SessionInfo | undefined, meta: RequestMeta): Promise<void> {
  if (!viewer || !session) return;
  await db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, (tx) => revokeAndRecord(tx, viewer, session.id, 'replaced_by_sign_in', meta));
}

export interface MeView {
  user: { id: string; displayName: string; kind: 'adult' | 'kid'; email: string | null; avatar: string | null };
  tenant: { id: string; name: string; type: 'family' | 'institution' };
  profile: { id: string; name: string };
  permissions: ProfilePermissions;
  policies: Policies;
  plan: string;
  session: { id: string; kind: SessionKind; expiresAt: string };
}

/** The signed-in user, their tenant, profile, permissions and effective policies. */
export async function describeMe(db: Database, viewer: Viewer, session: SessionInfo): Promise<MeView> {
  const [row] = await db.read<{ email: string | null; avatar: string | null; tenant_name: string }>(
    { tenantId: viewer.tenantId, userId: viewer.userId },
    'SELECT u.email, u.avatar, t.name AS tenant_name FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $1',
    [viewer.userId],
  );
  if (!row) throw HttpError.unauthorized('Your account is no longer available. Sign in again.');
  return {
    user: { id: viewer.userId, displayName: viewer.displayName, kind: viewer.kind, email: row.email, avatar: row.avatar },
    tenant: { id: viewer.tenantId, name: row.tenant_name, type: viewer.tenantType },
    profile: { id: viewer.profileId, name: viewer.profileName },
    permissions: viewer.permissions,
    policies: viewer.policies,
    plan: viewer.plan,
    session: { id: session.id, kind: session.kind, expiresAt: session.expiresAt.toISOString() },
  };
}

export interface SessionView {
  id: string;
  kind: SessionKind;
  current: boolean;
  deviceName: string | null;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
}

/** The viewer's own live sessions, newest first. */
export async function listOwnSessions(db: Database, viewer: Viewer, currentSessionId: string): Promise<SessionView[]> {
  const rows = await db.transaction(
    { tenantId: viewer.tenantId, userId: viewer.userId },
    (tx) =>
      tx.query<{ id: string; kind: SessionKind; device_name: string | null; user_agent: string | null; ip: string | null; created_at: Date; last_used_at: Date; expires_at: Date }>(
        `SELECT id, kind, device_name, user_agent, ip, created_at, last_used_at, expires_at FROM sessions
         WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at DESC LIMIT 200`,
        [viewer.userId],
      ),
    { readOnly: true },
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    current: r.id === currentSessionId,
    deviceName: r.device_name,
    userAgent: r.user_agent,
    ip: r.ip,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
  }));
}

/** Revokes one of the viewer's own sessions; another user's session is "not found", never revealed. */
export async function revokeOwnSession(db: Database, viewer: Viewer, sessionId: string, meta: RequestMeta): Promise<void> {
  const revoked = await db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => {
    const own = await tx.maybeOne('SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now() FOR UPDATE', [sessionId, viewer.userId]);
    return own ? revokeAndRecord(tx, viewer, sessionId, 'revoked_by_user', meta) : false;
  });
  if (!revoked) throw HttpError.notFound('That session of yours');
}

export async function signOut(db: Database, viewer: Viewer, session: SessionInfo, meta: RequestMeta): Promise<void> {
  await db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, (tx) => revokeAndRecord(tx, viewer, session.id, 'sign_out', meta));
}

/**
 * Rotation: a new session for the same user, and the presented one revoked,
 * in one transaction. A kid's device session stays a pairing session with
 * the same issuing parent session.
 */
export async function refreshSession(deps: AuthDeps, viewer: Viewer, session: SessionInfo, client: SessionClientInfo, meta: RequestMeta): Promise<IssuedSession> {
  return deps.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => {
    const old = await tx.maybeOne<{ issued_by_session_id: string | null; device_name: string | null }>(
      'SELECT issued_by_session_id, device_name FROM sessions WHERE id = $1 AND revoked_at IS NULL FOR UPDATE',
      [session.id],
    );
    // Two refreshes racing with one token: only the first gets a new session.
    if (!old) throw HttpError.unauthorized('Your session has expired or was signed out. Sign in again.');
    await revokeAndRecord(tx, viewer, session.id, 'rotated', meta);
    const kind: SessionKind = session.kind === 'pairing' ? 'pairing' : 'refresh';
    const issued = await createSession(tx, viewer.tenantId, viewer.userId, kind, {
      ...client,
      deviceName: client.deviceName ?? old.device_name,
      issuedBySessionId: old.issued_by_session_id,
    });
    return { ...issued, tenantId: viewer.tenantId, userId: viewer.userId };
  });
}
