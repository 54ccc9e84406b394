/**
 * Shared set-up for the identity suites: a cloned database, the real app
 * (with TRUST_PROXY on so each request can say which IP it comes from), and
 * helpers to call it as an API client (bearer) or as the PWA (cookie).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import { hashPassword } from '../../server/auth/password.ts';
import { createTenant } from '../../server/tenants/tenant-creation-service.ts';
import { createTestApp, sessionFor } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

export const PASSWORD = 'correct horse battery staple';

export interface Family {
  tenantId: string;
  adminId: string;
  adminEmail: string;
  /** A bearer token for the admin. */
  adminToken: string;
  profileIds: { kidsListenOnly: string; parentCreator: string; tenantAdmin: string };
}

export interface CallOptions {
  body?: unknown;
  /** Sent as-is, for malformed bodies. */
  rawBody?: string;
  token?: string;
  cookie?: string;
  /** X-Forwarded-For; a fresh random address when absent, so IP limits stay out of the way. */
  ip?: string;
  headers?: Record<string, string>;
}

export interface Harness {
  t: TestDatabase;
  owner: pg.Client;
  /** A superuser connection: sees every tenant's rows, for assertions only. */
  admin: pg.Client;
  app: ReturnType<typeof createTestApp>['app'];
  config: ReturnType<typeof createTestApp>['config'];
  publicUrl: string;
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  /** Adds a family with an admin who has a password and a session. */
  createFamily(label?: string): Promise<Family>;
  /** A user in the family on the given profile, with a password and a bearer token. */
  addMember(family: Family, profile: keyof Family['profileIds'], kind?: 'adult' | 'kid'): Promise<{ userId: string; email: string | null; token: string }>;
  close(): Promise<void>;
}

let passwordHash: Promise<string> | undefined;
export function knownPasswordHash(): Promise<string> {
  passwordHash ??= hashPassword(PASSWORD);
  return passwordHash;
}

export function randomIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export function uniqueEmail(label = 'user'): string {
  return `${label.toLowerCase()}-${randomBytes(5).toString('hex')}@example.com`;
}

export async function createHarness(label: string, env: Record<string, string> = {}): Promise<Harness> {
  const t = await createTestDatabase(label);
  const owner = await t.owner();
  const admin = new pg.Client({ connectionString: t.urls.admin });
  await admin.connect();
  const { app, config } = createTestApp(t, { TRUST_PROXY: 'true', AUTH_IP_LIMIT: '100000', AUTH_ACCOUNT_LIMIT: '100000', ...env });

  const call: Harness['call'] = (method, path, options = {}) => {
    const headers: Record<string, string> = { 'x-forwarded-for': options.ip ?? randomIp(), ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.cookie) headers.cookie = options.cookie;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    return Promise.resolve(app.request(path, { method, headers, body }));
  };

  const harness: Harness = {
    t,
    owner,
    admin,
    app,
    config,
    publicUrl: config.publicUrl,
    call,
    async createFamily(name = 'Family') {
      const adminEmail = uniqueEmail('admin');
      const hash = await knownPasswordHash();
      const tenantId = randomUUID();
      const created = await t.db.transaction({ tenantId, userId: null }, async (tx) => {
        const c = await createTenant(tx, tenantId, { name, type: 'family', plan: 'free', admin: { email: adminEmail, displayName: 'Admin' } });
        await tx.execute('INSERT INTO user_credentials (user_id, tenant_id, password_hash) VALUES ($1, $2, $3)', [c.adminUserId, tenantId, hash]);
        return c;
      });
      const adminToken = await sessionFor(t, tenantId, created.adminUserId);
      return { tenantId, adminId: created.adminUserId, adminEmail, adminToken, profileIds: created.profileIds };
    },
    async addMember(family, profile, kind = 'adult') {
      const email = kind === 'adult' ? uniqueEmail(profile) : null;
      const hash = await knownPasswordHash();
      const userId = await t.db.transaction({ tenantId: family.tenantId, userId: null }, async (tx) => {
        const row = await tx.one<{ id: string }>(`INSERT INTO users (tenant_id, profile_id, kind, email, display_name) VALUES ($1, $2, $3, $4, 'Member') RETURNING id`, [
          family.tenantId,
          family.profileIds[profile],
          kind,
          email,
        ]);
        if (email) await tx.execute('INSERT INTO user_credentials (user_id, tenant_id, password_hash) VALUES ($1, $2, $3)', [row.id, family.tenantId, hash]);
        return row.id;
      });
      return { userId, email, token: await sessionFor(t, family.tenantId, userId, kind === 'kid' ? 'pairing' : 'password') };
    },
    async close() {
      await admin.end();
      await t.drop();
    },
  };
  return harness;
}

/** The parsed envelope; fails the test when the body is not one. */
export async function envelopeOf(res: Response): Promise<{ status: 'success' | 'error'; data: any; message: string | null; errors: Record<string, string[]> | null }> {
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`expected a JSON envelope, got ${res.status}: ${text.slice(0, 300)}`);
  }
  expect(Object.keys(body).sort()).toEqual(['data', 'errors', 'message', 'status']);
  return body;
}

/** The value of a Set-Cookie by name, or undefined; `''` when the cookie is being cleared. */
export function setCookie(res: Response, name: string): { value: string; attributes: string } | undefined {
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';');
    const eq = pair!.indexOf('=');
    if (pair!.slice(0, eq).trim() === name) return { value: decodeURIComponent(pair!.slice(eq + 1).trim()), attributes: attrs.join(';').trim() };
  }
  return undefined;
}

/** Counts rows of each table across all tenants (superuser), to prove nothing was written. One round trip. */
export async function rowCounts(admin: pg.Client, tables: string[]): Promise<Record<string, number>> {
  const { rows } = await admin.query<Record<string, number>>(`SELECT ${tables.map((t) => `(SELECT count(*)::int FROM ${t}) AS "${t}"`).join(', ')}`);
  return { ...rows[0]! };
}
