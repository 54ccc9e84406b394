/**
 * /operator/stats: platform statistics across tenants, for the platform
 * operator. Outside /api on purpose: tenant session middleware does not run
 * here, and no tenant session can ever reach it. See
 * server/services/platform-stats-service.ts for the two locks.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/app-env.ts';
import { success } from '../http/envelope.ts';
import type { Services } from '../services/index.ts';
import { access, errors, ok } from './route-kit.ts';

const stats = createRoute({
  method: 'get', path: '/operator/stats', tags: ['operator'], summary: 'Platform statistics across tenants (operator only)',
  description: 'Authorization: Bearer <PLATFORM_OPERATOR_TOKEN>. Aggregates only: no tenant names, ids or people.',
  ...access({ kind: 'operator', reason: 'Cross-tenant figures: only the platform operator token, through the operator database connection (never the app role).' }),
  responses: { 200: ok(z.record(z.string(), z.unknown()), 'Statistics'), ...errors(401, 503) },
});

export function operatorRoutes(services: Services): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(stats, async (c) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    c.header('Cache-Control', 'no-store');
    return c.json(success(await services.platformStats.stats(token)), 200);
  });
  return app;
}
