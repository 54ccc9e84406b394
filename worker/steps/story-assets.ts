/**
 * Storing a generated file as an asset of a story, in three moves so no
 * transaction waits on storage:
 *
 * 1. `ensureStorageRoom`: under the tenant's storage lock (the same one
 *    uploads take), refuse when the new bytes would pass storage_quota_mb.
 *    Bytes already stored under the same content key cost nothing.
 * 2. `storeFile`: AssetStorage.put, idempotent by content hash.
 * 3. `recordAsset` (in the step's commit): the `assets` row, keyed by the
 *    storage key, so a re-run finds the row it wrote before instead of
 *    adding another.
 *
 * Two requests of one tenant checking at the same moment may both pass;
 * the overshoot is bounded by one story's files.
 */
import type { Database, DbContext, Tx } from '../../server/db/database.ts';
import { assetKeyFor, formatForMimeType, sha256Hex, type AssetStorage, type StoredAsset } from '../../server/storage/index.ts';
import { TaskRefusal } from '../tasks/task-failure.ts';
import { loadTenantLimits } from './tenant-limits.ts';

const MIB = 1024 * 1024;

export interface GeneratedFile {
  mimeType: string;
  bytes: Uint8Array;
  /** For the refusal message: "narration", "cover". */
  label: string;
}

export async function ensureStorageRoom(db: Database, context: DbContext & { tenantId: string }, files: readonly GeneratedFile[]): Promise<void> {
  const keys = files.map((f) => assetKeyFor(context.tenantId, formatForMimeType(f.mimeType), sha256Hex(f.bytes)));
  await db.transaction(context, async (tx) => {
    await tx.execute(`SELECT pg_advisory_xact_lock(hashtextextended('talemo.storage:' || $1::text, 0))`, [context.tenantId]);
    const existing = new Set((await tx.query<{ storage_key: string }>('SELECT storage_key FROM assets WHERE storage_key = ANY ($1::text[])', [keys])).map((r) => r.storage_key));
    const adding = files.filter((_, i) => !existing.has(keys[i]!));
    const bytes = adding.reduce((n, f) => n + f.bytes.byteLength, 0);
    if (bytes === 0) return;
    const { used } = await tx.one<{ used: number }>('SELECT coalesce(sum(size_bytes), 0)::float8 AS used FROM assets WHERE tenant_id = $1', [context.tenantId]);
    const { policies } = await loadTenantLimits(tx, context.tenantId);
    const quota = policies.storage_quota_mb * MIB;
    if (used + bytes > quota) {
      const what = adding.map((f) => f.label).join(' and ');
      throw new TaskRefusal(
        `Saving this story’s ${what} (${mib(bytes)}) would take your family or school past its ${policies.storage_quota_mb} MB storage allowance (${mib(used)} used). ` +
          'Delete some stories or pictures, or ask an admin to raise storage_quota_mb.',
      );
    }
  });
}

export function storeFile(storage: AssetStorage, tenantId: string, file: GeneratedFile): Promise<StoredAsset> {
  return storage.put({ tenantId, mimeType: file.mimeType, bytes: file.bytes });
}

export interface AssetRecord {
  stored: StoredAsset;
  storyId: string;
  /** The task that made it (a pipeline stage, or a single-agent task). */
  sourceTaskId: string;
  createdBy: string | null;
  metadata: Record<string, unknown>;
}

/** The asset's id: a new row, or the one already recorded for these bytes. */
export async function recordAsset(tx: Tx, record: AssetRecord): Promise<string> {
  const { stored } = record;
  const inserted = await tx.maybeOne<{ id: string }>(
    `INSERT INTO assets (tenant_id, type, storage_key, size_bytes, mime_type, checksum_sha256, source_task_id, story_id, created_by, metadata)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (storage_key) DO NOTHING RETURNING id`,
    [stored.tenantId, stored.type, stored.key, stored.sizeBytes, stored.mimeType, stored.sha256, record.sourceTaskId, record.storyId, record.createdBy, JSON.stringify(record.metadata)],
  );
  if (inserted) return inserted.id;
  const existing = await tx.one<{ id: string }>('SELECT id FROM assets WHERE storage_key = $1 AND tenant_id = $2', [stored.key, stored.tenantId]);
  return existing.id;
}

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MB`;
}
