/**
 * A tenant must never lock itself out of its own governance. Changes to
 * profiles and members call this last, inside their transaction: if no
 * active member is left on a profile that allows `profiles.manage`, the
 * change is refused and rolled back.
 */
import type { Tx } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';

export async function assertTenantKeepsAnAdmin(tx: Tx, tenantId: string): Promise<void> {
  const { n } = await tx.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM users u JOIN profiles p ON p.tenant_id = u.tenant_id AND p.id = u.profile_id
     WHERE u.tenant_id = $1 AND u.is_active AND p.permissions -> 'actions' ? 'profiles.manage'`,
    [tenantId],
  );
  if (n === 0) {
    throw HttpError.conflict('This change would leave nobody able to manage profiles. Keep at least one active member on a profile that allows profiles.manage.');
  }
}
