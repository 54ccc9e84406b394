/**
 * Typed editors for the tenant policies kid devices enforce, validated with
 * the same registry the server uses before anything is written. A change is
 * a write to the replica (policy.set in the outbox) and reaches every device
 * through sync.
 */
import { useState, type ReactNode } from 'react';
import { AGE_RANGES } from '../../../shapes/permissions.ts';
import { validatePolicy, type Policies, type PolicyKey } from '../../../shapes/policies.ts';
import { useReplica } from '../db/replica-context.tsx';
import { useI18n, useT } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages-en.ts';
import { usePolicies, usePolicyRows } from '../policies/use-policies.ts';
import { Badge, Button, Notice } from '../ui/basics.tsx';

export function PoliciesAdmin() {
  const policies = usePolicies();
  const rows = usePolicyRows();
  const pending = new Set(rows.rows.filter((r) => r._pending).map((r) => r.key));
  return (
    <div className="policy-grid">
      <BedtimeEditor value={policies.bedtime} pending={pending.has('bedtime')} />
      <NumberEditor policy="daily_listening_minutes" value={policies.daily_listening_minutes} nullable pending={pending.has('daily_listening_minutes')} helpKey="policy.daily.help" />
      <NumberEditor policy="max_volume" value={policies.max_volume} pending={pending.has('max_volume')} range />
      <AutoDownloadEditor value={policies.offline_auto_download} pending={pending.has('offline_auto_download')} />
      <AgeRangesEditor value={policies.allowed_age_ranges} pending={pending.has('allowed_age_ranges')} />
      <NumberEditor policy="story_quota" value={policies.story_quota} pending={pending.has('story_quota')} />
      <NumberEditor policy="storage_quota_mb" value={policies.storage_quota_mb} pending={pending.has('storage_quota_mb')} />
    </div>
  );
}

function usePolicyWriter<K extends PolicyKey>(key: K) {
  const pg = useReplica();
  const { t } = useI18n();
  const [errors, setErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const save = async (value: Policies[K]) => {
    const check = validatePolicy(key, value);
    // The registry's own words name the field and the bound; French says which rule, from the catalogue.
    if (!check.ok) return setErrors(Object.entries(check.errors).flatMap(([f, m]) => m.map((x) => t('policy.invalid', { policy: t(`policy.${key}` as MessageKey), detail: `${f.replace(/^value\.?/, '') || key} ${x}` }))));
    setErrors([]);
    await pg.query(`INSERT INTO tenant_policies (key, value) VALUES ($1, $2::jsonb)`, [key, JSON.stringify(check.value)]);
    setSaved(true);
  };
  return { save, errors, saved };
}

function PolicyCard({ policy, pending, children, help, errors, onSave }: { policy: PolicyKey; pending: boolean; children: ReactNode; help?: string; errors: string[]; onSave: () => void }) {
  const t = useT();
  return (
    <section className="card policy-card" data-policy={policy} aria-labelledby={`pol-${policy}`}>
      <div className="card-head">
        <h2 id={`pol-${policy}`}>{t(`policy.${policy}` as MessageKey)}</h2>
        {pending && <Badge tone="pending" icon="clock">{t('common.pending')}</Badge>}
      </div>
      {help && <p className="muted">{help}</p>}
      {children}
      {errors.map((e) => (
        <Notice key={e} tone="error">
          {e}
        </Notice>
      ))}
      <Button onClick={onSave}>{t('common.save')}</Button>
    </section>
  );
}

function BedtimeEditor({ value, pending }: { value: Policies['bedtime']; pending: boolean }) {
  const t = useT();
  const [v, setV] = useState(value);
  const w = usePolicyWriter('bedtime');
  return (
    <PolicyCard policy="bedtime" pending={pending} help={t('policy.bedtime.help')} errors={w.errors} onSave={() => void w.save(v)}>
      <label className="check">
        <input type="checkbox" checked={v.enabled} onChange={(e) => setV({ ...v, enabled: e.target.checked })} />
        <span>{t('policy.enabled')}</span>
      </label>
      <div className="field-row">
        <div className="field">
          <label htmlFor="bed-start">{t('policy.start')}</label>
          <input id="bed-start" type="time" value={v.start} onChange={(e) => setV({ ...v, start: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="bed-end">{t('policy.end')}</label>
          <input id="bed-end" type="time" value={v.end} onChange={(e) => setV({ ...v, end: e.target.value })} />
        </div>
      </div>
    </PolicyCard>
  );
}

function NumberEditor({ policy, value, nullable, pending, range, helpKey }: { policy: 'daily_listening_minutes' | 'max_volume' | 'story_quota' | 'storage_quota_mb'; value: number | null; nullable?: boolean; pending: boolean; range?: boolean; helpKey?: MessageKey }) {
  const t = useT();
  const [text, setText] = useState(value === null ? '' : String(value));
  const w = usePolicyWriter(policy);
  const id = `num-${policy}`;
  return (
    <PolicyCard policy={policy} pending={pending} help={helpKey ? t(helpKey) : undefined} errors={w.errors} onSave={() => void w.save((text === '' && nullable ? null : Number(text)) as never)}>
      <div className="field">
        <label htmlFor={id} className="sr-only">
          {t(`policy.${policy}` as MessageKey)}
        </label>
        {range ? (
          <div className="range-row">
            <input id={id} type="range" min={0} max={100} value={text} onChange={(e) => setText(e.target.value)} />
            <output htmlFor={id}>{text}%</output>
          </div>
        ) : (
          <input id={id} type="number" inputMode="numeric" min={0} value={text} onChange={(e) => setText(e.target.value)} />
        )}
      </div>
    </PolicyCard>
  );
}

function AutoDownloadEditor({ value, pending }: { value: Policies['offline_auto_download']; pending: boolean }) {
  const t = useT();
  const [v, setV] = useState(value);
  const w = usePolicyWriter('offline_auto_download');
  return (
    <PolicyCard policy="offline_auto_download" pending={pending} help={t('policy.auto.help')} errors={w.errors} onSave={() => void w.save(v)}>
      <label className="check">
        <input type="checkbox" checked={v.enabled} onChange={(e) => setV({ ...v, enabled: e.target.checked })} />
        <span>{t('policy.enabled')}</span>
      </label>
      <div className="field-row">
        <div className="field">
          <label htmlFor="auto-n">{t('policy.maxStories')}</label>
          <input id="auto-n" type="number" min={0} value={v.max_stories} onChange={(e) => setV({ ...v, max_stories: Number(e.target.value) })} />
        </div>
        <div className="field">
          <label htmlFor="auto-mb">{t('policy.maxMegabytes')}</label>
          <input id="auto-mb" type="number" min={0} value={v.max_megabytes} onChange={(e) => setV({ ...v, max_megabytes: Number(e.target.value) })} />
        </div>
      </div>
    </PolicyCard>
  );
}

function AgeRangesEditor({ value, pending }: { value: Policies['allowed_age_ranges']; pending: boolean }) {
  const [v, setV] = useState(value);
  const w = usePolicyWriter('allowed_age_ranges');
  return (
    <PolicyCard policy="allowed_age_ranges" pending={pending} errors={w.errors} onSave={() => void w.save(v)}>
      <div className="check-grid">
        {AGE_RANGES.map((a) => (
          <label key={a} className="check">
            <input type="checkbox" data-age={a} checked={v.includes(a)} onChange={(e) => setV(e.target.checked ? AGE_RANGES.filter((x) => x === a || v.includes(x)) : v.filter((x) => x !== a))} />
            <span>{a}</span>
          </label>
        ))}
      </div>
    </PolicyCard>
  );
}
