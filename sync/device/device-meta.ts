/**
 * The device's own facts, kept in `device_meta`: which user and tenant the
 * replica belongs to, and the device's stable id (listening events carry it).
 * The outbox triggers read tenant and user from here, so a write made while
 * offline is attributed without asking anyone.
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import { clearReplica } from './replica-clear.ts';

export interface DeviceViewer {
  userId: string;
  tenantId: string;
  kind: 'adult' | 'kid';
  displayName: string;
}

export async function readMeta<T = unknown>(pg: PGliteInterface, key: string): Promise<T | undefined> {
  const { rows } = await pg.query<{ value: T }>('SELECT value FROM device_meta WHERE key = $1', [key]);
  return rows[0]?.value;
}

export async function writeMeta(pg: PGliteInterface, key: string, value: unknown): Promise<void> {
  await pg.query(
    `INSERT INTO device_meta (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
}

/** The device id, made once and kept across sign-ins. */
export async function ensureDeviceId(pg: PGliteInterface, make: () => string): Promise<string> {
  const existing = await readMeta<string>(pg, 'device_id');
  if (existing) return existing;
  const id = make();
  await writeMeta(pg, 'device_id', id);
  return id;
}

/**
 * Binds the replica to a signed-in viewer. A replica that belonged to someone
 * else is cleared first: one person's rows, offsets and unsent writes must
 * never be shown to or sent as another.
 */
export async function bindViewer(pg: PGliteInterface, viewer: DeviceViewer): Promise<{ cleared: boolean }> {
  const current = await readMeta<string>(pg, 'user_id');
  let cleared = false;
  if (current && current !== viewer.userId) {
    await clearReplica(pg);
    cleared = true;
  }
  await pg.transaction(async (tx) => {
    for (const [k, v] of Object.entries({ user_id: viewer.userId, tenant_id: viewer.tenantId, viewer_kind: viewer.kind, display_name: viewer.displayName })) {
      await tx.query(
        `INSERT INTO device_meta (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [k, JSON.stringify(v)],
      );
    }
  });
  return { cleared };
}

export async function boundViewer(pg: PGliteInterface): Promise<DeviceViewer | null> {
  const { rows } = await pg.query<{ key: string; value: unknown }>(`SELECT key, value FROM device_meta WHERE key IN ('user_id', 'tenant_id', 'viewer_kind', 'display_name')`);
  const m = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  if (typeof m.user_id !== 'string' || typeof m.tenant_id !== 'string') return null;
  return { userId: m.user_id, tenantId: m.tenant_id, kind: m.viewer_kind === 'kid' ? 'kid' : 'adult', displayName: String(m.display_name ?? '') };
}
