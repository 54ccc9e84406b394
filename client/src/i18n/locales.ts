/**
 * The languages of the interface. Each is named in itself ("Français" in
 * an English interface too), so a person can find their own language
 * whatever the screen shows: these names are deliberately not in the
 * message catalogue.
 */
export type Locale = 'en' | 'fr';

export const LOCALES: Array<{ id: Locale; label: string }> = [
  { id: 'en', label: 'English' },
  { id: 'fr', label: 'Français' },
];

const STORAGE_KEY = 'talemo.locale';

/** The person's choice on this device, else the browser's language. */
export function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'fr') return saved;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function saveLocale(locale: Locale): void {
  localStorage.setItem(STORAGE_KEY, locale);
}
