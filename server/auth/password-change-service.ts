/**
 * Changing one's password. Every session of the user ends, including the one
 * asking, which is replaced by a fresh session: whoever may have learnt the
 * old password is signed out everywhere.
 */
import type { Viewer } from '../../shapes/viewer.ts';
import { recordAudit, type RequestMeta } from '../audit/audit-writer.ts';
import { HttpError } from '../http/http-error.ts';
import type { AuthDeps } from './auth-deps.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { enforceRateLimit } from './rate-limiter.ts';
import type { IssuedSession } from './session-transport.ts';
import { createSession, revokeUserSessions, type SessionClientInfo } from './session-store.ts';

export async function changePassword(
  deps: AuthDeps,
  viewer: Viewer,
  input: { currentPassword: string; newPassword: string },
  client: SessionClientInfo,
  meta: RequestMeta,
): Promise<IssuedSession> {
  await enforceRateLimit(deps.db, 'account', `user:${viewer.userId}`, deps.auth.accountLimit);
  const ctx = { tenantId: viewer.tenantId, userId: viewer.userId };
  const stored = await deps.db.transaction(ctx, (tx) => tx.maybeOne<{ password_hash: string }>('SELECT password_hash FROM user_credentials WHERE user_id = $1', [viewer.userId]), { readOnly: true });
  if (!stored) {
    throw HttpError.badRequest('Your account has no password to change: you sign in with Google, Apple or a paired device.', { currentPassword: ['your account has no password'] });
  }
  if (!(await verifyPassword(stored.password_hash, input.currentPassword))) {
    throw HttpError.badRequest('The current password is not right.', { currentPassword: ['is not your current password'] });
  }
  if (input.currentPassword === input.newPassword) {
    throw HttpError.invalid({ newPassword: ['must differ from your current password'] });
  }
  const newHash = await hashPassword(input.newPassword);
  return deps.db.transaction(ctx, async (tx) => {
    await tx.execute('UPDATE user_credentials SET password_hash = $2, failed_attempts = 0, locked_until = NULL WHERE user_id = $1', [viewer.userId, newHash]);
    const revoked = await revokeUserSessions(tx, viewer.userId, 'password_changed');
    await recordAudit(tx, viewer.tenantId, { action: 'auth.password_change', actorId: viewer.userId, targetType: 'user', targetId: viewer.userId, after: { sessionsRevoked: revoked } }, meta);
    const issued = await createSession(tx, viewer.tenantId, viewer.userId, 'password', client);
    return { ...issued, tenantId: viewer.tenantId, userId: viewer.userId };
  });
}
