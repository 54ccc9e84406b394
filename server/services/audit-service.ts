/**
 * Reading the audit log (`audit.read`): newest first, filtered by action
 * (exact, or a prefix such as `profile.*`), actor, target and time. Rows
 * carry their chain hash, so an export can be checked against
 * `npm run audit:verify`.
 */
import { z } from 'zod';
import { authorize, type Actor } from './authorization.ts';
import { decodeCursor, pageQueryFields, toPage, type Page } from './pagination.ts';
import type { ServiceDeps } from './service-deps.ts';
import { SqlParams } from './sql-params.ts';

const isoTime = z.string().datetime({ offset: true, message: 'must be an ISO 8601 time such as 2025-01-31T18:00:00Z' });

export const listAuditLogsQuery = z
  .object({
    action: z
      .string()
      .regex(/^[a-z][a-z0-9_.]{0,80}(\.\*)?$/, 'must be an action such as profile.update, or a prefix such as profile.*')
      .optional(),
    actor_id: z.string().uuid('must be a member id (a UUID)').optional(),
    target_type: z.string().regex(/^[a-z_]{1,40}$/, 'must be a target type such as profile, user or policy').optional(),
    target_id: z.string().max(200, 'must be at most 200 characters').regex(/^[A-Za-z0-9_.:-]+$/, 'must be an id').optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    ...pageQueryFields,
  })
  .strict();
export type ListAuditLogsQuery = z.output<typeof listAuditLogsQuery>;

export interface AuditLogView {
  seq: number;
  occurred_at: Date;
  actor_id: string | null;
  actor_kind: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  request_id: string | null;
  hash: string;
}

const seqCursor = z.object({ seq: z.number().int().min(1) }).strict();

export class AuditService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor, query: ListAuditLogsQuery): Promise<Page<AuditLogView>> {
    const viewer = authorize(actor, 'audit.read');
    const cursor = decodeCursor(query.cursor, seqCursor);
    const p = new SqlParams();
    const where = [`a.tenant_id = ${p.add(viewer.tenantId)}`];
    if (query.action?.endsWith('.*')) where.push(`a.action LIKE ${p.add(`${query.action.slice(0, -1)}%`)}`);
    else if (query.action) where.push(`a.action = ${p.add(query.action)}`);
    if (query.actor_id) where.push(`a.actor_id = ${p.add(query.actor_id)}`);
    if (query.target_type) where.push(`a.target_type = ${p.add(query.target_type)}`);
    if (query.target_id) where.push(`a.target_id = ${p.add(query.target_id)}`);
    if (query.from) where.push(`a.occurred_at >= ${p.add(query.from)}::timestamptz`);
    if (query.to) where.push(`a.occurred_at < ${p.add(query.to)}::timestamptz`);
    if (cursor) where.push(`a.seq < ${p.add(cursor.seq)}`);
    const rows = await this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      (tx) =>
        tx.query<Omit<AuditLogView, 'seq'> & { seq: string }>(
          `SELECT a.seq, a.occurred_at, a.actor_id, a.actor_kind, a.action, a.target_type, a.target_id, a.before, a.after, a.ip, a.request_id,
                  encode(a.hash, 'hex') AS hash
           FROM audit_log a WHERE ${where.join(' AND ')} ORDER BY a.seq DESC LIMIT ${p.add(query.limit + 1)}`,
          p.values,
        ),
      { readOnly: true },
    );
    return toPage(rows, query.limit, (r) => ({ seq: Number(r.seq) }), (r) => ({ ...r, seq: Number(r.seq) }));
  }
}
