/**
 * /api/assets: upload (multipart, field `file`), detail, signed download,
 * delete and tenant usage; and /assets/{id}/content, where a signed URL
 * serves the bytes.
 */
import { Readable } from 'node:stream';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../http/app-env.ts';
import { failure, success } from '../http/envelope.ts';
import { HttpError } from '../http/http-error.ts';
import { validationHook } from '../http/validation.ts';
import { AssetService } from '../services/asset-service.ts';
import type { Services } from '../services/index.ts';
import { parseRangeHeader } from '../storage/index.ts';
import { assetSchema, deletedSchema, signedUrlSchema, usageSchema } from './response-schemas.ts';
import { access, actorOf, errorEnvelope, errors, idParam, needs, ok } from './route-kit.ts';

const tags = ['assets'];
const assetId = idParam('an asset');
/** Room for multipart boundaries and part headers around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;
/** Without a session the upload is refused anyway; read no more than this to say so. */
const ANONYMOUS_UPLOAD_LIMIT = 1024 * 1024;

/**
 * Caps the body before it is buffered: the viewer's `max_upload_mb` policy
 * plus multipart overhead. The asset service checks the file itself again.
 */
const uploadBodyLimit: MiddlewareHandler<AppEnv> = (c, next) => {
  const viewer = c.var.viewer;
  const limit = viewer ? AssetService.maxUploadBytes(viewer) : ANONYMOUS_UPLOAD_LIMIT;
  return bodyLimit({
    maxSize: limit + MULTIPART_OVERHEAD,
    onError: () => {
      throw new HttpError(413, viewer ? `The file is larger than the ${viewer.policies.max_upload_mb} MB your max_upload_mb policy allows.` : 'Sign in to upload.', {
        file: [`must be at most ${limit} bytes`],
      });
    },
  })(c, next);
};

const uploadForm = z
  .object({
    file: z.instanceof(File, { message: 'must be a file' }).openapi({ type: 'string', format: 'binary', description: 'PNG, JPEG, WebP, MP3, M4A, Ogg or WAV; never SVG' }),
  })
  .strict();

const upload = createRoute({
  method: 'post', path: '/api/assets', tags, summary: 'Upload an image or audio file',
  description:
    'multipart/form-data with one `file` field. Size is capped by max_upload_mb and the total by storage_quota_mb; the type comes from the bytes; images are re-encoded without metadata. The same file twice gives the same asset (200 instead of 201).',
  ...needs('assets.upload'),
  middleware: [uploadBodyLimit] as const,
  request: { body: { required: true, content: { 'multipart/form-data': { schema: uploadForm } } } },
  responses: { 201: ok(assetSchema, 'Stored'), 200: ok(assetSchema, 'Already stored: the existing asset'), ...errors(400, 401, 403, 413, 415) },
});

const usage = createRoute({
  method: 'get', path: '/api/assets/tenant-usage', tags, summary: 'Storage used by this family or school',
  ...needs('assets.upload', 'policies.manage'),
  responses: { 200: ok(usageSchema, 'Usage against the quota'), ...errors(401, 403) },
});

const detail = createRoute({
  method: 'get', path: '/api/assets/{id}', tags, summary: 'Asset details',
  ...needs('stories.read'),
  request: { params: assetId },
  responses: { 200: ok(assetSchema, 'The asset'), ...errors(400, 401, 403, 404) },
});

const download = createRoute({
  method: 'get', path: '/api/assets/{id}/download', tags, summary: 'A short-lived signed URL for the bytes',
  ...needs('stories.read'),
  request: { params: assetId },
  responses: { 200: ok(signedUrlSchema, 'The signed URL'), ...errors(400, 401, 403, 404) },
});

const contentQuery = z
  .object({
    tenant: z.string().uuid('must be the tenant id from the signed URL'),
    expires: z.coerce.number({ message: 'must be the expiry from the signed URL' }).int('must be the expiry from the signed URL').min(0).max(99_999_999_999),
    signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the signature from the signed URL'),
  })
  .strict();

const binary = { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } };

const content = createRoute({
  method: 'get', path: '/assets/{id}/content', tags, summary: 'The bytes, for a signed URL (no session)',
  description:
    'Honours a single HTTP Range (206). Immutable caching: the bytes behind an asset id never change. Outside /api on purpose: no session is read here, so a stale cookie sent along by the browser cannot turn a valid link into a 401.',
  ...access({ kind: 'public', reason: 'Signed asset URL: the HMAC signature over asset, tenant and expiry is the credential, so audio players and the service worker can fetch it without a session.' }),
  request: { params: assetId, query: contentQuery },
  responses: {
    200: { description: 'The whole file', content: binary },
    206: { description: 'The requested range', content: binary },
    416: { description: 'The range lies outside the file', content: { 'application/json': { schema: errorEnvelope } } },
    ...errors(400, 403, 404),
  },
});

const remove = createRoute({
  method: 'delete', path: '/api/assets/{id}', tags, summary: 'Delete an asset',
  description: 'stories.delete for any asset of the tenant; assets.upload for your own uploads. An asset a story uses is kept (409).',
  ...needs('stories.delete', 'assets.upload'),
  request: { params: assetId },
  responses: { 200: ok(deletedSchema, 'Deleted'), ...errors(400, 401, 403, 404, 409) },
});

export function assetRoutes(services: Services, trustProxy: boolean): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(upload, async (c) => {
    const { file } = c.req.valid('form');
    const result = await services.assets.upload(actorOf(c, trustProxy), { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    return c.json(success(result.asset), result.created ? 201 : 200);
  });
  // Before /{id}, so "tenant-usage" is never read as an id.
  app.openapi(usage, async (c) => c.json(success(await services.assets.usage(actorOf(c, trustProxy))), 200));
  app.openapi(detail, async (c) => c.json(success(await services.assets.get(actorOf(c, trustProxy), c.req.valid('param').id)), 200));
  app.openapi(download, async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(success(await services.assets.download(actorOf(c, trustProxy), c.req.valid('param').id)), 200);
  });
  app.openapi(content, async (c) => {
    const { id } = c.req.valid('param');
    const result = await services.assetContent.open({ id, ...c.req.valid('query') }, parseRangeHeader(c.req.header('range')));
    if (result.kind === 'unsatisfiable') {
      c.header('Content-Range', `bytes */${result.sizeBytes}`);
      return c.json(failure(`The requested range lies outside the file, which is ${result.sizeBytes} bytes long.`, { 'header.range': ['is not satisfiable'] }), 416);
    }
    const { read, mimeType, checksum } = result.content;
    const headers = new Headers({
      'Content-Type': mimeType,
      'Content-Length': String(read.contentLength),
      'Accept-Ranges': 'bytes',
      // The bytes behind an asset id never change (content-addressed); private
      // keeps family audio out of shared caches.
      'Cache-Control': 'private, max-age=31536000, immutable',
      ETag: `"${checksum}"`,
      'Content-Disposition': 'inline',
    });
    if (read.range) headers.set('Content-Range', `bytes ${read.range.start}-${read.range.end}/${read.stat.sizeBytes}`);
    return new Response(Readable.toWeb(read.body) as ReadableStream<Uint8Array>, { status: read.range ? 206 : 200, headers });
  });
  app.openapi(remove, async (c) => c.json(success(await services.assets.delete(actorOf(c, trustProxy), c.req.valid('param').id)), 200));
  return app;
}
