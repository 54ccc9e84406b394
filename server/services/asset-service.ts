/**
 * Assets: upload, detail, signed download, delete and the tenant's usage.
 *
 * - upload: `assets.upload`, and the tenant's `uploads` feature flag. Size is
 *   capped by `max_upload_mb`; the type, re-encoding and bomb checks are in
 *   upload-inspection.ts; the total is capped by `storage_quota_mb`. The
 *   same bytes uploaded twice give back the same asset.
 * - detail and download: `stories.read`, for an asset the viewer uploaded,
 *   one on a story they may see, or any of the tenant's when they manage its
 *   stories (`stories.delete`).
 * - delete: `stories.delete` for any asset of the tenant; `assets.upload`
 *   for one's own uploads. An asset a story still uses is kept.
 * - usage: `assets.upload` or `policies.manage`.
 *
 * Sizes are in bytes; the policies' "MB" are mebibytes (1,048,576 bytes).
 */
import { can } from '../../shapes/permissions.ts';
import type { Viewer } from '../../shapes/viewer.ts';
import type { Tx } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import { sha256Hex } from '../storage/index.ts';
import { authorize, authorizeAny, type Actor } from './authorization.ts';
import { AssetUrlSigner, type SignedAssetUrl } from './asset-url-signer.ts';
import { auditGovernance } from './governance-audit.ts';
import type { ServiceDeps } from './service-deps.ts';
import { SqlParams } from './sql-params.ts';
import { managesStories, storyVisibleTo } from './story-visibility.ts';
import { inTenant } from './tenant-transaction.ts';
import { checkFileName, inspectUpload } from './upload-inspection.ts';

export const MIB = 1024 * 1024;

export interface AssetView {
  id: string;
  tenant_id: string;
  type: 'image' | 'audio';
  mime_type: string;
  size_bytes: number;
  checksum_sha256: string;
  source_task_id: string | null;
  created_by: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
  from_other_tenant: boolean;
}

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

export interface TenantUsageView {
  used_bytes: number;
  asset_count: number;
  by_type: Record<'image' | 'audio', { count: number; bytes: number }>;
  quota_bytes: number;
  remaining_bytes: number;
  max_upload_bytes: number;
}

interface AssetRow extends Omit<AssetView, 'from_other_tenant' | 'size_bytes'> {
  size_bytes: string;
  storage_key: string;
}

const ASSET_COLUMNS = 'a.id, a.tenant_id, a.type, a.mime_type, a.size_bytes, a.checksum_sha256, a.source_task_id, a.created_by, a.metadata, a.created_at, a.storage_key';

export class AssetService {
  private signer: AssetUrlSigner | undefined;

  constructor(private readonly deps: ServiceDeps) {}

  /** The upload limit for a viewer, for the route's body cap; the service checks again. */
  static maxUploadBytes(viewer: Viewer): number {
    return viewer.policies.max_upload_mb * MIB;
  }

