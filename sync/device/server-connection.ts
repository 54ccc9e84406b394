/**
 * How a device reaches the server: the origin, and the session credential.
 * In Node (tests, tools) the credential is a bearer token; in the browser it
 * is the HttpOnly session cookie, which same-origin requests carry by
 * themselves and script never sees.
 */

export interface ServerConnection {
  /** Origin of the Talemo server, e.g. http://127.0.0.1:3000 (no trailing slash). */
  baseUrl: string;
  /** Bearer token (Node). Leave unset in the browser: the cookie is sent instead. */
  bearerToken?: string;
  /** Replaceable for instrumentation; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** Headers every request of the device carries. */
export function authHeaders(conn: ServerConnection): Record<string, string> {
  return conn.bearerToken ? { authorization: `Bearer ${conn.bearerToken}` } : {};
}

/** The fetch the device uses: same-origin cookies included, bearer when configured. */
export function deviceFetch(conn: ServerConnection): typeof fetch {
  const base = conn.fetch ?? globalThis.fetch.bind(globalThis);
  return (input, init) => {
    const headers = new Headers(init?.headers);
    for (const [k, v] of Object.entries(authHeaders(conn))) if (!headers.has(k)) headers.set(k, v);
    return base(input, { ...init, headers, credentials: 'same-origin' });
  };
}

export function apiUrl(conn: ServerConnection, path: string): string {
  return `${conn.baseUrl.replace(/\/$/, '')}${path}`;
}
