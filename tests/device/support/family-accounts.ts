/**
 * Makes people through the server's own API, the way the product does: a
 * parent signs up (a new family with them as admin), adds a kid, and signs a
 * kid device in with a pairing code. Returns bearer tokens for Node devices.
 */
import { randomBytes } from 'node:crypto';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface Signed {
  token: string;
  userId: string;
  tenantId: string;
}

export interface TestFamily {
  admin: Signed & { email: string };
  kid: Signed & { displayName: string };
  profiles: Array<{ id: string; name: string }>;
}

export async function api<T = unknown>(baseUrl: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; data: T; message: string | null; raw: unknown }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const raw = (await res.json().catch(() => null)) as { data?: T; message?: string | null } | null;
  return { status: res.status, data: raw?.data as T, message: raw?.message ?? null, raw };
}

async function must<T>(p: Promise<{ status: number; data: T; raw: unknown }>, what: string): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what} failed: HTTP ${r.status} ${JSON.stringify(r.raw)}`);
  return r.data;
}

export async function createFamily(baseUrl: string, label = 'family'): Promise<TestFamily> {
  const email = `${label}-${randomBytes(4).toString('hex')}@example.com`;
  const grant = await must(
    api<{ token: string; userId: string; tenantId: string }>(baseUrl, 'POST', '/api/auth/signup', { email, password: TEST_PASSWORD, displayName: 'Camille', familyName: 'The Testers' }),
    'sign-up',
  );
  const admin = { token: grant.token, userId: grant.userId, tenantId: grant.tenantId, email };
  const kid = await addKid(baseUrl, admin, 'Lea');
  const profiles = await must(api<{ profiles: Array<{ id: string; name: string }> }>(baseUrl, 'GET', '/api/profiles', undefined, admin.token), 'list profiles').catch(() => ({ profiles: [] }));
  return { admin, kid, profiles: profiles.profiles ?? [] };
}

export async function addKid(baseUrl: string, admin: Signed, displayName: string): Promise<Signed & { displayName: string }> {
  const created = await must(api<{ kid: { id: string } }>(baseUrl, 'POST', '/api/auth/kids', { displayName }, admin.token), 'create kid');
  const code = await must(api<{ code: string }>(baseUrl, 'POST', '/api/auth/pairing/codes', { kidId: created.kid.id, deviceName: 'Tablet' }, admin.token), 'pairing code');
  const grant = await must(api<{ token: string; userId: string; tenantId: string }>(baseUrl, 'POST', '/api/auth/pairing/redeem', { code: code.code, deviceName: 'Tablet' }), 'redeem');
  return { token: grant.token, userId: grant.userId, tenantId: grant.tenantId, displayName };
}

/** A published, approved story straight in the database (the worker's part of the loop). */
export async function publishStoryAsServer(owner: { query: (sql: string, params?: unknown[]) => Promise<unknown> }, tenantId: string, fields: { id: string; title: string; ageRange: string; createdBy: string; language?: string }): Promise<void> {
  await owner.query('BEGIN');
  try {
    await owner.query(`SELECT set_config('app.tenant', $1, true)`, [tenantId]);
    await owner.query(
      `INSERT INTO stories (id, tenant_id, title, age_range, language, created_by, visibility, is_published, moderation_status, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'tenant_only', true, 'approved', now())`,
      [fields.id, tenantId, fields.title, fields.ageRange, fields.language ?? 'en', fields.createdBy],
    );
    await owner.query('COMMIT');
  } catch (err) {
    await owner.query('ROLLBACK');
    throw err;
  }
}