  async upload(actor: Actor, file: UploadedFile): Promise<{ asset: AssetView; created: boolean }> {
    const viewer = authorize(actor, 'assets.upload');
    if (!viewer.policies.feature_flags.uploads) {
      throw HttpError.forbidden('Uploads are turned off for your family or school (feature_flags.uploads). An admin can turn them on in the policies.');
    }
    const limit = AssetService.maxUploadBytes(viewer);
    if (file.bytes.byteLength > limit) throw tooLarge(`The file is larger than the ${viewer.policies.max_upload_mb} MB your max_upload_mb policy allows.`, limit);
    const originalName = checkFileName(file.name);
    const inspected = await inspectUpload(file.bytes);

    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => {
      // One upload at a time per tenant decides against the quota.
      await tx.execute(`SELECT pg_advisory_xact_lock(hashtextextended('talemo.storage:' || $1::text, 0))`, [viewer.tenantId]);
      const sha256 = sha256Hex(inspected.bytes);
      const existing = await tx.maybeOne<AssetRow>(`SELECT ${ASSET_COLUMNS} FROM assets a WHERE a.tenant_id = $1 AND a.checksum_sha256 = $2 AND a.mime_type = $3`, [
        viewer.tenantId, sha256, inspected.mimeType,
      ]);
      if (existing) return { asset: present(viewer, existing), created: false };
      const { used } = await tx.one<{ used: number }>('SELECT coalesce(sum(size_bytes), 0)::float8 AS used FROM assets WHERE tenant_id = $1', [viewer.tenantId]);
      const quota = viewer.policies.storage_quota_mb * MIB;
      if (used + inspected.bytes.byteLength > quota) {
        throw tooLarge(`This upload would take your family or school past its ${viewer.policies.storage_quota_mb} MB storage quota (${formatMiB(used)} used). Delete assets or raise storage_quota_mb.`, quota);
      }
      const stored = await this.deps.storage.put({ tenantId: viewer.tenantId, mimeType: inspected.mimeType, bytes: inspected.bytes });
      const row = await tx.one<AssetRow>(
        `INSERT INTO assets AS a (tenant_id, type, storage_key, size_bytes, mime_type, checksum_sha256, created_by, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${ASSET_COLUMNS}`,
        [viewer.tenantId, stored.type, stored.key, stored.sizeBytes, stored.mimeType, stored.sha256, viewer.userId,
          JSON.stringify({ original_name: originalName, width: inspected.width, height: inspected.height })],
      );
      return { asset: present(viewer, row), created: true };
    });
  }

  async get(actor: Actor, id: string): Promise<AssetView> {
    const viewer = authorize(actor, 'stories.read');
    return this.deps.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, async (tx) => present(viewer, await loadVisible(tx, viewer, id)), { readOnly: true });
  }

  /** A short-lived URL that serves the bytes without a session. */
  async download(actor: Actor, id: string): Promise<SignedAssetUrl & { mime_type: string; size_bytes: number }> {
    const viewer = authorize(actor, 'stories.read');
    const asset = await this.deps.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, (tx) => loadVisible(tx, viewer, id), { readOnly: true });
    this.signer ??= AssetUrlSigner.fromConfig(this.deps.config);
    return { ...this.signer.sign(asset.id, asset.tenant_id), mime_type: asset.mime_type, size_bytes: Number(asset.size_bytes) };
  }

  async delete(actor: Actor, id: string): Promise<{ id: string }> {
    const viewer = authorizeAny(actor, ['stories.delete', 'assets.upload']);
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      const asset = await tx.maybeOne<AssetRow>(`SELECT ${ASSET_COLUMNS} FROM assets a WHERE a.id = $1 AND a.tenant_id = $2 FOR UPDATE`, [id, viewer.tenantId]);
      if (!asset) throw HttpError.notFound('The asset');
      if (!can(viewer.permissions, 'stories.delete') && asset.created_by !== viewer.userId) {
        throw HttpError.forbidden('You may delete only assets you uploaded, unless your profile allows stories.delete.');
      }
      const users = await tx.query<{ title: string }>('SELECT title FROM stories WHERE image_asset_id = $1 OR audio_asset_id = $1 ORDER BY title LIMIT 3', [id]);
      if (users.length > 0) {
        throw HttpError.conflict(`This asset is used by ${users.map((u) => `"${u.title}"`).join(', ')}. Remove it from the story first.`);
      }
      await tx.execute('DELETE FROM assets WHERE id = $1 AND tenant_id = $2', [id, viewer.tenantId]);
      await auditGovernance(tx, after, viewer.tenantId, {
        action: 'asset.delete', actorId: viewer.userId, targetType: 'asset', targetId: id,
        before: { type: asset.type, mime_type: asset.mime_type, size_bytes: Number(asset.size_bytes), created_by: asset.created_by }, after: null,
      }, actor.meta);
      // Keys are per tenant and per content, and unique in the table: no other row shares this file.
      after.cleanups.push({ what: `delete stored object ${asset.storage_key}`, run: () => this.deps.storage.delete(asset.storage_key) });
      return { id };
    });
  }

  async usage(actor: Actor): Promise<TenantUsageView> {
    const viewer = authorizeAny(actor, ['assets.upload', 'policies.manage']);
    const rows = await this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      (tx) => tx.query<{ type: 'image' | 'audio'; count: number; bytes: number }>('SELECT type, count(*)::int AS count, sum(size_bytes)::float8 AS bytes FROM assets WHERE tenant_id = $1 GROUP BY type', [viewer.tenantId]),
      { readOnly: true },
    );
    const byType = { image: { count: 0, bytes: 0 }, audio: { count: 0, bytes: 0 } };
    for (const r of rows) byType[r.type] = { count: r.count, bytes: r.bytes };
    const used = byType.image.bytes + byType.audio.bytes;
    const quota = viewer.policies.storage_quota_mb * MIB;
    return {
      used_bytes: used,
      asset_count: byType.image.count + byType.audio.count,
      by_type: byType,
      quota_bytes: quota,
      remaining_bytes: Math.max(0, quota - used),
      max_upload_bytes: AssetService.maxUploadBytes(viewer),
    };
  }
}

/**
 * An asset the viewer may see: their own upload, any of the tenant's when
 * they manage its stories, or one on a story visible to them — pointed at by
 * the story, or attached to it (a cover's thumbnail) — which, through RLS,
 * includes other tenants' public stories.
 */
async function loadVisible(tx: Tx, viewer: Viewer, id: string): Promise<AssetRow> {
  const p = new SqlParams();
  const idParam = p.add(id);
  const tenant = p.add(viewer.tenantId);
  const row = await tx.maybeOne<AssetRow>(
    `SELECT ${ASSET_COLUMNS} FROM assets a
     WHERE a.id = ${idParam} AND (
       (a.tenant_id = ${tenant}::uuid AND (a.created_by = ${p.add(viewer.userId)} OR ${managesStories(viewer) ? 'TRUE' : 'FALSE'}))
       OR EXISTS (SELECT 1 FROM stories s WHERE (s.image_asset_id = a.id OR s.audio_asset_id = a.id OR s.id = a.story_id) AND ${storyVisibleTo(viewer, p)}))`,
    p.values,
  );
  if (!row) throw HttpError.notFound('The asset');
  return row;
}

function present(viewer: Viewer, row: AssetRow): AssetView {
  const { storage_key: _, size_bytes, ...rest } = row;
  const foreign = row.tenant_id !== viewer.tenantId;
  return { ...rest, size_bytes: Number(size_bytes), created_by: foreign ? null : rest.created_by, from_other_tenant: foreign };
}

function tooLarge(message: string, limitBytes: number): HttpError {
  return new HttpError(413, message, { file: [`must fit within ${limitBytes} bytes`] });
}

function formatMiB(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MB`;
}
