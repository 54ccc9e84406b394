/**
 * Member administration: list and update members (`users.manage`).
 *
 * - Moving a member to another profile also needs `profiles.manage`, since
 *   profiles decide permissions: without it, `users.manage` could promote
 *   anyone to admin.
 * - Deactivating signs the member out everywhere (their sessions are
 *   revoked); reactivating counts against `max_users`.
 * - Nobody deactivates themselves, and no change may leave the tenant
 *   without an active profile manager.
 * Every change is audited; a profile move is also a `profile-change` event.
 */
import type { Viewer } from '../../shapes/viewer.ts';
import type { Tx } from '../db/database.ts';
import { requirePermission } from '../auth/access.ts';
import { assertRoomForMember } from '../auth/member-limit.ts';
import { revokeUserSessions } from '../auth/session-store.ts';
import { HttpError } from '../http/http-error.ts';
import { recordWebhookEvent } from '../webhooks/webhook-events.ts';
import { authorize, type Actor } from './authorization.ts';
import { auditGovernance } from './governance-audit.ts';
import { afterCursor, cursorTime, decodeCursor, timeIdCursor, toPage, type Page } from './pagination.ts';
import type { ServiceDeps } from './service-deps.ts';
import { SqlParams } from './sql-params.ts';
import { assertTenantKeepsAnAdmin } from './tenant-admin-guard.ts';
import { inTenant } from './tenant-transaction.ts';
import type { ListUsersQuery, UpdateUserInput } from './user-admin-schemas.ts';

export interface MemberView {
  id: string;
  kind: 'adult' | 'kid';
  email: string | null;
  display_name: string;
  avatar: string | null;
  profile_id: string;
  profile_name: string;
  is_active: boolean;
  last_login: Date | null;
  created_at: Date;
  updated_at: Date;
}

const MEMBER_COLUMNS = `u.id, u.kind, u.email, u.display_name, u.avatar, u.profile_id, p.name AS profile_name, u.is_active, u.last_login, u.created_at, u.updated_at`;
const MEMBER_FROM = 'users u JOIN profiles p ON p.tenant_id = u.tenant_id AND p.id = u.profile_id';

export class UserAdminService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor, query: ListUsersQuery): Promise<Page<MemberView>> {
    const viewer = authorize(actor, 'users.manage');
    const cursor = decodeCursor(query.cursor, timeIdCursor);
    const p = new SqlParams();
    const where = [`u.tenant_id = ${p.add(viewer.tenantId)}`];
    if (query.profile_id) where.push(`u.profile_id = ${p.add(query.profile_id)}`);
    if (query.kind) where.push(`u.kind = ${p.add(query.kind)}`);
    if (query.is_active !== undefined) where.push(`u.is_active = ${p.add(query.is_active)}`);
    where.push(afterCursor(cursor, 'u.created_at', 'u.id', (v) => p.add(v), 'asc'));
    const rows = await this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      (tx) =>
        tx.query<MemberView & { cursor_at: string }>(
          `SELECT ${MEMBER_COLUMNS}, ${cursorTime('u.created_at')} AS cursor_at FROM ${MEMBER_FROM}
           WHERE ${where.join(' AND ')} ORDER BY u.created_at, u.id LIMIT ${p.add(query.limit + 1)}`,
          p.values,
        ),
      { readOnly: true },
    );
    return toPage(rows, query.limit, (r) => [r.cursor_at, r.id], ({ cursor_at: _, ...member }) => member);
  }

  async update(actor: Actor, id: string, input: UpdateUserInput): Promise<MemberView> {
    const viewer = authorize(actor, 'users.manage');
    if (input.profile_id !== undefined) requirePermission(viewer, 'profiles.manage');
    if (input.is_active === false && id === viewer.userId) {
      throw HttpError.conflict('You cannot deactivate your own account. Ask another admin, or hand your role over first.');
    }
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      const before = await load(tx, viewer, id, true);
      if (input.profile_id !== undefined && input.profile_id !== before.profile_id) {
        const profile = await tx.maybeOne('SELECT 1 FROM profiles WHERE id = $1 AND tenant_id = $2', [input.profile_id, viewer.tenantId]);
        if (!profile) throw HttpError.invalid({ profile_id: ['is not a profile of your family or school'] });
      }
      if (input.is_active === true && !before.is_active) await assertRoomForMember(tx, viewer.tenantId);
      await tx.execute(
        `UPDATE users SET display_name = coalesce($3, display_name),
                avatar = CASE WHEN $4 THEN $5 ELSE avatar END,
                profile_id = coalesce($6, profile_id),
                is_active = coalesce($7, is_active)
         WHERE id = $1 AND tenant_id = $2`,
        [id, viewer.tenantId, input.display_name ?? null, input.avatar !== undefined, input.avatar ?? null, input.profile_id ?? null, input.is_active ?? null],
      );
      await assertTenantKeepsAnAdmin(tx, viewer.tenantId);
      if (input.is_active === false && before.is_active) await revokeUserSessions(tx, id, 'deactivated by an admin');
      const updated = await load(tx, viewer, id);
      const changed = (['display_name', 'avatar', 'profile_id', 'is_active'] as const).filter((k) => before[k] !== updated[k]);
      if (changed.length > 0) {
        await auditGovernance(tx, after, viewer.tenantId, {
          action: 'user.update', actorId: viewer.userId, targetType: 'user', targetId: id,
          before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: Object.fromEntries(changed.map((k) => [k, updated[k]])),
        }, actor.meta);
      }
      if (changed.includes('profile_id')) {
        after.webhooks.push(
          ...(await recordWebhookEvent(tx, viewer.tenantId, 'profile-change', { change: 'assigned', profile_id: updated.profile_id, user_ids: [id], previous_profile_id: before.profile_id, changed_by: viewer.userId })),
        );
      }
      return updated;
    });
  }
}

async function load(tx: Tx, viewer: Viewer, id: string, forUpdate = false): Promise<MemberView> {
  const member = await tx.maybeOne<MemberView>(`SELECT ${MEMBER_COLUMNS} FROM ${MEMBER_FROM} WHERE u.id = $1 AND u.tenant_id = $2 ${forUpdate ? 'FOR UPDATE OF u' : ''}`, [id, viewer.tenantId]);
  if (!member) throw HttpError.notFound('The member');
  return member;
}
