/**
 * Rotation on a privilege change (issue 3 §1). When a member's profile, kind
 * or profile permissions differ from those their session was issued under,
 * the session is replaced: a new one of the same kind, for the same device
 * (new id and secret, fresh expiry, the current privileges' fingerprint), and
 * the old one revoked with reason `privilege_change`, pointing at its
 * successor so it keeps working for ROTATION_GRACE_MS (session-store.ts),
 * during which it is also handed the successor's token again.
 *
 * Why rotate at all when permissions are read afresh on every request: a
 * session id that was known, logged or fixed before the change must not carry
 * the new privileges for the rest of its 30 days (OWASP session management:
 * renew the session id on any privilege level change).
 */
import type { Viewer } from '../../shapes/viewer.ts';
import { recordAudit, type RequestMeta } from '../audit/audit-writer.ts';
import type { Database } from '../db/database.ts';
import type { RevocationReason } from './session-service.ts';
import { createSession, type NewSession, type SessionInfo, type SessionKind } from './session-store.ts';
import { secretMatches } from './session-token.ts';

const REASON: RevocationReason = 'privilege_change';

export type RotationOutcome =
  /** This request replaced the session; deliver `issued` to the client. */
  | { kind: 'rotated'; issued: NewSession }
  /**
   * The session is no longer live: a concurrent request rotated it, or the
   * request itself replaced or ended it (refresh, sign-in, sign-out). Nothing
   * to deliver.
   */
  | { kind: 'not_live' };

/**
 * Replaces the session in one transaction, unless it is no longer live. The
 * successor's secret is `successorSecret`, derived from the presented token
 * (session-successor.ts), so a client that lost this answer can get it again.
 */
export async function rotateForPrivilegeChange(db: Database, viewer: Viewer, session: SessionInfo, meta: RequestMeta, successorSecret: string): Promise<RotationOutcome> {
  return db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => {
    // FOR UPDATE: two requests racing with the same stale token queue here,
    // and the second finds the session already revoked.
    const old = await tx.maybeOne<{ kind: SessionKind; user_agent: string | null; ip: string | null; device_name: string | null; issued_by_session_id: string | null }>(
      `SELECT kind, user_agent, ip, device_name, issued_by_session_id FROM sessions
       WHERE id = $1 AND revoked_at IS NULL AND expires_at > now() FOR UPDATE`,
      [session.id],
    );
    if (!old) return { kind: 'not_live' };
    const issued = await createSession(tx, viewer.tenantId, viewer.userId, old.kind, {
      userAgent: old.user_agent,
      ip: old.ip,
      deviceName: old.device_name,
      issuedBySessionId: old.issued_by_session_id,
    }, successorSecret);
    await tx.execute('UPDATE sessions SET revoked_at = now(), revoked_reason = $3, replaced_by_session_id = $2 WHERE id = $1', [session.id, issued.session.id, REASON]);
    await recordAudit(
      tx,
      viewer.tenantId,
      {
        action: 'session.revoke',
        actorId: viewer.userId,
        targetType: 'session',
        targetId: session.id,
        after: { reason: REASON, replacedBySessionId: issued.session.id, profileId: viewer.profileId },
      },
      meta,
    );
    return { kind: 'rotated', issued };
  });
}

/**
 * The successor of a session replaced for a privilege change, as a token to
 * hand again to a request that presented the replaced one within the grace
 * window; undefined when the successor has since been signed out or replaced
 * (by this very request, for instance), or when `secret` is not its secret
 * (it was minted under another instance secret: a process configured
 * differently would otherwise hand out a token that does not work).
 */
export async function successorToHandAgain(db: Database, viewer: Viewer, successor: SessionInfo, secret: string): Promise<NewSession | undefined> {
  const live = await db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, (tx) =>
    tx.maybeOne<{ expires_at: Date; secret_hash: Uint8Array }>(
      'SELECT expires_at, secret_hash FROM sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()',
      [successor.id],
    ),
  );
  if (!live || !secretMatches(secret, live.secret_hash)) return undefined;
  return { token: `${successor.id}.${secret}`, session: { ...successor, expiresAt: live.expires_at } };
}
