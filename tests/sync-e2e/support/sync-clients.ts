/**
 * How the suites talk to the app over HTTP, as a device would: the official
 * Electric client through the shape proxy, raw requests where a test needs
 * the status and headers the client hides, and mutation batches.
 */
import { randomUUID } from 'node:crypto';
import { Shape, ShapeStream, type Row } from '@electric-sql/client';
import type { MutationResult } from '../../../sync/mutations.ts';

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, when it is JSON. */
  body: any;
}

export async function request(baseUrl: string, method: string, path: string, options: { token?: string; json?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: options.raw ?? (options.json !== undefined ? JSON.stringify(options.json) : undefined) });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** A GET of /api/shapes/<name> with exactly these query parameters. */
export function shapeRequest(baseUrl: string, name: string, query: Record<string, string>, token?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const qs = new URLSearchParams(query).toString();
  return request(baseUrl, 'GET', `/api/shapes/${name}?${qs}`, { token, headers });
}

/** Follows a shape from offset -1 until up to date; returns its handle, offset and rows by key. */
export async function syncToUpToDate(baseUrl: string, name: string, token: string): Promise<{ handle: string; offset: string; rows: Map<string, Record<string, unknown>> }> {
  const rows = new Map<string, Record<string, unknown>>();
  let offset = '-1';
  let handle: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const res = await shapeRequest(baseUrl, name, { offset, ...(handle ? { handle } : {}) }, token);
    if (res.status !== 200) throw new Error(`GET /api/shapes/${name} answered ${res.status}: ${res.text}`);
    for (const m of res.body as Array<{ key?: string; value?: Record<string, unknown>; headers: { operation?: string } }>) {
      if (!m.key) continue;
      if (m.headers.operation === 'delete') rows.delete(m.key);
      else rows.set(m.key, { ...rows.get(m.key), ...m.value });
    }
    handle = res.headers.get('electric-handle')!;
    offset = res.headers.get('electric-offset')!;
    if (res.headers.has('electric-up-to-date')) return { handle, offset, rows };
  }
  throw new Error(`shape ${name} never came up to date`);
}

/** The official client through the proxy, with the viewer's bearer session. */
export function proxiedStream(baseUrl: string, name: string, token: string, extra: { signal?: AbortSignal; onError?: (error: Error) => void; fetchClient?: typeof fetch } = {}): ShapeStream<Row> {
  return new ShapeStream({
    url: `${baseUrl}/api/shapes/${name}`,
    headers: { authorization: `Bearer ${token}` },
    signal: extra.signal,
    onError: extra.onError,
    fetchClient: extra.fetchClient,
    backoffOptions: { initialDelay: 50, maxDelay: 500, multiplier: 1.5 },
  });
}

/** A materialised shape through the proxy; `rows()` is what the client holds now. */
export function proxiedShape(baseUrl: string, name: string, token: string): { shape: Shape<Row>; stream: ShapeStream<Row>; rows(): Row[]; stop(): void } {
  const controller = new AbortController();
  const stream = proxiedStream(baseUrl, name, token, { signal: controller.signal });
  const shape = new Shape(stream);
  return { shape, stream, rows: () => shape.currentRows, stop: () => controller.abort() };
}

export interface WireMutationInput {
  type: string;
  payload: unknown;
  write_id?: string;
}

/** Posts a batch; returns the HTTP answer and, on 200, the results. */
export async function postMutations(baseUrl: string, token: string, mutations: WireMutationInput[], deviceId = 'test-device'): Promise<RawResponse & { results: MutationResult[]; sent: Array<{ write_id: string; type: string; payload: unknown }> }> {
  const sent = mutations.map((m) => ({ write_id: m.write_id ?? randomUUID(), type: m.type, payload: m.payload }));
  const res = await request(baseUrl, 'POST', '/api/sync/mutations', { token, json: { device_id: deviceId, mutations: sent } });
  return { ...res, results: res.status === 200 ? (res.body.data.results as MutationResult[]) : [], sent };
}

export { eventually } from '../../support/eventually.ts';
