/**
 * What the main thread and the speech thread say to each other, and how a
 * typed ProviderError crosses between them: structured clone keeps only an
 * Error's message, so the class (which decides retry or not) travels by name
 * and is rebuilt on the other side.
 */
import {
  ProviderAuthError,
  ProviderEngineError,
  ProviderError,
  ProviderInputError,
  ProviderOutputError,
  ProviderQuotaExceededError,
  ProviderRateLimitError,
  ProviderRequestError,
  ProviderResponseError,
  ProviderUnavailableError,
} from '../providers/provider-errors.ts';
import type { SpeechRequest, SpeechResult } from '../providers/speech/speech-provider.ts';

export type ThreadRequest = { id: number; request: SpeechRequest };

export type ThreadReply = { id: number; ok: true; result: SpeechResult } | { id: number; ok: false; error: WireError };

/** Sent once the thread has compiled espeak-ng and can take work. */
export type ThreadReady = { ready: true };

export interface WireError {
  name: string;
  message: string;
  provider?: string | undefined;
  status?: number | undefined;
  retryAfterSeconds?: number | undefined;
}

type ProviderErrorClass = new (message: string, details: { provider: string; status?: number }) => ProviderError;

const CLASSES: Record<string, ProviderErrorClass> = {
  ProviderAuthError,
  ProviderQuotaExceededError,
  ProviderUnavailableError,
  ProviderRequestError,
  ProviderResponseError,
  ProviderOutputError,
  ProviderInputError,
  ProviderEngineError,
};

export function toWire(err: unknown): WireError {
  if (err instanceof ProviderError) {
    return {
      name: err.name,
      message: err.message,
      provider: err.provider,
      status: err.status,
      retryAfterSeconds: err instanceof ProviderRateLimitError ? err.retryAfterSeconds : undefined,
    };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.stack ?? e.message };
}

export function fromWire(wire: WireError): Error {
  const details = { provider: wire.provider ?? 'espeak-ng', ...(wire.status === undefined ? {} : { status: wire.status }) };
  if (wire.name === 'ProviderRateLimitError') return new ProviderRateLimitError(wire.message, details, wire.retryAfterSeconds);
  const Class = CLASSES[wire.name];
  if (Class) return new Class(wire.message, details);
  // Not a provider failure: a bug or a crash in the thread, reported as the narrator's.
  return new ProviderEngineError(`The narrator thread failed: ${wire.message}`, { provider: 'espeak-ng' });
}
