/**
 * A local OpenID Connect provider that speaks the real protocol over HTTP, in
 * a Google flavour (the browser comes back with a query) and an Apple flavour
 * (response_mode=form_post, client secret is an ES256 JWT signed by the
 * team's key). The server under test talks to it through openid-client
 * exactly as it would to Google or Apple: discovery document, JWKS,
 * authorization endpoint, token endpoint with PKCE and client
 * authentication, RS256-signed ID tokens with iss/aud/exp/nonce.
 *
 * Like the real ones, it enforces PKCE only when the authorization request
 * carried a code_challenge, and burns a code on its first use. Tests can
 * tamper with the next ID token (claims, or a signature by a key not in the
 * JWKS) to check that the server refuses it.
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';

export interface FakeOidcUser {
  sub: string;
  email?: string;
  emailVerified?: boolean;
  name?: string;
}

export interface FakeOidcOptions {
  flavour: 'google' | 'apple';
  clientId: string;
  /** Google flavour: the client secret expected at the token endpoint. */
  clientSecret?: string;
  /** Apple flavour: verifies the client-secret JWT (ES256, iss = team id, sub = client id, aud = issuer). */
  appleClientKey?: { publicKey: KeyObject | CryptoKey; teamId: string; keyId: string };
}

export interface IdTokenTamper {
  /** Merged over the claims the provider would issue (undefined removes one). */
  claims?: Record<string, unknown>;
  /** Sign with a key that is not in the JWKS (same kid). */
  rogueKey?: boolean;
}

export interface BrowserCallback {
  method: 'GET' | 'POST';
  /** The callback URL (with the query for GET). */
  url: string;
  /** The form fields, for form_post. */
  form?: URLSearchParams;
  params: URLSearchParams;
}

export interface FakeOidcProvider {
  issuer: string;
  /** How many token requests it answered, and how many it refused. */
  stats: { tokenRequests: number; refused: string[] };
  /** Tampers with the next ID token only. */
  tamperNextIdToken(tamper: IdTokenTamper): void;
  /**
   * What a browser does at the authorization endpoint: signs in as `user`
   * (the fake's consent is automatic) and returns where the provider sends
   * the browser back, with code and state.
   */
  authorize(authorizationUrl: string, user: FakeOidcUser): Promise<BrowserCallback>;
  close(): Promise<void>;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  nonce: string | null;
  user: FakeOidcUser;
  issuedAt: number;
  used: boolean;
}

const KID = 'fake-key-1';

