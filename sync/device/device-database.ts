/**
 * Opens the device database — in memory, a directory (Node) or IndexedDB
 * (`idb://…`, browser) — with live queries and pglite-sync, and brings its
 * schema up to date. The migrations run on every open.
 */
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { live } from '@electric-sql/pglite/live';
import { electricSync } from '@electric-sql/pglite-sync';
import { migrateDeviceSchema } from './device-migrations.ts';

export function deviceExtensions() {
  return { live, sync: electricSync() };
}

export type DeviceDatabase = Awaited<ReturnType<typeof createDeviceDatabase>>;

async function createDeviceDatabase(dataDir: string | undefined, options: Omit<PGliteOptions, 'extensions' | 'dataDir'>) {
  return PGlite.create({ ...options, dataDir, extensions: deviceExtensions() });
}

export async function openDeviceDatabase(dataDir?: string, options: Omit<PGliteOptions, 'extensions' | 'dataDir'> = {}): Promise<DeviceDatabase> {
  const pg = await createDeviceDatabase(dataDir, options);
  await migrateDeviceSchema(pg);
  return pg;
}
