/**
 * Write → visible in another device's replica, with 100 live devices
 * (targets: p50 <= 25 ms, p99 <= 100 ms), against the real server in its own
 * process (`npm start`: the app with the proxy and the embedded shape service).
 *
 * The 100 devices are 20 families of 5 members (2 parents, 3 kids), each
 * following its stories shape live through the proxy with its own session
 * (so 100 parked long-polls and ~60 distinct shapes). 97 of them are
 * lightweight official ShapeStreams; the first parent of three families is
 * a real device: a Node PGlite replica run by sync/device's DeviceSync.
 * The time is taken in those replicas, when pglite-sync commits the row
 * (a trigger on stories_synced notifies the benchmark of the row's
 * write_id after commit).
 *
 * Two writers, each to a story every member of the family can see:
 *   - worker: an UPDATE committed straight into Postgres (the path the
 *     agent worker takes), timed from just before the statement is sent;
 *   - device: the family admin's device publishing a story through
 *     POST /api/sync/mutations (story.set_visibility), timed from just
 *     before the POST (so it includes the session check, the domain service
 *     with its audit row, and the commit).
 * For comparison, the same writes are timed at the families' lightweight
 * kid clients too.
 *
 *   npx tsx bench/sync-device-latency.ts        (about a minute)
 */
import { randomUUID } from 'node:crypto';
import { ShapeStream, isChangeMessage, type Row } from '@electric-sql/client';
import pg from 'pg';
import { openDeviceDatabase, type DeviceDatabase } from '../sync/device/device-database.ts';
import { DeviceSync } from '../sync/device/device-sync.ts';
import { summarize } from './support/latency.ts';
import { addLibrary, startBenchServer, type BenchFamily } from './sync-device-server.ts';

const FAMILIES = 20;
const ADULTS = 2;
const KIDS = 3;
const REPLICAS = 3;
const LIBRARY = 20;
const WRITES = Number(process.env.WRITES ?? 150);

