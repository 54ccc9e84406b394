/**
 * English and French. The language follows the browser until the person
 * picks one; the choice is kept on the device. French strings load on
 * demand, so an English session never downloads them.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { initialLocale, saveLocale, type Locale } from './locales.ts';
import { en, type MessageKey, type Messages } from './messages-en.ts';

export { LOCALES, type Locale } from './locales.ts';

/** The catalogue of a locale (French loads on demand). */
export async function loadMessages(locale: Locale): Promise<Messages> {
  return locale === 'en' ? en : (await import('./messages-fr.ts')).fr;
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
    void loadMessages(locale).then(setMessages);
  }, [locale]);
  const setLocale = useCallback((l: Locale) => {
    saveLocale(l);
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
