import { useState, type FormEvent } from 'react';
import { apiFetch } from '../app/api.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { useT } from '../i18n/i18n.tsx';
import { Button, Field, Notice } from '../ui/basics.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { ProviderButton, useProviders } from './ProviderButton.tsx';
import { useSubmit } from './use-submit.ts';

export function SignIn({ reason }: { reason?: 'expired' | 'offline' }) {
  const t = useT();
  const { completeSignIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const providers = useProviders();
  const { busy, error, run, fieldError } = useSubmit('signIn');
  const oidcError = new URLSearchParams(location.search).get('auth_error');

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
            <ProviderButton name="google" configured={providers.google.configured} href="/api/auth/google?returnTo=/" />
            <ProviderButton name="apple" configured={providers.apple.configured} href="/api/auth/apple?returnTo=/" />
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

