/** The interface-language select of the settings screens (adult settings, a kid tablet's grown-ups panel). */
import { LOCALES, useI18n, type Locale } from '../i18n/i18n.tsx';

export function InterfaceLanguageField({ id }: { id: string }) {
  const { t, locale, setLocale } = useI18n();
  return (
    <div className="field">
      <label htmlFor={id}>{t('common.language')}</label>
      <select id={id} value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l.id} value={l.id}>
            {l.label}
          </option>
        ))}
      </select>
    </div>
  );
}
