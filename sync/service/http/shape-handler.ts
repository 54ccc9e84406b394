/**
 * GET /v1/shape: finds the shape for the requested definition and serves
 * the part of it the client asks for — a snapshot chunk, log entries after
 * an offset, or (live) the next changes, held until they arrive or the long
 * poll times out.
 */
import type http from 'node:http';
import { compareOffsets, formatOffset, isSnapshotOffset, type LogOffset, SNAPSHOT_END, snapshotChunkOffset } from '../log-offset.ts';
import { TableError } from '../schema/table-inspector.ts';
import type { Logger } from '../service-logger.ts';
import type { Shape } from '../shapes/shape.ts';
import { ColumnsError, type ShapeStore } from '../shapes/shape-store.ts';
import { readSnapshotChunk } from '../storage/snapshot-file.ts';
import { WhereError } from '../where/where-ast.ts';
import { EXPOSED_HEADERS, sendInvalid, sendJson, sendMustRefetch, sendUnavailable } from './http-responses.ts';
import { liveCursor } from './live-cursor.ts';
import { parseShapeRequest, type ShapeRequest } from './shape-request.ts';

export interface ShapeHandlerContext {
  store: ShapeStore;
  /** The last transaction processed (the `global_last_seen_lsn`). */
  globalLsn(): bigint;
  ready(): boolean;
  longPollMs: number;
  chunkBytes: number;
  logger: Logger;
}

interface Reply {
  messages: string[];
  /** The JSON body, built once per reply. */
  body?: string;
  offset: LogOffset;
  upToDateLsn: bigint | undefined;
  live: boolean;
  /** A live response that carries nothing new gets a unique ETag. */
  noChanges?: boolean;
}

export async function handleShapeRequest(ctx: ShapeHandlerContext, res: http.ServerResponse, query: URLSearchParams, head: boolean): Promise<void> {
  if (!ctx.ready()) return sendUnavailable(res, 'The sync service is starting; retry shortly.', 5, head);
  const parsed = parseShapeRequest(query);
  if ('errors' in parsed) return sendInvalid(res, parsed.errors, head);
  const request = parsed.request;

  let shape: Shape;
  try {
    shape = await ctx.store.resolve(request.definition);
  } catch (err) {
    return sendDefinitionError(ctx, res, err, head);
  }
  if (request.handle !== undefined && request.handle !== shape.handle) return sendMustRefetch(res, shape.handle, head);
  try {
    await shape.ready;
  } catch (err) {
    if (shape.state === 'gone') return refetch(ctx, res, request, head);
    ctx.logger.error({ err, handle: shape.handle }, 'shape could not be created');
    return sendJson(res, 500, { message: `The shape could not be created: ${(err as Error).message}` }, {}, head);
  }
  if (shape.state === 'gone') return refetch(ctx, res, request, head);
  shape.lastActive = Date.now();

  if (request.offset === 'now') {
    return send(ctx, res, shape, request, { messages: [], offset: shape.log.last, upToDateLsn: ctx.globalLsn(), live: false }, head);
  }
  if (request.offset.tx === -1n || isSnapshotOffset(request.offset)) return serveSnapshot(ctx, res, shape, request, request.offset, head);
  return serveLog(ctx, res, shape, request, request.offset, head);
}

async function serveSnapshot(ctx: ShapeHandlerContext, res: http.ServerResponse, shape: Shape, request: ShapeRequest, offset: LogOffset, head: boolean): Promise<void> {
  const chunkEnds = shape.snapshot!.chunkEnds;
  const index = offset.tx === -1n ? 0 : offset.op + 1;
  if (chunkEnds.length === 0 && index === 0) {
    // log=changes_only: there is no snapshot to send.
    return send(ctx, res, shape, request, { messages: [], offset: SNAPSHOT_END, upToDateLsn: undefined, live: false }, head);
  }
  if (index >= chunkEnds.length) return sendInvalid(res, { offset: ['out of bounds for this shape'] }, head);
  const messages = await readSnapshotChunk(`${shape.dir}/snapshot.ndjson`, chunkEnds, index);
  const last = index === chunkEnds.length - 1;
  return send(ctx, res, shape, request, { messages, offset: last ? SNAPSHOT_END : snapshotChunkOffset(index), upToDateLsn: undefined, live: false }, head);
}

async function serveLog(ctx: ShapeHandlerContext, res: http.ServerResponse, shape: Shape, request: ShapeRequest, after: LogOffset, head: boolean): Promise<void> {
  if (compareOffsets(after, shape.log.last) > 0) {
    // Ahead of the log: after a crash the service rebuilds entries it had
    // already served from the slot, so give it a moment to catch up.
    const outcome = await waitForLog(shape, after, Math.min(ctx.longPollMs / 2, 10_000), res, true);
    if (outcome === 'closed') return;
    if (outcome === 'gone') return refetch(ctx, res, request, head);
    if (compareOffsets(after, shape.log.last) > 0) return sendInvalid(res, { offset: ['out of bounds for this shape'] }, head);
  }
  for (;;) {
    const reply = await readLog(ctx, shape, after, request.live);
    if (reply.messages.length > 0 || !request.live) return send(ctx, res, shape, request, reply, head);
    const outcome = await waitForLog(shape, after, ctx.longPollMs, res, false);
    if (outcome === 'closed') return;
    if (outcome === 'gone') return refetch(ctx, res, request, head);
    if (outcome === 'timeout') {
      return send(ctx, res, shape, request, { messages: [], offset: after, upToDateLsn: ctx.globalLsn(), live: true, noChanges: true }, head);
    }
  }
}

