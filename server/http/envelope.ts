/**
 * The response envelope every JSON endpoint answers with:
 * `{ status, data, message, errors }`.
 */
import type { FieldErrors } from './http-error.ts';

export interface SuccessEnvelope<T> {
  status: 'success';
  data: T;
  message: string | null;
  errors: null;
}

export interface ErrorEnvelope {
  status: 'error';
  data: null;
  message: string;
  errors: FieldErrors | null;
}

export function success<T>(data: T, message: string | null = null): SuccessEnvelope<T> {
  return { status: 'success', data, message, errors: null };
}

export function failure(message: string, errors: FieldErrors | null = null): ErrorEnvelope {
  return { status: 'error', data: null, message, errors };
}
