/**
 * Serves an asset's bytes for a signed URL (asset-url-signer.ts). The
 * signature is the credential: a forged one (another asset, another tenant,
 * a changed expiry) or an expired one is a 403. The row is then read in the
 * signed tenant's RLS context, so a valid signature still reaches only that
 * tenant's assets. Ranges are served as the storage reads them.
 */
import { HttpError } from '../http/http-error.ts';
import { AssetNotFoundError, RangeNotSatisfiableError, type AssetRead, type ByteRangeRequest } from '../storage/index.ts';
import { AssetUrlSigner, type AssetUrlParts } from './asset-url-signer.ts';
import type { ServiceDeps } from './service-deps.ts';

export interface AssetContent {
  read: AssetRead;
  mimeType: string;
  checksum: string;
}

export type AssetContentResult = { kind: 'content'; content: AssetContent } | { kind: 'unsatisfiable'; sizeBytes: number };

export class AssetContentService {
  private signer: AssetUrlSigner | undefined;

  constructor(private readonly deps: ServiceDeps) {}

  async open(parts: AssetUrlParts, range: ByteRangeRequest | null): Promise<AssetContentResult> {
    this.signer ??= AssetUrlSigner.fromConfig(this.deps.config);
    const check = this.signer.check(parts);
    if (check === 'forged') throw HttpError.forbidden('This download link is not valid. Ask for a new one (GET /api/assets/{id}/download).');
    if (check === 'expired') throw HttpError.forbidden('This download link has expired. Ask for a new one (GET /api/assets/{id}/download).');
    const asset = await this.deps.db.transaction(
      { tenantId: parts.tenant, userId: null },
      (tx) => tx.maybeOne<{ storage_key: string; mime_type: string; checksum_sha256: string }>('SELECT storage_key, mime_type, checksum_sha256 FROM assets WHERE id = $1 AND tenant_id = $2', [parts.id, parts.tenant]),
      { readOnly: true },
    );
    if (!asset) throw HttpError.notFound('The asset');
    try {
      const read = await this.deps.storage.get(asset.storage_key, range ? { range } : {});
      return { kind: 'content', content: { read, mimeType: asset.mime_type, checksum: asset.checksum_sha256 } };
    } catch (err) {
      if (err instanceof RangeNotSatisfiableError) return { kind: 'unsatisfiable', sizeBytes: err.sizeBytes };
      if (err instanceof AssetNotFoundError) throw HttpError.notFound('The asset file');
      throw err;
    }
  }
}
