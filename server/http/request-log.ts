/**
 * Logs one structured line per request and feeds the HTTP metrics. The route
 * label is the matched pattern (`/api/stories/:id`), never the raw path, so
 * metric cardinality stays bounded.
 */
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { AppEnv } from './app-env.ts';

export function requestLog(logger: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    c.set('logger', logger.child({ requestId: c.var.requestId }));
    await next();
    const seconds = (performance.now() - started) / 1000;
    const handler = handlerRoute(c);
    // A catch-all that passed the request on (the PWA fallback skips /api/) is no route at all.
    const route = c.res.status === 404 && (handler === '*' || handler === '/*') ? 'unmatched' : handler;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    const level = c.res.status >= 500 ? 'error' : 'info';
    c.var.logger[level]({ method: c.req.method, path: c.req.path, route, status: c.res.status, ms: Math.round(seconds * 1000) }, 'request');
  };
}

/**
 * The pattern of the handler that answered: the first matched route that is
 * not middleware (middleware is registered for ALL methods). Handlers run in
 * registration order, so later catch-alls (the PWA's fallback) never shadow it.
 */
function handlerRoute(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const handler = matchedRoutes(c).find((r) => r.method !== 'ALL');
  return handler ? handler.path : 'unmatched';
}
