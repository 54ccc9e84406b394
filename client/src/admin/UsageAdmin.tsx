/** Usage against the plan: storage, this month's stories, language-model tokens, and the plan itself. */
import { useEffect, useState } from 'react';
import { ApiError, apiFetch } from '../app/api.ts';
import { useMe } from '../app/session.tsx';
import { useT } from '../i18n/i18n.tsx';
import { usePolicies } from '../policies/use-policies.ts';
import { ErrorState, formatBytes, Notice, Spinner } from '../ui/basics.tsx';

interface Quota {
  plan: string;
  story_quota: { limit: number; used: number; remaining: number };
  llm_usage: { prompt_tokens: number; completion_tokens: number; cost_usd: number };
}
interface Stats {
  assets: { count: number; bytes: number; quota_bytes: number };
  members: { total: number; kids: number; adults: number };
}

function Meter({ label, value, max, text }: { label: string; value: number; max: number; text: string }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div className="usage-meter">
      <div className="usage-head">
        <span>{label}</span>
        <span className="muted">{text}</span>
      </div>
      <div className="meter" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div style={{ width: `${Math.max(pct, 1)}%` }} />
      </div>
    </div>
  );
}

export function UsageAdmin() {
  const t = useT();
  const me = useMe();
  const policies = usePolicies();
  const [data, setData] = useState<{ quota: Quota; stats: Stats } | 'loading' | 'offline' | Error>('loading');
  const load = () => {
    setData('loading');
    Promise.all([apiFetch<Quota>('/api/agents/quota'), apiFetch<Stats>('/api/admin/stats')]).then(
      ([quota, stats]) => setData({ quota, stats }),
      (err: unknown) => setData(err instanceof ApiError && err.offline ? 'offline' : (err as Error)),
    );
  };
  useEffect(load, []);
  return (
    <div className="two-col">
      <section className="card plan-card">
        <h2>{t('admin.plan')}</h2>
        <p className="plan-name">{t('admin.currentPlan', { plan: me.plan })}</p>
        <ul className="plan-limits">
          <li>
            {t('policy.story_quota')}: <strong>{policies.story_quota}</strong>
          </li>
          <li>
            {t('policy.max_users')}: <strong>{policies.max_users}</strong>
          </li>
          <li>
            {t('policy.storage_quota_mb')}: <strong>{policies.storage_quota_mb}</strong>
          </li>
          <li>
            {t('policy.max_upload_mb')}: <strong>{policies.max_upload_mb}</strong>
          </li>
        </ul>
      </section>
      <section className="card">
        <h2>{t('admin.usage')}</h2>
        {data === 'loading' ? (
          <Spinner />
        ) : data === 'offline' ? (
          <Notice tone="warn" icon="cloudOff">
            {t('common.needsConnection')}
          </Notice>
        ) : data instanceof Error ? (
          <ErrorState error={data} onRetry={load} />
        ) : (
          <>
            <Meter label={t('admin.storage')} value={data.stats.assets.bytes} max={data.stats.assets.quota_bytes} text={`${formatBytes(data.stats.assets.bytes)} / ${formatBytes(data.stats.assets.quota_bytes)}`} />
            <Meter label={t('admin.quota')} value={data.quota.story_quota.used} max={data.quota.story_quota.limit} text={`${data.quota.story_quota.used} / ${data.quota.story_quota.limit}`} />
            <p>
              {t('admin.tokens')}: <strong>{(data.quota.llm_usage.prompt_tokens + data.quota.llm_usage.completion_tokens).toLocaleString()}</strong>
              <span className="muted"> (${data.quota.llm_usage.cost_usd.toFixed(2)})</span>
            </p>
          </>
        )}
      </section>
    </div>
  );
}
