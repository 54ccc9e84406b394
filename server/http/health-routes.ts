/**
 * Liveness, readiness and metrics.
 * - /api/health: the process answers.
 * - /api/health/ready: the database answers and its migrations match this build.
 * - /metrics: Prometheus text format.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { success } from './envelope.ts';
import type { AppEnv } from './app-env.ts';
import type { Metrics } from '../observability/metrics.ts';

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface HealthDeps {
  metrics: Metrics;
  readiness: () => Promise<ReadinessCheck[]>;
  /** Refreshes gauges (pool sizes, queue depth) just before a scrape. */
  beforeScrape?: () => void | Promise<void>;
  /** When set, /metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
}

const envelope = <T extends z.ZodTypeAny>(data: T) =>
  z.object({ status: z.enum(['success', 'error']), data, message: z.string().nullable(), errors: z.record(z.string(), z.array(z.string())).nullable() });

const checkSchema = z.object({ name: z.string(), ok: z.boolean(), detail: z.string().optional() });

const liveness = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['health'],
  summary: 'Liveness: the process is up',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: envelope(z.object({ status: z.literal('ok'), uptimeSeconds: z.number() })) } } } },
});

const readinessRoute = createRoute({
  method: 'get',
  path: '/api/health/ready',
  tags: ['health'],
  summary: 'Readiness: database reachable and migrations current',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: envelope(z.object({ ready: z.boolean(), checks: z.array(checkSchema) })) } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: envelope(z.object({ ready: z.boolean(), checks: z.array(checkSchema) })) } } },
  },
});

export function healthRoutes(deps: HealthDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(liveness, (c) => c.json(success({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }), 200));

  app.openapi(readinessRoute, async (c) => {
    const checks = await deps.readiness();
    const ready = checks.every((check) => check.ok);
    c.header('Cache-Control', 'no-store');
    if (ready) return c.json(success({ ready, checks }), 200);
    return c.json({ status: 'error' as const, data: { ready, checks }, message: 'Not ready: ' + checks.filter((x) => !x.ok).map((x) => x.name).join(', '), errors: null }, 503);
  });

  app.get('/metrics', async (c) => {
    if (deps.metricsToken && c.req.header('authorization') !== `Bearer ${deps.metricsToken}`) {
      return c.text('metrics need a bearer token\n', 401);
    }
    await deps.beforeScrape?.();
    c.header('Content-Type', deps.metrics.registry.contentType);
    c.header('Cache-Control', 'no-store');
    return c.body(await deps.metrics.registry.metrics());
  });

  return app;
}
