/**
 * Signing up with email and password: a new family tenant (default profiles,
 * policies, free subscription) with its creator as Tenant Admin, their
 * password, and a first session, all in one transaction.
 *
 * Unlike sign-in, sign-up cannot hide that an email is taken without an email
 * round trip (we send no mail); it answers 409 and is rate-limited per IP.
 */
import { recordAudit, type RequestMeta } from '../audit/audit-writer.ts';
import { HttpError } from '../http/http-error.ts';
import { withNewTenant } from '../tenants/tenant-creation-service.ts';
import type { AuthDeps } from './auth-deps.ts';
import { hashPassword } from './password.ts';
import type { IssuedSession } from './session-transport.ts';
import { createSession, type SessionClientInfo } from './session-store.ts';
import { isUniqueViolation } from './unique-violation.ts';

export interface PasswordSignUp {
  email: string;
  password: string;
  displayName: string;
  /** The family's name; "<displayName>'s family" when absent. */
  familyName?: string | undefined;
}

/** The refusal for an email that already belongs to an account. */
export function emailTaken(): HttpError {
  return HttpError.conflict('An account already uses this email. Sign in instead.', { email: ['is already registered'] });
}

export async function signUpWithPassword(deps: AuthDeps, input: PasswordSignUp, client: SessionClientInfo, meta: RequestMeta): Promise<IssuedSession> {
  const passwordHash = await hashPassword(input.password);
  const spec = { name: input.familyName ?? `${input.displayName}'s family`, type: 'family' as const, plan: 'free' as const, admin: { email: input.email, displayName: input.displayName } };
  try {
    return await withNewTenant(deps.db, spec, async (tx, created) => {
      const userId = created.adminUserId;
      await tx.execute('INSERT INTO user_credentials (user_id, tenant_id, password_hash) VALUES ($1, $2, $3)', [userId, created.tenantId, passwordHash]);
      await recordAudit(tx, created.tenantId, { action: 'auth.sign_up', actorId: userId, targetType: 'user', targetId: userId, after: { method: 'password', tenantName: spec.name } }, meta);
      const issued = await createSession(tx, created.tenantId, userId, 'signup', client);
      return { ...issued, tenantId: created.tenantId, userId };
    });
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_key')) throw emailTaken();
    throw err;
  }
}
