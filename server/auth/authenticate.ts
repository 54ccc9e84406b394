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
 *
 * Two deliberate exceptions, both on sign-in paths:
 * - Apple's callback is a cross-site POST by design (response_mode=form_post).
 *   It is exempt from the same-origin check, and in exchange no session is
 *   read there at all: it acts only through its OAuth state, which is
 *   single-use, bound to the starting browser, and (for linking) names the
 *   session that started it.
 * - On the endpoints that establish a session, a stale or invalid credential
 *   is ignored instead of refused, so an expired cookie never stops someone
 *   from signing in again.
 *
 * Privilege change: when the user's profile or its permissions changed since
 * the session was issued, the session is rotated once the handler has run
 * (session-rotation.ts) and the new token rides on this response. After the
 * handler, because a handler that itself replaced or ended the session
 * (refresh, sign-in, sign-out) must win: rotation then finds it no longer
 * live and delivers nothing. The request itself already runs with the new
 * privileges either way: they are read afresh on every request.
 *
 * That answer can be lost: a device aborts a long-poll when the change that
 * caused the rotation reaches it through another shape. So a request whose
 * client is already gone rotates nothing (the next one will), and a request
 * made with the replaced token within the grace window is handed the same
 * new token again (session-successor.ts).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../http/app-env.ts';
import { HttpError } from '../http/http-error.ts';
import type { Database } from '../db/database.ts';
import { requestMeta } from '../http/request-meta.ts';
import { validateSessionToken, type ValidSession } from './session-store.ts';
import { sessionCookieName } from './session-cookie.ts';
import { rotateForPrivilegeChange, successorToHandAgain } from './session-rotation.ts';
import type { SuccessorSecrets } from './session-successor.ts';
import { deliverRotatedSession } from './session-transport.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Cross-site POSTs by design; see the note above. */
export const CROSS_SITE_CALLBACK_PATHS: ReadonlySet<string> = new Set(['/api/auth/apple/callback']);

/**
 * Endpoints that establish a session, or that the sign-in screen calls before
 * there is one: there an invalid credential means "anonymous".
 */
export const SESSION_ESTABLISHING_PATHS: ReadonlySet<string> = new Set([
  '/api/auth/providers',
  '/api/auth/signup',
  '/api/auth/token',
  '/api/auth/invitations/preview',
  '/api/auth/invitations/accept',
  '/api/auth/pairing/redeem',
  '/api/auth/google',
  '/api/auth/google/callback',
  '/api/auth/apple',
]);

export interface AuthenticateOptions {
  db: Database;
  publicUrl: string;
  /** Extra origins the PWA may be served from (CORS_ORIGINS). */
  trustedOrigins: string[];
  /** TRUST_PROXY: whether the audit row of a rotation believes X-Forwarded-For. */
  trustProxy?: boolean;
  /** Derives a rotated session's secret from the token it replaces. */
  successors: SuccessorSecrets;
}

export function authenticate(options: AuthenticateOptions): MiddlewareHandler<AppEnv> {
  const cookieName = sessionCookieName(options.publicUrl);
  const ownOrigins = new Set([new URL(options.publicUrl).origin, ...options.trustedOrigins.map((o) => new URL(o).origin)]);

  return async (c, next) => {
    if (CROSS_SITE_CALLBACK_PATHS.has(c.req.path)) return next();
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

    let valid: ValidSession | undefined;
    if (token && via) {
      if (via === 'cookie' && !SAFE_METHODS.has(c.req.method)) assertSameOrigin(c, ownOrigins);
      valid = await validateSessionToken(options.db, token);
      if (valid) {
        c.set('viewer', valid.viewer);
        c.set('session', { ...valid.session, via });
      } else if (!SESSION_ESTABLISHING_PATHS.has(c.req.path)) {
        throw HttpError.unauthorized('Your session has expired or was signed out. Sign in again.');
      }
    }
    await next();
    if (!valid || !via || c.req.raw.signal.aborted) return;
    if (valid.privilegesChanged) await rotateAfterPrivilegeChange(c, options, valid, via);
    else if (valid.presented.id !== valid.session.id) await handSuccessorAgain(c, options, valid, via);
  };
}

async function rotateAfterPrivilegeChange(c: Context<AppEnv>, options: AuthenticateOptions, valid: ValidSession, via: 'cookie' | 'bearer'): Promise<void> {
  try {
    const secret = options.successors.secretFor(valid.presented);
    const outcome = await rotateForPrivilegeChange(options.db, valid.viewer, valid.session, requestMeta(c, options.trustProxy), secret);
    if (outcome.kind === 'rotated') deliverRotatedSession(c, options.publicUrl, via, outcome.issued);
  } catch (err) {
    // The handler's answer stands (its work is committed). The old session is
    // still live and unrotated, so the next request tries again.
    c.var.logger?.error({ err, sessionId: valid.session.id }, 'session rotation after a privilege change failed; will retry on the next request');
  }
}

/** In the grace window: the client may never have received its new token. */
async function handSuccessorAgain(c: Context<AppEnv>, options: AuthenticateOptions, valid: ValidSession, via: 'cookie' | 'bearer'): Promise<void> {
  try {
    const issued = await successorToHandAgain(options.db, valid.viewer, valid.session, options.successors.secretFor(valid.presented));
    if (issued) deliverRotatedSession(c, options.publicUrl, via, issued);
  } catch (err) {
    // The old token keeps working until the window closes; the next request tries again.
    c.var.logger?.error({ err, sessionId: valid.session.id }, 'handing a rotated session again failed');
  }
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
