/**
 * Profiles with a permission editor. Edits are written to the replica (the
 * `profiles` view → profile.update in the outbox), reach the server when
 * online, and every device of the tenant gets them through sync.
 */
import { useState } from 'react';
import { ACTIONS, AGE_RANGES, LANGUAGES, profilePermissionsSchema, type ProfilePermissions } from '../../../shapes/permissions.ts';
import { useReplica } from '../db/replica-context.tsx';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useT } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages-en.ts';
import { Badge, Button, Notice, Spinner } from '../ui/basics.tsx';

interface ProfileRow {
  id: string;
  name: string;
  description: string | null;
  permissions: ProfilePermissions;
  _pending: boolean;
}

export function ProfilesAdmin() {
  const { rows, ready } = useLiveQuery<ProfileRow>(`SELECT id, name, description, permissions, _pending FROM profiles ORDER BY created_at, name`);
  if (!ready) return <Spinner />;
  return (
    <ul className="admin-list">
      {rows.map((p) => (
        <ProfileEditor key={p.id} profile={p} />
      ))}
    </ul>
  );
}

function toggle<T>(list: T[], item: T, on: boolean): T[] {
  return on ? [...new Set([...list, item])] : list.filter((x) => x !== item);
}

function ProfileEditor({ profile }: { profile: ProfileRow }) {
  const t = useT();
  const pg = useReplica();
  const [perm, setPerm] = useState<ProfilePermissions>(profile.permissions);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const dirty = JSON.stringify(perm) !== JSON.stringify(profile.permissions);
  const save = async () => {
    const parsed = profilePermissionsSchema.safeParse(perm);
    if (!parsed.success) return setError(t('admin.permissionsInvalid', { detail: parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ') }));
    setError(null);
    await pg.query(`UPDATE profiles SET permissions = $2 WHERE id = $1`, [profile.id, JSON.stringify(parsed.data)]);
    setSaved(true);
  };
  const ages = perm.limits.ageRanges;
  const langs = perm.limits.languages;
  return (
    <li className="card profile-editor" data-profile={profile.name}>
      <div className="card-head">
        <h2>{profile.name}</h2>
        {profile._pending && <Badge tone="pending" icon="clock">{t('common.pending')}</Badge>}
      </div>
      {profile.description && <p className="muted">{profile.description}</p>}
      <fieldset>
        <legend>{t('admin.permissions')}</legend>
        <div className="check-grid">
          {ACTIONS.map((a) => (
            <label key={a} className="check">
              <input type="checkbox" checked={perm.actions.includes(a)} onChange={(e) => setPerm({ ...perm, actions: toggle(perm.actions, a, e.target.checked) })} />
              <span>{t(`perm.${a}` as MessageKey)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('admin.ageRanges')}</legend>
        <label className="check">
          <input type="checkbox" checked={ages === null} onChange={(e) => setPerm({ ...perm, limits: { ...perm.limits, ageRanges: e.target.checked ? null : [...AGE_RANGES] } })} />
          <span>{t('admin.noLimit')}</span>
        </label>
        {ages !== null && (
          <div className="check-grid">
            {AGE_RANGES.map((a) => (
              <label key={a} className="check">
                <input type="checkbox" data-age={a} checked={ages.includes(a)} onChange={(e) => setPerm({ ...perm, limits: { ...perm.limits, ageRanges: toggle(ages, a, e.target.checked) } })} />
                <span>{a}</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('admin.languages')}</legend>
        <label className="check">
          <input type="checkbox" checked={langs === null} onChange={(e) => setPerm({ ...perm, limits: { ...perm.limits, languages: e.target.checked ? null : [...LANGUAGES] } })} />
          <span>{t('admin.noLimit')}</span>
        </label>
        {langs !== null && (
          <div className="check-grid">
            {LANGUAGES.map((l) => (
              <label key={l} className="check">
                <input type="checkbox" checked={langs.includes(l)} onChange={(e) => setPerm({ ...perm, limits: { ...perm.limits, languages: toggle(langs, l, e.target.checked) } })} />
                <span>{l.toUpperCase()}</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      {error && <Notice tone="error">{error}</Notice>}
      {saved && !dirty && profile._pending && <Notice tone="info">{t('editor.saved')}</Notice>}
      <Button disabled={!dirty} onClick={() => void save()}>
        {t('common.save')}
      </Button>
    </li>
  );
}
