/**
 * A Node device (PGlite + pglite-sync) against the real server: shapes come
 * through /api/shapes with a bearer session, writes go through the overlay
 * and the outbox to POST /api/sync/mutations, and come back through sync.
 *
 * One server and two PGlite instances (a parent's and a kid's device) for
 * the whole file.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDeviceDatabase, type DeviceDatabase } from '../../sync/device/device-database.ts';
import { DeviceSync } from '../../sync/device/device-sync.ts';
import { createFamily, publishStoryAsServer, type TestFamily } from './support/family-accounts.ts';
import { startTalemoServer, type TalemoServer } from './support/talemo-server.ts';
import { waitFor } from './support/wait-for.ts';

let server: TalemoServer;
let owner: pg.Client;
/** A superuser connection (RLS does not hide rows from it), for assertions only. */
let admin: pg.Client;
let family: TestFamily;
const dirs: string[] = [];
let parentDb: DeviceDatabase;
let kidDb: DeviceDatabase;
let parent: DeviceSync;
let kid: DeviceSync;
/** The live requests of the parent's stories shape: each sent, and each dropped before its answer. */
const parentLiveStories: Array<'sent' | 'dropped'> = [];

function tempDir(label: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `talemo-${label}-`));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  server = await startTalemoServer('device_sync');
  owner = await server.db.owner();
  admin = new pg.Client({ connectionString: server.db.urls.admin });
  await admin.connect();
  family = await createFamily(server.url, 'devsync');
  [parentDb, kidDb] = await Promise.all([openDeviceDatabase(tempDir('parent')), openDeviceDatabase(tempDir('kid'))]);
  parent = new DeviceSync({
    pg: parentDb,
    conn: {
      baseUrl: server.url,
      bearerToken: family.admin.token,
      fetch: (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (url.includes('/api/shapes/stories?') && url.includes('live=true')) {
          parentLiveStories.push('sent');
          init?.signal?.addEventListener('abort', () => parentLiveStories.push('dropped'), { once: true });
        }
        return fetch(input, init);
      },
    },
    viewer: { userId: family.admin.userId, tenantId: family.admin.tenantId, kind: 'adult', displayName: 'Camille' },
    deviceId: 'parent-phone',
    pollIntervalMs: 1_000,
    sender: { initialBackoffMs: 200, maxBackoffMs: 1_000 },
  });
  kid = new DeviceSync({
    pg: kidDb,
    conn: { baseUrl: server.url, bearerToken: family.kid.token },
    viewer: { userId: family.kid.userId, tenantId: family.kid.tenantId, kind: 'kid', displayName: 'Lea' },
    deviceId: 'kid-tablet',
    pollIntervalMs: 1_000,
    sender: { initialBackoffMs: 200, maxBackoffMs: 1_000 },
  });
  await parent.start();
  await kid.start();
}, 300_000);

