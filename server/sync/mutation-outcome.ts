/**
 * Turns what happened to one mutation into its answer (sync/mutations.ts):
 *
 * - refusals that will never change by trying again (the services'
 *   HttpError 4xx, invalid or conflicting values caught by Postgres) are
 *   `rejected`, with a message that names the change and says what the
 *   person can do next, because the device shows it as it is;
 * - passing failures (serialization, deadlock, lost connection, a service
 *   that is busy) and anything unexpected are `retry`: nothing was applied,
 *   and the device sends it again later, in order. Unexpected errors are
 *   retried rather than refused so a bug of ours never throws a family's
 *   change away; they are logged for us to fix.
 */
import type { MutationResult, MutationType } from '../../sync/mutations.ts';
import { HttpError, type FieldErrors } from '../http/http-error.ts';

/** The change, as the person who made it would name it. */
const CHANGE: Record<MutationType, string> = {
  'listening_event.insert': 'Your listening progress',
  'story.upsert_draft': 'Your story draft',
  'story.set_visibility': 'Your change to who can see this story',
  'story.delete': 'Deleting this story',
  'profile.update': 'Your change to this profile',
  'policy.set': 'Your change to this family setting',
  'agent_task.request': 'Your request to the story helpers',
};

/** SQLSTATEs of failures that pass: trying again later can succeed. */
const TRANSIENT_SQLSTATE = /^(40001|40P01|55P03|57014|57P0[1-5]|53\d\d\d|08\d\d\d|58\d\d\d)$/;
/** Node socket errors seen when the database goes away mid-write. */
const TRANSIENT_NODE = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

export type Outcome = { kind: 'rejected'; result: MutationResult } | { kind: 'retry'; result: MutationResult; unexpected: boolean };

export function accepted(writeId: string, message?: string): MutationResult {
  return message ? { write_id: writeId, status: 'accepted', message } : { write_id: writeId, status: 'accepted' };
}

export function rejected(writeId: string, message: string, errors?: FieldErrors): MutationResult {
  return errors && Object.keys(errors).length > 0 ? { write_id: writeId, status: 'rejected', message, errors } : { write_id: writeId, status: 'rejected', message };
}

export function retry(writeId: string, message = 'This change could not be saved just now. It stays on this device and will be sent again automatically.'): MutationResult {
  return { write_id: writeId, status: 'retry', message };
}

/** The answer for a mutation whose application threw `err`. */
export function outcomeOf(type: MutationType, writeId: string, err: unknown): Outcome {
  const change = CHANGE[type];
  if (err instanceof HttpError) {
    if (err.status === 503 || err.status === 429 || err.status === 500) return { kind: 'retry', result: retry(writeId), unexpected: false };
    return { kind: 'rejected', result: rejected(writeId, refusalMessage(change, err), payloadErrors(err.errors)) };
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !TRANSIENT_SQLSTATE.test(code)) {
    const reason = DATABASE_REFUSALS[code.slice(0, 2)];
    if (reason) return { kind: 'rejected', result: rejected(writeId, `${change} could not be saved: ${reason}`) };
  }
  const transient = typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_NODE.has(code));
  return { kind: 'retry', result: retry(writeId), unexpected: !transient && !isLostConnection(err) };
}

function refusalMessage(change: string, err: HttpError): string {
  switch (err.status) {
    case 403:
      return `${change} was not allowed. ${err.message}`;
    case 404:
      return `${change} could not be saved: ${lowerFirst(err.message)} It may have been deleted, or hidden from you, on another device.`;
    case 400: {
      const [field, reasons] = Object.entries(err.errors ?? {})[0] ?? [];
      const detail = field ? `${field.replace(/^(payload|path|body)\./, '')} ${reasons?.[0] ?? 'is invalid'}` : lowerFirst(err.message).replace(/\.$/, '');
      return `${change} could not be saved: ${detail}. Correct it and try again.`;
    }
    default:
      return `${change} could not be saved: ${lowerFirst(err.message)}`;
  }
}

/** Refusals Postgres makes by SQLSTATE class, for values that slipped past the schemas. */
const DATABASE_REFUSALS: Record<string, string> = {
  '22': 'one of its values cannot be stored. Correct it and try again.',
  '23': 'it conflicts with something already saved (the same id used twice, or something it refers to is gone). Make the change again.',
};

/** Field errors keyed like the mutation's payload (`payload.title`). */
function payloadErrors(errors: FieldErrors | null): FieldErrors | undefined {
  if (!errors) return undefined;
  return Object.fromEntries(Object.entries(errors).map(([field, reasons]) => [field.startsWith('payload.') ? field : `payload.${field.replace(/^(path|body)\./, '')}`, reasons]));
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function isLostConnection(err: unknown): boolean {
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|connection ended|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}
