/** Account, language, storage, and turning this device into a kid tablet. */
import { useState } from 'react';
import { can } from '../../../shapes/permissions.ts';
import { apiFetch } from '../app/api.ts';
import { useMe, useSession } from '../app/session.tsx';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { refusalText } from '../i18n/server-messages.ts';
import { InterfaceLanguageField } from '../ui/InterfaceLanguageField.tsx';
import { Button, Notice } from '../ui/basics.tsx';
import { StorageStatus } from '../ui/StorageStatus.tsx';

export function Settings() {
  const { t, locale } = useI18n();
  const me = useMe();
  const { signOut, completeSignIn } = useSession();
  const kids = useLiveQuery<{ id: string; display_name: string }>(`SELECT id, display_name FROM users WHERE kind = 'kid' AND coalesce(is_active, true) ORDER BY display_name`);
  const [kidId, setKidId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const becomeKidTablet = async () => {
    setError(null);
    try {
      await apiFetch('/api/auth/pairing', { method: 'POST', body: { kidId, deviceName: 'Tablet', cookie: true } });
      await completeSignIn();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('settings.title')}</h1>
      </header>
      <section className="card">
        <p>{t('settings.account', { name: me.user.displayName })}</p>
        <p className="muted">
          {me.tenant.name} · {me.profile.name}
        </p>
        <InterfaceLanguageField id="set-locale" />
        <Button variant="danger" onClick={() => void signOut()}>
          {t('common.signOut')}
        </Button>
      </section>
      <StorageStatus />
      {can(me.permissions, 'users.manage') && kids.rows.length > 0 && (
        <section className="card" aria-labelledby="kidmode-title">
          <h2 id="kidmode-title">{t('settings.kidMode')}</h2>
          <p className="muted">{t('settings.kidModeHelp')}</p>
          <div className="field-row">
            <select aria-label={t('admin.kidName')} value={kidId} onChange={(e) => setKidId(e.target.value)}>
              <option value="">—</option>
              {kids.rows.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.display_name}
                </option>
              ))}
            </select>
            <Button disabled={!kidId} onClick={() => void becomeKidTablet()}>
              {t('settings.kidMode')}
            </Button>
          </div>
          {error !== null && <Notice tone="error">{refusalText(error, t, locale)}</Notice>}
        </section>
      )}
    </div>
  );
}
