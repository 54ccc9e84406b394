/**
 * Writes governance and security events to the hash-chained audit log. The
 * row goes in the caller's transaction, so an action and its audit record
 * commit or vanish together. seq, prev_hash and hash are filled by the
 * database (migrations/004_audit_log.sql), never by us.
 */
import type { Tx } from '../db/database.ts';

export interface AuditEntry {
  /** Dotted verb, e.g. `profile.update`, `auth.sign_in_failed`, `session.revoke`. */
  action: string;
  actorId: string | null;
  actorKind?: 'user' | 'system' | 'operator' | 'anonymous';
  targetType?: string | null;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Where the request came from; recorded with each entry. */
export interface RequestMeta {
  ip: string | null;
  requestId: string | null;
}

export async function recordAudit(tx: Tx, tenantId: string, entry: AuditEntry, meta: RequestMeta): Promise<void> {
  await tx.execute(
    `INSERT INTO audit_log (tenant_id, actor_id, actor_kind, action, target_type, target_id, before, after, ip, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      tenantId,
      entry.actorId,
      entry.actorKind ?? (entry.actorId ? 'user' : 'system'),
      entry.action,
      entry.targetType ?? null,
      entry.targetId ?? null,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      meta.ip,
      meta.requestId,
    ],
  );
}
