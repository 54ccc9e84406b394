import { useState, type FormEvent } from 'react';
import { apiFetch } from '../app/api.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { useT } from '../i18n/i18n.tsx';
import { Button, Field, Notice } from '../ui/basics.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { useSubmit } from './use-submit.ts';

export function SignUp() {
  const t = useT();
  const { completeSignIn } = useSession();
  const [form, setForm] = useState({ displayName: '', familyName: '', email: '', password: '' });
  const { busy, error, run, fieldError } = useSubmit();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await apiFetch('/api/auth/signup', { method: 'POST', body: { ...form, familyName: form.familyName || undefined, cookie: true } });
      await completeSignIn();
    });
  };
  return (
    <AuthLayout title={t('auth.signUpTitle')}>
      <form onSubmit={submit} noValidate>
        <Field id="su-name" label={t('auth.displayName')} error={fieldError('displayName')}>
          <input id="su-name" autoComplete="name" required value={form.displayName} onChange={set('displayName')} />
        </Field>
        <Field id="su-family" label={t('auth.familyName')} error={fieldError('familyName')}>
          <input id="su-family" value={form.familyName} onChange={set('familyName')} />
        </Field>
        <Field id="su-email" label={t('auth.email')} error={fieldError('email')}>
          <input id="su-email" type="email" autoComplete="email" required value={form.email} onChange={set('email')} />
        </Field>
        <Field id="su-password" label={t('auth.password')} error={fieldError('password')}>
          <input id="su-password" type="password" autoComplete="new-password" required value={form.password} onChange={set('password')} />
        </Field>
        {error && <Notice tone="error">{error}</Notice>}
        <Button type="submit" busy={busy} className="btn-block">
          {t('auth.signUp')}
        </Button>
      </form>
      <div className="auth-links">
        <Link to="/">{t('auth.haveAccount')}</Link>
      </div>
    </AuthLayout>
  );
}
