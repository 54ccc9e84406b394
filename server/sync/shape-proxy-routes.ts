/**
 * GET /api/shapes/:name — the only way a device syncs. The session decides
 * the shape (shapes/shape-definitions.ts); the device may only set the
 * protocol's own parameters (offset, handle, live, cursor, …). Anything else
 * it sends — table, where, columns, params, secret — is dropped.
 *
 * The body is streamed through untouched. Electric's headers are kept (and
 * exposed through CORS by the app); caching is made private and varies on the
 * credential, so no shared cache can hand one family's rows to another.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { isShapeName, SHAPE_NAMES, shapeFor } from '../../shapes/shape-definitions.ts';
import { requireViewer } from '../auth/access.ts';
import type { AppEnv } from '../http/app-env.ts';
import { HttpError } from '../http/http-error.ts';
import type { ShapeUpstream } from './shape-upstream.ts';

/** Protocol parameters a client may set (PROTOCOL.md, "The proxy in front"). */
export const CLIENT_PARAMS = ['offset', 'handle', 'live', 'live_sse', 'cursor', 'log', 'expired_handle', 'cache-buster'] as const;

const DROPPED_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'set-cookie', 'vary', 'access-control-allow-origin', 'access-control-expose-headers']);

const route = createRoute({
  method: 'get',
  path: '/api/shapes/{name}',
  tags: ['sync'],
  summary: "Sync a shape (Electric's HTTP shape protocol) computed from the session",
  request: {
    params: z.object({ name: z.string().openapi({ description: `one of ${SHAPE_NAMES.join(', ')}` }) }),
    query: z.object(Object.fromEntries(CLIENT_PARAMS.map((p) => [p, z.string().optional()]))).passthrough(),
  },
  responses: {
    200: { description: 'Shape log messages (a JSON array), with electric-* headers' },
    400: { description: 'Invalid protocol parameters' },
    401: { description: 'No session' },
    403: { description: 'The viewer has no such shape' },
    404: { description: 'Unknown shape name' },
    409: { description: 'must-refetch: the shape changed; start again from offset -1' },
    503: { description: 'The shape service is not ready' },
  },
});

export function shapeProxyRoutes(upstream: () => ShapeUpstream | undefined): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(route, async (c) => {
    const viewer = requireViewer(c);
    const name = c.req.param('name');
    if (!isShapeName(name)) throw HttpError.notFound(`The shape "${name}"`);
    const definition = shapeFor(name, viewer);
    if (!definition) throw HttpError.forbidden(`Your profile (${viewer.profileName}) does not sync ${name}.`);
    const target = upstream();
    if (!target) throw new HttpError(503, 'Sync is starting. Try again in a moment.', null, 2);

    const url = new URL(target.shapeUrl);
    for (const param of CLIENT_PARAMS) {
      const value = c.req.query(param);
      if (value !== undefined) url.searchParams.set(param, value);
    }
    url.searchParams.set('table', definition.table);
    if (definition.where) url.searchParams.set('where', definition.where);
    definition.params?.forEach((value, i) => url.searchParams.set(`params[${i + 1}]`, value));
    url.searchParams.set('columns', definition.columns.join(','));
    url.searchParams.set('secret', target.secret);

    let response: Response;
    try {
      response = await fetch(url, { method: c.req.method === 'HEAD' ? 'HEAD' : 'GET', signal: c.req.raw.signal });
    } catch (err) {
      if (c.req.raw.signal.aborted) return new Response(null, { status: 499 });
      c.var.logger.warn({ err: (err as Error).message }, 'shape upstream unreachable');
      throw new HttpError(503, 'Sync is unavailable right now. Your device keeps working offline and will catch up.', null, 5);
    }

    const headers = new Headers();
    response.headers.forEach((value, key) => {
      if (!DROPPED_HEADERS.has(key.toLowerCase())) headers.set(key, value);
    });
    headers.set('cache-control', privateCacheControl(response.headers.get('cache-control')));
    headers.set('vary', 'Authorization, Cookie');
    return new Response(response.body, { status: response.status, headers });
  });
  return app;
}

/** Keeps the upstream's freshness but never lets a shared cache store it. */
function privateCacheControl(upstream: string | null): string {
  if (!upstream) return 'private, no-store';
  const directives = upstream
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d && !/^(public|private|s-maxage=)/i.test(d));
  if (directives.some((d) => /^no-store$/i.test(d))) return 'private, no-store';
  return ['private', ...directives].join(', ');
}
