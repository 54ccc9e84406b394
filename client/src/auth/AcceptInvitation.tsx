import { useEffect, useState, type FormEvent } from 'react';
import { apiFetch } from '../app/api.ts';
import { navigate } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { useT } from '../i18n/i18n.tsx';
import { Button, Field, Notice, Spinner } from '../ui/basics.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { ProviderButton, useProviders } from './ProviderButton.tsx';
import { useSubmit } from './use-submit.ts';

interface Preview {
  tenant: { name: string };
  profile: { name: string };
  email: string | null;
}

export function AcceptInvitation({ token }: { token: string }) {
  const t = useT();
  const { completeSignIn } = useSession();
  const providers = useProviders();
  const [preview, setPreview] = useState<Preview | null | 'invalid'>(null);
  const [form, setForm] = useState({ displayName: '', email: '', password: '' });
  const { busy, error, run, fieldError } = useSubmit('invite');
  useEffect(() => {
    void apiFetch<Preview>(`/api/auth/invitations/preview?token=${encodeURIComponent(token)}`).then(
      (p) => {
        setPreview(p);
        if (p.email) setForm((f) => ({ ...f, email: p.email! }));
      },
      () => setPreview('invalid'),
    );
  }, [token]);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await apiFetch('/api/auth/invitations/accept', { method: 'POST', body: { token, ...form, cookie: true } });
      await completeSignIn();
      navigate('/', { replace: true });
    });
  };
  if (preview === null) return <Spinner />;
  if (preview === 'invalid')
    return (
      <AuthLayout title={t('auth.inviteTitle')}>
        <Notice tone="error">{t('auth.inviteInvalid')}</Notice>
      </AuthLayout>
    );
  return (
    <AuthLayout title={t('auth.inviteTitle')}>
      <p>{t('auth.inviteBody', { tenant: preview.tenant.name, profile: preview.profile.name })}</p>
      <form onSubmit={submit} noValidate>
        <Field id="inv-name" label={t('auth.displayName')} error={fieldError('displayName')}>
          <input id="inv-name" required value={form.displayName} onChange={set('displayName')} />
        </Field>
        <Field id="inv-email" label={t('auth.email')} error={fieldError('email')}>
          <input id="inv-email" type="email" required value={form.email} onChange={set('email')} />
        </Field>
        <Field id="inv-password" label={t('auth.password')} error={fieldError('password')}>
          <input id="inv-password" type="password" autoComplete="new-password" required value={form.password} onChange={set('password')} />
        </Field>
        {error && <Notice tone="error">{error}</Notice>}
        <Button type="submit" busy={busy} className="btn-block">
          {t('auth.accept')}
        </Button>
      </form>
      {providers && (
        <>
          <p className="divider">{t('auth.or')}</p>
          <div className="stack">
            {(['google', 'apple'] as const).map((name) => (
              <ProviderButton key={name} name={name} configured={providers[name].configured} href={`/api/auth/${name}?invitation=${encodeURIComponent(token)}&returnTo=/`} />
            ))}
          </div>
        </>
      )}
    </AuthLayout>
  );
}
