/**
 * The backend-independent half of a put: validate the input, hash it, and
 * derive the key. Both backends start here, so they agree on every key.
 */
import { formatForMimeType, type AssetFormat } from './asset-formats.ts';
import { assetKeyFor, canonicalTenantId, sha256Hex } from './asset-key.ts';
import type { PutAssetInput, StoredAsset } from './asset-storage.ts';
import { InvalidAssetContentError } from './storage-errors.ts';

export interface PreparedPut {
  format: AssetFormat;
  bytes: Uint8Array;
  /** The StoredAsset to return, `created` still to be decided by the backend. */
  asset: Omit<StoredAsset, 'created'>;
}

export function preparePut(input: PutAssetInput): PreparedPut {
  const tenantId = canonicalTenantId(input.tenantId);
  const format = formatForMimeType(input.mimeType);
  if (!(input.bytes instanceof Uint8Array)) throw new InvalidAssetContentError('Asset content must be a Uint8Array or Buffer.');
  if (input.bytes.byteLength === 0) throw new InvalidAssetContentError('Asset content is empty; there is nothing to store.');
  const sha256 = sha256Hex(input.bytes);
  return {
    format,
    bytes: input.bytes,
    asset: {
      key: assetKeyFor(tenantId, format, sha256),
      tenantId,
      type: format.type,
      mimeType: format.mimeType,
      sizeBytes: input.bytes.byteLength,
      sha256,
    },
  };
}
