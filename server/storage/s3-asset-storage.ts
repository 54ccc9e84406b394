/**
 * Assets in an S3-compatible bucket (AWS S3, MinIO, …), selected by S3_BUCKET.
 * Keys are the same as on local disk. Because a key is the hash of its
 * content, "exists" means "holds these bytes": a put that finds the key
 * writes nothing, and two racing puts both write identical bytes, which is
 * harmless, so no conditional write (which not every S3 clone supports) is needed.
 */
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { parseAssetKey, tenantPrefix } from './asset-key.ts';
import { sumUsage, type AssetRead, type AssetStat, type AssetStorage, type PutAssetInput, type StoredAsset, type TenantUsage } from './asset-storage.ts';
import { rangeHeaderValue, type ByteRangeRequest, type ResolvedByteRange } from './byte-range.ts';
import { preparePut } from './prepared-put.ts';
import { AssetNotFoundError, RangeNotSatisfiableError, StorageBackendError } from './storage-errors.ts';

export interface S3StorageOptions {
  bucket: string;
  /** Absent means AWS itself. */
  endpoint?: string | undefined;
  region: string;
  /** Absent means the default AWS credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** MinIO and most self-hosted stores need path-style URLs. */
  forcePathStyle?: boolean;
}

export class S3AssetStorage implements AssetStorage {
  readonly kind = 's3' as const;
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      forcePathStyle: options.forcePathStyle ?? false,
      // The SDK's default adds CRC checksums (and aws-chunked bodies for
      // streams) that several S3-compatible stores reject; send them only
      // where the API requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  async put(input: PutAssetInput): Promise<StoredAsset> {
    const { asset, bytes } = preparePut(input);
    const existing = await this.stat(asset.key);
    if (existing && existing.sizeBytes === asset.sizeBytes) return { ...asset, created: false };
    await this.send('PutObject', asset.key, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: asset.key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: asset.mimeType,
          // Content-addressed: the bytes under a key never change.
          CacheControl: 'private, max-age=31536000, immutable',
          Metadata: { sha256: asset.sha256 },
        }),
      ),
    );
    return { ...asset, created: true };
  }

  async get(key: string, options: { range?: ByteRangeRequest } = {}): Promise<AssetRead> {
    const parsed = parseAssetKey(key);
    let output;
    try {
      output = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: options.range ? rangeHeaderValue(options.range) : undefined }),
      );
    } catch (err) {
      if (isStatus(err, 404)) throw new AssetNotFoundError(key);
      if (isStatus(err, 416)) {
        const stat = await this.stat(key);
        if (!stat) throw new AssetNotFoundError(key);
        throw new RangeNotSatisfiableError(key, stat.sizeBytes);
      }
      throw s3Error('GetObject', key, err);
    }
    const body = toReadable(output.Body, key);
    const contentLength = output.ContentLength ?? 0;
    const contentRange = parseContentRange(output.ContentRange);
    const range: ResolvedByteRange | null = options.range && contentRange ? { start: contentRange.start, end: contentRange.end } : null;
    const sizeBytes = contentRange?.size ?? contentLength;
    const stat: AssetStat = { key, sizeBytes, mimeType: parsed.format.mimeType, lastModified: output.LastModified ?? new Date(0) };
    return { stat, body, range, contentLength };
  }

  async stat(key: string): Promise<AssetStat | null> {
    const parsed = parseAssetKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, sizeBytes: head.ContentLength ?? 0, mimeType: parsed.format.mimeType, lastModified: head.LastModified ?? new Date(0) };
    } catch (err) {
      if (isStatus(err, 404)) return null;
      throw s3Error('HeadObject', key, err);
    }
  }

  async delete(key: string): Promise<void> {
    parseAssetKey(key);
    await this.send('DeleteObject', key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  async *list(tenantId: string): AsyncIterable<AssetStat> {
    const prefix = tenantPrefix(tenantId);
    let token: string | undefined;
    do {
      const page = await this.send('ListObjectsV2', prefix, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token })),
      );
      for (const object of page.Contents ?? []) {
        const format = object.Key ? formatOf(object.Key) : undefined;
        // Objects someone else put under the prefix are not assets.
        if (!object.Key || !format) continue;
        yield { key: object.Key, sizeBytes: object.Size ?? 0, mimeType: format, lastModified: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  usage(tenantId: string): Promise<TenantUsage> {
    return sumUsage(this.list(tenantId));
  }

  /** Stops the client's sockets; call on shutdown. */
  close(): void {
    this.client.destroy();
  }

  private async send<T>(operation: string, key: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw s3Error(operation, key, err);
    }
  }
}

function formatOf(key: string): string | undefined {
  try {
    return parseAssetKey(key).format.mimeType;
  } catch {
    return undefined;
  }
}

function isStatus(err: unknown, status: number): boolean {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === status;
}

/** Turns an SDK failure into a StorageBackendError that says what to check. */
function s3Error(operation: string, key: string, err: unknown): StorageBackendError {
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const code = err instanceof S3ServiceException ? err.name : (err as Error)?.name;
  const hint =
    code === 'SignatureDoesNotMatch' || code === 'InvalidAccessKeyId' || status === 403
      ? ' Check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, and that they may use this bucket.'
      : code === 'NoSuchBucket'
        ? ' The bucket does not exist: create it or fix S3_BUCKET.'
        : status === undefined
          ? ' The S3 endpoint did not answer: check S3_ENDPOINT and the network.'
          : '';
  // No HTTP status means the request never got an answer (connection refused, reset, timeout).
  const retryable = status === undefined || status === 429 || status === 503 || status >= 500 || code === 'SlowDown';
  const detail = `${code ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${(err as Error)?.message ?? String(err)}`;
  return new StorageBackendError(`S3 ${operation} for ${key} failed with ${detail}.${hint}`, retryable, { cause: err });
}

/** "bytes 0-9/100" → its numbers; S3 sends it on ranged reads. */
function parseContentRange(value: string | undefined): { start: number; end: number; size: number } | null {
  const match = value ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value) : null;
  if (!match) return null;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

function toReadable(body: unknown, key: string): Readable {
  if (body instanceof Readable) return body;
  if (body && typeof (body as ReadableStream).getReader === 'function') return Readable.fromWeb(body as import('node:stream/web').ReadableStream);
  throw new StorageBackendError(`S3 GetObject for ${key} returned no readable body.`, true);
}
