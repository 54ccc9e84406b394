/**
 * What every auth route module shares: its dependencies, the per-IP limit on
 * sign-in endpoints, and the request facts services record.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { RequestMeta } from '../../audit/audit-writer.ts';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { clientIp, requestMeta } from '../../http/request-meta.ts';
import type { AuthDeps } from '../auth-deps.ts';
import type { OidcProviders } from '../oidc-providers.ts';
import { enforceRateLimit } from '../rate-limiter.ts';
import { sessionClient } from '../session-transport.ts';
import type { SessionClientInfo } from '../session-store.ts';

export interface AuthRouteDeps {
  db: Database;
  config: Config;
}

export interface AuthRouteContext extends AuthDeps {
  trustProxy: boolean;
  providers: OidcProviders;
  /** Route middleware: counts the request against the caller's IP. */
  ipLimit: MiddlewareHandler<AppEnv>;
  meta(c: Context<AppEnv>): RequestMeta;
  client(c: Context<AppEnv>, deviceName?: string | null): SessionClientInfo;
}

export function authRouteContext(deps: AuthRouteDeps, providers: OidcProviders): AuthRouteContext {
  const { db, config } = deps;
  return {
    db,
    auth: config.auth,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    providers,
    ipLimit: async (c, next) => {
      // Without a socket address (or a trusted proxy's header) all such callers share one bucket.
      await enforceRateLimit(db, 'ip', clientIp(c, config.trustProxy) ?? 'unknown', config.auth.ipLimit);
      await next();
    },
    meta: (c) => requestMeta(c, config.trustProxy),
    client: (c, deviceName) => sessionClient(c, config.trustProxy, deviceName),
  };
}
