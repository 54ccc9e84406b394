/**
 * Device pairing: a parent signs a device in as one of the family's kids.
 *
 * Who may pair: a signed-in adult whose profile grants users.manage (the
 * vocabulary in shapes/permissions.ts lists "pairing kids" under it), from a
 * session that is not itself a paired device. Parents without users.manage
 * ask an admin; a kid's device can never pair another.
 *
 * Two ways:
 * - On this device: the parent's session on the device is revoked and
 *   replaced by the kid's (kind 'pairing', issued_by_session_id = the
 *   parent's), so the tablet holds no parent credential afterwards.
 * - With a code: the parent's phone asks for a short one-time code; the
 *   kid's tablet redeems it. The code is stored hashed, lives minutes, works
 *   once, and dies with the parent session that asked for it.
 *
 * The kid session's rights are the kid profile's, like any session's.
 */
import type { Viewer } from '../../shapes/viewer.ts';
import { recordAudit, type RequestMeta } from '../audit/audit-writer.ts';
import type { Tx } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import { requirePermission } from './access.ts';
import type { AuthDeps } from './auth-deps.ts';
import { newPairingCode, normalizePairingCode, sha256Of } from './one-time-secret.ts';
import { findOpenPairingCode } from './pre-tenant-lookups.ts';
import { revokeAndRecord } from './session-service.ts';
import type { IssuedSession } from './session-transport.ts';
import { createSession, type SessionClientInfo, type SessionInfo } from './session-store.ts';

function assertMayPair(viewer: Viewer, session: SessionInfo): void {
  requirePermission(viewer, 'users.manage');
  if (viewer.kind !== 'adult' || session.kind === 'pairing') {
    throw HttpError.forbidden('A paired device cannot pair other devices. Pair from a parent’s own sign-in.');
  }
}

async function activeKid(tx: Tx, kidId: string): Promise<{ id: string; display_name: string }> {
  const kid = await tx.maybeOne<{ id: string; display_name: string }>(`SELECT id, display_name FROM users WHERE id = $1 AND kind = 'kid' AND is_active`, [kidId]);
  if (!kid) throw HttpError.notFound('An active kid account with that id in your family');
  return kid;
}

/** Signs the device making this request in as the kid; the parent's session here ends. */
export async function pairThisDevice(
  deps: AuthDeps,
  viewer: Viewer,
  session: SessionInfo,
  input: { kidId: string; deviceName?: string | undefined },
  client: SessionClientInfo,
  meta: RequestMeta,
): Promise<IssuedSession> {
  assertMayPair(viewer, session);
  return deps.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => {
    const kid = await activeKid(tx, input.kidId);
    await revokeAndRecord(tx, viewer, session.id, 'handed_to_kid', meta);
    const issued = await createSession(tx, viewer.tenantId, kid.id, 'pairing', { ...client, deviceName: input.deviceName ?? client.deviceName, issuedBySessionId: session.id });
    await recordAudit(
      tx,
      viewer.tenantId,
      { action: 'device.pair', actorId: viewer.userId, targetType: 'user', targetId: kid.id, after: { method: 'this_device', sessionId: issued.session.id, issuedBySessionId: session.id } },
      meta,
    );
    return { ...issued, tenantId: viewer.tenantId, userId: kid.id };
  });
}

/** A one-time code another device can redeem for the kid's session. */
export async function createPairingCode(
  deps: AuthDeps,
  viewer: Viewer,
  session: SessionInfo,
  input: { kidId: string; deviceName?: string | undefined },
  meta: RequestMeta,
): Promise<{ code: string; expiresAt: string; kid: { id: string; displayName: string } }> {
  assertMayPair(viewer, session);
  const code = newPairingCode();
  return deps.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => {
    const kid = await activeKid(tx, input.kidId);
    const row = await tx.one<{ id: string; expires_at: Date }>(
      `INSERT INTO pairing_codes (tenant_id, code_hash, kid_user_id, created_by, issued_by_session_id, device_name, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7)) RETURNING id, expires_at`,
      [viewer.tenantId, sha256Of(normalizePairingCode(code)), kid.id, viewer.userId, session.id, input.deviceName ?? null, deps.auth.pairingCodeTtlSeconds],
    );
    await recordAudit(
      tx,
      viewer.tenantId,
      { action: 'device.pairing_code_create', actorId: viewer.userId, targetType: 'user', targetId: kid.id, after: { pairingCodeId: row.id, expiresAt: row.expires_at.toISOString() } },
      meta,
    );
    return { code, expiresAt: row.expires_at.toISOString(), kid: { id: kid.id, displayName: kid.display_name } };
  });
}

export function pairingCodeNotValid(): HttpError {
  return new HttpError(404, 'This pairing code is not valid: codes work once, for a few minutes. Ask a parent for a new code.');
}

/** Redeems a pairing code on the device that typed it. */
export async function redeemPairingCode(deps: AuthDeps, code: string, deviceName: string | undefined, client: SessionClientInfo, meta: RequestMeta): Promise<IssuedSession> {
  const open = await findOpenPairingCode(deps.db, sha256Of(normalizePairingCode(code)));
  if (!open) throw pairingCodeNotValid();
  const issued = await deps.db.transaction({ tenantId: open.tenantId, userId: null }, async (tx) => {
    // Claimed under RLS by a conditional UPDATE: works once, and only while the parent session that asked is alive.
    const claimed = await tx.maybeOne<{ kid_user_id: string; created_by: string; issued_by_session_id: string; device_name: string | null }>(
      `UPDATE pairing_codes pc SET used_at = now()
       WHERE pc.id = $1 AND pc.used_at IS NULL AND pc.expires_at > now()
         AND EXISTS (SELECT 1 FROM sessions s WHERE s.id = pc.issued_by_session_id AND s.revoked_at IS NULL AND s.expires_at > now())
       RETURNING pc.kid_user_id, pc.created_by, pc.issued_by_session_id, pc.device_name`,
      [open.pairingCodeId],
    );
    if (!claimed) return undefined;
    const kid = await tx.maybeOne<{ id: string }>(`SELECT id FROM users WHERE id = $1 AND kind = 'kid' AND is_active`, [claimed.kid_user_id]);
    if (!kid) return undefined;
    const created = await createSession(tx, open.tenantId, kid.id, 'pairing', {
      ...client,
      deviceName: deviceName ?? claimed.device_name ?? client.deviceName,
      issuedBySessionId: claimed.issued_by_session_id,
    });
    await recordAudit(
      tx,
      open.tenantId,
      { action: 'device.pair', actorId: claimed.created_by, targetType: 'user', targetId: kid.id, after: { method: 'code', pairingCodeId: open.pairingCodeId, sessionId: created.session.id, issuedBySessionId: claimed.issued_by_session_id } },
      meta,
    );
    return { ...created, tenantId: open.tenantId, userId: kid.id };
  });
  if (!issued) throw pairingCodeNotValid();
  return issued;
}