/**
 * The last log read per shape, reused while the log has not grown: when a
 * change wakes 1,000 live requests at the same offset, the log is read and
 * the body built once.
 */
const lastRead = new WeakMap<Shape, { key: string; reply: Reply }>();

async function readLog(ctx: ShapeHandlerContext, shape: Shape, after: LogOffset, live: boolean): Promise<Reply> {
  const end = shape.log.last;
  const key = `${formatOffset(after)} ${formatOffset(end)} ${live}`;
  const cached = lastRead.get(shape);
  if (cached?.key === key) return cached.reply;
  // Read the global LSN before the log: whatever the read returns is at least that fresh.
  const globalLsn = ctx.globalLsn();
  const result = await shape.log.read(after, ctx.chunkBytes);
  const upToDateLsn = result.complete ? max(globalLsn, result.lastOffset.tx) : undefined;
  const reply: Reply = { messages: result.entries, offset: result.lastOffset, upToDateLsn, live };
  if (compareOffsets(shape.log.last, end) === 0) lastRead.set(shape, { key, reply });
  return reply;
}

type WaitOutcome = 'changes' | 'timeout' | 'gone' | 'closed';

/** Waits until the log grows past `after` (or, with `reach`, up to it). */
function waitForLog(shape: Shape, after: LogOffset, timeoutMs: number, res: http.ServerResponse, reach: boolean): Promise<WaitOutcome> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: WaitOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      res.off('close', onClose);
      shape.waiters.delete(waiter);
      resolve(outcome);
    };
    const waiter = {
      after,
      wake(reason: 'changes' | 'gone') {
        if (reason === 'gone') return finish('gone');
        const cmp = compareOffsets(shape.log.last, after);
        if (cmp > 0 || (reach && cmp === 0)) finish('changes');
        else shape.waiters.add(waiter); // not far enough yet; keep waiting
      },
    };
    const onClose = () => finish('closed');
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    res.once('close', onClose);
    shape.waiters.add(waiter);
  });
}

function send(ctx: ShapeHandlerContext, res: http.ServerResponse, shape: Shape, request: ShapeRequest, reply: Reply, head: boolean): void {
  const body = (reply.body ??= replyBody(reply));
  const requestOffset = request.offset === 'now' ? 'now' : formatOffset(request.offset);
  const offset = formatOffset(reply.offset);
  const etag = `"${shape.handle}:${requestOffset}:${offset}${reply.noChanges ? `:${process.hrtime.bigint()}` : ''}"`;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'electric-handle': shape.handle,
    'electric-offset': offset,
    etag,
    'cache-control': cacheControl(request, reply),
    'access-control-expose-headers': EXPOSED_HEADERS,
  };
  if (reply.live) headers['electric-cursor'] = liveCursor(ctx.longPollMs, request.cursor);
  else headers['electric-schema'] = shape.schemaHeader;
  if (reply.upToDateLsn !== undefined) headers['electric-up-to-date'] = '';
  const ifNoneMatch = res.req.headers['if-none-match'];
  if (!reply.live && ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, headers);
  res.end(head ? undefined : body);
}

function replyBody(reply: Reply): string {
  const messages = reply.messages;
  let body = `[${messages.join(',')}`;
  if (reply.upToDateLsn !== undefined) body += `${messages.length > 0 ? ',' : ''}{"headers":{"control":"up-to-date","global_last_seen_lsn":"${reply.upToDateLsn}"}}`;
  return `${body}]`;
}

function cacheControl(request: ShapeRequest, reply: Reply): string {
  if (request.offset !== 'now' && request.offset.tx === -1n) return 'public, max-age=604800, s-maxage=3600, stale-while-revalidate=2629746';
  if (reply.live) return 'public, max-age=5, stale-while-revalidate=5';
  return 'public, max-age=60, stale-while-revalidate=300';
}

/** The shape was invalidated: answer 409 with the handle of its replacement. */
async function refetch(ctx: ShapeHandlerContext, res: http.ServerResponse, request: ShapeRequest, head: boolean): Promise<void> {
  try {
    const replacement = await ctx.store.resolve(request.definition);
    return sendMustRefetch(res, replacement.handle, head);
  } catch (err) {
    return sendDefinitionError(ctx, res, err, head);
  }
}

function sendDefinitionError(ctx: ShapeHandlerContext, res: http.ServerResponse, err: unknown, head: boolean): void {
  if (err instanceof TableError) return sendInvalid(res, { table: [err.message] }, head);
  if (err instanceof ColumnsError) return sendInvalid(res, { columns: [err.message] }, head);
  if (err instanceof WhereError) return sendInvalid(res, { where: [err.message] }, head);
  const code = (err as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === '57P01' || code === '57P03' || code === '53300') {
    return sendUnavailable(res, 'The sync service cannot reach Postgres right now; retry shortly.', 5, head);
  }
  ctx.logger.error({ err }, 'shape request failed');
  sendJson(res, 500, { message: `The shape could not be served: ${(err as Error).message}` }, {}, head);
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
