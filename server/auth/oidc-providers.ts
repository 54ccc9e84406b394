/**
 * Google and Apple as OpenID Connect providers, through openid-client (v6):
 * discovery, PKCE, state, nonce, and ID token validation (issuer, audience,
 * expiry, nonce, and, with non-repudiation checks on, the signature against
 * the provider's JWKS). Discovery runs on first use and is cached; a failed
 * discovery is retried on the next sign-in rather than remembered.
 */
import * as oidc from 'openid-client';
import type { AuthConfig, OidcProviderConfig } from '../config.ts';
import { HttpError } from '../http/http-error.ts';
import { AppleClientSecret } from './apple-client-secret.ts';

export const PROVIDERS = ['google', 'apple'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

const LABELS: Record<ProviderName, string> = { google: 'Google', apple: 'Apple' };

export interface OidcProvider {
  name: ProviderName;
  label: string;
  /** The redirect URI registered with the provider. */
  callbackUrl: string;
  /** Apple posts the result back (form_post); Google redirects with a query. */
  responseMode: 'query' | 'form_post';
  scope: string;
  /** The discovered configuration, with a fresh client secret where one expires (Apple). */
  configuration(): Promise<oidc.Configuration>;
}

export type OidcProviders = Record<ProviderName, OidcProvider | null>;

export function createOidcProviders(auth: AuthConfig, publicUrl: string): OidcProviders {
  return {
    google: auth.google && provider('google', auth.google, publicUrl, 'query', 'openid email profile'),
    // Apple sends name and email only with response_mode=form_post.
    apple: auth.apple && provider('apple', auth.apple, publicUrl, 'form_post', 'openid email name'),
  };
}

/** The configured provider, or a 404 saying it is not configured. */
export function requireProvider(providers: OidcProviders, name: ProviderName): OidcProvider {
  const found = providers[name];
  if (!found) throw new HttpError(404, `Sign-in with ${LABELS[name]} is not configured on this server. Use another way to sign in, or ask the operator to set the ${name.toUpperCase()}_* variables.`);
  return found;
}

/** Plain HTTP is accepted only for loopback issuers (config.ts refuses others): a local fake provider in tests. */
function isLoopbackHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function provider(name: ProviderName, config: OidcProviderConfig, publicUrl: string, responseMode: 'query' | 'form_post', scope: string): OidcProvider {
  const appleSecret = typeof config.clientSecret === 'string' ? undefined : new AppleClientSecret(config.clientSecret, config.clientId, config.issuer);
  // ClientAuth is synchronous, so the (possibly re-signed) secret is fetched before each use and read here.
  let secret = typeof config.clientSecret === 'string' ? config.clientSecret : '';
  const clientAuth: oidc.ClientAuth = (_as, client, body) => {
    body.set('client_id', client.client_id);
    body.set('client_secret', secret);
  };
  let discovered: Promise<oidc.Configuration> | undefined;

  const discover = async () => {
    const configuration = await oidc.discovery(
      new URL(config.issuer),
      config.clientId,
      { redirect_uris: [`${publicUrl}/api/auth/${name}/callback`], response_types: ['code'], id_token_signed_response_alg: 'RS256' },
      clientAuth,
      { execute: isLoopbackHttp(config.issuer) ? [oidc.allowInsecureRequests] : [], timeout: 10 },
    );
    oidc.enableNonRepudiationChecks(configuration);
    return configuration;
  };

  return {
    name,
    label: LABELS[name],
    callbackUrl: `${publicUrl}/api/auth/${name}/callback`,
    responseMode,
    scope,
    async configuration() {
      if (appleSecret) secret = await appleSecret.value();
      discovered ??= discover().catch((err) => {
        discovered = undefined;
        throw err;
      });
      return discovered;
    },
  };
}
