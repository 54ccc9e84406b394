/**
 * GET /api/openapi.json: the OpenAPI 3 document generated from every route
 * declared with `createRoute`, each carrying its `x-talemo-access`.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/app-env.ts';

export const OPENAPI_PATH = '/api/openapi.json';

export function serveOpenApiDocument(app: OpenAPIHono<AppEnv>, publicUrl: string, cookieName: string): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http', scheme: 'bearer', description: 'A session token "<id>.<secret>" from POST /api/auth/token.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', {
    type: 'apiKey', in: 'cookie', name: cookieName, description: 'The PWA\'s session cookie; state-changing requests must come from the same origin.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'operatorToken', {
    type: 'http', scheme: 'bearer', description: 'PLATFORM_OPERATOR_TOKEN, for /operator/* only.',
  });
  app.doc(OPENAPI_PATH, {
    openapi: '3.0.3',
    info: {
      title: 'Talemo API',
      version: '1',
      description: [
        'Every JSON answer is the envelope { status, data, message, errors }; errors maps each invalid field to reasons.',
        'Lists take ?limit=1..100 (default 25) and ?cursor=<next_cursor from the previous page>, and answer { items, next_cursor }.',
        'Unknown fields, in bodies and query strings, are refused with 400.',
        'x-talemo-access on each operation says who may call it; the server enforces it in its services.',
      ].join('\n\n'),
    },
    servers: [{ url: publicUrl }],
  });
}
