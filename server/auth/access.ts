/**
 * The checks a service method starts with. They throw HttpError, so a route
 * never has to remember to turn a refusal into a status code.
 */
import type { Context } from 'hono';
import { can, type Action } from '../../shapes/permissions.ts';
import type { Viewer } from '../../shapes/viewer.ts';
import type { AppEnv, AppVariables } from '../http/app-env.ts';
import { HttpError } from '../http/http-error.ts';

/** The signed-in viewer, or a 401. */
export function requireViewer(c: Context<AppEnv>): Viewer {
  const viewer = c.var.viewer;
  if (!viewer) throw HttpError.unauthorized();
  return viewer;
}

/** The signed-in viewer with the session they presented, or a 401. */
export function requireSession(c: Context<AppEnv>): { viewer: Viewer; session: NonNullable<AppVariables['session']> } {
  const viewer = c.var.viewer;
  const session = c.var.session;
  if (!viewer || !session) throw HttpError.unauthorized();
  return { viewer, session };
}

/** Throws 403 unless the viewer's profile grants `action`. */
export function requirePermission(viewer: Viewer, action: Action): void {
  if (!can(viewer.permissions, action)) {
    throw HttpError.forbidden(`Your profile (${viewer.profileName}) does not allow ${action}. Ask a family admin to change your profile.`);
  }
}
