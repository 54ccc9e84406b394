/**
 * Hands a new session to whoever asked for it: as the HttpOnly cookie for the
 * PWA (the token then never appears in the body, so page scripts cannot read
 * it), or as a bearer token in the body for API clients.
 */
import type { Context } from 'hono';
import { ROTATED_SESSION_HEADER } from '../../shapes/viewer.ts';
import type { AppEnv } from '../http/app-env.ts';
import { clientIp } from '../http/request-meta.ts';
import { setSessionCookie } from './session-cookie.ts';
import type { NewSession, SessionClientInfo, SessionKind } from './session-store.ts';

/** A session just created for a user, with the token not yet delivered. */
export interface IssuedSession extends NewSession {
  tenantId: string;
  userId: string;
}

/** What the endpoints that sign someone in answer with. */
export interface SessionGrant {
  /** The bearer token; null when it was set as a cookie instead. */
  token: string | null;
  transport: 'cookie' | 'bearer';
  session: { id: string; kind: SessionKind; expiresAt: string };
  userId: string;
  tenantId: string;
}

export function deliverSession(c: Context<AppEnv>, publicUrl: string, issued: IssuedSession, asCookie: boolean): SessionGrant {
  if (asCookie) setSessionCookie(c, publicUrl, issued.token, issued.session.expiresAt);
  return {
    token: asCookie ? null : issued.token,
    transport: asCookie ? 'cookie' : 'bearer',
    session: { id: issued.session.id, kind: issued.session.kind, expiresAt: issued.session.expiresAt.toISOString() },
    userId: issued.userId,
    tenantId: issued.tenantId,
  };
}

/** A bearer session's replacement rides on this header; the old token keeps working for ROTATION_GRACE_MS, for requests already in flight. */
export { ROTATED_SESSION_HEADER };

/**
 * Hands a rotated session to the client the way it presented the old one: a
 * new cookie for the PWA, the header above for bearer clients. Called after
 * the handler ran, so it adds to whatever response the handler gave.
 */
export function deliverRotatedSession(c: Context<AppEnv>, publicUrl: string, via: 'cookie' | 'bearer', issued: NewSession): void {
  if (via === 'cookie') setSessionCookie(c, publicUrl, issued.token, issued.session.expiresAt);
  else c.header(ROTATED_SESSION_HEADER, issued.token);
  // A shared cache must never keep a response that carries a credential
  // (shape responses are otherwise cacheable).
  c.header('Cache-Control', 'no-store');
}

/** What a session row records about the device that holds it. */
export function sessionClient(c: Context<AppEnv>, trustProxy: boolean, deviceName?: string | null): SessionClientInfo {
  return { userAgent: c.req.header('user-agent') ?? null, ip: clientIp(c, trustProxy), deviceName: deviceName ?? null };
}