const server = await startBenchServer();
const superuser = new pg.Client({ connectionString: new URL('/talemo', server.pg.adminUrl).toString() });
const controllers: AbortController[] = [];
const replicas: Array<{ pg: DeviceDatabase; sync: DeviceSync }> = [];
try {
  await superuser.connect();
  const families: BenchFamily[] = [];
  for (let i = 0; i < FAMILIES; i++) {
    const family = await server.createFamily(`Family ${i}`, ADULTS, KIDS);
    await addLibrary(server.db, family, LIBRARY);
    families.push(family);
  }

  /** write_id → resolve, per place the write is awaited. */
  const seenInReplica = new Map<string, () => void>();
  const seenByKid = new Map<string, () => void>();

  // The 97 lightweight devices.
  const streams: ShapeStream<Row>[] = [];
  for (const [f, family] of families.entries()) {
    for (const [m, member] of family.members.entries()) {
      if (f < REPLICAS && m === 0) continue;
      const controller = new AbortController();
      controllers.push(controller);
      const stream = new ShapeStream({ url: `${server.url}/api/shapes/stories`, headers: { authorization: `Bearer ${member.token}` }, signal: controller.signal });
      if (f < REPLICAS && member.kind === 'kid') {
        stream.subscribe((messages) => {
          for (const msg of messages) if (isChangeMessage(msg) && typeof msg.value.write_id === 'string') seenByKid.get(msg.value.write_id)?.();
        });
      } else stream.subscribe(() => {});
      streams.push(stream);
    }
  }

  // The three real replicas.
  for (let f = 0; f < REPLICAS; f++) {
    const family = families[f]!;
    const parent = family.members[0]!;
    const db = await openDeviceDatabase();
    await db.exec(`
      CREATE FUNCTION bench_seen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('bench_seen', NEW.write_id::text); RETURN NULL; END $$;
      CREATE TRIGGER bench_seen AFTER INSERT OR UPDATE ON stories_synced FOR EACH ROW WHEN (NEW.write_id IS NOT NULL) EXECUTE FUNCTION bench_seen();`);
    await db.listen('bench_seen', (writeId) => seenInReplica.get(writeId)?.());
    const sync = new DeviceSync({
      pg: db,
      conn: { baseUrl: server.url, bearerToken: parent.token },
      viewer: { userId: parent.userId, tenantId: family.tenantId, kind: 'adult', displayName: 'Parent' },
      deviceId: `replica-${f}`,
      shapes: { stories: 'live' },
    });
    await sync.start();
    replicas.push({ pg: db, sync });
  }

  const deadline = Date.now() + 120_000;
  while (!(streams.every((s) => s.isUpToDate) && (await Promise.all(replicas.map(async (r) => (await r.pg.query<{ n: number }>('SELECT count(*)::int AS n FROM stories_synced')).rows[0]!.n))).every((n) => n === LIBRARY))) {
    if (Date.now() > deadline) throw new Error('the devices did not come up to date');
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1_000)); // every long-poll parked

  const stories = await Promise.all(
    families.slice(0, REPLICAS).map(async (f) => (await superuser.query<{ id: string }>('SELECT id FROM stories WHERE tenant_id = $1 ORDER BY id', [f.tenantId])).rows.map((r) => r.id)),
  );

  const measure = async (write: (family: BenchFamily, story: string, writeId: string, round: number) => Promise<void>) => {
    const inReplica: number[] = [];
    const atKid: number[] = [];
    for (let i = 0; i < WRITES; i++) {
      const f = i % REPLICAS;
      const writeId = randomUUID();
      const waitFor = (map: Map<string, () => void>) =>
        new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`write ${writeId} not seen within 10 s`)), 10_000);
          map.set(writeId, () => {
            clearTimeout(timer);
            map.delete(writeId);
            resolve(performance.now());
          });
        });
      const replicaSaw = waitFor(seenInReplica);
      const kidSaw = waitFor(seenByKid);
      const t0 = performance.now();
      await write(families[f]!, stories[f]![i % LIBRARY]!, writeId, i);
      inReplica.push((await replicaSaw) - t0);
      atKid.push((await kidSaw) - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
    return { replica: summarize(inReplica), kid: summarize(atKid) };
  };

  const worker = await measure(async (_family, story, writeId, round) => {
    await superuser.query('UPDATE stories SET title = $2, write_id = $3 WHERE id = $1', [story, `Worker round ${round}`, writeId]);
  });
  const device = await measure(async (family, story, writeId, round) => {
    const res = await fetch(`${server.url}/api/sync/mutations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${family.admin.token}`, 'content-type': 'application/json' },
      // Re-publishing keeps the story approved (editing its words would send it back to moderation, out of the kids' shapes).
      body: JSON.stringify({ device_id: 'admin-phone', mutations: [{ write_id: writeId, type: 'story.set_visibility', payload: { id: story, visibility: round % 2 ? 'tenant_only' : 'public', is_published: true } }] }),
    });
    const body = (await res.json()) as { data?: { results: Array<{ status: string; message?: string }> } };
    if (body.data?.results[0]?.status !== 'accepted') throw new Error(`the edit was not accepted: ${JSON.stringify(body)}`);
  });

  const line = (what: string, s: ReturnType<typeof summarize>) => `  ${what}: p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (${s.count} writes)`;
  console.log(`write → visible with ${FAMILIES * (ADULTS + KIDS)} live devices through the proxy (${REPLICAS} PGlite replicas via sync/device, ${FAMILIES * (ADULTS + KIDS) - REPLICAS} lightweight ShapeStreams):`);
  console.log(line('worker commit → committed in another device\'s PGlite replica', worker.replica));
  console.log(line('device write (POST /api/sync/mutations) → committed in another device\'s PGlite replica', device.replica));
  console.log(line('worker commit → received by a lightweight kid client', worker.kid));
  console.log(line('device write → received by a lightweight kid client', device.kid));
} finally {
  for (const c of controllers) c.abort();
  for (const r of replicas) {
    await r.sync.stop().catch(() => {});
    await r.pg.close().catch(() => {});
  }
  await superuser.end().catch(() => {});
  await server.stop();
}
process.exit(0);
