import { useState } from 'react';
import { ApiError } from '../app/api.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { fieldRefusalText, refusalText, type RefusalContext } from '../i18n/server-messages.ts';

/** Runs a form submission, keeping busy state and a message people can act on, in their language. */
export function useSubmit(context: RefusalContext = 'other') {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  // Worded at render time, so a change of language rewords a message already shown.
  const fieldErrors = error instanceof ApiError ? (error.fieldErrors ?? {}) : {};
  const fieldError = (name: string) => {
    const message = fieldErrors[name]?.[0] ?? fieldErrors[`body.${name}`]?.[0];
    return message === undefined ? null : fieldRefusalText(message, t, locale);
  };
  return { busy, error: error === null ? null : refusalText(error, t, locale, context), run, fieldError };
}
