/**
 * The kid library painted from the boot snapshot while the replica opens
 * (kid/library-snapshot.ts). Same look as the real one; a tap is remembered
 * and the story opens as soon as the app is ready.
 */
import { useEffect, useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { coverPath } from '../offline/offline-cache.ts';
import { Icon } from '../ui/icons.tsx';
import { pickDuringBoot, type LibrarySnapshot } from './library-snapshot.ts';

export function KidBootLibrary({ snapshot }: { snapshot: LibrarySnapshot }) {
  const t = useT();
  const [picked, setPicked] = useState<string | null>(null);
  useEffect(() => {
    performance.mark('talemo:library-painted');
  }, []);
  return (
    <div className="kid-shell" aria-busy="true">
      <header className="kid-header">
        <div className="kid-hello" aria-label={snapshot.displayName}>
          <span className="kid-avatar" aria-hidden="true">
            {snapshot.displayName.slice(0, 1).toUpperCase()}
          </span>
          <span className="kid-name">{snapshot.displayName}</span>
        </div>
      </header>
      <ul className="kid-grid" aria-label={t('kid.library')}>
        {snapshot.stories.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              className="kid-card"
              aria-label={s.title}
              data-story-id={s.id}
              data-offline={s.offline}
              onClick={() => {
                pickDuringBoot(s.id);
                setPicked(s.id);
              }}
            >
              <div className="cover cover-boot">
                {/* Served by the service worker from Cache Storage; a miss falls back to the painted background. */}
                {s.image_asset_id && navigator.serviceWorker?.controller && <img src={coverPath(s.image_asset_id)} alt="" onError={(e) => (e.currentTarget.style.display = 'none')} />}
              </div>
              {s.offline && (
                <span className="kid-offline-badge" aria-label={t('kid.offlineBadge')}>
                  <Icon name="check" size={22} />
                </span>
              )}
              <span className="kid-card-play" aria-hidden="true">
                {picked === s.id ? <span className="spinner spinner-small" /> : <Icon name="play" size={28} />}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
