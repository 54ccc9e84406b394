/**
 * How much this device stores for Talemo, and whether the browser promised
 * to keep it. The app asks by itself (offline/persistent-storage.ts); the
 * card shows the answer, when and why it asked, and lets a grown-up ask again.
 */
import { useEffect, useState } from 'react';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { onPersistState, persistState, refreshPersistState, requestPersistentStorage, type PersistState } from '../offline/persistent-storage.ts';
import { Button, formatBytes } from './basics.tsx';
import { Icon } from './icons.tsx';

export function StorageStatus() {
  const { t, locale } = useI18n();
  const [estimate, setEstimate] = useState<{ usage: number; quota: number } | null>(null);
  const [persist, setPersist] = useState<PersistState>(persistState);
  const { rows } = useLiveQuery<{ n: number; bytes: number }>(`SELECT count(*)::int AS n, coalesce(sum(bytes_total), 0)::float8 AS bytes FROM offline_files WHERE status = 'ready'`);
  useEffect(() => onPersistState(setPersist), []);
  useEffect(() => {
    if (!navigator.storage) return;
    void navigator.storage.estimate().then((e) => setEstimate({ usage: e.usage ?? 0, quota: e.quota ?? 0 }));
    void refreshPersistState();
  }, [rows[0]?.bytes]);
  const { persisted, requested } = persist;
  return (
    <section className="card storage-card" aria-labelledby="storage-title">
      <h2 id="storage-title">{t('storage.title')}</h2>
      {estimate && <p>{t('storage.used', { used: formatBytes(estimate.usage, locale), quota: formatBytes(estimate.quota, locale) })}</p>}
      {estimate && estimate.quota > 0 && (
        <div className="meter" role="progressbar" aria-label={t('storage.title')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((estimate.usage / estimate.quota) * 100)}>
          <div style={{ width: `${Math.max(1, Math.min(100, (estimate.usage / estimate.quota) * 100))}%` }} />
        </div>
      )}
      <p>{t('storage.offlineStories', { n: rows[0]?.n ?? 0, size: formatBytes(rows[0]?.bytes ?? 0, locale) })}</p>
      <p className={`persist-state ${persisted ? 'ok' : 'warn'}`} data-persisted={persisted === null ? 'unknown' : String(persisted)} data-persist-requested={requested ? requested.reason : 'never'}>
        <Icon name={persisted ? 'shield' : 'alert'} size={18} />
        {persisted ? t('storage.persisted') : t('storage.notPersisted')}
      </p>
      {requested && (
        <p className="muted persist-asked">
          {t(`storage.asked.${requested.reason}`, { date: new Date(requested.at).toLocaleString(locale) })} {requested.granted ? '' : t('storage.refused')}
        </p>
      )}
      {persisted === false && (
        <Button variant="secondary" icon="shield" onClick={() => void requestPersistentStorage('manual')}>
          {t('storage.askPersist')}
        </Button>
      )}
    </section>
  );
}
