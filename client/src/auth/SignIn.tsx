import { useEffect, useState, type FormEvent } from 'react';
import { apiFetch } from '../app/api.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { useT } from '../i18n/i18n.tsx';
import { Button, Field, Notice } from '../ui/basics.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { useSubmit } from './use-submit.ts';

interface Providers {
  google: { configured: boolean };
  apple: { configured: boolean };
}

export function SignIn({ reason }: { reason?: 'expired' | 'offline' }) {
  const t = useT();
  const { completeSignIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [providers, setProviders] = useState<Providers | null>(null);
  const { busy, error, run, fieldError } = useSubmit('signIn');
  const oidcError = new URLSearchParams(location.search).get('auth_error');

  useEffect(() => {
    void apiFetch<Providers>('/api/auth/providers').then(setProviders, () => setProviders(null));
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await apiFetch('/api/auth/token', { method: 'POST', body: { email, password, cookie: true } });
      await completeSignIn();
    });
  };

  return (
    <AuthLayout title={t('auth.signInTitle')}>
      {reason === 'expired' && <Notice tone="warn">{t('auth.expired')}</Notice>}
      {reason === 'offline' && <Notice tone="warn" icon="cloudOff">{t('auth.offlineFirst')}</Notice>}
      {oidcError && <Notice tone="error">{t('auth.error.oidc')}</Notice>}
      <form onSubmit={submit} noValidate>
        <Field id="email" label={t('auth.email')} error={fieldError('email')}>
          <input id="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field id="password" label={t('auth.password')} error={fieldError('password')}>
          <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        {error && <Notice tone="error">{error}</Notice>}
        <Button type="submit" busy={busy} className="btn-block">
          {busy ? t('auth.signingIn') : t('auth.signIn')}
        </Button>
      </form>
      {providers && (
        <>
          <p className="divider">{t('auth.or')}</p>
          <div className="stack">
            <ProviderButton name="google" configured={providers.google.configured} label={t('auth.google')} notConfigured={t('auth.notConfigured')} />
            <ProviderButton name="apple" configured={providers.apple.configured} label={t('auth.apple')} notConfigured={t('auth.notConfigured')} />
          </div>
        </>
      )}
      <div className="auth-links">
        <Link to="/pair">{t('auth.pairLink')}</Link>
        <Link to="/signup">{t('auth.signUpLink')}</Link>
      </div>
    </AuthLayout>
  );
}

/**
 * A provider's button. One the deployment has not configured stays visible
 * but disabled and says so, as its endpoint does, so nobody wonders where it went.
 */
function ProviderButton({ name, configured, label, notConfigured }: { name: 'google' | 'apple'; configured: boolean; label: string; notConfigured: string }) {
  if (configured) {
    return (
      <a className="btn btn-secondary btn-block" href={`/api/auth/${name}?returnTo=/`}>
        {label}
      </a>
    );
  }
  return (
    <button type="button" className="btn btn-secondary btn-block btn-stacked" disabled aria-describedby={`${name}-not-configured`}>
      {label}
      <span id={`${name}-not-configured`} className="btn-note">
        {notConfigured}
      </span>
    </button>
  );
}
