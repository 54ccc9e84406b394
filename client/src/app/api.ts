/**
 * Calls to the REST API for what does not live in the replica (sign-in,
 * invitations, the audit log, usage figures). Same-origin, so the session
 * cookie rides along; answers use the server's `{status, data, message,
 * errors}` envelope.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: Record<string, string[]> | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when the request never reached the server (offline, server down). */
  get offline(): boolean {
    return this.status === 0;
  }
}

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: init.body !== undefined ? { 'content-type': 'application/json' } : undefined,
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal: init.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'offline');
  }
  const body = (await res.json().catch(() => null)) as { data?: T; message?: string; errors?: Record<string, string[]> | null } | null;
  if (!res.ok) throw new ApiError(res.status, body?.message ?? `HTTP ${res.status}`, body?.errors ?? null);
  return body?.data as T;
}
