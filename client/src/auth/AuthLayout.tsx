import type { ReactNode } from 'react';
import { LOCALES, useI18n } from '../i18n/i18n.tsx';

/** The warm frame around every sign-in screen. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t, locale, setLocale } = useI18n();
  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="brand">
          <img src="/icons/icon-192.png" alt="" width="56" height="56" />
          <div>
            <p className="brand-name">{t('app.name')}</p>
            <p className="brand-tagline">{t('app.tagline')}</p>
          </div>
        </div>
        <h1>{title}</h1>
        {children}
        <div className="auth-locale">
          {LOCALES.map((l) => (
            <button key={l.id} type="button" className={`link-btn${l.id === locale ? ' active' : ''}`} aria-pressed={l.id === locale} onClick={() => setLocale(l.id)}>
              {l.label}
            </button>
          ))}
        </div>
      </div>
    </main>
  );
}
