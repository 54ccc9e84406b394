/**
 * Asks the browser to keep Talemo's storage (navigator.storage.persist()),
 * so downloads and the replica are not cleared when space runs low. The app
 * asks by itself at the moments the device starts to depend on its storage:
 * the first offline download of a page session (manual or automatic) and
 * right after a kid device is paired. The person can also ask from the
 * storage card. The last answer is kept (localStorage) and shown.
 */

export type PersistReason = 'download' | 'paired' | 'manual';

export interface PersistState {
  /** Whether the browser has promised to keep the storage (navigator.storage.persisted()). */
  persisted: boolean | null;
  /** The last time the app asked, and why; null if it never has on this device. */
  requested: { at: string; reason: PersistReason; granted: boolean } | null;
}

const KEY = 'talemo.storage-persist';
const listeners = new Set<(s: PersistState) => void>();
const askedThisSession = new Set<PersistReason>();
let state: PersistState = { persisted: null, requested: readRecord() };

function readRecord(): PersistState['requested'] {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? 'null') as PersistState['requested'];
  } catch {
    return null;
  }
}

function publish(next: PersistState): PersistState {
  state = next;
  for (const l of listeners) l(state);
  return state;
}

export function persistState(): PersistState {
  return state;
}

export function onPersistState(listener: (s: PersistState) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Reads navigator.storage.persisted() again (the browser may grant or revoke by itself). */
export async function refreshPersistState(): Promise<PersistState> {
  if (!navigator.storage?.persisted) return state;
  return publish({ ...state, persisted: await navigator.storage.persisted() });
}

/**
 * Asks for persistent storage unless the browser already granted it. An
 * automatic reason asks once per page session (a refusal is not asked again
 * on every download); `manual` always asks.
 */
export async function requestPersistentStorage(reason: PersistReason): Promise<PersistState> {
  if (!navigator.storage?.persist) return state;
  if (reason !== 'manual') {
    if (askedThisSession.has(reason)) return state;
    askedThisSession.add(reason);
  }
  if (await navigator.storage.persisted()) return publish({ ...state, persisted: true });
  const granted = await navigator.storage.persist();
  const requested = { at: new Date().toISOString(), reason, granted };
  try {
    localStorage.setItem(KEY, JSON.stringify(requested));
  } catch {
    // Storage full or disabled: the answer is still shown for this session.
  }
  return publish({ persisted: await navigator.storage.persisted(), requested });
}

/** Sign-out: the next person's device asks again. */
export function forgetPersistRequest(): void {
  localStorage.removeItem(KEY);
  askedThisSession.clear();
  state = { persisted: state.persisted, requested: null };
}
