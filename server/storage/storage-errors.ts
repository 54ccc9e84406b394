/**
 * What can go wrong with asset storage, as types the callers can branch on:
 * routes map them to 400/404/416/503, the worker decides whether to retry.
 */

/** A key that is not a server-made asset key; nothing was read or written. */
export class InvalidAssetKeyError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Asset key ${JSON.stringify(key.slice(0, 200))} is not allowed: ${reason}. Keys are made by the server as tenants/<tenant uuid>/<image|audio>/<sha256>.<ext>.`);
    this.name = 'InvalidAssetKeyError';
  }
}

/** A media type the asset store does not hold. */
export class UnsupportedMediaTypeError extends Error {
  constructor(
    readonly mimeType: string,
    supported: readonly string[],
  ) {
    super(`${JSON.stringify(mimeType)} is not a supported asset type; use one of ${supported.join(', ')}.`);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** Empty content, or content that is not bytes. */
export class InvalidAssetContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAssetContentError';
  }
}

export class AssetNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No asset is stored under ${key}.`);
    this.name = 'AssetNotFoundError';
  }
}

/** The requested byte range starts past the end; HTTP answers 416 with `bytes *\/size`. */
export class RangeNotSatisfiableError extends Error {
  constructor(
    readonly key: string,
    /** The object's size, for the Content-Range header of the 416. */
    readonly sizeBytes: number,
  ) {
    super(`The requested range lies outside ${key}, which is ${sizeBytes} bytes long.`);
    this.name = 'RangeNotSatisfiableError';
  }
}

/**
 * The backend (disk or S3) failed. `retryable` says whether the same call may
 * succeed later (throttling, 5xx, network) or needs a person (credentials,
 * missing bucket, full disk).
 */
export class StorageBackendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageBackendError';
  }
}
