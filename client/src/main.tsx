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
import { I18nProvider } from './i18n/i18n.tsx';
import { KidBootLibrary } from './kid/KidBootLibrary.tsx';
import { readLibrarySnapshot } from './kid/library-snapshot.ts';
import { registerServiceWorker } from './pwa/register-service-worker.ts';
import './styles/app.css';

const root = createRoot(document.getElementById('root')!);
// A kid tablet paints its library from the last snapshot while PGlite opens.
const snapshot = readLibrarySnapshot();
root.render(<I18nProvider>{snapshot && snapshot.stories.length > 0 ? <KidBootLibrary snapshot={snapshot} /> : <Splash />}</I18nProvider>);

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
  (err: unknown) => {
    console.error(err);
    document.getElementById('root')!.innerHTML = `<p class="boot-error" role="alert">Talemo could not open its storage on this device. Check that the browser allows site data, then reload.</p>`;
  },
);
