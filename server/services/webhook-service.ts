/**
 * Webhook endpoints a tenant registers for its events, and the record of
 * every delivery attempt. Managing them needs `policies.manage` (they are a
 * tenant setting); subscribing to `audit-event` also needs `audit.read`,
 * since it streams the audit log.
 *
 * URLs: http(s) only, no credentials in them; in production https only and
 * never a loopback, private or reserved address (SSRF; see
 * server/webhooks/destination-safety.ts). The signing secret is shown once,
 * in the creation response.
 */
import { randomBytes } from 'node:crypto';
import { requirePermission } from '../auth/access.ts';
import { HttpError } from '../http/http-error.ts';
import { assertPublicDestination, UnsafeDestinationError } from '../webhooks/destination-safety.ts';
import { authorize, type Actor } from './authorization.ts';
import { auditGovernance } from './governance-audit.ts';
import { afterCursor, cursorTime, decodeCursor, timeIdCursor, toPage, type Page, type PageRequest } from './pagination.ts';
import type { ServiceDeps } from './service-deps.ts';
import { SqlParams } from './sql-params.ts';
import { inTenant } from './tenant-transaction.ts';
import type { CreateWebhookInput } from './webhook-schemas.ts';

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  description: string;
  is_active: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryView {
  id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  status: 'pending' | 'succeeded' | 'failed';
  response_status: number | null;
  response_excerpt: string | null;
  error: string | null;
  duration_ms: number | null;
  attempted_at: Date;
  next_attempt_at: Date | null;
  payload: unknown;
}

const WEBHOOK_COLUMNS = 'w.id, w.url, w.events, w.description, w.is_active, w.created_by, w.created_at, w.updated_at';
const MAX_WEBHOOKS_PER_TENANT = 20;

export class WebhookService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor, page: PageRequest): Promise<Page<WebhookView>> {
    const viewer = authorize(actor, 'policies.manage');
    const cursor = decodeCursor(page.cursor, timeIdCursor);
    const p = new SqlParams();
    const where = [`w.tenant_id = ${p.add(viewer.tenantId)}`, afterCursor(cursor, 'w.created_at', 'w.id', (v) => p.add(v))];
    const rows = await this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      (tx) =>
        tx.query<WebhookView & { cursor_at: string }>(
          `SELECT ${WEBHOOK_COLUMNS}, ${cursorTime('w.created_at')} AS cursor_at FROM webhooks w
           WHERE ${where.join(' AND ')} ORDER BY w.created_at DESC, w.id DESC LIMIT ${p.add(page.limit + 1)}`,
          p.values,
        ),
      { readOnly: true },
    );
    return toPage(rows, page.limit, (r) => [r.cursor_at, r.id], ({ cursor_at: _, ...hook }) => hook);
  }

  /** Registers an endpoint; the answer carries its signing secret, shown this once. */
  async create(actor: Actor, input: CreateWebhookInput): Promise<WebhookView & { secret: string }> {
    const viewer = authorize(actor, 'policies.manage');
    if (input.events.includes('audit-event')) requirePermission(viewer, 'audit.read');
    await this.assertAllowedUrl(input.url);
    const events = [...new Set(input.events)];
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      const { n } = await tx.one<{ n: number }>('SELECT count(*)::int AS n FROM webhooks WHERE tenant_id = $1', [viewer.tenantId]);
      if (n >= MAX_WEBHOOKS_PER_TENANT) throw HttpError.conflict(`A family or school may register at most ${MAX_WEBHOOKS_PER_TENANT} webhooks; delete one first.`);
      const hook = await tx.one<WebhookView>(
        `INSERT INTO webhooks AS w (tenant_id, url, events, secret, description, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${WEBHOOK_COLUMNS}`,
        [viewer.tenantId, input.url, events, secret, input.description, viewer.userId],
      );
      await auditGovernance(tx, after, viewer.tenantId, {
        action: 'webhook.create', actorId: viewer.userId, targetType: 'webhook', targetId: hook.id,
        before: null, after: { url: hook.url, events: hook.events, description: hook.description },
      }, actor.meta);
      return { ...hook, secret };
    });
  }

  async delete(actor: Actor, id: string): Promise<{ id: string }> {
    const viewer = authorize(actor, 'policies.manage');
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      const hook = await tx.maybeOne<WebhookView>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks w WHERE w.id = $1 AND w.tenant_id = $2 FOR UPDATE`, [id, viewer.tenantId]);
      if (!hook) throw HttpError.notFound('The webhook');
      await tx.execute('DELETE FROM webhooks WHERE id = $1 AND tenant_id = $2', [id, viewer.tenantId]);
      await auditGovernance(tx, after, viewer.tenantId, {
        action: 'webhook.delete', actorId: viewer.userId, targetType: 'webhook', targetId: id,
        before: { url: hook.url, events: hook.events, description: hook.description }, after: null,
      }, actor.meta);
      return { id };
    });
  }

  /** Every attempt, newest first. */
  async deliveries(actor: Actor, id: string, page: PageRequest): Promise<Page<DeliveryView>> {
    const viewer = authorize(actor, 'policies.manage');
    const cursor = decodeCursor(page.cursor, timeIdCursor);
    return this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      async (tx) => {
        const hook = await tx.maybeOne('SELECT 1 FROM webhooks WHERE id = $1 AND tenant_id = $2', [id, viewer.tenantId]);
        if (!hook) throw HttpError.notFound('The webhook');
        const p = new SqlParams();
        const where = [`d.tenant_id = ${p.add(viewer.tenantId)}`, `d.webhook_id = ${p.add(id)}`, afterCursor(cursor, 'd.attempted_at', 'd.id', (v) => p.add(v))];
        const rows = await tx.query<DeliveryView & { cursor_at: string }>(
          `SELECT d.id, d.event_id, d.event_type, d.attempt, d.status, d.response_status, d.response_excerpt, d.error, d.duration_ms,
                  d.attempted_at, d.next_attempt_at, d.payload, ${cursorTime('d.attempted_at')} AS cursor_at
           FROM webhook_deliveries d WHERE ${where.join(' AND ')}
           ORDER BY d.attempted_at DESC, d.id DESC LIMIT ${p.add(page.limit + 1)}`,
          p.values,
        );
        return toPage(rows, page.limit, (r) => [r.cursor_at, r.id], ({ cursor_at: _, ...d }) => d);
      },
      { readOnly: true },
    );
  }

  private async assertAllowedUrl(raw: string): Promise<void> {
    const url = new URL(raw);
    if (url.username || url.password) throw HttpError.invalid({ url: ['must not carry a user name or password; authenticate with the signature instead'] });
    if (!this.deps.config.isProduction) return;
    if (url.protocol !== 'https:') throw HttpError.invalid({ url: ['must start with https://'] });
    try {
      await assertPublicDestination(url);
    } catch (err) {
      if (err instanceof UnsafeDestinationError) throw HttpError.invalid({ url: [err.message] });
      throw err;
    }
  }
}
