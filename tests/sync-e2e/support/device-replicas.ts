/**
 * Node devices for the sync suites: sync/device's replica (PGlite with
 * pglite-sync, its versioned schema, overlays and outbox) run by DeviceSync
 * against the app's URL with the member's bearer session.
 *
 * A fresh PGlite takes seconds and hundreds of MB, so a file makes one
 * migrated database, dumps it, and opens every device from that dump.
 * Every shape a device follows is live here (the product polls some), so a
 * test's wait is bounded by the long poll, not by a poll interval.
 */
import { openDeviceDatabase, type DeviceDatabase } from '../../../sync/device/device-database.ts';
import { ensureDeviceId } from '../../../sync/device/device-meta.ts';
import { DeviceSync, SHAPE_PLAN } from '../../../sync/device/device-sync.ts';
import type { ShapeMode } from '../../../sync/device/shape-subscriptions.ts';
import type { Member } from './family-world.ts';

let template: Promise<File | Blob> | undefined;

async function openFromTemplate(): Promise<DeviceDatabase> {
  template ??= (async () => {
    const first = await openDeviceDatabase();
    const dump = await first.dumpDataDir('none');
    await first.close();
    return dump;
  })();
  const pg = await openDeviceDatabase(undefined, { loadDataDir: await template });
  // Row comparisons read timestamps as text; both ends print them in UTC.
  await pg.exec(`SET TIME ZONE 'UTC'`);
  return pg;
}

export interface ShapeResponse {
  shape: string;
  status: number;
  at: number;
}

export interface Device {
  member: Member;
  pg: DeviceDatabase;
  sync: DeviceSync;
  /** Every answer the device got from /api/shapes/*, in order. */
  shapeResponses: ShapeResponse[];
  /** Shapes this device follows. */
  shapes: string[];
  /** Called with each mutations answer before the device sees it; may throw to lose it. */
  onMutationsAnswer?: (res: Response) => void;
  close(): Promise<void>;
}

export async function startDevice(baseUrl: string, tenantId: string, member: Member, deviceId: string): Promise<Device> {
  const pg = await openFromTemplate();
  // As the PWA does before starting sync: listening events are stamped with it offline.
  await ensureDeviceId(pg, () => deviceId);
  const plan: Record<string, ShapeMode> = Object.fromEntries(Object.keys(SHAPE_PLAN[member.kind]).map((s) => [s, 'live' as const]));
  const device: Device = {
    member,
    pg,
    sync: undefined as unknown as DeviceSync,
    shapeResponses: [],
    shapes: Object.keys(plan),
    async close() {
      await device.sync.stop();
      await pg.close();
    },
  };
  const instrumented: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const res = await fetch(input, init);
    const shape = /^\/api\/shapes\/(\w+)/.exec(url.pathname)?.[1];
    if (shape) device.shapeResponses.push({ shape, status: res.status, at: Date.now() });
    if (url.pathname === '/api/sync/mutations') device.onMutationsAnswer?.(res);
    return res;
  };
  device.sync = new DeviceSync({
    pg,
    // The member's token follows the device's: a privilege change rotates the
    // session, and the test's own checks must then use the new one too.
    conn: { baseUrl, bearerToken: member.token, fetch: instrumented, onTokenRotated: (token) => (member.token = token) },
    viewer: { userId: member.userId, tenantId, kind: member.kind, displayName: member.name },
    deviceId,
    shapes: plan,
    sender: { initialBackoffMs: 100, maxBackoffMs: 500, settleGraceMs: 60_000 },
  });
  await device.sync.start();
  return device;
}
