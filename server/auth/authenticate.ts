/**
 * Reads the session from `Authorization: Bearer <token>` (API clients) or the
 * session cookie (the PWA), and puts the Viewer on the request. Requests with
 * no credential continue anonymously; routes decide whether that is allowed
 * (`requireViewer`). A credential that is present but invalid is a 401, so a
 * client learns its session is gone instead of silently seeing less.
 *
 * CSRF: a state-changing request authenticated by cookie must come from our
 * own origin (Origin header, or Sec-Fetch-Site: same-origin). Bearer tokens
 * are not sent by browsers on their own, so they need no such check.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../http/app-env.ts';
import { HttpError } from '../http/http-error.ts';
import type { Database } from '../db/database.ts';
import { validateSessionToken } from './session-store.ts';
import { sessionCookieName } from './session-cookie.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthenticateOptions {
  db: Database;
  publicUrl: string;
  /** Extra origins the PWA may be served from (CORS_ORIGINS). */
  trustedOrigins: string[];
}

export function authenticate(options: AuthenticateOptions): MiddlewareHandler<AppEnv> {
  const cookieName = sessionCookieName(options.publicUrl);
  const ownOrigins = new Set([new URL(options.publicUrl).origin, ...options.trustedOrigins.map((o) => new URL(o).origin)]);

  return async (c, next) => {
    const header = c.req.header('authorization');
    let token: string | undefined;
    let via: 'bearer' | 'cookie' | undefined;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
      if (!match) throw HttpError.unauthorized('The Authorization header must be "Bearer <token>".');
      token = match[1];
      via = 'bearer';
    } else {
      token = getCookie(c, cookieName);
      via = token ? 'cookie' : undefined;
    }

    if (token && via) {
      if (via === 'cookie' && !SAFE_METHODS.has(c.req.method)) assertSameOrigin(c, ownOrigins);
      const valid = await validateSessionToken(options.db, token);
      if (!valid) throw HttpError.unauthorized('Your session has expired or was signed out. Sign in again.');
      c.set('viewer', valid.viewer);
      c.set('session', { ...valid.session, via });
    }
    await next();
  };
}

function assertSameOrigin(c: Context<AppEnv>, ownOrigins: Set<string>): void {
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    if (!ownOrigins.has(origin)) throw HttpError.forbidden('Cross-site request refused.');
    return;
  }
  const site = c.req.header('sec-fetch-site');
  if (site === 'same-origin' || site === 'none') return;
  throw HttpError.forbidden('Cross-site request refused: the request carries no Origin.');
}
