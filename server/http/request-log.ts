/**
 * Logs one structured line per request and feeds the HTTP metrics. The route
 * label is the matched pattern (`/api/stories/:id`), never the raw path, so
 * metric cardinality stays bounded.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { AppEnv } from './app-env.ts';

export function requestLog(logger: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    c.set('logger', logger.child({ requestId: c.var.requestId }));
    await next();
    const seconds = (performance.now() - started) / 1000;
    const matched = routePath(c, -1);
    const route = c.res.status === 404 && (matched === '*' || matched === '/*') ? 'unmatched' : matched;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    const level = c.res.status >= 500 ? 'error' : 'info';
    c.var.logger[level]({ method: c.req.method, path: c.req.path, route, status: c.res.status, ms: Math.round(seconds * 1000) }, 'request');
  };
}
