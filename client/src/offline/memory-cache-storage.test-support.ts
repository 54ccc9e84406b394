/**
 * Cache Storage for tests in Node, which lacks it: an in-memory one with the
 * browser's semantics for the calls Talemo makes. `open` creates a cache,
 * `match` with a cacheName and `has` never do, and a Cache object whose name
 * was deleted keeps working but is no longer reachable by name.
 */
class MemoryCache {
  readonly #entries = new Map<string, Response>();
  async put(req: string, res: Response) {
    this.#entries.set(new URL(req, 'http://device').href, res);
  }
  async match(req: string) {
    return this.#entries.get(new URL(req, 'http://device').href);
  }
  async delete(req: string) {
    return this.#entries.delete(new URL(req, 'http://device').href);
  }
  async keys() {
    return [...this.#entries.keys()].map((url) => new Request(url));
  }
}

export const cacheStores = new Map<string, MemoryCache>();

export function installMemoryCacheStorage(): void {
  Object.assign(globalThis, {
    self: globalThis,
    caches: {
      open: async (name: string) => cacheStores.get(name) ?? cacheStores.set(name, new MemoryCache()).get(name)!,
      has: async (name: string) => cacheStores.has(name),
      keys: async () => [...cacheStores.keys()],
      delete: async (name: string) => cacheStores.delete(name),
      match: async (req: string, options?: { cacheName?: string }) => {
        const names = options?.cacheName ? [options.cacheName] : [...cacheStores.keys()];
        for (const name of names) {
          const hit = await cacheStores.get(name)?.match(req);
          if (hit) return hit;
        }
        return undefined;
      },
    },
  });
}
