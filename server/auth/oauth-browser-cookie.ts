/**
 * Binds an OAuth flow to the browser that started it: a random value in a
 * short-lived HttpOnly cookie whose hash is stored with the flow. A callback
 * arriving in another browser (login CSRF: an attacker's code and state
 * pushed to a victim) lacks it and is refused.
 *
 * Apple returns with a cross-site POST (form_post), which SameSite=Lax
 * cookies do not ride along; over HTTPS its cookie is SameSite=None; Secure.
 * It carries no authority of its own: it only matches a flow's hash.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { FLOW_TTL_SECONDS } from './oauth-flow-store.ts';
import type { ProviderName } from './oidc-providers.ts';

function cookieName(publicUrl: string, provider: ProviderName): string {
  return `${publicUrl.startsWith('https:') ? '__Host-' : ''}talemo_oauth_${provider}`;
}

export function setBrowserBinding(c: Context, publicUrl: string, provider: ProviderName, value: string): void {
  const secure = publicUrl.startsWith('https:');
  setCookie(c, cookieName(publicUrl, provider), value, {
    httpOnly: true,
    secure,
    sameSite: provider === 'apple' && secure ? 'None' : 'Lax',
    path: '/',
    maxAge: FLOW_TTL_SECONDS,
  });
}

export function readBrowserBinding(c: Context, publicUrl: string, provider: ProviderName): string | undefined {
  return getCookie(c, cookieName(publicUrl, provider));
}

export function clearBrowserBinding(c: Context, publicUrl: string, provider: ProviderName): void {
  deleteCookie(c, cookieName(publicUrl, provider), { path: '/', secure: publicUrl.startsWith('https:') });
}
