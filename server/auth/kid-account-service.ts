/**
 * Kid accounts: members with no email and no password, who only ever sign in
 * through device pairing. Created and listed by someone with users.manage.
 */
import { DEFAULT_PROFILES } from '../../shapes/permissions.ts';
import type { Viewer } from '../../shapes/viewer.ts';
import { recordAudit, type RequestMeta } from '../audit/audit-writer.ts';
import type { AuthDeps } from './auth-deps.ts';
import { requirePermission } from './access.ts';
import { HttpError } from '../http/http-error.ts';
import { assertRoomForMember } from './member-limit.ts';

export interface KidView {
  id: string;
  displayName: string;
  avatar: string | null;
  profile: { id: string; name: string };
  isActive: boolean;
}

interface KidRow {
  id: string;
  display_name: string;
  avatar: string | null;
  profile_id: string;
  profile_name: string;
  is_active: boolean;
}

export async function createKidAccount(
  deps: AuthDeps,
  viewer: Viewer,
  input: { displayName: string; avatar?: string | undefined; profileId?: string | undefined },
  meta: RequestMeta,
): Promise<KidView> {
  requirePermission(viewer, 'users.manage');
  const row = await deps.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => {
    const profile = input.profileId
      ? await tx.maybeOne<{ id: string; name: string }>('SELECT id, name FROM profiles WHERE id = $1', [input.profileId])
      : await tx.maybeOne<{ id: string; name: string }>('SELECT id, name FROM profiles WHERE is_default AND name = $1', [DEFAULT_PROFILES.kidsListenOnly.name]);
    if (!profile) {
      throw HttpError.invalid({
        profileId: [input.profileId ? 'is not a profile of your family' : `is required: your family has no default "${DEFAULT_PROFILES.kidsListenOnly.name}" profile any more`],
      });
    }
    await assertRoomForMember(tx, viewer.tenantId);
    const kid = await tx.one<KidRow>(
      `INSERT INTO users (tenant_id, profile_id, kind, email, display_name, avatar) VALUES ($1, $2, 'kid', NULL, $3, $4)
       RETURNING id, display_name, avatar, profile_id, $5::text AS profile_name, is_active`,
      [viewer.tenantId, profile.id, input.displayName, input.avatar ?? null, profile.name],
    );
    await recordAudit(
      tx,
      viewer.tenantId,
      { action: 'user.create', actorId: viewer.userId, targetType: 'user', targetId: kid.id, after: { kind: 'kid', displayName: kid.display_name, profileId: profile.id } },
      meta,
    );
    return kid;
  });
  return toView(row);
}

export async function listKids(deps: AuthDeps, viewer: Viewer): Promise<KidView[]> {
  requirePermission(viewer, 'users.manage');
  const rows = await deps.db.transaction(
    { tenantId: viewer.tenantId, userId: viewer.userId },
    (tx) =>
      tx.query<KidRow>(
        `SELECT u.id, u.display_name, u.avatar, u.profile_id, p.name AS profile_name, u.is_active
         FROM users u JOIN profiles p ON p.id = u.profile_id WHERE u.kind = 'kid' ORDER BY u.display_name, u.id`,
      ),
    { readOnly: true },
  );
  return rows.map(toView);
}

function toView(r: KidRow): KidView {
  return { id: r.id, displayName: r.display_name, avatar: r.avatar, profile: { id: r.profile_id, name: r.profile_name }, isActive: r.is_active };
}
