/**
 * Boot: paint at once, open the replica (PGlite in the shared worker,
 * restored from IndexedDB), then render the app from it. Nothing here waits
 * on the network.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, Splash } from './app/App.tsx';
import { SessionProvider } from './app/session.tsx';
import { ReplicaProvider } from './db/replica-context.tsx';
import { openReplica } from './db/replica.ts';
import { I18nProvider, loadMessages } from './i18n/i18n.tsx';
import { initialLocale } from './i18n/locales.ts';
import { KidBootApp, warmOfflineAudioIndex } from './kid/KidBootApp.tsx';
import { readLibrarySnapshot } from './kid/library-snapshot.ts';
import { registerServiceWorker } from './pwa/register-service-worker.ts';
import './styles/app.css';

const root = createRoot(document.getElementById('root')!);
// A kid tablet paints its library from the last snapshot while PGlite opens, and plays what is cached.
const snapshot = readLibrarySnapshot();
if (snapshot) void warmOfflineAudioIndex();
root.render(<I18nProvider>{snapshot && snapshot.stories.length > 0 ? <KidBootApp snapshot={snapshot} /> : <Splash />}</I18nProvider>);

registerServiceWorker();

openReplica().then(
  (pg) => {
    performance.mark('talemo:replica-open');
    root.render(
      <StrictMode>
        <I18nProvider>
          <ReplicaProvider pg={pg}>
            <SessionProvider pg={pg}>
              <App />
            </SessionProvider>
          </ReplicaProvider>
        </I18nProvider>
      </StrictMode>,
    );
  },
  async (err: unknown) => {
    console.error(err);
    const messages = await loadMessages(initialLocale());
    const p = Object.assign(document.createElement('p'), { className: 'boot-error', textContent: messages['boot.storageError'] });
    p.setAttribute('role', 'alert');
    document.getElementById('root')!.replaceChildren(p);
  },
);
