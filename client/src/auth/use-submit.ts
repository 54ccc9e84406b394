import { useState } from 'react';
import { ApiError } from '../app/api.ts';
import { useT } from '../i18n/i18n.tsx';

/** Runs a form submission, keeping busy state and a message people can act on. */
export function useSubmit() {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      await task();
    } catch (err) {
      if (err instanceof ApiError) {
        setError(err.offline ? t('common.needsConnection') : err.message);
        setFieldErrors(err.fieldErrors ?? {});
      } else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (name: string) => fieldErrors[name]?.[0] ?? fieldErrors[`body.${name}`]?.[0] ?? null;
  return { busy, error, run, fieldError };
}
