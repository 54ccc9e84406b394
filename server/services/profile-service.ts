/**
 * Profiles: the permission templates members are assigned to.
 *
 * - list and detail: `profiles.manage` or `users.manage` (who assigns them).
 * - create, update, delete, assign: `profiles.manage`.
 *
 * Default templates (is_default) can be edited, so a family can tune "Kids
 * Listen-Only", but not deleted: sign-up, invitations and pairing start new
 * members on them. A profile that members still use cannot be deleted
 * either; the refusal names them. No change may leave the tenant without an
 * active member who can manage profiles (tenant-admin-guard.ts).
 *
 * Every change is audited and sent to `profile-change` webhooks; members'
 * permissions change from their very next request.
 */
import type { Viewer } from '../../shapes/viewer.ts';
import type { Tx } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import { recordWebhookEvent } from '../webhooks/webhook-events.ts';
import { authorize, authorizeAny, type Actor } from './authorization.ts';
import { auditGovernance } from './governance-audit.ts';
import { afterCursor, cursorTime, decodeCursor, timeIdCursor, toPage, type Page, type PageRequest } from './pagination.ts';
import type { AssignProfileInput, CreateProfileInput, UpdateProfileInput } from './profile-schemas.ts';
import type { ServiceDeps } from './service-deps.ts';
import { SqlParams } from './sql-params.ts';
import { assertTenantKeepsAnAdmin } from './tenant-admin-guard.ts';
import { inTenant, type AfterCommit } from './tenant-transaction.ts';

export interface ProfileView {
  id: string;
  name: string;
  description: string;
  permissions: unknown;
  is_default: boolean;
  user_count: number;
  created_at: Date;
  updated_at: Date;
}

const PROFILE_COLUMNS = `p.id, p.name, p.description, p.permissions, p.is_default, p.created_at, p.updated_at,
  (SELECT count(*)::int FROM users u WHERE u.tenant_id = p.tenant_id AND u.profile_id = p.id) AS user_count`;

