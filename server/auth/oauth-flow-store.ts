/**
 * OAuth/OIDC flows in progress, kept server-side (migrations/010: oauth_flows)
 * rather than in a cookie: the PKCE verifier and nonce never leave the
 * server, and a flow is taken exactly once, so neither its state nor the code
 * that comes back with it can be replayed. Only a SHA-256 of the state is
 * stored.
 */
import type { Database } from '../db/database.ts';
import { sha256Of } from './one-time-secret.ts';
import type { ProviderName } from './oidc-providers.ts';

/** Minutes a person has to finish signing in at the provider. */
export const FLOW_TTL_SECONDS = 10 * 60;

export type FlowPurpose = 'sign_in' | 'link' | 'invitation';

export interface OAuthFlow {
  purpose: FlowPurpose;
  codeVerifier: string;
  nonce: string;
  /** A path on our origin to land on afterwards. */
  returnTo: string | null;
  /** For 'link': who asked, from which session. */
  link: { tenantId: string; userId: string; sessionId: string } | null;
  /** For 'invitation': SHA-256 of the invitation token. */
  invitationTokenHash: Buffer | null;
}

export interface TakenFlow extends OAuthFlow {
  browserHash: Buffer;
}

export async function saveFlow(db: Database, provider: ProviderName, state: string, browserBinding: string, flow: OAuthFlow): Promise<void> {
  await db.pool.query('SELECT auth_oauth_flow_begin($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)', [
    sha256Of(state),
    sha256Of(browserBinding),
    provider,
    flow.purpose,
    flow.codeVerifier,
    flow.nonce,
    flow.returnTo,
    flow.link?.tenantId ?? null,
    flow.link?.userId ?? null,
    flow.link?.sessionId ?? null,
    flow.invitationTokenHash,
    FLOW_TTL_SECONDS,
  ]);
}

/** Removes and returns the unexpired flow with this state, if any. */
export async function takeFlow(db: Database, provider: ProviderName, state: string): Promise<TakenFlow | undefined> {
  const { rows } = await db.pool.query<{
    browser_hash: Buffer;
    purpose: FlowPurpose;
    code_verifier: string;
    nonce: string;
    return_to: string | null;
    link_tenant_id: string | null;
    link_user_id: string | null;
    link_session_id: string | null;
    invitation_token_hash: Buffer | null;
  }>('SELECT * FROM auth_oauth_flow_take($1, $2)', [sha256Of(state), provider]);
  const r = rows[0];
  if (!r) return undefined;
  return {
    browserHash: r.browser_hash,
    purpose: r.purpose,
    codeVerifier: r.code_verifier,
    nonce: r.nonce,
    returnTo: r.return_to,
    link: r.link_tenant_id && r.link_user_id && r.link_session_id ? { tenantId: r.link_tenant_id, userId: r.link_user_id, sessionId: r.link_session_id } : null,
    invitationTokenHash: r.invitation_token_hash,
  };
}
