import { useState, type FormEvent } from 'react';
import { apiFetch } from '../app/api.ts';
import { Link, navigate } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { useT } from '../i18n/i18n.tsx';
import { Button, Field, Notice } from '../ui/basics.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { useSubmit } from './use-submit.ts';

/** A child's tablet signs in with the one-time code a parent's phone shows. */
export function PairDevice() {
  const t = useT();
  const { completeSignIn } = useSession();
  const [code, setCode] = useState('');
  const { busy, error, run, fieldError } = useSubmit('pair');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await apiFetch('/api/auth/pairing/redeem', { method: 'POST', body: { code: code.trim().toUpperCase(), deviceName: 'Tablet', cookie: true } });
      await completeSignIn();
      navigate('/', { replace: true });
    });
  };
  return (
    <AuthLayout title={t('auth.pairTitle')}>
      <p className="muted">{t('auth.pairHelp')}</p>
      <form onSubmit={submit} noValidate>
        <Field id="pair-code" label={t('auth.pairCode')} error={fieldError('code')}>
          <input id="pair-code" className="code-input" inputMode="text" autoCapitalize="characters" autoComplete="one-time-code" placeholder={t('auth.pairCodeExample')} value={code} onChange={(e) => setCode(e.target.value)} />
        </Field>
        {error && <Notice tone="error">{error}</Notice>}
        <Button type="submit" busy={busy} className="btn-block">
          {t('auth.pair')}
        </Button>
      </form>
      <div className="auth-links">
        <Link to="/">{t('common.back')}</Link>
      </div>
    </AuthLayout>
  );
}
