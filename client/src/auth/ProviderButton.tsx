/**
 * Google and Apple sign-in buttons. One the server has not configured stays
 * visible but disabled and says so, as its endpoint does, so nobody wonders
 * where it went.
 */
import { useEffect, useState } from 'react';
import { apiFetch } from '../app/api.ts';
import { useT } from '../i18n/i18n.tsx';

export type ProviderName = 'google' | 'apple';

export type Providers = Record<ProviderName, { configured: boolean }>;

/** GET /api/auth/providers; null until it answers, or when it cannot be reached. */
export function useProviders(): Providers | null {
  const [providers, setProviders] = useState<Providers | null>(null);
  useEffect(() => {
    void apiFetch<Providers>('/api/auth/providers').then(setProviders, () => setProviders(null));
  }, []);
  return providers;
}

export function ProviderButton({ name, configured, href }: { name: ProviderName; configured: boolean; href: string }) {
  const t = useT();
  const label = t(name === 'google' ? 'auth.google' : 'auth.apple');
  if (configured) {
    return (
      <a className="btn btn-secondary btn-block" href={href}>
        {label}
      </a>
    );
  }
  return (
    <button type="button" className="btn btn-secondary btn-block btn-stacked" disabled aria-describedby={`${name}-not-configured`}>
      {label}
      <span id={`${name}-not-configured`} className="btn-note">
        {t('auth.notConfigured')}
      </span>
    </button>
  );
}
