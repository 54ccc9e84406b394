/**
 * Asset storage: where story audio, covers and uploads live.
 *
 * - `AssetStorage` (asset-storage.ts) is the contract; `createAssetStorage`
 *   picks the backend from config: local disk under `<data dir>/assets/` by
 *   default, an S3-compatible bucket when S3_BUCKET is set.
 * - Keys are `tenants/<tenant uuid>/<image|audio>/<sha256>.<ext>`, made by the
 *   server from the content hash (asset-key.ts): writing the same bytes twice
 *   stores them once (`created: false`), so re-running a job never duplicates
 *   an asset. Any other key, and any traversal, is refused before I/O.
 * - Reads stream and take a byte range (byte-range.ts parses HTTP Range), for
 *   the signed download route; `list`/`usage` cover a tenant's prefix, for
 *   quotas and the tenant-usage endpoint.
 * - Errors are typed (storage-errors.ts): not found, range not satisfiable,
 *   bad key, unsupported type, and backend failures marked retryable or not.
 *
 * This folder must not import worker/: the worker builds on it, not the reverse.
 */
import type { StorageConfig } from '../config.ts';
import type { AssetStorage } from './asset-storage.ts';
import { LocalDiskStorage } from './local-disk-storage.ts';
import { S3AssetStorage } from './s3-asset-storage.ts';

export { ASSET_TYPES, SUPPORTED_MIME_TYPES, formatForMimeType, type AssetFormat, type AssetType } from './asset-formats.ts';
export { assetKeyFor, canonicalTenantId, parseAssetKey, sha256Hex, tenantPrefix, type ParsedAssetKey } from './asset-key.ts';
export type { AssetRead, AssetStat, AssetStorage, PutAssetInput, StoredAsset, TenantUsage } from './asset-storage.ts';
export { parseRangeHeader, rangeHeaderValue, resolveByteRange, type ByteRangeRequest, type ResolvedByteRange } from './byte-range.ts';
export { LocalDiskStorage } from './local-disk-storage.ts';
export { S3AssetStorage, type S3StorageOptions } from './s3-asset-storage.ts';
export {
  AssetNotFoundError,
  InvalidAssetContentError,
  InvalidAssetKeyError,
  RangeNotSatisfiableError,
  StorageBackendError,
  UnsupportedMediaTypeError,
} from './storage-errors.ts';

/** The configured backend: local disk by default, S3 when S3_BUCKET is set. */
export function createAssetStorage(config: StorageConfig): AssetStorage {
  if (config.kind === 'local') return new LocalDiskStorage(config.root);
  return new S3AssetStorage(config);
}
