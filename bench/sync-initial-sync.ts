/**
 * Initial sync of 10,000 story rows into a Node PGlite replica through the
 * proxy (target <= 3 s), against the real server in its own process.
 *
 * Measured from starting the device's sync (sync/device's DeviceSync,
 * following only the stories shape, as the product does) until all 10,000
 * rows are committed in the replica's stories_synced table:
 *   - cold: the first device of this viewer, so the shape service also takes
 *     the snapshot from Postgres;
 *   - warm: another fresh device of the same viewer, the snapshot already on
 *     the service's disk.
 * To show where the time goes it also times the HTTP transfer alone (the
 * same requests, no PGlite; cold for another viewer's new shape, warm for
 * the first's), and pglite-sync's `json` initial insert method, which
 * sync/device does not use.
 *
 *   npx tsx bench/sync-initial-sync.ts
 */
import { PGlite } from '@electric-sql/pglite';
import { deviceExtensions, openDeviceDatabase, type DeviceDatabase } from '../sync/device/device-database.ts';
import { DeviceSync } from '../sync/device/device-sync.ts';
import { syncedTable } from '../sync/device/synced-tables.ts';
import { addLibrary, startBenchServer, type BenchMember } from './sync-device-server.ts';

const ROWS = Number(process.env.ROWS ?? 10_000);

const server = await startBenchServer();
const replicas: DeviceDatabase[] = [];
try {
  const family = await server.createFamily('Library', 2, 0);
  await addLibrary(server.db, family, ROWS);
  const parent = family.members[0]!;

  let t = performance.now();
  const first = await openDeviceDatabase();
  replicas.push(first);
  const openMs = performance.now() - t;
  const template = await first.dumpDataDir('none');
  t = performance.now();
  const second = await PGlite.create({ loadDataDir: template, extensions: deviceExtensions() });
  replicas.push(second as DeviceDatabase);
  const fromDumpMs = performance.now() - t;

  const cold = await deviceSync(first, parent, family.tenantId);
  const warm = await deviceSync(second as DeviceDatabase, parent, family.tenantId);
  const http = await httpOnly(parent);
  // Another parent has a shape of their own (their private drafts differ), not yet on the service.
  const coldHttp = await httpOnly(family.members[1]!);

  const third = (await PGlite.create({ loadDataDir: template, extensions: deviceExtensions() })) as DeviceDatabase;
  replicas.push(third);
  const json = await pgliteSyncJson(third, parent);

  console.log(`initial sync of ${ROWS} story rows through the proxy into a Node PGlite replica (sync/device, stories shape of a parent):`);
  console.log(`  cold (service takes the snapshot too): ${cold.toFixed(0)} ms`);
  console.log(`  warm (snapshot already on the service): ${warm.toFixed(0)} ms`);
  console.log(`  HTTP alone (the same requests, no PGlite): warm ${http.ms.toFixed(0)} ms, cold ${coldHttp.ms.toFixed(0)} ms (another parent's new shape), for ${(http.bytes / 1024 / 1024).toFixed(1)} MiB in ${http.requests} responses`);
  console.log(`  pglite-sync initialInsertMethod 'json' instead of sync/device's default 'insert' (warm): ${json.toFixed(0)} ms`);
  console.log(`  (opening the device database: ${openMs.toFixed(0)} ms fresh with migrations, ${fromDumpMs.toFixed(0)} ms from a dump; not counted above)`);
} finally {
  for (const r of replicas) await r.close().catch(() => {});
  await server.stop();
}
process.exit(0);

async function countRows(pg: DeviceDatabase): Promise<number> {
  return (await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM stories_synced')).rows[0]!.n;
}

async function untilCount(pg: DeviceDatabase, n: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await countRows(pg)) < n) {
    if (Date.now() > deadline) throw new Error(`only ${await countRows(pg)} of ${n} rows arrived`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function deviceSync(pg: DeviceDatabase, member: BenchMember, tenantId: string): Promise<number> {
  const sync = new DeviceSync({
    pg,
    conn: { baseUrl: server.url, bearerToken: member.token },
    viewer: { userId: member.userId, tenantId, kind: 'adult', displayName: 'Parent' },
    deviceId: `bench-${Math.random()}`,
    shapes: { stories: 'live' },
  });
  const t0 = performance.now();
  await sync.start();
  await untilCount(pg, ROWS);
  const ms = performance.now() - t0;
  await sync.stop();
  return ms;
}

async function httpOnly(member: BenchMember): Promise<{ ms: number; bytes: number; requests: number }> {
  const t0 = performance.now();
  let offset = '-1';
  let handle: string | undefined;
  let bytes = 0;
  let requests = 0;
  for (;;) {
    const url = new URL(`${server.url}/api/shapes/stories`);
    url.searchParams.set('offset', offset);
    if (handle) url.searchParams.set('handle', handle);
    const res = await fetch(url, { headers: { authorization: `Bearer ${member.token}` } });
    bytes += (await res.arrayBuffer()).byteLength;
    requests++;
    handle = res.headers.get('electric-handle')!;
    offset = res.headers.get('electric-offset')!;
    if (res.headers.has('electric-up-to-date')) return { ms: performance.now() - t0, bytes, requests };
  }
}

async function pgliteSyncJson(pg: DeviceDatabase, member: BenchMember): Promise<number> {
  const table = syncedTable('stories');
  const columns = new Set(table.columns.map((c) => c.name));
  const t0 = performance.now();
  const sub = await pg.sync.syncShapeToTable({
    shape: { url: `${server.url}/api/shapes/stories`, headers: { authorization: `Bearer ${member.token}` } },
    table: table.localTable,
    primaryKey: table.primaryKey,
    shapeKey: null,
    initialInsertMethod: 'json',
    mapColumns: (m) => Object.fromEntries(Object.entries(m.value as Record<string, unknown>).filter(([k]) => columns.has(k))),
  });
  // sync/device's guard lets only pglite-sync's own transactions write the table.
  await untilCount(pg, ROWS);
  const ms = performance.now() - t0;
  sub.unsubscribe();
  return ms;
}
