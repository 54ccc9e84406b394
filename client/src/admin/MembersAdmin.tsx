/** Members: invite, add a child, assign a profile, deactivate (online, through the REST API). */
import { useState, type FormEvent } from 'react';
import { apiFetch } from '../app/api.ts';
import { useSubmit } from '../auth/use-submit.ts';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useT } from '../i18n/i18n.tsx';
import { Badge, Button, Field, Notice, Spinner } from '../ui/basics.tsx';

interface MemberRow {
  id: string;
  display_name: string;
  kind: 'adult' | 'kid';
  profile_id: string;
  is_active: boolean | null;
}

export function MembersAdmin() {
  const t = useT();
  const members = useLiveQuery<MemberRow>(`SELECT id, display_name, kind, profile_id, is_active FROM users ORDER BY kind, display_name`);
  const profiles = useLiveQuery<{ id: string; name: string }>(`SELECT id, name FROM profiles ORDER BY created_at, name`);
  const [inviteProfile, setInviteProfile] = useState('');
  const [inviteEmail, setInviteEmail] = useState('');
  const [link, setLink] = useState<string | null>(null);
  const [kidName, setKidName] = useState('');
  const invite = useSubmit();
  const addKid = useSubmit();
  const change = useSubmit();

  const sendInvite = (e: FormEvent) => {
    e.preventDefault();
    void invite.run(async () => {
      const res = await apiFetch<{ link: string }>('/api/auth/invitations', { method: 'POST', body: { profileId: inviteProfile || profiles.rows[0]?.id, email: inviteEmail || undefined } });
      setLink(res.link);
    });
  };
  const createKid = (e: FormEvent) => {
    e.preventDefault();
    void addKid.run(async () => {
      await apiFetch('/api/auth/kids', { method: 'POST', body: { displayName: kidName } });
      setKidName('');
    });
  };
  const update = (id: string, body: Record<string, unknown>) => void change.run(async () => void (await apiFetch(`/api/admin/users/${id}`, { method: 'PUT', body })));

  if (!members.ready) return <Spinner />;
  return (
    <>
      {change.error && <Notice tone="error">{change.error}</Notice>}
      <ul className="admin-list">
        {members.rows.map((m) => (
          <li key={m.id} className="card member-row">
            <span className="kid-avatar" aria-hidden="true">
              {m.display_name.slice(0, 1).toUpperCase()}
            </span>
            <div className="member-main">
              <strong>{m.display_name}</strong>
              <div className="chips">
                <Badge>{m.kind === 'kid' ? t('admin.kid') : t('admin.adult')}</Badge>
                {m.is_active === false && <Badge tone="error">{t('admin.inactive')}</Badge>}
              </div>
            </div>
            <label className="member-profile">
              <span className="sr-only">{t('admin.profile')}</span>
              <select aria-label={`${t('admin.profile')}: ${m.display_name}`} value={m.profile_id} onChange={(e) => update(m.id, { profile_id: e.target.value })}>
                {profiles.rows.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            <Button variant={m.is_active === false ? 'secondary' : 'ghost'} onClick={() => update(m.id, { is_active: m.is_active === false })}>
              {m.is_active === false ? t('admin.activate') : t('admin.deactivate')}
            </Button>
          </li>
        ))}
      </ul>
      <div className="two-col">
        <form className="card" onSubmit={sendInvite}>
          <h2>{t('admin.invite')}</h2>
          <Field id="inv-email-a" label={t('admin.inviteEmail')} error={invite.fieldError('email')}>
            <input id="inv-email-a" type="email" value={inviteEmail} onChange={(e) => setInviteEmail(e.target.value)} />
          </Field>
          <Field id="inv-profile" label={t('admin.inviteProfile')}>
            <select id="inv-profile" value={inviteProfile} onChange={(e) => setInviteProfile(e.target.value)}>
              {profiles.rows.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
          {invite.error && <Notice tone="error">{invite.error}</Notice>}
          {link && <Notice tone="success">{t('admin.inviteLink', { link })}</Notice>}
          <Button type="submit" busy={invite.busy}>
            {t('admin.invite')}
          </Button>
        </form>
        <form className="card" onSubmit={createKid}>
          <h2>{t('admin.addKid')}</h2>
          <Field id="kid-name" label={t('admin.kidName')} error={addKid.fieldError('displayName')}>
            <input id="kid-name" value={kidName} onChange={(e) => setKidName(e.target.value)} />
          </Field>
          {addKid.error && <Notice tone="error">{addKid.error}</Notice>}
          <Button type="submit" busy={addKid.busy} disabled={!kidName.trim()}>
            {t('admin.addKid')}
          </Button>
        </form>
      </div>
    </>
  );
}
