/**
 * English and French. The language follows the browser until the person
 * picks one; the choice is kept on the device. French strings load on
 * demand, so an English session never downloads them.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { en, type MessageKey, type Messages } from './messages-en.ts';

export type Locale = 'en' | 'fr';
export const LOCALES: Array<{ id: Locale; label: string }> = [
  { id: 'en', label: 'English' },
  { id: 'fr', label: 'Français' },
];

const STORAGE_KEY = 'talemo.locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'fr') return saved;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  locale: Locale;
  setLocale(l: Locale): void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

function format(template: string, vars?: Record<string, string | number>): string {
  return vars ? template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : template;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [messages, setMessages] = useState<Messages>(en);
  useEffect(() => {
    document.documentElement.lang = locale;
    if (locale === 'en') setMessages(en);
    else void import('./messages-fr.ts').then((m) => setMessages(m.fr));
  }, [locale]);
  const setLocale = useCallback((l: Locale) => {
    localStorage.setItem(STORAGE_KEY, l);
    setLocaleState(l);
  }, []);
  const t = useCallback<Translate>((key, vars) => format(messages[key] ?? en[key], vars), [messages]);
  return <I18nContext.Provider value={{ locale, setLocale, t }}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

export function useT(): Translate {
  return useI18n().t;
}
