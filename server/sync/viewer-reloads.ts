import type { Viewer } from '../../shapes/viewer.ts';
import { loadViewer } from '../auth/viewer-loader.ts';
import type { Database } from '../db/database.ts';

/**
 * The viewer as they are after an access change, loaded once per viewer and
 * change however many live requests of theirs are held (a device follows
 * several shapes).
 */
export class ViewerReloads {
  readonly #loading = new Map<string, Promise<Viewer | undefined>>();

  constructor(private readonly db: Database) {}

  after(change: number, viewer: Viewer): Promise<Viewer | undefined> {
    const key = `${change}:${viewer.userId}`;
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = this.db.transaction({ tenantId: viewer.tenantId, userId: viewer.userId }, (tx) => loadViewer(tx, viewer.tenantId, viewer.userId), { readOnly: true });
      this.#loading.set(key, loading);
      // Every listener of this change asks within the same tick; keep the answer briefly only.
      const forget = () => setTimeout(() => this.#loading.delete(key), 1_000).unref();
      loading.then(forget, forget);
    }
    return loading;
  }
}
