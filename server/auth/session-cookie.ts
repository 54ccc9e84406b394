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

export function setSessionCookie(c: Context, publicUrl: string, token: string, expiresAt: Date): void {
  const secure = publicUrl.startsWith('https:');
  setCookie(c, sessionCookieName(publicUrl), token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, publicUrl: string): void {
  const secure = publicUrl.startsWith('https:');
  deleteCookie(c, sessionCookieName(publicUrl), { path: '/', secure });
}
