/**
 * How a device reaches the server: the origin, and the session credential.
 * In Node (tests, tools) the credential is a bearer token; in the browser it
 * is the HttpOnly session cookie, which same-origin requests carry by
 * themselves and script never sees.
 *
 * When the user's privileges change, the server rotates the session: the
 * browser gets a new cookie by itself; a bearer device finds the new token in
 * the `Talemo-Session-Token` response header and must use it from then on
 * (the old one works only for about a minute, for requests already in
 * flight). deviceFetch adopts it.
 */
import { ROTATED_SESSION_HEADER } from '../../shapes/viewer.ts';

export interface ServerConnection {
  /** Origin of the Talemo server, e.g. http://127.0.0.1:3000 (no trailing slash). */
  baseUrl: string;
  /** Bearer token (Node). Leave unset in the browser: the cookie is sent instead. */
  bearerToken?: string;
  /** Replaceable for instrumentation; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Called after a rotated bearer token was adopted, so its holder can store it. */
  onTokenRotated?: (token: string) => void;
}


/** Headers every request of the device carries. */
export function authHeaders(conn: ServerConnection): Record<string, string> {
  return conn.bearerToken ? { authorization: `Bearer ${conn.bearerToken}` } : {};
}

/**
 * The fetch the device uses: same-origin cookies included, bearer when
 * configured. The connection's current token always wins over an
 * Authorization header a caller passed: the shape client was handed its
 * headers once, at subscribe time, and must not keep sending a rotated token.
 */
export function deviceFetch(conn: ServerConnection): typeof fetch {
  const base = conn.fetch ?? globalThis.fetch.bind(globalThis);
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    for (const [k, v] of Object.entries(authHeaders(conn))) headers.set(k, v);
    const res = await base(input, { ...init, headers, credentials: 'same-origin' });
    adoptRotatedToken(conn, res);
    return res;
  };
}

function adoptRotatedToken(conn: ServerConnection, res: Response): void {
  const rotated = res.headers.get(ROTATED_SESSION_HEADER);
  if (!rotated || !conn.bearerToken || rotated === conn.bearerToken) return;
  conn.bearerToken = rotated;
  conn.onTokenRotated?.(rotated);
}

export function apiUrl(conn: ServerConnection, path: string): string {
  return `${conn.baseUrl.replace(/\/$/, '')}${path}`;
}
