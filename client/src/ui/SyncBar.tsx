/**
 * The replica's health in one line: offline, changes waiting to sync, and
 * writes the server refused (with its reason, until dismissed).
 */
import { useReplica } from '../db/replica-context.tsx';
import type { OutboxRow } from '../db/rows.ts';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { rejectionText } from '../i18n/server-messages.ts';
import { useOnline } from '../offline/use-online.ts';
import { Icon } from './icons.tsx';

export function SyncBar() {
  const { t, locale } = useI18n();
  const pg = useReplica();
  const online = useOnline();
  const pending = useLiveQuery<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`);
  const rejected = useLiveQuery<OutboxRow>(`SELECT * FROM outbox WHERE status = 'rejected' AND NOT dismissed ORDER BY seq DESC LIMIT 3`);
  const n = pending.rows[0]?.n ?? 0;
  return (
    <div className="sync-bar-wrap" aria-live="polite">
      {(!online || n > 0) && (
        <div className={`sync-bar ${online ? 'sync-pending' : 'sync-offline'}`} data-pending={n}>
          <Icon name={online ? 'clock' : 'cloudOff'} size={18} />
          <span>{!online ? t('sync.offline') : t('sync.pendingCount', { n })}</span>
          {!online && n > 0 && <span className="sync-count">{t('sync.pendingCount', { n })}</span>}
        </div>
      )}
      {rejected.rows.map((r) => (
        <div key={r.seq} className="sync-bar sync-rejected" role="alert" data-rejected={r.mutation_type}>
          <Icon name="alert" size={18} />
          <span>
            <strong>{t('sync.rejected')}:</strong> {rejectionText(r.mutation_type, r.message, t, locale)}
          </span>
          <button type="button" className="link-btn" onClick={() => void pg.query(`UPDATE outbox SET dismissed = true WHERE seq = $1`, [r.seq])}>
            {t('common.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
