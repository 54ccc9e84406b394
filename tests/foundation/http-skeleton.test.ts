/**
 * The server skeleton: health, readiness and metrics; the envelope for
 * unknown routes, oversized bodies and internal errors; request ids and
 * security headers.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../server/http/app-env.ts';
import { errorHandler } from '../../server/http/error-handler.ts';
import { silentLogger } from '../../server/observability/logger.ts';
import { createTestApp } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('http');
});
afterAll(async () => {
  await t.drop();
});

describe('health', () => {
  it('/api/health answers with the envelope, a request id and security headers', async () => {
    const { app } = createTestApp(t);
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'success', data: { status: 'ok' }, message: null, errors: null });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('answers the design card\'s trailing-slash paths like the plain ones', async () => {
    const { app } = createTestApp(t);
    expect((await app.request('/api/health/')).status).toBe(200);
    expect((await app.request('/api/health/ready/')).status).toBe(200);
    const res = await app.request('/api/auth/token/', { method: 'POST', body: '{', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
  });

  it('echoes a well-formed incoming X-Request-ID', async () => {
    const { app } = createTestApp(t);
    const res = await app.request('/api/health', { headers: { 'X-Request-ID': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });

  it('/api/health/ready is 200 when the database answers and migrations are current', async () => {
    const { app } = createTestApp(t);
    const res = await app.request('/api/health/ready');
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.data.ready).toBe(true);
    expect(body.data.checks.map((c: { name: string }) => c.name)).toEqual(['database', 'migrations']);
  });

  it('/api/health/ready is 503 and names the missing migration when one is not applied', async () => {
    const behind = await createTestDatabase('http_behind');
    try {
      const owner = await behind.owner();
      await owner.query(`DELETE FROM pgmigrations WHERE name = '007_sync_publication'`);
      const { app } = createTestApp(behind);
      const res = await app.request('/api/health/ready');
      const body = await res.json();
      expect(res.status).toBe(503);
      expect(body.status).toBe('error');
      expect(body.data.checks[1]).toMatchObject({ name: 'migrations', ok: false, detail: 'not applied: 007_sync_publication' });
    } finally {
      await behind.drop();
    }
  });

  it('/api/health/ready is 503 when the database is unreachable', async () => {
    const gone = await createTestDatabase('http_gone');
    const { app } = createTestApp(gone);
    await gone.drop();
    const res = await app.request('/api/health/ready');
    expect(res.status).toBe(503);
    expect((await res.json()).data.checks[0]).toMatchObject({ name: 'database', ok: false });
  });
});

describe('metrics', () => {
  it('serves Prometheus text with request counts by route pattern', async () => {
    const { app } = createTestApp(t);
    await app.request('/api/health');
    await app.request('/api/no/such/thing');
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/talemo_http_requests_total\{method="GET",route="\/api\/health",status="200",service="talemo"\} 1/);
    expect(text).toMatch(/talemo_http_requests_total\{method="GET",route="unmatched",status="404",service="talemo"\} 1/);
    expect(text).toContain('talemo_http_request_duration_seconds_bucket');
  });

  it('requires the bearer token when METRICS_TOKEN is set', async () => {
    const { app } = createTestApp(t, { METRICS_TOKEN: 'metrics-token-0123456789' });
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { Authorization: 'Bearer metrics-token-0123456789' } })).status).toBe(200);
  });
});

describe('the envelope for failures', () => {
  it('malformed JSON is a 400 envelope saying so', async () => {
    const { app } = createTestApp(t);
    const res = await app.request('/api/auth/token', { method: 'POST', body: '{"email": "a@b.c",', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ status: 'error', data: null, message: 'The request body is not valid JSON.', errors: { body: ['must be valid JSON'] } });
  });

  it('an unknown route is a 404 envelope', async () => {
    const { app } = createTestApp(t);
    const res = await app.request('/api/nothing-here', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status: 'error', data: null, message: 'No route for POST /api/nothing-here.', errors: null });
  });

  it('an oversized body is a 413 envelope naming the limit', async () => {
    const { app } = createTestApp(t, { MAX_JSON_BODY_BYTES: '2048' });
    const res = await app.request('/api/health', { method: 'POST', body: JSON.stringify({ x: 'y'.repeat(5000) }), headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ status: 'error', data: null, message: 'The request body is larger than the 2 KiB allowed.', errors: { body: ['must be at most 2048 bytes'] } });
  });

  it('caps every body but the asset upload, whatever its content type', async () => {
    const { app } = createTestApp(t, { MAX_JSON_BODY_BYTES: '2048', PAYMENT_WEBHOOK_SECRET: 'whsec-test-0123456789abcdef' });
    const big = 'x'.repeat(50_000);
    for (const path of ['/api/webhooks/subscription-status', '/api/auth/apple/callback', '/api/auth/token']) {
      for (const type of ['multipart/form-data; boundary=zzz', 'application/octet-stream', 'application/x-www-form-urlencoded']) {
        const res = await app.request(path, { method: 'POST', body: big, headers: { 'Content-Type': type } });
        expect(res.status, `${path} as ${type}`).toBe(413);
      }
    }
  });

  it('the real app answers a 500 in production with the envelope and no internals', async () => {
    const gone = await createTestDatabase('http_prod');
    const { app } = createTestApp(gone, { NODE_ENV: 'production' });
    await gone.drop();
    // A well-formed token makes authentication query the (now missing) database.
    const res = await app.request('/api/auth/me', { headers: { Authorization: `Bearer ${'a'.repeat(24)}.${'b'.repeat(32)}` } });
    const body = await res.json();
    expect(res.status).toBe(500);
    expect(body).toEqual({ status: 'error', data: null, message: expect.stringMatching(/^Something went wrong on our side\. Quote request \S+ if you report it\.$/), errors: null });
    expect(JSON.stringify(body)).not.toMatch(/at |\.ts:|talemo_|database/i);
  });

  it('an internal error is a 500 without a stack trace in production, with one in development', async () => {
    for (const [exposeStack, expectStack] of [[false, false], [true, true]] as const) {
      const app = new Hono<AppEnv>();
      app.use(async (c, next) => {
        c.set('requestId', 'req-1');
        c.set('logger', silentLogger());
        await next();
      });
      app.get('/boom', () => {
        throw new Error('database password is hunter2');
      });
      app.onError(errorHandler({ exposeStack }));
      const res = await app.request('/boom');
      const body = await res.json();
      expect(res.status).toBe(500);
      expect(body.message).toBe('Something went wrong on our side. Quote request req-1 if you report it.');
      expect(JSON.stringify(body).includes('hunter2')).toBe(expectStack);
    }
  });
});
