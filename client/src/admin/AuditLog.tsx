/** The tenant's audit log (online: it is not part of the replica). */
import { useEffect, useState } from 'react';
import { ApiError, apiFetch } from '../app/api.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages-en.ts';
import { EmptyState, ErrorState, Notice, Spinner } from '../ui/basics.tsx';

interface AuditEntry {
  seq: number;
  occurred_at: string;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
}

export function AuditLog() {
  const { t, locale } = useI18n();
  const [state, setState] = useState<{ items: AuditEntry[] } | 'loading' | 'offline' | Error>('loading');
  const load = () => {
    setState('loading');
    apiFetch<{ items: AuditEntry[] }>('/api/admin/audit-logs?limit=50').then(setState, (err: unknown) => setState(err instanceof ApiError && err.offline ? 'offline' : (err as Error)));
  };
  useEffect(load, []);
  if (state === 'loading') return <Spinner />;
  if (state === 'offline') return <Notice tone="warn" icon="cloudOff">{t('common.needsConnection')}</Notice>;
  if (state instanceof Error) return <ErrorState error={state} onRetry={load} />;
  if (state.items.length === 0) return <EmptyState icon="shield" title={t('admin.auditEmpty')} />;
    const actor = (kind: string) => (['user', 'system', 'operator', 'anonymous'].includes(kind) ? t(`admin.actor.${kind}` as MessageKey) : kind);
  return (
    <ol className="card audit-list">
      {state.items.map((e) => (
        <li key={e.seq}>
          <time dateTime={e.occurred_at}>{new Date(e.occurred_at).toLocaleString(locale)}</time>
          <code>{e.action}</code>
          <span className="muted">{actor(e.actor_kind)}</span>
        </li>
      ))}
    </ol>
  );
}
