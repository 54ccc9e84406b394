/**
 * Creating, validating, sliding and revoking sessions.
 *
 * Lifetime: 30 days, extended to a fresh 30 days when a session is used in
 * its second half. Validation is one round trip: the security-definer lookup
 * `auth_session_viewer` returns the session with everything needed to build
 * the Viewer; the secret is then checked here in constant time.
 *
 * Privileges: a session records a fingerprint of its user's profile, kind
 * and permissions when it is issued (migrations/080). Validation reports
 * when the current fingerprint differs, and authenticate.ts rotates the
 * session (session-rotation.ts). A session so replaced keeps working for
 * ROTATION_GRACE_MS while its successor lives, for requests already in flight,
 * and such a request is handed the successor's token again (session-successor.ts).
 */
import type { Viewer } from '../../shapes/viewer.ts';
import type { Database, Tx } from '../db/database.ts';
import { viewerFromRow, type ViewerRow } from './viewer-loader.ts';
import { generateSessionToken, parseSessionToken, secretMatches } from './session-token.ts';

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** last_used_at is written at most this often, to keep reads read-only. */
const LAST_USED_RESOLUTION_MS = 5 * 60 * 1000;
/**
 * How long a session replaced because its privileges changed still works.
 * Requests a client sent before it saw the new token arrive with the old one;
 * a minute covers those (a shape long-poll included) without leaving the old
 * token usable for long.
 */
export const ROTATION_GRACE_MS = 60 * 1000;

export type SessionKind = 'password' | 'oidc' | 'invitation' | 'signup' | 'pairing' | 'refresh';

export interface SessionInfo {
  id: string;
  kind: SessionKind;
  createdAt: Date;
  expiresAt: Date;
}

export interface ValidSession {
  /** The session the request acts as: during a grace window, the successor of the one presented. */
  session: SessionInfo;
  viewer: Viewer;
  /** The user's privileges differ from those the session was issued under: rotate it. */
  privilegesChanged: boolean;
  /** The token as presented; its id differs from `session.id` during a grace window. */
  presented: { id: string; secret: string };
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

/**
 * Creates a session for a user. Runs inside the caller's tenant-scoped
 * transaction. `secret` is given only for a rotation (session-successor.ts).
 */
export async function createSession(tx: Tx, tenantId: string, userId: string, kind: SessionKind, client: SessionClientInfo = {}, secret?: string): Promise<NewSession> {
  const { id, token, secretHash } = generateSessionToken(secret);
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  // The fingerprint is computed from the rows as this transaction sees them,
  // by the same SQL function the lookup uses, so the two always agree.
  const row = await tx.one<{ created_at: Date }>(
    `INSERT INTO sessions (id, tenant_id, user_id, secret_hash, kind, expires_at, user_agent, ip, device_name, issued_by_session_id, privilege_fingerprint)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
             (SELECT session_privilege_fingerprint(p.id, u.kind, p.permissions) FROM users u
              JOIN profiles p ON p.tenant_id = u.tenant_id AND p.id = u.profile_id WHERE u.tenant_id = $2 AND u.id = $3))
     RETURNING created_at`,
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
  tenant_type, user_kind, display_name, is_active, profile_id, profile_name, permissions::text AS permissions, plan, policies::text AS policies,
  stored_fingerprint, current_fingerprint, replaced_by_session_id, successor_kind, successor_created_at, successor_expires_at, successor_live
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
  /** Null for sessions issued before fingerprints were recorded. */
  stored_fingerprint: Buffer | null;
  current_fingerprint: Buffer;
  replaced_by_session_id: string | null;
  successor_kind: SessionKind | null;
  successor_created_at: Date | null;
  successor_expires_at: Date | null;
  successor_live: boolean;
}

/**
 * Returns the session and its viewer when the token is genuine, unexpired,
 * unrevoked (or replaced within the grace window) and its user active;
 * undefined otherwise (never says which).
 */
export async function validateSessionToken(db: Database, token: string, now = new Date()): Promise<ValidSession | undefined> {
  const parsed = parseSessionToken(token);
  if (!parsed) return undefined;
  const { rows } = await db.pool.query<SessionRow>({ name: 'auth_session_viewer', text: SESSION_LOOKUP, values: [parsed.id] });
  const row = rows[0];
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return undefined;
  if (row.expires_at.getTime() <= now.getTime()) return undefined;
  const viewer = viewerFromRow(row);
  if (!viewer) return undefined;
  if (row.revoked_at !== null) {
    const successor = graceSuccessor(row, now);
    return successor ? { session: successor, viewer, privilegesChanged: false, presented: parsed } : undefined;
  }

  const expiresAt = await touch(db, viewer, row, now);
  return {
    session: { id: row.session_id, kind: row.session_kind, createdAt: row.created_at, expiresAt },
    viewer,
    privilegesChanged: row.stored_fingerprint !== null && !row.stored_fingerprint.equals(row.current_fingerprint),
    presented: parsed,
  };
}

/**
 * The session that replaced this one, while the old token may still stand in
 * for it: replaced for a privilege change less than ROTATION_GRACE_MS ago, and
 * the successor not itself revoked (signing it out ends the grace too).
 */
function graceSuccessor(row: SessionRow, now: Date): SessionInfo | undefined {
  if (row.replaced_by_session_id === null || !row.successor_live || row.revoked_at === null) return undefined;
  if (now.getTime() - row.revoked_at.getTime() >= ROTATION_GRACE_MS) return undefined;
  return { id: row.replaced_by_session_id, kind: row.successor_kind!, createdAt: row.successor_created_at!, expiresAt: row.successor_expires_at! };
}

/**
 * Slides the expiry, records use (at most every LAST_USED_RESOLUTION_MS), and
 * stamps a missing fingerprint. Returns the expiry now in force.
 */
async function touch(db: Database, viewer: Viewer, row: SessionRow, now: Date): Promise<Date> {
  const inSecondHalf = row.expires_at.getTime() - now.getTime() < SESSION_LIFETIME_MS / 2;
  const lastUsedStale = now.getTime() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS;
  const unstamped = row.stored_fingerprint === null;
  if (!inSecondHalf && !lastUsedStale && !unstamped) return row.expires_at;
  const expiresAt = inSecondHalf ? new Date(now.getTime() + SESSION_LIFETIME_MS) : row.expires_at;
  await db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, (tx) =>
    tx.execute(
      `UPDATE sessions SET expires_at = $2, last_used_at = $3, privilege_fingerprint = coalesce(privilege_fingerprint, $4)
       WHERE id = $1 AND revoked_at IS NULL`,
      [row.session_id, expiresAt, now, row.current_fingerprint],
    ),
  );
  return expiresAt;
}

/** Revokes one session of the tenant. Returns false when there was no such live session. */
export async function revokeSession(tx: Tx, sessionId: string, reason: string): Promise<boolean> {
  const n = await tx.execute(`UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, reason]);
  return n > 0;
}

/** Revokes every live session of a user (deactivation, password change); a privilege change rotates instead (session-rotation.ts). */
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
