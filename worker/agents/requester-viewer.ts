/**
 * The member a task acts for, as the server's own checks see them
 * (server/auth/viewer-loader.ts), so search and recommendations show only
 * what that member may see: their profile's limits, the tenant's policies,
 * and the public library when it is on.
 */
import type { Viewer } from '../../shapes/viewer.ts';
import type { Tx } from '../../server/db/database.ts';
import { loadViewer } from '../../server/auth/viewer-loader.ts';
import { TaskRefusal } from '../tasks/task-failure.ts';

export async function viewerFor(tx: Tx, tenantId: string, userId: string | null, who = 'The member who asked'): Promise<Viewer> {
  const viewer = userId ? await loadViewer(tx, tenantId, userId) : undefined;
  if (!viewer) throw new TaskRefusal(`${who} is no longer an active member of this family or school, so there is no one to do this for.`);
  return viewer;
}
