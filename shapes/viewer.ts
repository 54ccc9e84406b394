/**
 * Who is asking: the signed-in user as every permission check, shape
 * definition and RLS context sees them. Built once per request from the
 * session (see server/auth/viewer-loader.ts); never from anything the device
 * claims about itself.
 */
import type { ProfilePermissions } from './permissions.ts';
import type { Plan, Policies } from './policies.ts';

export interface Viewer {
  tenantId: string;
  tenantType: 'family' | 'institution';
  userId: string;
  kind: 'adult' | 'kid';
  displayName: string;
  profileId: string;
  profileName: string;
  /** From the profile; the same for everyone on it. */
  permissions: ProfilePermissions;
  /** The tenant's effective policies (stored values over plan defaults). */
  policies: Policies;
  plan: Plan;
}

/**
 * The response header carrying a bearer session's replacement after the
 * viewer's privileges changed (server/auth/session-rotation.ts). A device
 * switches to it for its next requests (sync/device/server-connection.ts).
 */
export const ROTATED_SESSION_HEADER = 'Talemo-Session-Token';
