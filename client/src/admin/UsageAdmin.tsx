/**
 * The plan and the usage against it. The plan comes from GET /api/tenants
 * each time the screen opens (and when the page comes back to the
 * foreground): the subscription's status (active, trial, payment overdue,
 * cancelled), its dates and billing, and the limits in force. Usage is
 * storage, this month's stories and language-model tokens. Offline, the
 * plan last known on the device is shown as such.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, apiFetch } from '../app/api.ts';
import { useMe } from '../app/session.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages-en.ts';
import { usePolicies } from '../policies/use-policies.ts';
import { Badge, ErrorState, formatBytes, Notice, Spinner } from '../ui/basics.tsx';

type Status = 'active' | 'trialing' | 'past_due' | 'canceled' | 'expired';

interface TenantPlan {
  plan: string;
  subscription: { plan: string; status: Status; start_date: string; end_date: string | null; payment_provider: string } | null;
  limits: { story_quota: number; max_users: number; storage_quota_mb: number; max_upload_mb: number };
}
interface Quota {
  plan: string;
  story_quota: { limit: number; used: number; remaining: number };
  llm_usage: { prompt_tokens: number; completion_tokens: number; cost_usd: number };
}
interface Stats {
  assets: { count: number; bytes: number; quota_bytes: number };
  members: { total: number; kids: number; adults: number };
}

type Loaded<T> = T | 'loading' | 'offline' | Error;

const RUNNING: Status[] = ['active', 'trialing', 'past_due'];
const STATUS_TONE: Record<Status, 'success' | 'accent' | 'error' | 'neutral'> = { active: 'success', trialing: 'accent', past_due: 'error', canceled: 'neutral', expired: 'neutral' };
/** Payment providers by their own names. */
const PROVIDER_NAMES: Record<string, string> = { stripe: 'Stripe', paypal: 'PayPal', apple: 'Apple', google: 'Google' };

function failure(err: unknown): 'offline' | Error {
  return err instanceof ApiError && err.offline ? 'offline' : (err as Error);
}

