/**
 * The first line of every service method: who is asking, and may they? A
 * service takes an `Actor` (the viewer, if any, and where the request came
 * from) rather than a Hono context, so REST routes, the mutations endpoint
 * and the worker call the same methods.
 *
 * Permissions come from the viewer, which is rebuilt from the profile on
 * every request: a profile or policy change applies to the very next call.
 */
import type { Action } from '../../shapes/permissions.ts';
import { can } from '../../shapes/permissions.ts';
import type { Viewer } from '../../shapes/viewer.ts';
import type { RequestMeta } from '../audit/audit-writer.ts';
import { requirePermission } from '../auth/access.ts';
import { HttpError } from '../http/http-error.ts';

/** Who is calling a service, and from where (for audit rows). */
export interface Actor {
  viewer: Viewer | undefined;
  meta: RequestMeta;
}

/** The signed-in viewer, or a 401. */
export function signedIn(actor: Actor): Viewer {
  if (!actor.viewer) throw HttpError.unauthorized();
  return actor.viewer;
}

/** The viewer when their profile grants `action`; 401 when signed out, 403 otherwise. */
export function authorize(actor: Actor, action: Action): Viewer {
  const viewer = signedIn(actor);
  requirePermission(viewer, action);
  return viewer;
}

/**
 * The viewer when their profile grants at least one of `actions` (an owner
 * path and an admin path, say); the caller then narrows by which one it was.
 */
export function authorizeAny(actor: Actor, actions: readonly [Action, ...Action[]]): Viewer {
  const viewer = signedIn(actor);
  if (actions.some((a) => can(viewer.permissions, a))) return viewer;
  if (actions.length === 1) requirePermission(viewer, actions[0]);
  throw HttpError.forbidden(`Your profile (${viewer.profileName}) allows none of ${actions.join(', ')}. Ask a family admin to change your profile.`);
}

export { can };
