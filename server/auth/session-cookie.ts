/**
 * The PWA's session cookie. Over HTTPS it is `__Host-talemo_session` (the
 * prefix pins it to our host, path / and Secure); over plain HTTP (local
 * development) browsers refuse __Host- cookies, so it is `talemo_session`.
 * Always HttpOnly and SameSite=Lax.
 */
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';

export function sessionCookieName(publicUrl: string): string {
  return publicUrl.startsWith('https:') ? '__Host-talemo_session' : 'talemo_session';
}

/** The same attributes whether setting or clearing: a browser matches a deletion by name, path and domain, and refuses a __Host- cookie without Secure. */
function sessionCookieOptions(publicUrl: string) {
  return { httpOnly: true, sameSite: 'Lax', secure: publicUrl.startsWith('https:'), path: '/' } as const;
}

export function setSessionCookie(c: Context, publicUrl: string, token: string, expiresAt: Date): void {
  setCookie(c, sessionCookieName(publicUrl), token, { ...sessionCookieOptions(publicUrl), expires: expiresAt });
}

export function clearSessionCookie(c: Context, publicUrl: string): void {
  deleteCookie(c, sessionCookieName(publicUrl), sessionCookieOptions(publicUrl));
}
