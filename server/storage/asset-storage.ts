/**
 * The contract every asset backend keeps. Callers hand over bytes and a media
 * type; the store decides the key from the content hash, so the same bytes
 * written twice land once. Reads stream, optionally a byte range, so the
 * download route can answer HTTP Range requests without buffering.
 */
import type { Readable } from 'node:stream';
import type { AssetType } from './asset-formats.ts';
import type { ByteRangeRequest, ResolvedByteRange } from './byte-range.ts';

export interface PutAssetInput {
  tenantId: string;
  /** One of SUPPORTED_MIME_TYPES; it decides the key's type folder and extension. */
  mimeType: string;
  /**
   * The whole content. Assets are bounded (policy size limits for uploads,
   * one story's audio for the worker), so hashing before writing is cheap and
   * the key is known before anything touches the backend.
   */
  bytes: Uint8Array;
}

/** What a put stored; these are the fields of an `assets` row. */
export interface StoredAsset {
  key: string;
  tenantId: string;
  type: AssetType;
  mimeType: string;
  sizeBytes: number;
  /** Lower-case hex; the `checksum_sha256` column. */
  sha256: string;
  /** False when the same bytes were already stored: nothing was written. */
  created: boolean;
}

export interface AssetStat {
  key: string;
  sizeBytes: number;
  /** From the key's extension, identical across backends. */
  mimeType: string;
  lastModified: Date;
}

export interface AssetRead {
  stat: AssetStat;
  /** The requested bytes; the caller must consume or destroy it. */
  body: Readable;
  /** The range served, or null for the whole object. */
  range: ResolvedByteRange | null;
  /** Bytes in `body`. */
  contentLength: number;
}

export interface TenantUsage {
  objects: number;
  bytes: number;
}

export interface AssetStorage {
  /** 'local' or 's3', for logs and health. */
  readonly kind: 'local' | 's3';
  /**
   * Stores bytes under `tenants/<tenant>/<type>/<sha256>.<ext>`. Idempotent:
   * the same bytes give the same key and `created: false` the second time.
   * Throws UnsupportedMediaTypeError, InvalidAssetContentError, InvalidAssetKeyError (bad tenant id) or StorageBackendError.
   */
  put(input: PutAssetInput): Promise<StoredAsset>;
  /** Streams an object or a byte range of it. Throws AssetNotFoundError or RangeNotSatisfiableError. */
  get(key: string, options?: { range?: ByteRangeRequest }): Promise<AssetRead>;
  /** Size and type, or null when absent. */
  stat(key: string): Promise<AssetStat | null>;
  /** Removes an object; removing an absent one is not an error. */
  delete(key: string): Promise<void>;
  /** Every object under the tenant's prefix, in no promised order. */
  list(tenantId: string): AsyncIterable<AssetStat>;
  /** Object count and bytes under the tenant's prefix. */
  usage(tenantId: string): Promise<TenantUsage>;
}

/** Sums a listing; shared by the backends so both count the same way. */
export async function sumUsage(objects: AsyncIterable<AssetStat>): Promise<TenantUsage> {
  let count = 0;
  let bytes = 0;
  for await (const object of objects) {
    count += 1;
    bytes += object.sizeBytes;
  }
  return { objects: count, bytes };
}
