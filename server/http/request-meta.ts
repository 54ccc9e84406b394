import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { RequestMeta } from '../audit/audit-writer.ts';
import type { AppEnv } from './app-env.ts';

/**
 * The caller's address and request id, for audit rows and rate limits. The
 * socket address is used unless TRUST_PROXY is on, in which case the first
 * X-Forwarded-For hop (set by our own load balancer) is believed.
 */
export function requestMeta(c: Context<AppEnv>, trustProxy = false): RequestMeta {
  return { ip: clientIp(c, trustProxy), requestId: c.var.requestId ?? null };
}

export function clientIp(c: Context<AppEnv>, trustProxy = false): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // app.request() in tests has no socket
  }
}
