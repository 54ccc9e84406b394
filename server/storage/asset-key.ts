/**
 * Asset keys: `tenants/<tenant uuid>/<type>/<sha256>.<ext>`. The server makes
 * them from the content hash, so the same bytes always land on the same key
 * (idempotent writes) and no name from a person ever reaches a path. Every
 * backend checks keys with `parseAssetKey` before touching anything, which
 * also rules out traversal: the grammar has no room for `..`, `/` runs,
 * backslashes or encoded characters.
 */
import { createHash } from 'node:crypto';
import { ASSET_TYPES, formatForExtension, type AssetFormat, type AssetType } from './asset-formats.ts';
import { InvalidAssetKeyError } from './storage-errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY = /^tenants\/([0-9a-f-]{36})\/([a-z]+)\/([0-9a-f]{64})\.([a-z0-9]{2,5})$/;

export interface ParsedAssetKey {
  key: string;
  tenantId: string;
  type: AssetType;
  sha256: string;
  format: AssetFormat;
}

/** Lower-case hex SHA-256 of the bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Validates a tenant id and returns it in the canonical lower case used in keys. */
export function canonicalTenantId(tenantId: string): string {
  const lower = typeof tenantId === 'string' ? tenantId.toLowerCase() : '';
  if (!UUID.test(lower)) throw new InvalidAssetKeyError(`tenants/${String(tenantId)}/`, 'the tenant id is not a UUID');
  return lower;
}

/** The prefix every key of one tenant starts with, ending in `/`. */
export function tenantPrefix(tenantId: string): string {
  return `tenants/${canonicalTenantId(tenantId)}/`;
}

/** The key for content with this hash and format in this tenant. */
export function assetKeyFor(tenantId: string, format: AssetFormat, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new InvalidAssetKeyError(sha256, 'the content hash is not a lower-case hex SHA-256');
  return `${tenantPrefix(tenantId)}${format.type}/${sha256}.${format.extension}`;
}

/** Parses a key, or throws InvalidAssetKeyError saying what is wrong with it. */
export function parseAssetKey(key: string): ParsedAssetKey {
  if (typeof key !== 'string') throw new InvalidAssetKeyError(String(key), 'it is not a string');
  const match = KEY.exec(key);
  if (!match) {
    const reason = !key.startsWith('tenants/')
      ? 'it is not under tenants/<tenant uuid>/'
      : /(^|\/)\.\.?(\/|$)|\\|%|\/\//.test(key)
        ? 'it contains a path traversal or an encoded or empty segment'
        : 'it does not have the form tenants/<uuid>/<type>/<sha256>.<ext>';
    throw new InvalidAssetKeyError(key, reason);
  }
  const [, tenantId, type, sha256, extension] = match as unknown as [string, string, string, string, string];
  if (!UUID.test(tenantId)) throw new InvalidAssetKeyError(key, 'the tenant segment is not a lower-case UUID');
  const format = formatForExtension(extension);
  if (!format) throw new InvalidAssetKeyError(key, `.${extension} is not an asset extension`);
  if (!(ASSET_TYPES as readonly string[]).includes(type) || format.type !== type) {
    throw new InvalidAssetKeyError(key, `a .${extension} file does not belong under ${type}/`);
  }
  return { key, tenantId, type: format.type, sha256, format };
}
