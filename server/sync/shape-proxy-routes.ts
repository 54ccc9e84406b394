/**
 * GET /api/shapes/:name — the only way a device syncs. The session decides
 * the shape (shapes/shape-definitions.ts); the device may only set the
 * protocol's own parameters (offset, handle, live, cursor, …). Anything else
 * it sends — table, where, columns, params, secret — is dropped.
 *
 * The body is streamed through untouched. Electric's headers are kept (and
 * exposed through CORS by the app); caching is made private and varies on the
 * credential, so no shared cache can hand one family's rows to another.
 *
 * A change of access (a policy, the viewer's profile) changes the definition,
 * so the device's handle no longer matches and it gets a 409 must-refetch; a
 * live request already held is ended that way at once (access-aware-fetch.ts).
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { isShapeName, SHAPE_NAMES, shapeFor, type ShapeDefinition } from '../../shapes/shape-definitions.ts';
import { requireViewer } from '../auth/access.ts';
import type { Database } from '../db/database.ts';
import type { AppEnv } from '../http/app-env.ts';
import { HttpError } from '../http/http-error.ts';
import type { Logger } from '../observability/logger.ts';
import { AccessChangeFeed } from './access-change-feed.ts';
import { fetchShape, type AccessWatch } from './access-aware-fetch.ts';
import type { ShapeUpstream } from './shape-upstream.ts';
import { ViewerReloads } from './viewer-reloads.ts';

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

export interface ShapeProxyOptions {
  /**
   * Lets a held live request end with must-refetch as soon as the viewer's
   * access changes (access-aware-fetch.ts); without it, the device learns
   * at its next request, after the long poll.
   */
  accessChanges?: { db: Database; logger: Logger };
}

export function shapeProxyRoutes(upstream: () => ShapeUpstream | undefined, options: ShapeProxyOptions = {}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const access = options.accessChanges;
  const feed = access ? new AccessChangeFeed(access.db, access.logger) : undefined;
  const viewers = access ? new ViewerReloads(access.db) : undefined;
  app.openapi(route, async (c) => {
    const viewer = requireViewer(c);
    const name = c.req.param('name');
    if (!isShapeName(name)) throw HttpError.notFound(`The shape "${name}"`);
    const definition = shapeFor(name, viewer);
    if (!definition) throw HttpError.forbidden(`Your profile (${viewer.profileName}) does not sync ${name}.`);
    const target = upstream();
    if (!target) throw new HttpError(503, 'Sync is starting. Try again in a moment.', null, 2);

    const live = c.req.query('live');
    const watch: AccessWatch | undefined =
      feed && viewers && live !== undefined && live !== 'false'
        ? {
            feed,
            tenantId: viewer.tenantId,
            currentDefinition: async (change) => {
              const now = await viewers.after(change, viewer);
              return now ? shapeFor(name, now) : null;
            },
          }
        : undefined;

    let response: Response;
    try {
      response = await fetchShape({
        definition,
        urlFor: (d) => upstreamUrl(target, d, (param) => c.req.query(param)),
        method: c.req.method === 'HEAD' ? 'HEAD' : 'GET',
        signal: c.req.raw.signal,
        watch,
      });
    } catch (err) {
      if (err instanceof HttpError) throw err;
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

/** The upstream request: the client's protocol parameters, then the definition and the secret. */
function upstreamUrl(target: ShapeUpstream, definition: ShapeDefinition, clientParam: (name: string) => string | undefined): URL {
  const url = new URL(target.shapeUrl);
  for (const param of CLIENT_PARAMS) {
    const value = clientParam(param);
    if (value !== undefined) url.searchParams.set(param, value);
  }
  url.searchParams.set('table', definition.table);
  if (definition.where) url.searchParams.set('where', definition.where);
  definition.params?.forEach((value, i) => url.searchParams.set(`params[${i + 1}]`, value));
  url.searchParams.set('columns', definition.columns.join(','));
  url.searchParams.set('secret', target.secret);
  return url;
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
