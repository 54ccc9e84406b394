/**
 * Every governance action (profiles, policies, users, visibility, webhooks,
 * subscriptions) is written to the hash-chained audit log in the same
 * transaction as the change, and streamed to the tenant's `audit-event`
 * webhooks through the same outbox.
 */
import type { RequestMeta } from '../audit/audit-writer.ts';
import { recordAudit, type AuditEntry } from '../audit/audit-writer.ts';
import type { Tx } from '../db/database.ts';
import { recordWebhookEvent } from '../webhooks/webhook-events.ts';
import type { AfterCommit } from './tenant-transaction.ts';

export async function auditGovernance(tx: Tx, after: AfterCommit, tenantId: string, entry: AuditEntry, meta: RequestMeta): Promise<void> {
  await recordAudit(tx, tenantId, entry, meta);
  const deliveries = await recordWebhookEvent(tx, tenantId, 'audit-event', {
    action: entry.action,
    actor_id: entry.actorId,
    actor_kind: entry.actorKind ?? (entry.actorId ? 'user' : 'system'),
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    request_id: meta.requestId,
  });
  after.webhooks.push(...deliveries);
}
