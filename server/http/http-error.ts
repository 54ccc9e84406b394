/**
 * The one HTTP error type. Services throw it; the app's error handler turns it
 * into the response envelope. Field errors map a field path to reasons a
 * person can act on: `{ "title": ["must not be empty"] }`.
 */
export type FieldErrors = Record<string, string[]>;

export type HttpErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

export class HttpError extends Error {
  constructor(
    readonly status: HttpErrorStatus,
    message: string,
    readonly errors: FieldErrors | null = null,
    /** Seconds, for 429 and 503. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  static badRequest(message: string, errors: FieldErrors | null = null): HttpError {
    return new HttpError(400, message, errors);
  }

  static invalid(errors: FieldErrors): HttpError {
    return new HttpError(400, 'Some fields are invalid.', errors);
  }

  static unauthorized(message = 'Sign in to continue.'): HttpError {
    return new HttpError(401, message);
  }

  static forbidden(message = 'Your profile does not allow this.'): HttpError {
    return new HttpError(403, message);
  }

  static notFound(what = 'The resource'): HttpError {
    return new HttpError(404, `${what} was not found.`);
  }

  static conflict(message: string, errors: FieldErrors | null = null): HttpError {
    return new HttpError(409, message, errors);
  }

  static payloadTooLarge(limitBytes: number): HttpError {
    return new HttpError(413, `The request body is larger than the ${formatBytes(limitBytes)} allowed.`, { body: [`must be at most ${limitBytes} bytes`] });
  }

  static tooManyRequests(retryAfterSeconds: number, message = 'Too many requests. Try again later.'): HttpError {
    return new HttpError(429, message, null, retryAfterSeconds);
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} bytes`;
}
