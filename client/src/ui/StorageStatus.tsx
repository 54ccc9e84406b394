/**
 * How much this device stores for Talemo, and whether the browser promised
 * to keep it (navigator.storage.persist(), asked for once and shown).
 */
import { useEffect, useState } from 'react';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useT } from '../i18n/i18n.tsx';
import { Button, formatBytes } from './basics.tsx';
import { Icon } from './icons.tsx';

export function StorageStatus() {
  const t = useT();
  const [estimate, setEstimate] = useState<{ usage: number; quota: number } | null>(null);
  const [persisted, setPersisted] = useState<boolean | null>(null);
  const { rows } = useLiveQuery<{ n: number; bytes: number }>(`SELECT count(*)::int AS n, coalesce(sum(bytes_total), 0)::float8 AS bytes FROM offline_files WHERE status = 'ready'`);
  const refresh = async () => {
    if (!navigator.storage) return;
    const e = await navigator.storage.estimate();
    setEstimate({ usage: e.usage ?? 0, quota: e.quota ?? 0 });
    setPersisted(await navigator.storage.persisted());
  };
  useEffect(() => {
    void refresh();
  }, [rows[0]?.bytes]);
  const ask = async () => {
    await navigator.storage?.persist();
    await refresh();
  };
  return (
    <section className="card storage-card" aria-labelledby="storage-title">
      <h2 id="storage-title">{t('storage.title')}</h2>
      {estimate && <p>{t('storage.used', { used: formatBytes(estimate.usage), quota: formatBytes(estimate.quota) })}</p>}
      {estimate && estimate.quota > 0 && (
        <div className="meter" role="progressbar" aria-label={t('storage.title')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((estimate.usage / estimate.quota) * 100)}>
          <div style={{ width: `${Math.max(1, Math.min(100, (estimate.usage / estimate.quota) * 100))}%` }} />
        </div>
      )}
      <p>{t('storage.offlineStories', { n: rows[0]?.n ?? 0, size: formatBytes(rows[0]?.bytes ?? 0) })}</p>
      <p className={`persist-state ${persisted ? 'ok' : 'warn'}`} data-persisted={persisted === null ? 'unknown' : String(persisted)}>
        <Icon name={persisted ? 'shield' : 'alert'} size={18} />
        {persisted ? t('storage.persisted') : t('storage.notPersisted')}
      </p>
      {persisted === false && (
        <Button variant="secondary" icon="shield" onClick={() => void ask()}>
          {t('storage.askPersist')}
        </Button>
      )}
    </section>
  );
}
