/**
 * The route table as the app itself reports it: every operation in
 * /api/openapi.json with its declared access, and every route Hono has
 * registered. Built from a real app whose database is never touched (only
 * the document is requested), so suites can generate one test per route at
 * collection time.
 */
import { createApp } from '../../../server/http/app.ts';
import { Database } from '../../../server/db/database.ts';
import { silentLogger } from '../../../server/observability/logger.ts';
import { createMetrics } from '../../../server/observability/metrics.ts';
import type { RouteAccess } from '../../../server/routes/route-kit.ts';
import { testConfig } from '../../support/test-app.ts';

export interface Operation {
  method: string;
  /** OpenAPI form: /api/stories/{id}. */
  path: string;
  key: string;
  access: RouteAccess | undefined;
  hasJsonBody: boolean;
  pathParams: string[];
  queryParams: string[];
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { 'x-talemo-access'?: RouteAccess; requestBody?: { content: Record<string, unknown> }; parameters?: Array<{ name: string; in: string }> }>>;
}

export async function loadRouteTable(): Promise<{ operations: Operation[]; registered: string[] }> {
  const db = new Database({ connectionString: 'postgres://nobody:nothing@127.0.0.1:9/none', poolMax: 1 });
  try {
    const app = createApp({ config: testConfig(), logger: silentLogger(), metrics: createMetrics({ collectProcessMetrics: false }), db, health: { readiness: async () => [] } });
    const res = await app.request('/api/openapi.json');
    if (res.status !== 200) throw new Error(`/api/openapi.json answered ${res.status}: ${await res.text()}`);
    const doc = (await res.json()) as OpenApiDoc;
    const operations: Operation[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const params = op.parameters ?? [];
        operations.push({
          method: method.toUpperCase(),
          path,
          key: `${method.toUpperCase()} ${path}`,
          access: op['x-talemo-access'],
          hasJsonBody: Boolean(op.requestBody?.content['application/json']),
          pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        });
      }
    }
    const registered = [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`))];
    return { operations, registered };
  } finally {
    await db.close();
  }
}
