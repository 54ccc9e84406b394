/**
 * The questions sign-in must answer before it knows the tenant, each through
 * its security-definer function (migrations/010_auth_sign_in.sql). They
 * return only ids; everything else is then read and written under RLS in the
 * tenant's own transaction.
 */
import type { Database } from '../db/database.ts';

export interface PasswordAccount {
  userId: string;
  tenantId: string;
  passwordHash: string;
  lockedUntil: Date | null;
  isActive: boolean;
}

export async function findPasswordAccount(db: Database, email: string): Promise<PasswordAccount | undefined> {
  const { rows } = await db.pool.query<{ user_id: string; tenant_id: string; password_hash: string; locked_until: Date | null; is_active: boolean }>(
    'SELECT * FROM auth_password_account($1)',
    [email],
  );
  const r = rows[0];
  return r && { userId: r.user_id, tenantId: r.tenant_id, passwordHash: r.password_hash, lockedUntil: r.locked_until, isActive: r.is_active };
}

export interface IdentityOwner {
  identityId: string;
  tenantId: string;
  userId: string;
}

export async function findIdentityOwner(db: Database, issuer: string, subject: string): Promise<IdentityOwner | undefined> {
  const { rows } = await db.pool.query<{ identity_id: string; tenant_id: string; user_id: string }>('SELECT * FROM auth_identity_owner($1, $2)', [issuer, subject]);
  const r = rows[0];
  return r && { identityId: r.identity_id, tenantId: r.tenant_id, userId: r.user_id };
}

/** An invitation that is neither accepted, revoked nor expired. */
export async function findOpenInvitation(db: Database, tokenHash: Buffer): Promise<{ invitationId: string; tenantId: string } | undefined> {
  const { rows } = await db.pool.query<{ invitation_id: string; tenant_id: string }>('SELECT * FROM auth_open_invitation($1)', [tokenHash]);
  const r = rows[0];
  return r && { invitationId: r.invitation_id, tenantId: r.tenant_id };
}

/** A pairing code that is neither used nor expired. */
export async function findOpenPairingCode(db: Database, codeHash: Buffer): Promise<{ pairingCodeId: string; tenantId: string } | undefined> {
  const { rows } = await db.pool.query<{ pairing_code_id: string; tenant_id: string }>('SELECT * FROM auth_open_pairing_code($1)', [codeHash]);
  const r = rows[0];
  return r && { pairingCodeId: r.pairing_code_id, tenantId: r.tenant_id };
}
