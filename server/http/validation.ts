/**
 * Turns a failed schema check into a 400 with field errors, for every route
 * declared with @hono/zod-openapi. Unknown fields are rejected by the schemas
 * themselves (`.strict()`), so typos are reported rather than ignored.
 */
import type { Hook } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { HttpError, type FieldErrors } from './http-error.ts';

export function fieldErrorsFrom(error: ZodError, prefix?: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    let key = issue.path.map(String).join('.');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      for (const unknownKey of issue.keys) {
        const full = [prefix, key, unknownKey].filter(Boolean).join('.');
        (errors[full] ??= []).push('is not a known field');
      }
      continue;
    }
    key = [prefix, key].filter(Boolean).join('.') || prefix || 'body';
    (errors[key] ??= []).push(message);
  }
  return errors;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (!result.success) {
    const target = (result as { target?: string }).target;
    const prefix = target === 'query' ? 'query' : target === 'param' ? 'path' : target === 'header' ? 'header' : undefined;
    throw HttpError.invalid(fieldErrorsFrom(result.error as ZodError, prefix));
  }
};
