/**
 * The device database's versioned schema. `migrateDeviceSchema` runs every
 * time the database opens — never "only when empty" — and applies, each in
 * its own transaction, the migrations a database has not recorded yet. A
 * device that was last opened by an older app version is brought forward;
 * one already current is left as it is.
 *
 * Migrations are append-only: change the schema by adding a version.
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import { mergedViewSql, overlayTableSql, reconciliationSql, syncedGuardSql } from './overlay-sql.ts';
import { REFETCH_SUPPORT_SQL, staleRowsSql } from './refetch-sql.ts';
import { createSyncedTableSql, SYNCED_TABLES, syncedTable } from './synced-tables.ts';
import {
  AGENT_TASK_TRIGGERS_SQL,
  LISTENING_EVENT_TRIGGERS_SQL,
  POLICY_TRIGGERS_SQL,
  PROFILE_TRIGGERS_SQL,
  STORY_TRIGGERS_SQL,
  WRITE_SUPPORT_SQL,
} from './write-triggers-sql.ts';

export interface DeviceMigration {
  version: number;
  name: string;
  sql: string;
}

const OVERLAYS = [
  { shape: 'stories', key: 'id', triggers: STORY_TRIGGERS_SQL },
  { shape: 'listening_events', key: 'id', triggers: LISTENING_EVENT_TRIGGERS_SQL },
  { shape: 'profiles', key: 'id', triggers: PROFILE_TRIGGERS_SQL },
  { shape: 'tenant_policies', key: 'key', triggers: POLICY_TRIGGERS_SQL },
  { shape: 'agent_tasks', key: 'id', triggers: AGENT_TASK_TRIGGERS_SQL },
];

function baseSchema(): string {
  const parts = [
    `CREATE TABLE IF NOT EXISTS device_meta (key text PRIMARY KEY, value jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());`,
    `CREATE TABLE IF NOT EXISTS outbox (
      seq bigserial PRIMARY KEY,
      write_id uuid NOT NULL UNIQUE,
      mutation_type text NOT NULL,
      entity_table text NOT NULL,
      entity_key text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
      attempts integer NOT NULL DEFAULT 0,
      last_attempt_at timestamptz,
      last_error text,
      message text,
      settled_at timestamptz,
      dismissed boolean NOT NULL DEFAULT false
    );`,
    `CREATE INDEX IF NOT EXISTS outbox_pending_idx ON outbox (status, seq);`,
    `CREATE INDEX IF NOT EXISTS outbox_entity_idx ON outbox (entity_table, entity_key);`,
    ...SYNCED_TABLES.map(createSyncedTableSql),
    WRITE_SUPPORT_SQL,
    ...SYNCED_TABLES.map((t) => syncedGuardSql(t.localTable)),
  ];
  for (const o of OVERLAYS) {
    const spec = { table: syncedTable(o.shape), overlayKey: o.key };
    parts.push(overlayTableSql(spec), mergedViewSql(spec), reconciliationSql(spec), o.triggers);
  }
  for (const t of ['profiles_synced', 'tenant_policies_synced']) {
    parts.push(`DROP TRIGGER IF EXISTS ${t}_access_changed ON ${t};
CREATE TRIGGER ${t}_access_changed AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION access_changed_notify();`);
  }
  return parts.join('\n\n');
}

export const DEVICE_MIGRATIONS: DeviceMigration[] = [
  { version: 1, name: 'replica, overlays and outbox', sql: baseSchema() },
  {
    version: 2,
    name: 'offline files and sync status',
    sql: `
CREATE TABLE IF NOT EXISTS offline_files (
  story_id uuid PRIMARY KEY,
  audio_asset_id uuid,
  image_asset_id uuid,
  status text NOT NULL CHECK (status IN ('queued', 'downloading', 'ready', 'failed')),
  bytes_total bigint NOT NULL DEFAULT 0,
  bytes_done bigint NOT NULL DEFAULT 0,
  -- Downloaded by the offline_auto_download policy rather than by a tap.
  automatic boolean NOT NULL DEFAULT false,
  error text,
  requested_at timestamptz NOT NULL DEFAULT now(),
  ready_at timestamptz,
  last_played_at timestamptz
);
CREATE TABLE IF NOT EXISTS sync_status (
  shape text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('connecting', 'syncing', 'up_to_date', 'offline', 'unavailable', 'stopped')),
  last_error text,
  updated_at timestamptz NOT NULL DEFAULT now()
);`,
  },
  {
    version: 3,
    name: 'must-refetch replaces rows instead of emptying tables',
    sql: [
      ...SYNCED_TABLES.map(staleRowsSql),
      // Stale-aware reconciliation (a stale row's removal keeps its overlay).
      ...OVERLAYS.map((o) => reconciliationSql({ table: syncedTable(o.shape), overlayKey: o.key })),
      REFETCH_SUPPORT_SQL,
    ].join('\n\n'),
  },
];

export const DEVICE_SCHEMA_VERSION = DEVICE_MIGRATIONS.at(-1)!.version;

/** Applies every migration this database has not recorded; returns the versions applied now. */
export async function migrateDeviceSchema(pg: PGliteInterface, migrations: DeviceMigration[] = DEVICE_MIGRATIONS): Promise<number[]> {
  await pg.exec(`CREATE TABLE IF NOT EXISTS device_schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  );`);
  const { rows } = await pg.query<{ version: number }>('SELECT version FROM device_schema_migrations');
  const done = new Set(rows.map((r) => r.version));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    await pg.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.query('INSERT INTO device_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
    applied.push(m.version);
  }
  return applied;
}