export class ProfileService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Oldest first, so the default templates lead. */
  async list(actor: Actor, page: PageRequest): Promise<Page<ProfileView>> {
    const viewer = authorizeAny(actor, ['profiles.manage', 'users.manage']);
    const cursor = decodeCursor(page.cursor, timeIdCursor);
    const p = new SqlParams();
    const where = [`p.tenant_id = ${p.add(viewer.tenantId)}`, afterCursor(cursor, 'p.created_at', 'p.id', (v) => p.add(v), 'asc')];
    const rows = await this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      (tx) =>
        tx.query<ProfileView & { cursor_at: string }>(
          `SELECT ${PROFILE_COLUMNS}, ${cursorTime('p.created_at')} AS cursor_at FROM profiles p
           WHERE ${where.join(' AND ')} ORDER BY p.created_at, p.id LIMIT ${p.add(page.limit + 1)}`,
          p.values,
        ),
      { readOnly: true },
    );
    return toPage(rows, page.limit, (r) => [r.cursor_at, r.id], ({ cursor_at: _, ...profile }) => profile);
  }

  async get(actor: Actor, id: string): Promise<ProfileView> {
    const viewer = authorizeAny(actor, ['profiles.manage', 'users.manage']);
    return this.deps.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, (tx) => load(tx, viewer, id), { readOnly: true });
  }

  async create(actor: Actor, input: CreateProfileInput): Promise<ProfileView> {
    const viewer = authorize(actor, 'profiles.manage');
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      await assertNameFree(tx, viewer.tenantId, input.name, null);
      const { id } = await tx
        .one<{ id: string }>('INSERT INTO profiles (tenant_id, name, description, permissions) VALUES ($1, $2, $3, $4) RETURNING id', [
          viewer.tenantId, input.name, input.description, JSON.stringify(input.permissions),
        ])
        .catch(nameTaken(input.name));
      const created = await load(tx, viewer, id);
      await announce(tx, after, viewer, actor, 'profile.create', id, null, snapshot(created), 'created');
      return created;
    });
  }

  async update(actor: Actor, id: string, input: UpdateProfileInput): Promise<ProfileView> {
    const viewer = authorize(actor, 'profiles.manage');
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      const before = await load(tx, viewer, id, true);
      await assertNameFree(tx, viewer.tenantId, input.name, id);
      await tx
        .execute('UPDATE profiles SET name = $3, description = $4, permissions = $5 WHERE id = $1 AND tenant_id = $2', [
          id, viewer.tenantId, input.name, input.description, JSON.stringify(input.permissions),
        ])
        .catch(nameTaken(input.name));
      await assertTenantKeepsAnAdmin(tx, viewer.tenantId);
      const updated = await load(tx, viewer, id);
      await announce(tx, after, viewer, actor, 'profile.update', id, snapshot(before), snapshot(updated), 'updated');
      return updated;
    });
  }

  async delete(actor: Actor, id: string): Promise<{ id: string }> {
    const viewer = authorize(actor, 'profiles.manage');
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      const profile = await load(tx, viewer, id, true);
      if (profile.is_default) {
        throw HttpError.conflict(`"${profile.name}" is a default template and cannot be deleted: new members start on it. Edit its permissions instead.`);
      }
      const members = await tx.query<{ display_name: string }>('SELECT display_name FROM users WHERE tenant_id = $1 AND profile_id = $2 ORDER BY display_name LIMIT 6', [viewer.tenantId, id]);
      if (members.length > 0) {
        const names = members.slice(0, 5).map((m) => m.display_name).join(', ') + (profile.user_count > 5 ? ` and ${profile.user_count - 5} more` : '');
        throw HttpError.conflict(
          `"${profile.name}" still has ${profile.user_count} member${profile.user_count === 1 ? '' : 's'} (${names}). Move them to another profile (POST /api/profiles/{id}/assign) before deleting it.`,
        );
      }
      await tx.execute('DELETE FROM profiles WHERE id = $1 AND tenant_id = $2', [id, viewer.tenantId]);
      await announce(tx, after, viewer, actor, 'profile.delete', id, snapshot(profile), null, 'deleted');
      return { id };
    });
  }

  /** Moves members onto this profile. */
  async assign(actor: Actor, id: string, input: AssignProfileInput): Promise<{ profile: ProfileView; assigned: string[] }> {
    const viewer = authorize(actor, 'profiles.manage');
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      await load(tx, viewer, id, true);
      const users = await tx.query<{ id: string; profile_id: string }>('SELECT id, profile_id FROM users WHERE tenant_id = $1 AND id = ANY ($2::uuid[]) FOR UPDATE', [
        viewer.tenantId, input.user_ids,
      ]);
      const found = new Map(users.map((u) => [u.id, u.profile_id]));
      const unknown = Object.fromEntries(input.user_ids.flatMap((uid, i) => (found.has(uid) ? [] : [[`user_ids.${i}`, ['is not a member of your family or school']]])));
      if (Object.keys(unknown).length > 0) throw HttpError.invalid(unknown);
      const moved = input.user_ids.filter((uid) => found.get(uid) !== id);
      await tx.execute('UPDATE users SET profile_id = $3 WHERE tenant_id = $1 AND id = ANY ($2::uuid[])', [viewer.tenantId, moved, id]);
      await assertTenantKeepsAnAdmin(tx, viewer.tenantId);
      for (const uid of moved) {
        await auditGovernance(tx, after, viewer.tenantId, {
          action: 'profile.assign', actorId: viewer.userId, targetType: 'user', targetId: uid,
          before: { profile_id: found.get(uid) }, after: { profile_id: id },
        }, actor.meta);
      }
      if (moved.length > 0) {
        after.webhooks.push(...(await recordWebhookEvent(tx, viewer.tenantId, 'profile-change', { change: 'assigned', profile_id: id, user_ids: moved, changed_by: viewer.userId })));
      }
      return { profile: await load(tx, viewer, id), assigned: moved };
    });
  }
}

async function load(tx: Tx, viewer: Viewer, id: string, forUpdate = false): Promise<ProfileView> {
  const profile = await tx.maybeOne<ProfileView>(`SELECT ${PROFILE_COLUMNS} FROM profiles p WHERE p.id = $1 AND p.tenant_id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`, [
    id, viewer.tenantId,
  ]);
  if (!profile) throw HttpError.notFound('The profile');
  return profile;
}

async function assertNameFree(tx: Tx, tenantId: string, name: string, exceptId: string | null): Promise<void> {
  const clash = await tx.maybeOne('SELECT 1 FROM profiles WHERE tenant_id = $1 AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3)', [tenantId, name, exceptId]);
  if (clash) throw HttpError.conflict(`Another profile is already called "${name}".`, { name: ['is already used by another profile'] });
}

/** A concurrent writer took the name between the check and the write (unique index). */
function nameTaken(name: string) {
  return (err: unknown): never => {
    if ((err as { code?: string }).code === '23505') throw HttpError.conflict(`Another profile is already called "${name}".`, { name: ['is already used by another profile'] });
    throw err;
  };
}

function snapshot(p: ProfileView) {
  return { name: p.name, description: p.description, permissions: p.permissions };
}

async function announce(tx: Tx, after: AfterCommit, viewer: Viewer, actor: Actor, action: string, id: string, before: unknown, afterValue: unknown, change: string): Promise<void> {
  await auditGovernance(tx, after, viewer.tenantId, { action, actorId: viewer.userId, targetType: 'profile', targetId: id, before, after: afterValue }, actor.meta);
  after.webhooks.push(...(await recordWebhookEvent(tx, viewer.tenantId, 'profile-change', { change, profile_id: id, before, after: afterValue, changed_by: viewer.userId })));
}
