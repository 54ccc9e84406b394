/** Behind the picture code: downloads, storage, language, the code itself, sign-out. */
import { useSession } from '../app/session.tsx';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useT } from '../i18n/i18n.tsx';
import { InterfaceLanguageField } from '../ui/InterfaceLanguageField.tsx';
import { Button } from '../ui/basics.tsx';
import { Cover } from '../ui/Cover.tsx';
import { OfflineToggle } from '../ui/OfflineToggle.tsx';
import { StorageStatus } from '../ui/StorageStatus.tsx';

export function GrownUpsPanel({ onBack, onChangePin }: { onBack: () => void; onChangePin: () => void }) {
  const t = useT();
  const { signOut } = useSession();
  const stories = useLiveQuery<{ id: string; title: string; image_asset_id: string | null; audio_asset_id: string | null }>(
    `SELECT id, title, image_asset_id, audio_asset_id FROM stories WHERE audio_asset_id IS NOT NULL ORDER BY created_at DESC`,
  );
  return (
    <div className="page grownups">
      <header className="page-header">
        <h1>{t('grownups.title')}</h1>
        <Button icon="play" onClick={onBack}>
          {t('grownups.backToKid')}
        </Button>
      </header>
      <StorageStatus />
      <section className="card" aria-labelledby="downloads-title">
        <h2 id="downloads-title">{t('grownups.downloads')}</h2>
        <ul className="download-list">
          {stories.rows.map((s) => (
            <li key={s.id} className="download-row">
              <Cover title={s.title} assetId={s.image_asset_id} className="cover-thumb" />
              <span className="download-title">{s.title}</span>
              <OfflineToggle story={s} />
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <InterfaceLanguageField id="kid-locale" />
        <div className="button-row">
          <Button variant="secondary" icon="lock" onClick={onChangePin}>
            {t('grownups.changePin')}
          </Button>
          <Button variant="danger" onClick={() => void signOut()}>
            {t('common.signOut')}
          </Button>
        </div>
        <p className="muted">{t('grownups.signOutHelp')}</p>
      </section>
    </div>
  );
}