/** Loads on mount and whenever the page becomes visible again. */
function useFetchOnOpen<T>(load: () => Promise<T>): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>('loading');
  const reload = useCallback(() => {
    load().then(setState, (err: unknown) => setState(failure(err)));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `load` is a fixed request
  }, []);
  useEffect(() => {
    reload();
    const onVisible = () => document.visibilityState === 'visible' && reload();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [reload]);
  return [state, reload];
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

function PlanCard() {
  const { t, locale } = useI18n();
  const me = useMe();
  const policies = usePolicies();
  const [tenant, reload] = useFetchOnOpen(() => apiFetch<TenantPlan>('/api/tenants'));
  const planName = (plan: string) => (['free', 'premium', 'institution'].includes(plan) ? t(`plan.${plan}` as MessageKey) : plan);
  const date = (iso: string) => new Date(iso).toLocaleDateString(locale, { dateStyle: 'long' });
  const mb = (n: number) => t('plan.megabytes', { n: n.toLocaleString(locale) });

  // Offline: what the device last knew (the plan from the session, the limits from the synced policies).
  const known = tenant === 'offline' ? { plan: me.plan, subscription: null, limits: policies } : typeof tenant === 'object' && !(tenant instanceof Error) ? tenant : null;
  const sub = known?.subscription ?? null;
  return (
    <section className="card plan-card" aria-labelledby="plan-title" data-plan={known?.plan}>
      <h2 id="plan-title">{t('admin.plan')}</h2>
      {tenant === 'loading' ? (
        <Spinner />
      ) : tenant instanceof Error ? (
        <ErrorState error={tenant} onRetry={reload} />
      ) : (
        <>
          <p className="plan-name">{t('admin.currentPlan', { plan: planName(known!.plan) })}</p>
          {tenant === 'offline' && (
            <Notice tone="warn" icon="cloudOff">
              {t('plan.cached')}
            </Notice>
          )}
          {sub && (
            <dl className="plan-facts" data-status={sub.status}>
              <div>
                <dt>{t('plan.status')}</dt>
                <dd>
                  <Badge tone={STATUS_TONE[sub.status] ?? 'neutral'}>{t(`plan.status.${sub.status}`)}</Badge>
                  {sub.plan !== known!.plan && <span className="muted"> {planName(sub.plan)}</span>}
                </dd>
              </div>
              <div>
                <dt>{t('plan.started')}</dt>
                <dd>
                  <time dateTime={sub.start_date}>{date(sub.start_date)}</time>
                </dd>
              </div>
              <div>
                <dt>{RUNNING.includes(sub.status) ? t('plan.ends') : t('plan.ended')}</dt>
                <dd>{sub.end_date ? <time dateTime={sub.end_date}>{date(sub.end_date)}</time> : t('plan.noEnd')}</dd>
              </div>
              <div>
                <dt>{t('plan.provider')}</dt>
                <dd>{sub.payment_provider === 'none' ? t('plan.provider.none') : (PROVIDER_NAMES[sub.payment_provider] ?? sub.payment_provider)}</dd>
              </div>
            </dl>
          )}
          {sub?.status === 'past_due' && <Notice tone="error">{t('plan.pastDueHelp')}</Notice>}
          {sub && !RUNNING.includes(sub.status) && <Notice tone="warn">{t('plan.lapsed', { plan: planName(sub.plan) })}</Notice>}
          {tenant !== 'offline' && !sub && <p className="muted">{t('plan.none')}</p>}
          <h3 className="sub-title">{t('plan.limits')}</h3>
          <ul className="plan-limits">
            <li data-limit="story_quota">
              {t('policy.story_quota')}: <strong>{known!.limits.story_quota.toLocaleString(locale)}</strong>
            </li>
            <li data-limit="max_users">
              {t('policy.max_users')}: <strong>{known!.limits.max_users.toLocaleString(locale)}</strong>
            </li>
            <li data-limit="storage_quota_mb">
              {t('policy.storage_quota_mb')}: <strong>{mb(known!.limits.storage_quota_mb)}</strong>
            </li>
            <li data-limit="max_upload_mb">
              {t('policy.max_upload_mb')}: <strong>{mb(known!.limits.max_upload_mb)}</strong>
            </li>
          </ul>
        </>
      )}
    </section>
  );
}

function UsageCard() {
  const { t, locale } = useI18n();
  const [data, reload] = useFetchOnOpen(() => Promise.all([apiFetch<Quota>('/api/agents/quota'), apiFetch<Stats>('/api/admin/stats')]).then(([quota, stats]) => ({ quota, stats })));
  return (
    <section className="card" aria-labelledby="usage-title">
      <h2 id="usage-title">{t('admin.usage')}</h2>
      {data === 'loading' ? (
        <Spinner />
      ) : data === 'offline' ? (
        <Notice tone="warn" icon="cloudOff">
          {t('common.needsConnection')}
        </Notice>
      ) : data instanceof Error ? (
        <ErrorState error={data} onRetry={reload} />
      ) : (
        <>
          <Meter
            label={t('admin.storage')}
            value={data.stats.assets.bytes}
            max={data.stats.assets.quota_bytes}
            text={`${formatBytes(data.stats.assets.bytes, locale)} / ${formatBytes(data.stats.assets.quota_bytes, locale)}`}
          />
          <Meter label={t('admin.quota')} value={data.quota.story_quota.used} max={data.quota.story_quota.limit} text={`${data.quota.story_quota.used} / ${data.quota.story_quota.limit}`} />
          <p>
            {t('admin.tokens')}: <strong>{(data.quota.llm_usage.prompt_tokens + data.quota.llm_usage.completion_tokens).toLocaleString(locale)}</strong>
            <span className="muted"> ({data.quota.llm_usage.cost_usd.toLocaleString(locale, { style: 'currency', currency: 'USD' })})</span>
          </p>
        </>
      )}
    </section>
  );
}

export function UsageAdmin() {
  return (
    <div className="two-col">
      <PlanCard />
      <UsageCard />
    </div>
  );
}
