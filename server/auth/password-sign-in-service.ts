/**
 * Email and password sign-in, with lockout and without account enumeration.
 *
 * Unknown email, wrong password, locked or deactivated account: every case
 * answers the same 401 with the same message, and every case costs one
 * argon2id verification (unknown emails verify against a dummy hash), so
 * neither the words nor the timing say whether an email has an account.
 * Failures on a real account are counted in user_credentials; reaching the
 * threshold locks it for a while, and both are written to the audit log.
 */
import { randomBytes } from 'node:crypto';
import { recordAudit, type RequestMeta } from '../audit/audit-writer.ts';
import type { Tx } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import type { AuthDeps } from './auth-deps.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { findPasswordAccount, type PasswordAccount } from './pre-tenant-lookups.ts';
import { enforceRateLimit } from './rate-limiter.ts';
import type { IssuedSession } from './session-transport.ts';
import { createSession, type SessionClientInfo } from './session-store.ts';

export const INVALID_CREDENTIALS_MESSAGE = 'The email or password is incorrect, or this account cannot sign in right now. Check them and try again in a few minutes.';

let dummyHash: Promise<string> | undefined;

/** A hash with the production parameters, so an unknown email costs what a known one does. */
export function warmDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummyHash;
}

export async function signInWithPassword(deps: AuthDeps, email: string, password: string, client: SessionClientInfo, meta: RequestMeta): Promise<IssuedSession> {
  await enforceRateLimit(deps.db, 'account', email, deps.auth.accountLimit);
  const account = await findPasswordAccount(deps.db, email);
  if (!account) {
    await verifyPassword(await warmDummyHash(), password);
    throw HttpError.unauthorized(INVALID_CREDENTIALS_MESSAGE);
  }
  // Verified even when locked, so a locked account answers in the same time.
  const passwordMatches = await verifyPassword(account.passwordHash, password);
  const locked = account.lockedUntil !== null && account.lockedUntil.getTime() > Date.now();

  const outcome = await deps.db.transaction({ tenantId: account.tenantId, userId: account.userId }, async (tx) => {
    if (passwordMatches && !locked && account.isActive) {
      await tx.execute('UPDATE user_credentials SET failed_attempts = 0, locked_until = NULL WHERE user_id = $1 AND (failed_attempts > 0 OR locked_until IS NOT NULL)', [account.userId]);
      await tx.execute('UPDATE users SET last_login = now() WHERE id = $1', [account.userId]);
      return { issued: await createSession(tx, account.tenantId, account.userId, 'password', client) };
    }
    const reason = locked ? 'locked' : !account.isActive ? 'deactivated' : 'wrong_password';
    await recordFailure(tx, deps, account, reason, meta);
    return { issued: undefined };
  });
  // Thrown after the transaction, so the failure count and audit rows commit.
  if (!outcome.issued) throw HttpError.unauthorized(INVALID_CREDENTIALS_MESSAGE);
  return { ...outcome.issued, tenantId: account.tenantId, userId: account.userId };
}

async function recordFailure(tx: Tx, deps: AuthDeps, account: PasswordAccount, reason: 'locked' | 'deactivated' | 'wrong_password', meta: RequestMeta): Promise<void> {
  const target = { actorId: null, actorKind: 'anonymous' as const, targetType: 'user', targetId: account.userId };
  await recordAudit(tx, account.tenantId, { action: 'auth.sign_in_failed', ...target, after: { reason } }, meta);
  if (reason !== 'wrong_password') return;
  const { threshold, seconds } = deps.auth.lockout;
  // Reaching the threshold locks the account and starts a fresh count for after the lock.
  const row = await tx.maybeOne<{ just_locked: boolean; locked_until: Date | null }>(
    `UPDATE user_credentials SET
       failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
       locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END
     WHERE user_id = $1
     RETURNING failed_attempts = 0 AS just_locked, locked_until`,
    [account.userId, threshold, seconds],
  );
  if (row?.just_locked) {
    await recordAudit(tx, account.tenantId, { action: 'auth.lockout', ...target, after: { lockedUntil: row.locked_until?.toISOString(), failedAttempts: threshold } }, meta);
  }
}
