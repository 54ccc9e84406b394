/**
 * Fetches a shape from the upstream for the proxy. A live request is held
 * upstream until its shape changes or the long poll times out (20 s); if the
 * viewer's access changes meanwhile (access-change-feed.ts), waiting that
 * long would leave the device showing what it may no longer see. So while a
 * live request is held, each access change of the viewer's tenant
 * recomputes their definition, and if it differs the held request is
 * dropped and asked again with the new definition: the upstream answers at
 * once with 409 must-refetch (the device's handle belongs to the old
 * shape), exactly what the device's next request would have got.
 */
import type { ShapeDefinition } from '../../shapes/shape-definitions.ts';
import { HttpError } from '../http/http-error.ts';
import type { AccessChangeFeed } from './access-change-feed.ts';

export interface AccessWatch {
  feed: AccessChangeFeed;
  tenantId: string;
  /**
   * The viewer's definition after access change number `change`: null when
   * they no longer have this shape, undefined when it cannot be told.
   */
  currentDefinition(change: number): Promise<ShapeDefinition | null | undefined>;
}

export interface ShapeFetch {
  definition: ShapeDefinition;
  /** The upstream URL for a definition, with the client's protocol parameters. */
  urlFor(definition: ShapeDefinition): URL;
  method: 'GET' | 'HEAD';
  /** The device's request: aborted when it goes away. */
  signal: AbortSignal;
  /** Set for live requests when access changes can be followed. */
  watch?: AccessWatch;
}

export async function fetchShape(f: ShapeFetch): Promise<Response> {
  if (!f.watch) return fetch(f.urlFor(f.definition), { method: f.method, signal: f.signal });
  const watch = f.watch;
  const held = new AbortController();
  const passAbort = () => held.abort(f.signal.reason);
  f.signal.addEventListener('abort', passAbort, { once: true });
  let changed: ShapeDefinition | null | undefined;
  const unsubscribe = watch.feed.subscribe(watch.tenantId, (change) => {
    void watch
      .currentDefinition(change)
      .catch(() => undefined)
      .then((now) => {
        if (now === undefined || held.signal.aborted || JSON.stringify(now) === JSON.stringify(f.definition)) return;
        changed = now;
        held.abort();
      });
  });
  try {
    return await fetch(f.urlFor(f.definition), { method: f.method, signal: held.signal });
  } catch (err) {
    if (changed === undefined || f.signal.aborted) throw err;
  } finally {
    unsubscribe();
    f.signal.removeEventListener('abort', passAbort);
  }
  if (changed === null) throw HttpError.forbidden('Your profile no longer syncs this. Ask a family admin if you think it should.');
  return fetch(f.urlFor(changed), { method: f.method, signal: f.signal });
}
