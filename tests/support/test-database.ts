/**
 * A fresh, fully migrated database per suite, cloned from the run's template
 * (fast: a file copy inside Postgres). Connects as the same roles production
 * uses, so RLS and privileges are the real ones.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { rolePassword } from '../../server/db/bootstrap.ts';
import { Database } from '../../server/db/database.ts';
import { ROLES, type RoleName } from '../../server/db/roles.ts';

export interface TestDatabase {
  name: string;
  urls: { owner: string; app: string; replication: string; queue: string; admin: string };
  /** The app-role pool with the RLS transaction helper. */
  db: Database;
  /** A connected owner client, for setting up fixtures and inspecting. */
  owner(): Promise<pg.Client>;
  drop(): Promise<void>;
}

export function cluster() {
  return inject('talemoPg');
}

export function urlFor(database: string, role: RoleName | 'postgres'): string {
  const { adminUrl, secret } = cluster();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  if (role !== 'postgres') {
    url.username = role;
    url.password = rolePassword(secret, role);
  }
  return url.toString();
}

export async function adminQuery(sql: string, database = 'postgres'): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: urlFor(database, 'postgres') });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(label = 'suite'): Promise<TestDatabase> {
  const { template } = cluster();
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template} OWNER ${ROLES.owner}`);
  await adminQuery(`GRANT CONNECT ON DATABASE ${name} TO ${ROLES.app}, ${ROLES.replication}, ${ROLES.queue}`);
  await adminQuery(`GRANT CREATE ON DATABASE ${name} TO ${ROLES.queue}`);
  const db = new Database({ connectionString: urlFor(name, ROLES.app), poolMax: 5 });
  const owners: pg.Client[] = [];
  return {
    name,
    urls: { owner: urlFor(name, ROLES.owner), app: urlFor(name, ROLES.app), replication: urlFor(name, ROLES.replication), queue: urlFor(name, ROLES.queue), admin: urlFor(name, 'postgres') },
    db,
    async owner() {
      const client = new pg.Client({ connectionString: urlFor(name, ROLES.owner) });
      await client.connect();
      owners.push(client);
      return client;
    },
    async drop() {
      await db.close();
      await Promise.all(owners.map((c) => c.end().catch(() => {})));
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
