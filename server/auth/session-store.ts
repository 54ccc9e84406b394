/**
 * Creating, validating, sliding and revoking sessions.
 *
 * Lifetime: 30 days, extended to a fresh 30 days when a session is used in
 * its second half. Validation is one round trip: the security-definer lookup
 * `auth_session_viewer` returns the session with everything needed to build
 * the Viewer; the secret is then checked here in constant time.
 */
import type { Viewer } from '../../shapes/viewer.ts';
import type { Database, Tx } from '../db/database.ts';
import { viewerFromRow, type ViewerRow } from './viewer-loader.ts';
import { generateSessionToken, parseSessionToken, secretMatches } from './session-token.ts';

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** last_used_at is written at most this often, to keep reads read-only. */
const LAST_USED_RESOLUTION_MS = 5 * 60 * 1000;

export type SessionKind = 'password' | 'oidc' | 'invitation' | 'signup' | 'pairing' | 'refresh';

export interface SessionInfo {
  id: string;
  kind: SessionKind;
  createdAt: Date;
  expiresAt: Date;
}

export interface ValidSession {
  session: SessionInfo;
  viewer: Viewer;
}

export interface NewSession {
  token: string;
  session: SessionInfo;
}

export interface SessionClientInfo {
  userAgent?: string | null;
  ip?: string | null;
  deviceName?: string | null;
  /** For pairing: the parent session that issued this one. */
  issuedBySessionId?: string | null;
}

/** Creates a session for a user. Runs inside the caller's tenant-scoped transaction. */
export async function createSession(tx: Tx, tenantId: string, userId: string, kind: SessionKind, client: SessionClientInfo = {}): Promise<NewSession> {
  const { id, token, secretHash } = generateSessionToken();
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  const row = await tx.one<{ created_at: Date }>(
    `INSERT INTO sessions (id, tenant_id, user_id, secret_hash, kind, expires_at, user_agent, ip, device_name, issued_by_session_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING created_at`,
    [id, tenantId, userId, Buffer.from(secretHash), kind, expiresAt, truncate(client.userAgent, 500), truncate(client.ip, 64), truncate(client.deviceName, 120), client.issuedBySessionId ?? null],
  );
  return { token, session: { id, kind, createdAt: row.created_at, expiresAt } };
}

/*
 * A named statement, so each pooled connection parses and plans it once.
 * Permissions and policies come back as JSON text: viewer-loader keeps their
 * validated form per exact text, which saves the JSON parse as well.
 */
const SESSION_LOOKUP = `SELECT session_id, tenant_id, user_id, secret_hash, session_kind, created_at, expires_at, last_used_at, revoked_at,
  tenant_type, user_kind, display_name, is_active, profile_id, profile_name, permissions::text AS permissions, plan, policies::text AS policies
  FROM auth_session_viewer($1)`;

interface SessionRow extends Omit<ViewerRow, 'tenant_id' | 'user_id'> {
  session_id: string;
  tenant_id: string;
  user_id: string;
  secret_hash: Buffer;
  session_kind: SessionKind;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date;
  revoked_at: Date | null;
}

/**
 * Returns the session and its viewer when the token is genuine, unexpired,
 * unrevoked and its user active; undefined otherwise (never says which).
 */
export async function validateSessionToken(db: Database, token: string, now = new Date()): Promise<ValidSession | undefined> {
  const parsed = parseSessionToken(token);
  if (!parsed) return undefined;
  const { rows } = await db.pool.query<SessionRow>({ name: 'auth_session_viewer', text: SESSION_LOOKUP, values: [parsed.id] });
  const row = rows[0];
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return undefined;
  if (row.revoked_at !== null || row.expires_at.getTime() <= now.getTime()) return undefined;
  const viewer = viewerFromRow(row);
  if (!viewer) return undefined;

  let expiresAt = row.expires_at;
  const inSecondHalf = expiresAt.getTime() - now.getTime() < SESSION_LIFETIME_MS / 2;
  const lastUsedStale = now.getTime() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS;
  if (inSecondHalf || lastUsedStale) {
    if (inSecondHalf) expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, (tx) =>
      tx.execute('UPDATE sessions SET expires_at = $2, last_used_at = $3 WHERE id = $1 AND revoked_at IS NULL', [row.session_id, expiresAt, now]),
    );
  }
  return { session: { id: row.session_id, kind: row.session_kind, createdAt: row.created_at, expiresAt }, viewer };
}

/** Revokes one session of the tenant. Returns false when there was no such live session. */
export async function revokeSession(tx: Tx, sessionId: string, reason: string): Promise<boolean> {
  const n = await tx.execute(`UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, reason]);
  return n > 0;
}

/** Revokes every live session of a user (privilege change, deactivation, password reset). */
export async function revokeUserSessions(tx: Tx, userId: string, reason: string, exceptSessionId?: string): Promise<number> {
  return tx.execute(
    `UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL AND ($3::text IS NULL OR id <> $3)`,
    [userId, reason, exceptSessionId ?? null],
  );
}

function truncate(value: string | null | undefined, max: number): string | null {
  if (value === undefined || value === null) return null;
  return value.length > max ? value.slice(0, max) : value;
}
