/**
 * The service's HTTP front: node:http, no framework. Every request must
 * carry the secret (`?secret=`); /v1/health reports readiness and /v1/shape
 * serves shapes (HEAD is answered like GET, without a body).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './http-responses.ts';
import { handleShapeRequest, type ShapeHandlerContext } from './shape-handler.ts';

export interface ShapeHttpServer {
  url: string;
  /** Open connections (live requests included). */
  connections(): number;
  close(): Promise<void>;
}

export async function startHttpServer(ctx: ShapeHandlerContext, secret: string, host: string, port: number): Promise<ShapeHttpServer> {
  const expected = digest(secret);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://service');
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) return sendJson(res, 405, { message: `${req.method} is not supported; use GET or HEAD` }, { allow: 'GET, HEAD' });
    const given = url.searchParams.get('secret');
    if (given === null || !timingSafeEqual(digest(given), expected)) {
      return sendJson(res, 401, { message: 'Unauthorized: the request must carry the service secret (?secret=…)' }, {}, head);
    }
    if (url.pathname === '/v1/health') {
      return ctx.ready() ? sendJson(res, 200, { status: 'active' }, {}, head) : sendJson(res, 202, { status: 'starting' }, {}, head);
    }
    if (url.pathname === '/v1/shape') {
      handleShapeRequest(ctx, res, url.searchParams, head).catch((err: unknown) => {
        ctx.logger.error({ err }, 'unhandled error serving a shape');
        if (!res.headersSent) sendJson(res, 500, { message: 'Internal error while serving the shape' }, {}, head);
        else res.destroy();
      });
      return;
    }
    sendJson(res, 404, { message: `No route for ${url.pathname}` }, {}, head);
  });
  // Long polls are held up to the long-poll timeout; keep the defaults from cutting them.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 65_000;
  server.maxConnections = 100_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    connections: () => (server as unknown as { _connections: number })._connections ?? 0,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
