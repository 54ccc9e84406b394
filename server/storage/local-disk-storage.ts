/**
 * Assets on the local disk, under the data directory's `assets/` (the
 * default). A key maps to the same relative path, so an operator can find a
 * file by its key. Writes go to a temporary file that is fsynced and then
 * hard-linked into place: the final name only ever holds complete content,
 * and when two writers race with the same bytes exactly one reports
 * `created: true`.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalTenantId, parseAssetKey } from './asset-key.ts';
import { sumUsage, type AssetRead, type AssetStat, type AssetStorage, type PutAssetInput, type StoredAsset, type TenantUsage } from './asset-storage.ts';
import { resolveByteRange, type ByteRangeRequest } from './byte-range.ts';
import { preparePut } from './prepared-put.ts';
import { AssetNotFoundError, InvalidAssetKeyError, RangeNotSatisfiableError, StorageBackendError } from './storage-errors.ts';

/** Where partial writes live; inside the root so the final link stays on one filesystem. */
const PARTIAL_DIR = '.partial';

export class LocalDiskStorage implements AssetStorage {
  readonly kind = 'local' as const;
  readonly root: string;

  /** @param root absolute or relative directory; created on the first write. */
  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async put(input: PutAssetInput): Promise<StoredAsset> {
    const { asset, bytes } = preparePut(input);
    const file = this.pathFor(asset.key);
    const existing = await statOrNull(file);
    if (existing?.isFile() && existing.size === asset.sizeBytes) return { ...asset, created: false };

    const partial = path.join(this.root, PARTIAL_DIR, `${asset.sha256}.${randomUUID()}`);
    try {
      await fs.promises.mkdir(path.dirname(partial), { recursive: true });
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await writeDurably(partial, bytes);
      if (existing) {
        // A file of the wrong size under a content-hash name cannot be ours; replace it.
        await fs.promises.rename(partial, file);
        return { ...asset, created: true };
      }
      try {
        await fs.promises.link(partial, file);
        return { ...asset, created: true };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { ...asset, created: false };
        throw err;
      }
    } catch (err) {
      throw diskError(`write ${asset.key}`, err);
    } finally {
      await fs.promises.rm(partial, { force: true });
    }
  }

  async get(key: string, options: { range?: ByteRangeRequest } = {}): Promise<AssetRead> {
    const parsed = parseAssetKey(key);
    const file = this.pathFor(key);
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AssetNotFoundError(key);
      throw diskError(`open ${key}`, err);
    }
    // Stat the open handle, not the path, so a concurrent delete cannot split size from content.
    let stats: fs.Stats;
    try {
      stats = await handle.stat();
    } catch (err) {
      await handle.close();
      throw diskError(`stat ${key}`, err);
    }
    const stat: AssetStat = { key, sizeBytes: stats.size, mimeType: parsed.format.mimeType, lastModified: stats.mtime };
    const range = options.range ? resolveByteRange(options.range, stats.size) : null;
    if (options.range && !range) {
      await handle.close();
      throw new RangeNotSatisfiableError(key, stats.size);
    }
    const body = handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    return { stat, body, range, contentLength: range ? range.end - range.start + 1 : stats.size };
  }

  async stat(key: string): Promise<AssetStat | null> {
    const parsed = parseAssetKey(key);
    const stats = await statOrNull(this.pathFor(key));
    if (!stats?.isFile()) return null;
    return { key, sizeBytes: stats.size, mimeType: parsed.format.mimeType, lastModified: stats.mtime };
  }

  async delete(key: string): Promise<void> {
    parseAssetKey(key);
    try {
      await fs.promises.unlink(this.pathFor(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw diskError(`delete ${key}`, err);
    }
  }

  async *list(tenantId: string): AsyncIterable<AssetStat> {
    const tenantDir = path.join(this.root, 'tenants', canonicalTenantId(tenantId));
    for (const typeDir of await readdirOrEmpty(tenantDir)) {
      for (const name of await readdirOrEmpty(path.join(tenantDir, typeDir))) {
        const key = `tenants/${canonicalTenantId(tenantId)}/${typeDir}/${name}`;
        // Files that are not asset keys (an editor's swap file, say) are not assets.
        if (!isAssetKey(key)) continue;
        const stat = await this.stat(key);
        if (stat) yield stat;
      }
    }
  }

  usage(tenantId: string): Promise<TenantUsage> {
    return sumUsage(this.list(tenantId));
  }

  /** The file for a key; refuses any key whose path would leave the root. */
  private pathFor(key: string): string {
    parseAssetKey(key);
    const file = path.resolve(this.root, ...key.split('/'));
    if (!file.startsWith(this.root + path.sep)) throw new InvalidAssetKeyError(key, 'it resolves outside the asset directory');
    return file;
  }
}

async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await fs.promises.open(file, 'wx', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function statOrNull(file: string): Promise<fs.Stats | null> {
  try {
    return await fs.promises.stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw diskError(`stat ${file}`, err);
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw diskError(`list ${dir}`, err);
  }
}

function isAssetKey(key: string): boolean {
  try {
    parseAssetKey(key);
    return true;
  } catch {
    return false;
  }
}

/** Disk errors a person must fix (space, permissions) are not worth retrying. */
function diskError(action: string, err: unknown): Error {
  if (err instanceof StorageBackendError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const hint =
    code === 'ENOSPC' ? ' The disk is full; free space or move TALEMO_DATA_DIR.'
    : code === 'EACCES' || code === 'EPERM' ? ' Check the permissions of the data directory.'
    : code === 'EROFS' ? ' The data directory is on a read-only filesystem.'
    : '';
  const retryable = code === 'EMFILE' || code === 'ENFILE' || code === 'EAGAIN' || code === 'EBUSY';
  return new StorageBackendError(`Local asset storage could not ${action}: ${(err as Error).message}.${hint}`, retryable, { cause: err });
}
