/** Small building blocks shared by every screen. */
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { useI18n, useT } from '../i18n/i18n.tsx';
import { refusalText } from '../i18n/server-messages.ts';
import { Icon, type IconName } from './icons.tsx';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger';

export function Button({ variant = 'primary', icon, busy, children, className, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; icon?: IconName; busy?: boolean }) {
  return (
    <button type="button" className={`btn btn-${variant}${className ? ` ${className}` : ''}`} aria-busy={busy || undefined} disabled={busy || rest.disabled} {...rest}>
      {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : icon ? <Icon name={icon} size={20} /> : null}
      {children !== undefined && <span>{children}</span>}
    </button>
  );
}

export function IconButton({ icon, label, size = 24, className, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { icon: IconName; label: string; size?: number }) {
  return (
    <button type="button" className={`icon-btn${className ? ` ${className}` : ''}`} aria-label={label} title={label} {...rest}>
      <Icon name={icon} size={size} />
    </button>
  );
}

export function Spinner({ label }: { label?: string }) {
  const t = useT();
  return (
    <div className="center-state" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="muted">{label ?? t('common.loading')}</span>
    </div>
  );
}

export function EmptyState({ icon = 'book', title, children }: { icon?: IconName; title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <div className="empty-art" aria-hidden="true">
        <Icon name={icon} size={40} />
      </div>
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** A failure in the viewer's language: a server refusal is translated (refusalText), anything else shown as it is. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, locale } = useI18n();
  return (
    <div className="notice notice-error" role="alert">
      <Icon name="alert" size={20} />
      <span>{t('empty.error', { message: refusalText(error, t, locale) })}</span>
      {onRetry && (
        <Button variant="secondary" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </div>
  );
}

export function Notice({ tone = 'info', icon, children, action }: { tone?: 'info' | 'warn' | 'error' | 'success'; icon?: IconName; children: ReactNode; action?: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {icon && <Icon name={icon} size={20} />}
      <span className="notice-text">{children}</span>
      {action}
    </div>
  );
}

export function Badge({ tone = 'neutral', icon, children }: { tone?: 'neutral' | 'pending' | 'error' | 'success' | 'accent'; icon?: IconName; children: ReactNode }) {
  return (
    <span className={`badge badge-${tone}`}>
      {icon && <Icon name={icon} size={14} />}
      {children}
    </span>
  );
}

export function Field({ label, hint, error, children, id }: { label: string; hint?: string; error?: string | null; children: ReactNode; id: string }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function formatBytes(n: number, locale = 'en'): string {
  // French writes octets: o, Ko, Mo, Go.
  const units = locale.startsWith('fr') ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  const num = (v: number, digits: number) => v.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (n < 1024) return `${num(n, 0)} ${units[0]}`;
  if (n < 1024 * 1024) return `${num(n / 1024, 0)} ${units[1]}`;
  if (n < 1024 * 1024 * 1024) return `${num(n / 1024 / 1024, 1)} ${units[2]}`;
  return `${num(n / 1024 / 1024 / 1024, 1)} ${units[3]}`;
}
