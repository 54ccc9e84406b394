import type { Viewer } from '../../shapes/viewer.ts';
import type { Logger } from '../observability/logger.ts';

/** Per-request variables every handler can read through `c.var`. */
export interface AppVariables {
  requestId: string;
  logger: Logger;
  /** Set by the authentication middleware when the request carries a valid session. */
  viewer: Viewer | undefined;
}

export interface AppEnv {
  Variables: AppVariables;
}
