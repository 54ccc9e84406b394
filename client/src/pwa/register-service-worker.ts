/**
 * Registers the service worker with workbox-window and tells the UI when a
 * new version is waiting, so the person chooses when to reload.
 */
import { Workbox } from 'workbox-window';

type Listener = (update: () => void) => void;
const listeners = new Set<Listener>();
let pendingUpdate: (() => void) | null = null;

export function onUpdateAvailable(listener: Listener): () => void {
  listeners.add(listener);
  if (pendingUpdate) listener(pendingUpdate);
  return () => listeners.delete(listener);
}

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const wb = new Workbox('/service-worker.js', { scope: '/' });
  wb.addEventListener('waiting', () => {
    pendingUpdate = () => {
      wb.addEventListener('controlling', () => location.reload());
      wb.messageSkipWaiting();
    };
    for (const l of listeners) l(pendingUpdate);
  });
  void wb.register();
}
