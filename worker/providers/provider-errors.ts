/**
 * Typed provider failures. Each says whether trying again may help
 * (`retryable`), so the pipeline can let BullMQ retry with backoff, or fail the
 * job at once with a reason a person can act on (BullMQ's UnrecoverableError).
 */

export interface ProviderErrorDetails {
  /** The provider that failed, e.g. "api.openai.com" or "espeak-ng". */
  provider: string;
  /** HTTP status, when the failure came from an HTTP answer. */
  status?: number;
  cause?: unknown;
}

export abstract class ProviderError extends Error {
  /** True when the same call may succeed later without anyone changing anything. */
  abstract readonly retryable: boolean;
  readonly provider: string;
  readonly status: number | undefined;

  constructor(message: string, details: ProviderErrorDetails) {
    super(message, { cause: details.cause });
    this.provider = details.provider;
    this.status = details.status;
  }
}

/** 401/403: the key is missing, wrong or lacks access. Permanent until configuration changes. */
export class ProviderAuthError extends ProviderError {
  readonly retryable = false;
  override readonly name = 'ProviderAuthError';
}

/** 429: too many requests. Retry, no sooner than `retryAfterSeconds` when the vendor says. */
export class ProviderRateLimitError extends ProviderError {
  readonly retryable = true;
  override readonly name = 'ProviderRateLimitError';
  constructor(
    message: string,
    details: ProviderErrorDetails,
    /** From Retry-After (or retry-after-ms); undefined when the vendor gave none. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message, details);
  }
}

/** The account is out of credit or over its hard quota (OpenAI's 429 "insufficient_quota"): retrying cannot help. */
export class ProviderQuotaExceededError extends ProviderError {
  readonly retryable = false;
  override readonly name = 'ProviderQuotaExceededError';
}

/** 5xx, timeout, or no answer at all: the vendor or the network is having trouble. */
export class ProviderUnavailableError extends ProviderError {
  readonly retryable = true;
  override readonly name = 'ProviderUnavailableError';
}

/** Another 4xx: the request itself was refused (unknown model, input too long, content policy). */
export class ProviderRequestError extends ProviderError {
  readonly retryable = false;
  override readonly name = 'ProviderRequestError';
}

/** A 2xx whose body is not what the API promises (not JSON, wrong shape, undecodable media): usually a wrong base URL. */
export class ProviderResponseError extends ProviderError {
  readonly retryable = false;
  override readonly name = 'ProviderResponseError';
}

/** The model answered, but not in the structure asked for; another sample may comply. */
export class ProviderOutputError extends ProviderError {
  readonly retryable = true;
  override readonly name = 'ProviderOutputError';
}

/** The input cannot be processed by this provider (empty text, unsupported language). */
export class ProviderInputError extends ProviderError {
  readonly retryable = false;
  override readonly name = 'ProviderInputError';
}

/** An offline engine (espeak-ng, the cover renderer) failed; a bug or a broken install, not worth retrying. */
export class ProviderEngineError extends ProviderError {
  readonly retryable = false;
  override readonly name = 'ProviderEngineError';
}