afterAll(async () => {
  await parent?.stop();
  await kid?.stop();
  await parentDb?.close();
  await kidDb?.close();
  await owner?.end();
  await admin?.end();
  await server?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('a device replica on the real server', () => {
  it('syncs what the viewer may see, and only that', async () => {
    const visible = randomUUID();
    const tooOld = randomUUID();
    await publishStoryAsServer(owner, family.admin.tenantId, { id: visible, title: 'The Sleepy Owl', ageRange: '4-6', createdBy: family.admin.userId });
    await publishStoryAsServer(owner, family.admin.tenantId, { id: tooOld, title: 'The Long Winter', ageRange: '13+', createdBy: family.admin.userId });
    await waitFor(async () => (await kidDb.query('SELECT 1 FROM stories WHERE id = $1', [visible])).rows.length === 1, 'the kid to receive the story');
    await waitFor(async () => (await parentDb.query('SELECT 1 FROM stories WHERE id = $1', [tooOld])).rows.length === 1, 'the parent to receive both');
    // The kid profile allows 0-3, 4-6 and 7-9 only.
    expect((await kidDb.query('SELECT 1 FROM stories WHERE id = $1', [tooOld])).rows).toHaveLength(0);
  });

  it('shows a local draft at once, sends it, and drops the overlay when the row comes back with its write_id', async () => {
    const id = randomUUID();
    await parentDb.query(`INSERT INTO stories (id, title, age_range, content) VALUES ($1, 'Written on the train', '4-6', 'Once upon a time')`, [id]);
    const local = await parentDb.query<{ title: string; _pending: boolean }>('SELECT title, _pending FROM stories WHERE id = $1', [id]);
    expect(local.rows).toEqual([{ title: 'Written on the train', _pending: true }]);
    const writeId = (await parentDb.query<{ write_id: string }>(`SELECT write_id FROM outbox WHERE entity_key = $1`, [id])).rows[0]!.write_id;

    await waitFor(async () => (await parentDb.query(`SELECT 1 FROM stories_local WHERE id = $1`, [id])).rows.length === 0, 'the overlay to be reconciled');
    const synced = await parentDb.query<{ title: string; write_id: string }>('SELECT title, write_id FROM stories_synced WHERE id = $1', [id]);
    expect(synced.rows).toEqual([{ title: 'Written on the train', write_id: writeId }]);
    const serverRow = await admin.query(`SELECT title, write_id FROM stories WHERE id = $1`, [id]);
    expect(serverRow.rows).toEqual([{ title: 'Written on the train', write_id: writeId }]);
    const outbox = await parentDb.query<{ status: string }>(`SELECT status FROM outbox WHERE write_id = $1`, [writeId]);
    expect(outbox.rows.map((r) => r.status)).toEqual(['accepted']);
  });

  it('rolls a rejected write back and keeps its message for the UI', async () => {
    // A kid may not change policies: the server refuses, the overlay goes away.
    await kidDb.query(`INSERT INTO tenant_policies (key, value) VALUES ('max_volume', '100')`);
    expect((await kidDb.query(`SELECT value FROM tenant_policies WHERE key = 'max_volume'`)).rows).toEqual([{ value: 100 }]);
    await waitFor(async () => (await kidDb.query(`SELECT 1 FROM outbox WHERE status = 'rejected'`)).rows.length === 1, 'the rejection');
    const rejected = await kidDb.query<{ message: string }>(`SELECT message FROM outbox WHERE status = 'rejected'`);
    expect(rejected.rows[0]!.message.length).toBeGreaterThan(5);
    expect((await kidDb.query(`SELECT 1 FROM tenant_policies_local`)).rows).toHaveLength(0);
    const serverRows = await admin.query(`SELECT value FROM tenant_policies WHERE tenant_id = $1 AND key = 'max_volume'`, [family.admin.tenantId]);
    expect(serverRows.rows.every((r: { value: unknown }) => r.value !== 100)).toBe(true);
  });

  it('records listening events locally and lands them once on the server', async () => {
    const story = (await kidDb.query<{ id: string }>(`SELECT id FROM stories LIMIT 1`)).rows[0]!.id;
    for (const [kind, pos] of [['start', 0], ['progress', 15], ['pause', 21.5]] as const) {
      await kidDb.query(`INSERT INTO listening_events (story_id, position_seconds, event_kind) VALUES ($1, $2, $3)`, [story, pos, kind]);
    }
    await waitFor(async () => (await kidDb.query(`SELECT 1 FROM outbox WHERE status = 'pending'`)).rows.length === 0, 'the outbox to drain');
    const settled = await kidDb.query<{ status: string; message: string | null }>(`SELECT status, message FROM outbox WHERE mutation_type = 'listening_event.insert'`);
    expect(settled.rows).toEqual(Array(3).fill({ status: 'accepted', message: null }));
    const rows = await admin.query(`SELECT event_kind, position_seconds::float8 AS p, device_id FROM listening_events WHERE user_id = $1 ORDER BY occurred_at`, [family.kid.userId]);
    expect(rows.rows).toEqual([
      { event_kind: 'start', p: 0, device_id: 'kid-tablet' },
      { event_kind: 'progress', p: 15, device_id: 'kid-tablet' },
      { event_kind: 'pause', p: 21.5, device_id: 'kid-tablet' },
    ]);
    await waitFor(async () => (await kidDb.query(`SELECT 1 FROM listening_events_local`)).rows.length === 0, 'the events to come back through sync');
    expect((await kidDb.query(`SELECT 1 FROM listening_events WHERE story_id = $1`, [story])).rows).toHaveLength(3);
  });

  it('removes what the viewer may no longer see when an admin narrows the age ranges (must-refetch)', async () => {
    const story = randomUUID();
    await publishStoryAsServer(owner, family.admin.tenantId, { id: story, title: 'Toddler Songs', ageRange: '0-3', createdBy: family.admin.userId });
    await waitFor(async () => (await kidDb.query('SELECT 1 FROM stories WHERE id = $1', [story])).rows.length === 1, 'the kid to receive the 0-3 story');
    // The admin's device sets the policy, offline-first like every write.
    // While the kid's device refetches, what stays visible must never blink out.
    let smallest = Number.POSITIVE_INFINITY;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const { rows } = await kidDb.query<{ n: number }>(`SELECT count(*)::int AS n FROM stories WHERE age_range = '4-6'`);
        smallest = Math.min(smallest, rows[0]!.n);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await parentDb.query(`INSERT INTO tenant_policies (key, value) VALUES ('allowed_age_ranges', '["4-6","7-9"]')`);
    await waitFor(async () => (await kidDb.query('SELECT 1 FROM stories WHERE id = $1', [story])).rows.length === 0, 'the kid device to drop the hidden story', 30_000);
    watching = false;
    await watcher;
    expect(smallest).toBe(1);
    expect((await kidDb.query(`SELECT count(*)::int AS n FROM stories WHERE age_range = '4-6'`)).rows[0]).toEqual({ n: 1 });
    expect((await kidDb.query(`SELECT count(*)::int AS n FROM stories_synced WHERE _stale`)).rows[0]).toEqual({ n: 0 });
  });

  it('lands writes made while the server is down exactly once, even when a batch is sent again', async () => {
    await server.stop();
    const ids = [randomUUID(), randomUUID()];
    await parentDb.query(`INSERT INTO stories (id, title, age_range) VALUES ($1, 'Offline one', '4-6'), ($2, 'Offline two', '7-9')`, ids);
    await parentDb.query(`UPDATE stories SET title = 'Offline one, edited' WHERE id = $1`, [ids[0]]);
    // The sender tries, fails (nobody listening), and backs off; nothing is lost meanwhile.
    await waitFor(async () => (await parentDb.query(`SELECT 1 FROM outbox WHERE status = 'pending' AND last_error IS NOT NULL`)).rows.length > 0, 'a failed attempt');
    expect((await parentDb.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`)).rows[0]).toEqual({ n: 3 });

    await server.start();
    parent.flush();
    await waitFor(async () => (await parentDb.query(`SELECT 1 FROM outbox WHERE status = 'pending'`)).rows.length === 0, 'the outbox to drain after the restart', 60_000);
    const onServer = async () => (await admin.query(`SELECT id, title FROM stories WHERE id = ANY($1::uuid[]) ORDER BY title`, [ids])).rows;
    expect(await onServer()).toEqual([
      { id: ids[0], title: 'Offline one, edited' },
      { id: ids[1], title: 'Offline two' },
    ]);

    // The answer to a batch can be lost after the server applied it: the device
    // sends the same write_ids again, and nothing changes twice.
    await parentDb.query(`UPDATE outbox SET status = 'pending', settled_at = NULL WHERE entity_key = ANY($1::text[])`, [ids]);
    parent.flush();
    await waitFor(async () => (await parentDb.query(`SELECT 1 FROM outbox WHERE status = 'pending'`)).rows.length === 0, 'the replay to be answered');
    expect((await parentDb.query(`SELECT DISTINCT status FROM outbox WHERE entity_key = ANY($1::text[])`, [ids])).rows).toEqual([{ status: 'accepted' }]);
    expect(await onServer()).toHaveLength(2);
    await waitFor(async () => (await parentDb.query(`SELECT 1 FROM stories_local WHERE id = ANY($1::uuid[])`, [ids])).rows.length === 0, 'both overlays to be reconciled', 30_000);
  }, 180_000);

  it('stops a live shape at any point of a refresh without an unhandled rejection or a stream left running; a refresh asks again at once', async () => {
    const live = parent.subscriptions.find((s) => s.shape === 'stories')!;
    const unhandled: unknown[] = [];
    const collect = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', collect);
    try {
      // Refreshed (for instance by an access change) and stopped before the
      // refresh is answered, as when the device signs out at that moment.
      for (const delayMs of [0, 1, 5, 20, 100]) {
        await waitFor(async () => live.state === 'up_to_date', 'the live stories shape to be up to date');
        live.refresh();
        await new Promise((r) => setTimeout(r, delayMs));
        await live.stop();
        // An unhandled rejection is reported once the microtask queue drains;
        // a stream still running would move the state on from 'stopped'.
        await new Promise((r) => setTimeout(r, 300));
        expect({ delayMs, unhandled, state: live.state }).toEqual({ delayMs, unhandled: [], state: 'stopped' });
        live.start();
      }
      // Stopped while it is still opening its stream.
      await waitFor(async () => live.state === 'up_to_date', 'the live stories shape to be up to date');
      await live.stop();
      live.start();
      await live.stop();
      await new Promise((r) => setTimeout(r, 300));
      expect({ unhandled, state: live.state }).toEqual({ unhandled: [], state: 'stopped' });
      live.start();
    } finally {
      process.off('unhandledRejection', collect);
    }

    // A refresh drops the held long-poll, and the client asks again.
    await waitFor(async () => live.state === 'up_to_date', 'the live stories shape to be up to date');
    await waitFor(async () => parentLiveStories.at(-1) === 'sent', 'a live request to be held');
    const before = parentLiveStories.length;
    live.refresh();
    await waitFor(async () => parentLiveStories.slice(before).join(',').startsWith('dropped,sent'), 'the held request dropped and sent again');
    const story = randomUUID();
    await publishStoryAsServer(owner, family.admin.tenantId, { id: story, title: 'After A Refresh', ageRange: '4-6', createdBy: family.admin.userId });
    await waitFor(async () => (await parentDb.query('SELECT 1 FROM stories WHERE id = $1', [story])).rows.length === 1, 'the refreshed shape to receive the new story');
    expect(live.state).toBe('up_to_date');
  });
});
