/**
 * Refusals from the server in the person's language. The server writes its
 * messages in English (they are specific and actionable, and English
 * screens show them as they come). For other languages the common, known
 * refusals are recognised by status and by field, with the form of the
 * field message ("must be at least 10 characters"), and shown from the
 * catalogue; anything else is shown as it came.
 */
import { ApiError } from '../app/api.ts';
import type { Locale, Translate } from './i18n.tsx';
import { en, type MessageKey } from './messages-en.ts';

/** What the person was doing, where one status means different things. */
export type RefusalContext = 'signIn' | 'pair' | 'invite' | 'other';

function knownRefusal(err: ApiError, context: RefusalContext): MessageKey | null {
  if (err.status === 401) return context === 'signIn' ? 'error.signIn' : 'error.signedOut';
  if (err.status === 403) return 'error.forbidden';
  if (err.status === 404) return context === 'pair' ? 'error.pairCode' : context === 'invite' ? 'auth.inviteInvalid' : 'error.notFound';
  if (err.status === 409 && err.fieldErrors && Object.keys(err.fieldErrors).some((f) => /(^|\.)email$/.test(f))) return 'error.emailTaken';
  if (err.status === 413) return 'error.tooLarge';
  if (err.status === 429) return 'error.tooMany';
  if (err.status === 400 && err.fieldErrors) return 'error.checkFields';
  if (err.status >= 500) return 'error.server';
  return null;
}

/** The sentence to show for a failed call. */
export function refusalText(err: unknown, t: Translate, locale: Locale, context: RefusalContext = 'other'): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  if (err.offline) return t('common.needsConnection');
  if (locale === 'en') return err.message;
  const key = knownRefusal(err, context);
  return key ? t(key) : err.message;
}

/** Field messages the server's schemas write (server/auth/routes/auth-schemas.ts and the REST schemas). */
const FIELD_FORMS: Array<[RegExp, MessageKey]> = [
  [/^must not be empty$/, 'field.required'],
  [/^must be at least (?<n>\d+) characters?$/, 'field.minLength'],
  [/^must be at most (?<n>\d+) characters?$/, 'field.maxLength'],
  [/^must be an email address/, 'field.email'],
  [/^is already registered$/, 'field.emailTaken'],
  [/^must be the address this invitation was sent to$/, 'field.inviteEmail'],
  [/^may (only )?(contain|use) /, 'field.characters'],
];

/** One field's refusal, in the person's language when its form is known. */
export function fieldRefusalText(message: string, t: Translate, locale: Locale): string {
  if (locale === 'en') return message;
  for (const [form, key] of FIELD_FORMS) {
    const m = form.exec(message);
    if (m) return t(key, m.groups ? { ...m.groups } : undefined);
  }
  return message;
}

/**
 * A change the server refused (an outbox entry): outside English, what was
 * refused comes from the catalogue by mutation type, followed by the
 * server's reason as it came.
 */
export function rejectionText(mutationType: string, message: string | null, t: Translate, locale: Locale): string {
  if (locale === 'en') return message ?? '';
  const key = `sync.rejectedWhat.${mutationType}`;
  const what = key in en ? t(key as MessageKey) : null;
  const reason = message ? t('sync.rejectedReason', { reason: message }) : '';
  return [what, reason].filter(Boolean).join(' ');
}
