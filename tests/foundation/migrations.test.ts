/**
 * Migrations apply on an empty database, are recorded, and do nothing the
 * second time; the roles come out with exactly the powers they should have.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapDatabase } from '../../server/db/bootstrap.ts';
import { expectedMigrations, migrate } from '../../server/db/migrate.ts';
import { ROLES } from '../../server/db/roles.ts';
import { adminQuery, cluster } from '../support/test-database.ts';

const name = `t_migrations_${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

async function schemaFingerprint(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name) AS cols,
              (SELECT count(*) FROM pg_policy) AS policies, (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal) AS triggers,
              (SELECT count(*) FROM pg_indexes WHERE schemaname = 'public') AS indexes
       FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    return JSON.stringify(rows[0]);
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  let ownerUrl: string;

  it('apply every file on an empty database and record each one', async () => {
    const urls = await bootstrapDatabase({ adminUrl: cluster().adminUrl, secret: cluster().secret, createDatabase: name });
    ownerUrl = urls.owner;
    const first = await migrate(ownerUrl);
    expect(first.applied).toEqual(expectedMigrations());
    expect(first.applied.length).toBeGreaterThanOrEqual(7);

    const { rows } = await adminQuery('SELECT name FROM pgmigrations ORDER BY id', name);
    expect(rows.map((r) => r.name)).toEqual(expectedMigrations());
  });

  it('do nothing the second time', async () => {
    const before = await schemaFingerprint(ownerUrl);
    const second = await migrate(ownerUrl);
    expect(second.applied).toEqual([]);
    expect(await schemaFingerprint(ownerUrl)).toBe(before);
    const { rows } = await adminQuery('SELECT count(*)::int AS n FROM pgmigrations', name);
    expect(rows[0].n).toBe(expectedMigrations().length);
  });

  it('survive a second bootstrap (roles and grants are idempotent too)', async () => {
    await bootstrapDatabase({ adminUrl: cluster().adminUrl, secret: cluster().secret, createDatabase: name });
    expect((await migrate(ownerUrl)).applied).toEqual([]);
  });
});

describe('roles', () => {
  it('the app role owns no table, function or schema and cannot bypass RLS', async () => {
    const { rows } = await adminQuery(
      `SELECT r.rolsuper, r.rolbypassrls, r.rolreplication, r.rolcreaterole, r.rolcreatedb,
              (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned_relations,
              (SELECT count(*)::int FROM pg_proc p WHERE p.proowner = r.oid) AS owned_functions,
              (SELECT count(*)::int FROM pg_namespace n WHERE n.nspowner = r.oid) AS owned_schemas
       FROM pg_roles r WHERE r.rolname = '${ROLES.app}'`,
      cluster().template,
    );
    expect(rows[0]).toEqual({
      rolsuper: false, rolbypassrls: false, rolreplication: false, rolcreaterole: false, rolcreatedb: false,
      owned_relations: 0, owned_functions: 0, owned_schemas: 0,
    });
  });

  it('the owner owns every table and obeys RLS; replication can replicate', async () => {
    const { rows } = await adminQuery(
      `SELECT (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tableowner <> '${ROLES.owner}') AS foreign_owned,
              (SELECT rolbypassrls FROM pg_roles WHERE rolname = '${ROLES.owner}') AS owner_bypass,
              (SELECT rolreplication AND rolbypassrls FROM pg_roles WHERE rolname = '${ROLES.replication}') AS replication,
              (SELECT rolcanlogin FROM pg_roles WHERE rolname = '${ROLES.privileged}') AS privileged_login`,
      cluster().template,
    );
    expect(rows[0]).toEqual({ foreign_owned: 0, owner_bypass: false, replication: true, privileged_login: false });
  });

  it('the replication role cannot read secrets (credentials, sessions)', async () => {
    const { rows } = await adminQuery(
      `SELECT has_table_privilege('${ROLES.replication}', 'user_credentials', 'SELECT') AS creds,
              has_table_privilege('${ROLES.replication}', 'sessions', 'SELECT') AS sessions,
              has_table_privilege('${ROLES.replication}', 'stories', 'SELECT') AS stories`,
      cluster().template,
    );
    expect(rows[0]).toEqual({ creds: false, sessions: false, stories: true });
  });

  it('the queue role owns only the bullmq schema and cannot read tenant data', async () => {
    const { rows } = await adminQuery(
      `SELECT has_table_privilege('${ROLES.queue}', 'stories', 'SELECT') AS stories,
              has_table_privilege('${ROLES.queue}', 'users', 'SELECT') AS users,
              (SELECT rolbypassrls FROM pg_roles WHERE rolname = '${ROLES.queue}') AS bypass,
              (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'bullmq') AS queue_schema_owner`,
      cluster().template,
    );
    expect(rows[0]).toEqual({ stories: false, users: false, bypass: false, queue_schema_owner: ROLES.queue });
  });
});
