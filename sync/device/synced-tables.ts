/**
 * The server tables a device replicates, the columns it keeps of each, and
 * the local table each is synced into. Columns are the ones a device may see
 * (issue 4: no password or token hashes, no emails, nothing about kids beyond
 * name and avatar). Local columns are nullable beyond the primary key, so a
 * shape that selects fewer columns still fits; incoming values are filtered
 * to these columns, so a shape that selects more never breaks the replica.
 */

export interface SyncedColumn {
  name: string;
  /** Postgres type on the device. */
  type: string;
}

export interface SyncedTable {
  /** The shape name (`/api/shapes/<shape>`) and the server table. */
  shape: string;
  /** Local table pglite-sync writes into. Writable tables sync into `<name>_synced`. */
  localTable: string;
  primaryKey: string[];
  columns: SyncedColumn[];
  /** Has an overlay, a merged view named like the shape, and outbox triggers. */
  writable: boolean;
  /** The server may not offer this shape to every viewer; a 403/404 just leaves the table empty. */
  optional?: boolean;
}

const col = (name: string, type: string): SyncedColumn => ({ name, type });

const storyColumns = [
  col('id', 'uuid'),
  col('tenant_id', 'uuid'),
  col('title', 'text'),
  col('description', 'text'),
  col('content', 'text'),
  col('image_asset_id', 'uuid'),
  col('audio_asset_id', 'uuid'),
  col('language', 'text'),
  col('age_range', 'text'),
  col('duration_seconds', 'integer'),
  col('reading_level', 'text'),
  col('created_by', 'uuid'),
  col('visibility', 'text'),
  col('is_published', 'boolean'),
  col('moderation_status', 'text'),
  col('moderation_reasons', 'text[]'),
  col('source_story_id', 'uuid'),
  col('write_id', 'uuid'),
  col('created_at', 'timestamptz'),
  col('updated_at', 'timestamptz'),
  col('published_at', 'timestamptz'),
];

export const SYNCED_TABLES: SyncedTable[] = [
  { shape: 'stories', localTable: 'stories_synced', primaryKey: ['id'], writable: true, columns: storyColumns },
  {
    shape: 'assets',
    localTable: 'assets',
    primaryKey: ['id'],
    writable: false,
    columns: [
      col('id', 'uuid'),
      col('tenant_id', 'uuid'),
      col('type', 'text'),
      col('size_bytes', 'bigint'),
      col('mime_type', 'text'),
      col('checksum_sha256', 'text'),
      col('story_id', 'uuid'),
      col('source_task_id', 'uuid'),
      col('created_by', 'uuid'),
      col('metadata', 'jsonb'),
      col('created_at', 'timestamptz'),
    ],
  },
  {
    shape: 'agent_tasks',
    localTable: 'agent_tasks_synced',
    primaryKey: ['id'],
    writable: true,
    columns: [
      col('id', 'uuid'),
      col('tenant_id', 'uuid'),
      col('agent_type', 'text'),
      col('status', 'text'),
      col('input', 'jsonb'),
      col('output', 'jsonb'),
      col('error', 'text'),
      col('requested_by', 'uuid'),
      col('story_id', 'uuid'),
      col('parent_task_id', 'uuid'),
      col('write_id', 'uuid'),
      col('created_at', 'timestamptz'),
      col('started_at', 'timestamptz'),
      col('completed_at', 'timestamptz'),
      col('updated_at', 'timestamptz'),
    ],
  },
  {
    shape: 'profiles',
    localTable: 'profiles_synced',
    primaryKey: ['id'],
    writable: true,
    columns: [
      col('id', 'uuid'),
      col('tenant_id', 'uuid'),
      col('name', 'text'),
      col('description', 'text'),
      col('permissions', 'jsonb'),
      col('is_default', 'boolean'),
      col('write_id', 'uuid'),
      col('created_at', 'timestamptz'),
      col('updated_at', 'timestamptz'),
    ],
  },
  {
    shape: 'tenant_policies',
    localTable: 'tenant_policies_synced',
    primaryKey: ['id'],
    writable: true,
    columns: [
      col('id', 'uuid'),
      col('tenant_id', 'uuid'),
      col('key', 'text'),
      col('value', 'jsonb'),
      col('updated_by', 'uuid'),
      col('write_id', 'uuid'),
      col('created_at', 'timestamptz'),
      col('updated_at', 'timestamptz'),
    ],
  },
  {
    shape: 'users',
    localTable: 'users',
    primaryKey: ['id'],
    writable: false,
    columns: [
      col('id', 'uuid'),
      col('tenant_id', 'uuid'),
      col('profile_id', 'uuid'),
      col('kind', 'text'),
      col('display_name', 'text'),
      col('avatar', 'text'),
      col('is_active', 'boolean'),
      col('last_login', 'timestamptz'),
      col('created_at', 'timestamptz'),
      col('updated_at', 'timestamptz'),
    ],
  },
  {
    shape: 'listening_events',
    localTable: 'listening_events_synced',
    primaryKey: ['id'],
    writable: true,
    columns: [
      col('id', 'uuid'),
      col('tenant_id', 'uuid'),
      col('user_id', 'uuid'),
      col('story_id', 'uuid'),
      col('device_id', 'text'),
      col('position_seconds', 'numeric'),
      col('event_kind', 'text'),
      col('occurred_at', 'timestamptz'),
      col('received_at', 'timestamptz'),
      col('write_id', 'uuid'),
      col('listener_kind', 'text'),
    ],
  },
  {
    shape: 'tags',
    localTable: 'tags',
    primaryKey: ['id'],
    writable: false,
    columns: [col('id', 'uuid'), col('name', 'text'), col('slug', 'text'), col('category', 'text'), col('created_at', 'timestamptz')],
  },
  {
    shape: 'tenants',
    localTable: 'tenants',
    primaryKey: ['id'],
    writable: false,
    columns: [col('id', 'uuid'), col('name', 'text'), col('type', 'text')],
  },
  {
    shape: 'story_tags',
    localTable: 'story_tags',
    primaryKey: ['story_id', 'tag_id'],
    writable: false,
    optional: true,
    columns: [col('story_id', 'uuid'), col('tag_id', 'uuid'), col('tenant_id', 'uuid')],
  },
];

export function syncedTable(shape: string): SyncedTable {
  const t = SYNCED_TABLES.find((x) => x.shape === shape);
  if (!t) throw new Error(`No synced table for shape "${shape}"`);
  return t;
}

/** `CREATE TABLE` for a synced table: every column nullable but the key. */
export function createSyncedTableSql(t: SyncedTable): string {
  const cols = t.columns.map((c) => `  "${c.name}" ${c.type}${t.primaryKey.includes(c.name) ? ' NOT NULL' : ''}`);
  return `CREATE TABLE IF NOT EXISTS "${t.localTable}" (\n${cols.join(',\n')},\n  PRIMARY KEY (${t.primaryKey.map((k) => `"${k}"`).join(', ')})\n);`;
}
