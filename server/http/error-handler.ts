/**
 * Maps every thrown error to the envelope. HttpError carries its own status;
 * Hono's HTTPException (malformed JSON, body limits) keeps its status; all
 * else is a 500 whose details stay in the log, never in the response body in
 * production.
 */
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { failure } from './envelope.ts';
import { HttpError, type FieldErrors } from './http-error.ts';
import type { AppEnv } from './app-env.ts';

export function errorHandler(options: { exposeStack: boolean }): ErrorHandler<AppEnv> {
  return (err, c) => {
    if (err instanceof HttpError) {
      if (err.retryAfter !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(err.retryAfter))));
      return c.json(failure(err.message, err.errors), err.status as ContentfulStatusCode);
    }
    if (err instanceof HTTPException) {
      return c.json(failure(describeHttpException(err), fieldErrorsFor(err)), err.status as ContentfulStatusCode);
    }
    return internalError(c, err, options.exposeStack);
  };
}

function internalError(c: Context<AppEnv>, err: Error, exposeStack: boolean) {
  c.var.logger?.error({ err, requestId: c.var.requestId }, 'unhandled error');
  const errors: FieldErrors | null = exposeStack && err.stack ? { stack: err.stack.split('\n').map((l) => l.trim()) } : null;
  return c.json(failure(`Something went wrong on our side. Quote request ${c.var.requestId} if you report it.`, errors), 500);
}

function describeHttpException(err: HTTPException): string {
  if (err.status === 400 && /Malformed JSON/i.test(err.message)) return 'The request body is not valid JSON.';
  return err.message || 'The request could not be handled.';
}

function fieldErrorsFor(err: HTTPException): FieldErrors | null {
  if (err.status === 400 && /Malformed JSON/i.test(err.message)) return { body: ['must be valid JSON'] };
  return null;
}