export async function startFakeOidcProvider(options: FakeOidcOptions): Promise<FakeOidcProvider> {
  const signing = await generateKeyPair('RS256', { extractable: true });
  const rogue = await generateKeyPair('RS256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(signing.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, IssuedCode>();
  const pendingUsers = new Map<string, FakeOidcUser>();
  let tamper: IdTokenTamper | undefined;
  const stats = { tokenRequests: 0, refused: [] as string[] };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => json(res, 500, { error: 'server_error', error_description: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') return json(res, 200, discoveryDocument());
    if (req.method === 'GET' && url.pathname === '/jwks') return json(res, 200, { keys: [publicJwk] });
    if (req.method === 'GET' && url.pathname === '/authorize') return authorizeEndpoint(url, res);
    if (req.method === 'POST' && url.pathname === '/token') return tokenEndpoint(req, res);
    json(res, 404, { error: 'not_found' });
  }

  function discoveryDocument() {
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      response_modes_supported: options.flavour === 'apple' ? ['query', 'fragment', 'form_post'] : ['query', 'fragment'],
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: options.flavour === 'apple' ? ['openid', 'email', 'name'] : ['openid', 'email', 'profile'],
      token_endpoint_auth_methods_supported: options.flavour === 'apple' ? ['client_secret_post'] : ['client_secret_post', 'client_secret_basic'],
      code_challenge_methods_supported: ['S256', 'plain'],
      claims_supported: ['aud', 'email', 'email_verified', 'exp', 'iat', 'iss', 'name', 'nonce', 'sub'],
    };
  }

  function authorizeEndpoint(url: URL, res: http.ServerResponse): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    const loginId = q.get('login_hint');
    const user = loginId ? pendingUsers.get(loginId) : undefined;
    if (q.get('client_id') !== options.clientId || !redirectUri) return json(res, 400, { error: 'invalid_request', error_description: 'unknown client or no redirect_uri' });
    if (q.get('response_type') !== 'code' || !(q.get('scope') ?? '').split(' ').includes('openid')) return json(res, 400, { error: 'invalid_request', error_description: 'expects response_type=code and scope openid' });
    if (!user) return json(res, 400, { error: 'login_required', error_description: 'the test did not say who signs in' });
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId: options.clientId,
      redirectUri,
      codeChallenge: q.get('code_challenge'),
      codeChallengeMethod: q.get('code_challenge_method'),
      nonce: q.get('nonce'),
      user,
      issuedAt: Date.now(),
      used: false,
    });
    const back = new URLSearchParams({ code });
    const state = q.get('state');
    if (state !== null) back.set('state', state);
    if (options.flavour === 'apple' && user.name) back.set('user', JSON.stringify({ name: { firstName: user.name.split(' ')[0], lastName: user.name.split(' ').slice(1).join(' ') }, email: user.email }));

    if (q.get('response_mode') === 'form_post') {
      const inputs = [...back].map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`).join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><form method="post" action="${escapeHtml(redirectUri)}">${inputs}</form><script>document.forms[0].submit()</script>`);
      return;
    }
    const target = new URL(redirectUri);
    for (const [k, v] of back) target.searchParams.set(k, v);
    res.writeHead(302, { location: target.href });
    res.end();
  }

  async function tokenEndpoint(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    stats.tokenRequests++;
    const body = new URLSearchParams(await readBody(req));
    const refuse = (error: string, description: string) => {
      stats.refused.push(description);
      json(res, error === 'invalid_client' ? 401 : 400, { error, error_description: description });
    };

    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [basicId, basicSecret] = basic ? Buffer.from(basic[1]!, 'base64').toString().split(':').map(decodeURIComponent) : [];
    const clientId = body.get('client_id') ?? basicId;
    const clientSecret = body.get('client_secret') ?? basicSecret;
    if (clientId !== options.clientId) return refuse('invalid_client', 'unknown client_id');
    if (!(await clientAuthenticates(clientSecret))) return refuse('invalid_client', 'client authentication failed');
    if (body.get('grant_type') !== 'authorization_code') return refuse('unsupported_grant_type', 'only authorization_code');

    const code = codes.get(body.get('code') ?? '');
    if (!code) return refuse('invalid_grant', 'unknown code');
    if (code.used) return refuse('invalid_grant', 'code already used');
    code.used = true; // burnt on first presentation, whatever happens next
    if (Date.now() - code.issuedAt > 60_000) return refuse('invalid_grant', 'code expired');
    if (body.get('redirect_uri') !== code.redirectUri) return refuse('invalid_grant', 'redirect_uri does not match');
    if (code.codeChallenge !== null) {
      const verifier = body.get('code_verifier');
      if (!verifier) return refuse('invalid_grant', 'code_verifier missing');
      const computed = code.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (computed !== code.codeChallenge) return refuse('invalid_grant', 'PKCE verification failed');
    }

    json(res, 200, { access_token: randomBytes(24).toString('base64url'), token_type: 'Bearer', expires_in: 3600, id_token: await idToken(code) });
  }

  async function clientAuthenticates(secret: string | undefined): Promise<boolean> {
    if (!secret) return false;
    if (options.flavour === 'google') return secret === options.clientSecret;
    const key = options.appleClientKey;
    if (!key) return false;
    try {
      const { protectedHeader } = await jwtVerify(secret, key.publicKey, { issuer: key.teamId, subject: options.clientId, audience: issuer, algorithms: ['ES256'] });
      return protectedHeader.kid === key.keyId;
    } catch {
      return false;
    }
  }

  async function idToken(code: IssuedCode): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: issuer,
      sub: code.user.sub,
      aud: code.clientId,
      iat: now,
      exp: now + 600,
      auth_time: now,
    };
    if (code.nonce !== null) claims.nonce = code.nonce;
    if (code.user.email) {
      claims.email = code.user.email;
      const verified = code.user.emailVerified ?? true;
      // Apple sends booleans as strings.
      claims.email_verified = options.flavour === 'apple' ? String(verified) : verified;
    }
    if (code.user.name && options.flavour === 'google') claims.name = code.user.name;

    const t = tamper;
    tamper = undefined;
    if (t?.claims) {
      for (const [k, v] of Object.entries(t.claims)) {
        if (v === undefined) delete claims[k];
        else claims[k] = v;
      }
    }
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(t?.rogueKey ? rogue.privateKey : signing.privateKey);
  }

  return {
    issuer,
    stats,
    tamperNextIdToken(t) {
      tamper = t;
    },
    async authorize(authorizationUrl, user) {
      const loginId = randomBytes(8).toString('hex');
      pendingUsers.set(loginId, user);
      const url = new URL(authorizationUrl);
      if (url.origin !== issuer) throw new Error(`authorization URL ${url.origin} is not this provider (${issuer})`);
      url.searchParams.set('login_hint', loginId);
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status === 302) {
        const location = response.headers.get('location')!;
        return { method: 'GET', url: location, params: new URL(location).searchParams };
      }
      const html = await response.text();
      if (response.status !== 200) throw new Error(`authorization endpoint answered ${response.status}: ${html}`);
      const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
      if (!action) throw new Error(`no form_post form in: ${html}`);
      const form = new URLSearchParams();
      for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, unescapeHtml(m[2]!));
      return { method: 'POST', url: unescapeHtml(action), form, params: form };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
