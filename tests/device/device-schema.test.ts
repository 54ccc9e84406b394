/**
 * The device's local schema migrations run on every open and are safe to
 * re-run: an existing database keeps its rows, an older one is brought
 * forward, and the through-the-database triggers behave after each open.
 * One PGlite data directory serves the whole file (a fresh PGlite costs
 * seconds and hundreds of MB).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_MIGRATIONS, DEVICE_SCHEMA_VERSION, migrateDeviceSchema } from '../../sync/device/device-migrations.ts';
import { openDeviceDatabase, type DeviceDatabase } from '../../sync/device/device-database.ts';
import { bindViewer } from '../../sync/device/device-meta.ts';
import { clearReplica } from '../../sync/device/replica-clear.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-device-schema-'));
let pg: DeviceDatabase;

const viewer = { userId: '22222222-2222-4222-8222-222222222222', tenantId: '11111111-1111-4111-8111-111111111111', kind: 'adult' as const, displayName: 'Camille' };

async function reopen(): Promise<void> {
  await pg.close();
  pg = await openDeviceDatabase(dir);
}

beforeAll(async () => {
  // An "older app": only the first migration.
  const { PGlite } = await import('@electric-sql/pglite');
  const old = await PGlite.create(dir);
  expect(await migrateDeviceSchema(old, DEVICE_MIGRATIONS.slice(0, 1))).toEqual([1]);
  await old.close();
  pg = await openDeviceDatabase(dir);
});

afterAll(async () => {
  await pg?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('device schema migrations', () => {
  it('brought the older database forward on open', async () => {
    const { rows } = await pg.query<{ version: number }>('SELECT version FROM device_schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(DEVICE_MIGRATIONS.map((m) => m.version));
    expect(DEVICE_SCHEMA_VERSION).toBe(rows.at(-1)!.version);
    await pg.query(`SELECT story_id FROM offline_files LIMIT 0`);
  });

  it('re-runs on an existing database without touching its rows', async () => {
    await bindViewer(pg, viewer);
    await pg.query(`INSERT INTO stories (title, age_range) VALUES ('The Moon Fox', '4-6')`);
    await reopen();
    expect(await migrateDeviceSchema(pg)).toEqual([]);
    const stories = await pg.query<{ title: string; _pending: boolean }>('SELECT title, _pending FROM stories');
    expect(stories.rows).toEqual([{ title: 'The Moon Fox', _pending: true }]);
    const outbox = await pg.query<{ mutation_type: string }>('SELECT mutation_type FROM outbox');
    expect(outbox.rows).toEqual([{ mutation_type: 'story.upsert_draft' }]);
  });

  it('keeps the triggers working after a reopen, and still refuses writes to synced tables', async () => {
    const id = (await pg.query<{ id: string }>('SELECT id FROM stories')).rows[0]!.id;
    await pg.query(`UPDATE stories SET title = 'The Moon Fox Returns' WHERE id = $1`, [id]);
    const payloads = await pg.query<{ payload: Record<string, unknown> }>('SELECT payload FROM outbox ORDER BY seq');
    expect(payloads.rows.at(-1)!.payload).toEqual({ id, title: 'The Moon Fox Returns' });
    await expect(pg.query(`INSERT INTO stories_synced (id, title) VALUES (gen_random_uuid(), 'x')`)).rejects.toThrow(/written only by sync/);
    await pg.query(`INSERT INTO listening_events (story_id, position_seconds, event_kind) VALUES ($1, 3, 'start')`, [id]);
    await expect(pg.query(`UPDATE listening_events SET event_kind = 'stop'`)).rejects.toThrow(/append-only/);
    await expect(pg.query(`UPDATE stories SET title = 'a', visibility = 'public' WHERE id = $1`, [id])).rejects.toThrow(/separate writes/);
  });

  it('clears every replica row on sign-out but keeps the device id', async () => {
    await pg.query(`INSERT INTO device_meta (key, value) VALUES ('device_id', '"tablet-1"') ON CONFLICT (key) DO NOTHING`);
    await clearReplica(pg);
    for (const table of ['stories', 'outbox', 'stories_local', 'listening_events', 'tenant_policies']) {
      const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect(rows[0]!.n, table).toBe(0);
    }
    const meta = await pg.query<{ key: string }>('SELECT key FROM device_meta');
    expect(meta.rows).toEqual([{ key: 'device_id' }]);
  });
});
