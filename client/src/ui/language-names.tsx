/** Story languages by name, in the interface's language ("Anglais" on a French screen). */
import { LANGUAGES } from '../../../shapes/permissions.ts';
import type { Translate } from '../i18n/i18n.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages-en.ts';

/** A language code's name; an unknown code is shown as it is (upper case). */
export function languageName(code: string, t: Translate): string {
  return (LANGUAGES as readonly string[]).includes(code) ? t(`language.${code}` as MessageKey) : code.toUpperCase();
}

/** The <option>s of a story-language select. */
export function LanguageOptions({ codes = LANGUAGES }: { codes?: readonly string[] }) {
  const t = useT();
  return (
    <>
      {codes.map((code) => (
        <option key={code} value={code}>
          {languageName(code, t)}
        </option>
      ))}
    </>
  );
}
