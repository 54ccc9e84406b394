/**
 * Every /api/auth route is declared with createRoute, appears in the
 * generated OpenAPI document, and says who may call it (x-talemo-access), so
 * the access suites that read the document cover it.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from './identity-harness.ts';

describe('the auth routes', () => {
  it('are all in /api/openapi.json, each with its access declaration', async () => {
    const h = await createHarness('auth_routes');
    try {
      const res = await h.call('GET', '/api/openapi.json');
      expect(res.status).toBe(200);
      const doc = (await res.json()) as { paths: Record<string, Record<string, { 'x-talemo-access'?: { kind: string } }>> };
      const documented = Object.entries(doc.paths)
        .filter(([path]) => path.startsWith('/api/auth'))
        .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, access: op['x-talemo-access']?.kind })));
      const registered = [
        ...new Set(h.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/auth')).map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`)),
      ];
      expect(documented.map((d) => d.key).sort()).toEqual(registered.sort());
      expect(documented.filter((d) => !d.access)).toEqual([]);
      expect(documented.length).toBe(25);
      const publicRoutes = documented.filter((d) => d.access === 'public').map((d) => d.key).sort();
      expect(publicRoutes).toEqual(
        [
          'GET /api/auth/providers',
          'POST /api/auth/signup',
          'POST /api/auth/token',
          'GET /api/auth/google',
          'GET /api/auth/google/callback',
          'GET /api/auth/apple',
          'POST /api/auth/apple/callback',
          'GET /api/auth/invitations/preview',
          'POST /api/auth/invitations/accept',
          'POST /api/auth/pairing/redeem',
        ].sort(),
      );
    } finally {
      await h.close();
    }
  });
});
