/**
 * The /api/auth routes as the app documents them in /api/openapi.json, with
 * what the bad-input suite needs beyond tests/api/support/route-table.ts: the
 * body's media types and declared fields. Read at collection time from an
 * app whose database is never touched, so a new auth route gets its tests
 * without anyone listing it.
 */
import { loadConfig } from '../../server/config.ts';
import { Database } from '../../server/db/database.ts';
import { createApp } from '../../server/http/app.ts';
import { silentLogger } from '../../server/observability/logger.ts';
import { createMetrics } from '../../server/observability/metrics.ts';

export interface AuthOperation {
  method: string;
  /** OpenAPI form: /api/auth/sessions/{id}. */
  path: string;
  key: string;
  access: string | undefined;
  /** 'application/json', 'application/x-www-form-urlencoded', or none. */
  bodyMediaType: string | undefined;
  bodyRequired: boolean;
  /** The fields the body schema declares. */
  bodyFields: string[];
  pathParams: string[];
  queryParams: string[];
}

interface JsonSchema {
  properties?: Record<string, unknown>;
}

interface OpenApiOperation {
  'x-talemo-access'?: { kind: string };
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema & { $ref?: string } }> };
  parameters?: Array<{ name: string; in: string }>;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export async function loadAuthOperations(env: Record<string, string> = {}): Promise<AuthOperation[]> {
  const db = new Database({ connectionString: 'postgres://nobody:nothing@127.0.0.1:9/none', poolMax: 1 });
  try {
    const config = loadConfig({ NODE_ENV: 'test', TALEMO_SECRET: 'test-secret-test-secret-test-secret-0123', LOG_LEVEL: 'silent', ...env }, process.cwd());
    const app = createApp({ config, logger: silentLogger(), metrics: createMetrics({ collectProcessMetrics: false }), db, health: { readiness: async () => [] } });
    const res = await app.request('/api/openapi.json');
    if (res.status !== 200) throw new Error(`/api/openapi.json answered ${res.status}: ${await res.text()}`);
    const doc = (await res.json()) as OpenApiDoc;
    const resolve = (schema: JsonSchema & { $ref?: string }): JsonSchema => (schema.$ref ? (doc.components?.schemas?.[schema.$ref.split('/').pop()!] ?? {}) : schema);
    const operations: AuthOperation[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/auth/')) continue;
      for (const [method, op] of Object.entries(methods)) {
        const [mediaType, body] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
        const params = op.parameters ?? [];
        operations.push({
          method: method.toUpperCase(),
          path,
          key: `${method.toUpperCase()} ${path}`,
          access: op['x-talemo-access']?.kind,
          bodyMediaType: mediaType,
          bodyRequired: op.requestBody?.required === true,
          bodyFields: body ? Object.keys(resolve(body.schema).properties ?? {}) : [],
          pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        });
      }
    }
    return operations;
  } finally {
    await db.close();
  }
}
