import type { Viewer } from '../../shapes/viewer.ts';
import type { SessionInfo } from '../auth/session-store.ts';
import type { Logger } from '../observability/logger.ts';

/** Per-request variables every handler can read through `c.var`. */
export interface AppVariables {
  requestId: string;
  logger: Logger;
  /** Set by the authentication middleware when the request carries a valid session. */
  viewer: Viewer | undefined;
  /** The session behind `viewer`, and how it was presented. */
  session: (SessionInfo & { via: 'bearer' | 'cookie' }) | undefined;
}

export interface AppEnv {
  Variables: AppVariables;
}
