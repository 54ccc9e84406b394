/**
 * Short-lived signed download URLs for assets:
 * `<PUBLIC_URL>/assets/<id>/content?tenant=<tenant>&expires=<unix>&signature=<hmac>`.
 *
 * The signature is HMAC-SHA256 over the asset id, its tenant and the expiry,
 * with a key derived from the instance secret, so every server behind a load
 * balancer accepts every other's URLs. Changing any part (another asset,
 * another tenant, a later expiry) breaks it. The URL needs no session: a
 * device's audio element or service worker can fetch it as is.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';
import { instanceSecret } from '../platform/data-dir.ts';
import { deriveSecret } from '../platform/derived-secret.ts';

export interface SignedAssetUrl {
  url: string;
  expires_at: Date;
}

export interface AssetUrlParts {
  id: string;
  tenant: string;
  expires: number;
  signature: string;
}

export type AssetUrlCheck = 'valid' | 'expired' | 'forged';

export class AssetUrlSigner {
  private readonly key: Buffer;

  constructor(
    instanceSecret: string,
    private readonly publicUrl: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = Buffer.from(deriveSecret(instanceSecret, 'asset-download-url:v1'), 'base64url');
  }

  /** The signer for this instance: TALEMO_SECRET, or the data directory's secret (as at start). */
  static fromConfig(config: Config): AssetUrlSigner {
    const secret = instanceSecret(config);
    return new AssetUrlSigner(secret, config.publicUrl, config.assetUrlTtlSeconds);
  }

  sign(assetId: string, tenantId: string, now = Date.now()): SignedAssetUrl {
    const expires = Math.floor(now / 1000) + this.ttlSeconds;
    const query = new URLSearchParams({ tenant: tenantId, expires: String(expires), signature: this.mac(assetId, tenantId, expires) });
    return { url: `${this.publicUrl}/assets/${assetId}/content?${query}`, expires_at: new Date(expires * 1000) };
  }

  /** Forged beats expired: an altered URL is never reported as merely old. */
  check(parts: AssetUrlParts, now = Date.now()): AssetUrlCheck {
    const expected = Buffer.from(this.mac(parts.id.toLowerCase(), parts.tenant.toLowerCase(), parts.expires), 'base64url');
    const given = Buffer.from(parts.signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
    return parts.expires * 1000 <= now ? 'expired' : 'valid';
  }

  private mac(assetId: string, tenantId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`asset:${assetId.toLowerCase()}\ntenant:${tenantId.toLowerCase()}\nexpires:${expires}`).digest('base64url');
  }
}
