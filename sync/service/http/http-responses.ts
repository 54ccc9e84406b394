/**
 * Writing responses: the JSON error bodies Electric's clients expect, and
 * the headers every shape response carries.
 */
import type http from 'node:http';

/** Electric headers a browser may read through CORS. */
export const EXPOSED_HEADERS = 'electric-cursor,electric-handle,electric-offset,electric-schema,electric-up-to-date,electric-internal-known-error,retry-after,etag';

import type { ParamErrors } from './shape-request.ts';

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}, head = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'access-control-expose-headers': EXPOSED_HEADERS,
    ...headers,
  });
  res.end(head ? undefined : text);
}

/** 400 in Electric's shape: `{"message":"Invalid request","errors":{param:[...]}}`. */
export function sendInvalid(res: http.ServerResponse, errors: ParamErrors, head = false): void {
  sendJson(res, 400, { message: 'Invalid request', errors }, { 'surrogate-control': 'no-store' }, head);
}

/** 409: the handle is not (or no longer) the shape for this definition; start again with `handle`. */
export function sendMustRefetch(res: http.ServerResponse, handle: string, head = false): void {
  sendJson(res, 409, [{ headers: { control: 'must-refetch' } }], { 'electric-handle': handle, 'cache-control': 'public, max-age=60, must-revalidate' }, head);
}

export function sendUnavailable(res: http.ServerResponse, message: string, retryAfterSeconds: number, head = false): void {
  sendJson(res, 503, { message }, { 'retry-after': String(retryAfterSeconds) }, head);
}
