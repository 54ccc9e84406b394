/**
 * The HTTP side of every OpenAI-compatible call: URL building, bearer auth,
 * timeout, and turning HTTP failures into typed ProviderErrors that name the
 * env variable to check. Retrying is left to the queue (BullMQ backoff), so a
 * failed call surfaces at once with what is needed to decide.
 */
import {
  ProviderAuthError,
  ProviderQuotaExceededError,
  ProviderRateLimitError,
  ProviderRequestError,
  ProviderResponseError,
  ProviderUnavailableError,
  type ProviderError,
} from '../provider-errors.ts';

export interface OpenAiEndpointOptions {
  /** Origin plus optional prefix; a trailing "/v1" is accepted and not doubled. */
  baseUrl: string;
  apiKey: string | undefined;
  timeoutMs: number;
  /** The env prefix the settings came from ("LLM", "TTS", "IMAGE"), for messages. */
  envPrefix: string;
}

export interface BinaryResponse {
  bytes: Uint8Array;
  contentType: string;
}

export class OpenAiEndpoint {
  /** The endpoint's host, used as the provider name in usage rows and errors. */
  readonly host: string;
  private readonly root: string;

  constructor(private readonly options: OpenAiEndpointOptions) {
    const url = new URL(options.baseUrl);
    this.host = url.host;
    this.root = url.toString().replace(/\/+$/, '').replace(/\/v1$/, '');
  }

  /** POSTs JSON and parses a JSON answer. */
  async postJson(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const response = await this.post(path, body, signal);
    const text = await this.readText(response, path);
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new ProviderResponseError(
        `${this.describe(path)} answered ${response.status} with a body that is not JSON (${JSON.stringify(text.slice(0, 80))}). Check that ${this.options.envPrefix}_BASE_URL points at an OpenAI-compatible API.`,
        { provider: this.host, status: response.status, cause: err },
      );
    }
  }

  /** POSTs JSON and returns the raw answer (audio). */
  async postForBytes(path: string, body: unknown, signal?: AbortSignal): Promise<BinaryResponse> {
    const response = await this.post(path, body, signal);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (err) {
      throw this.networkError(path, err);
    }
    return { bytes, contentType: response.headers.get('content-type') ?? '' };
  }

  private async post(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, audio/*;q=0.9, */*;q=0.1' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      response = await fetch(`${this.root}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      // The caller's own abort is not the vendor's fault: let it through unchanged.
      if (signal?.aborted) throw signal.reason ?? err;
      throw this.networkError(path, err);
    }
    if (response.ok) return response;
    throw await this.httpError(path, response);
  }

  private async readText(response: Response, path: string): Promise<string> {
    try {
      return await response.text();
    } catch (err) {
      throw this.networkError(path, err);
    }
  }

  private networkError(path: string, err: unknown): ProviderError {
    const timedOut = (err as Error)?.name === 'TimeoutError';
    const why = timedOut ? `did not answer within ${this.options.timeoutMs} ms (PROVIDER_TIMEOUT_MS)` : `could not be reached (${(err as Error)?.message ?? String(err)})`;
    return new ProviderUnavailableError(`${this.describe(path)} ${why}. Check ${this.options.envPrefix}_BASE_URL and the network; the call may be retried.`, {
      provider: this.host,
      cause: err,
    });
  }

  private async httpError(path: string, response: Response): Promise<ProviderError> {
    const body = await response.text().catch(() => '');
    const vendor = vendorError(body);
    const said = vendor.message ? `: ${vendor.message}` : '';
    const details = { provider: this.host, status: response.status };
    const where = `${this.describe(path)} answered HTTP ${response.status}${said}`;
    const env = this.options.envPrefix;
    if (response.status === 401 || response.status === 403) {
      return new ProviderAuthError(`${where}. Check ${env}_API_KEY${this.options.apiKey ? '' : ' (none is set)'} and that it may use this model.`, details);
    }
    if (response.status === 429) {
      if (vendor.code === 'insufficient_quota' || vendor.type === 'insufficient_quota') {
        return new ProviderQuotaExceededError(`${where}. The account behind ${env}_API_KEY is out of credit; add credit or use another key.`, details);
      }
      const retryAfter = retryAfterSeconds(response.headers);
      const when = retryAfter === undefined ? 'later' : `in ${retryAfter} s`;
      return new ProviderRateLimitError(`${where}. Rate limited; retry ${when}.`, details, retryAfter);
    }
    if (response.status === 408 || response.status >= 500) {
      return new ProviderUnavailableError(`${where}. The service is having trouble; the call may be retried.`, details);
    }
    return new ProviderRequestError(`${where}. The request was refused; check ${env}_MODEL and the input.`, details);
  }

  private describe(path: string): string {
    return `The ${this.options.envPrefix} endpoint ${this.host} (POST ${path})`;
  }
}

/** OpenAI's error body: `{"error": {"message", "type", "code"}}`; other servers may send plain text. */
function vendorError(body: string): { message?: string; type?: string; code?: string } {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown; type?: unknown; code?: unknown } | string; message?: unknown };
    const error = parsed.error;
    if (typeof error === 'string') return { message: error };
    if (error && typeof error === 'object') {
      return {
        message: typeof error.message === 'string' ? error.message : undefined,
        type: typeof error.type === 'string' ? error.type : undefined,
        code: typeof error.code === 'string' ? error.code : undefined,
      };
    }
    if (typeof parsed.message === 'string') return { message: parsed.message };
  } catch {
    // Not JSON: fall through to the raw text.
  }
  const text = body.trim().slice(0, 200);
  return text ? { message: text } : {};
}

/** Retry-After as seconds (RFC 9110 §10.2.3: delay-seconds or an HTTP date), or OpenAI's retry-after-ms. */
export function retryAfterSeconds(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms) / 1000);
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
