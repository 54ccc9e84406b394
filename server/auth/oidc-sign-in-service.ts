/**
 * Signing in with Google or Apple.
 *
 * Start: a PKCE verifier, state and nonce are made and stored server-side
 * (oauth-flow-store), the browser gets a binding cookie, and the person is
 * sent to the provider. Three purposes:
 * - sign_in: an existing identity signs its user in; a new one signs up,
 *   creating a family tenant with them as Tenant Admin;
 * - invitation: a new identity joins the inviting tenant instead;
 * - link: a signed-in user adds this provider to their account (same tenant).
 *
 * Finish: the flow is taken once by its state, the browser binding checked,
 * then openid-client exchanges the code (with the verifier) and validates
 * the ID token (issuer, audience, expiry, nonce, JWKS signature).
 *
 * An identity (issuer, subject) is bound to one user, hence one tenant, for
 * good: the unique constraint in the database has the last word, and no
 * path here moves or re-binds one.
 */
import * as oidc from 'openid-client';
import type { Viewer } from '../../shapes/viewer.ts';
import { recordAudit, type RequestMeta } from '../audit/audit-writer.ts';
import type { Tx } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import { withNewTenant } from '../tenants/tenant-creation-service.ts';
import type { AuthDeps } from './auth-deps.ts';
import { joinByInvitation } from './invitation-service.ts';
import { newBrowserBinding, sha256Of } from './one-time-secret.ts';
import { saveFlow, takeFlow, type OAuthFlow, type TakenFlow } from './oauth-flow-store.ts';
import type { OidcProvider } from './oidc-providers.ts';
import { findIdentityOwner, findOpenInvitation, type IdentityOwner } from './pre-tenant-lookups.ts';
import type { IssuedSession } from './session-transport.ts';
import { createSession, type SessionClientInfo, type SessionInfo } from './session-store.ts';
import { isUniqueViolation } from './unique-violation.ts';
import { secretMatches } from './session-token.ts';

/** Why a callback was refused; the PWA shows a message for each. */
export type OidcFailure =
  | 'state_invalid'
  | 'provider_error'
  | 'provider_unavailable'
  | 'token_rejected'
  | 'identity_taken'
  | 'email_taken'
  | 'invitation_rejected'
  | 'account_inactive'
  | 'link_session_ended';

export class OidcCallbackError extends Error {
  constructor(
    readonly code: OidcFailure,
    message: string,
    /** Where the person was headed, when the flow was found. */
    readonly returnTo: string | null = null,
  ) {
    super(message);
    this.name = 'OidcCallbackError';
  }
}

export interface StartRequest {
  purpose: 'sign_in' | 'link' | 'invitation';
  returnTo?: string | undefined;
  /** For 'link'. */
  viewer?: Viewer | undefined;
  session?: SessionInfo | undefined;
  /** For 'invitation'. */
  invitationToken?: string | undefined;
}

export async function startOidcFlow(deps: AuthDeps, provider: OidcProvider, request: StartRequest): Promise<{ authorizationUrl: string; browserBinding: string }> {
  let link: OAuthFlow['link'] = null;
  if (request.purpose === 'link') {
    if (!request.viewer || !request.session) throw HttpError.unauthorized('Sign in first, then link another way to sign in.');
    if (request.viewer.kind !== 'adult') throw HttpError.forbidden('Kid accounts sign in through device pairing and cannot link Google or Apple.');
    link = { tenantId: request.viewer.tenantId, userId: request.viewer.userId, sessionId: request.session.id };
  }
  let invitationTokenHash: Buffer | null = null;
  if (request.purpose === 'invitation') {
    invitationTokenHash = sha256Of(request.invitationToken ?? '');
    if (!(await findOpenInvitation(deps.db, invitationTokenHash))) {
      throw new HttpError(404, 'This invitation link is not valid any more: it was used, revoked or has expired. Ask the person who invited you for a new link.');
    }
  }

  const configuration = await discovered(provider);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const browserBinding = newBrowserBinding();
  await saveFlow(deps.db, provider.name, state, browserBinding, {
    purpose: request.purpose,
    codeVerifier,
    nonce,
    returnTo: request.returnTo ?? null,
    link,
    invitationTokenHash,
  });
  const params: Record<string, string> = {
    redirect_uri: provider.callbackUrl,
    scope: provider.scope,
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  if (provider.responseMode === 'form_post') params.response_mode = 'form_post';
  return { authorizationUrl: oidc.buildAuthorizationUrl(configuration, params).href, browserBinding };
}

export type CallbackOutcome = { kind: 'signed_in'; issued: IssuedSession; returnTo: string | null } | { kind: 'linked'; returnTo: string | null };

/**
 * Finishes a flow from the provider's response parameters (query for Google,
 * form body for Apple). Throws OidcCallbackError for every refusal.
 */
export async function completeOidcFlow(
  deps: AuthDeps,
  provider: OidcProvider,
  params: URLSearchParams,
  browserBinding: string | undefined,
  client: SessionClientInfo,
  meta: RequestMeta,
): Promise<CallbackOutcome> {
  const state = params.get('state');
  const flow = state ? await takeFlow(deps.db, provider.name, state) : undefined;
  if (!state || !flow) throw new OidcCallbackError('state_invalid', 'This sign-in link has expired or was already used. Start again.');
  const returnTo = flow.returnTo;
  // The stored hash is compared in constant time, like a session secret.
  if (!browserBinding || !secretMatches(browserBinding, flow.browserHash)) {
    throw new OidcCallbackError('state_invalid', 'This sign-in was started in another browser. Start again here.', returnTo);
  }
  if (params.has('error')) {
    throw new OidcCallbackError('provider_error', `${provider.label} did not sign you in (${params.get('error')}).`, returnTo);
  }

  const claims = await exchangeCode(provider, params, state, flow);
  const identity = readIdentity(claims);
  // Apple puts the name only in the first form_post, unsigned; good enough for a display name, nothing more.
  identity.name ??= appleUserName(params.get('user'));
  const owner = await findIdentityOwner(deps.db, identity.issuer, identity.subject);

  switch (flow.purpose) {
    case 'link':
      await linkIdentity(deps, provider, flow, identity, owner, meta);
      return { kind: 'linked', returnTo };
    case 'invitation':
      if (owner) throw new OidcCallbackError('identity_taken', `This ${provider.label} account already belongs to a family on Talemo, and cannot join another.`, returnTo);
      return { kind: 'signed_in', issued: await joinWithIdentity(deps, provider, flow, identity, client, meta), returnTo };
    case 'sign_in':
      return {
        kind: 'signed_in',
        issued: owner ? await signInOwner(deps, owner, client, meta) : await signUpWithIdentity(deps, provider, identity, client, meta),
        returnTo,
      };
  }
}

async function discovered(provider: OidcProvider): Promise<oidc.Configuration> {
  try {
    return await provider.configuration();
  } catch (err) {
    throw new HttpError(503, `${provider.label} cannot be reached right now (${(err as Error).message}). Try again in a minute, or sign in another way.`);
  }
}

async function exchangeCode(provider: OidcProvider, params: URLSearchParams, state: string, flow: TakenFlow): Promise<oidc.IDToken> {
  let configuration: oidc.Configuration;
  try {
    configuration = await provider.configuration();
  } catch {
    throw new OidcCallbackError('provider_unavailable', `${provider.label} cannot be reached right now. Try again in a minute.`, flow.returnTo);
  }
  // openid-client derives the redirect_uri it sends from this URL, so it is
  // our registered callback, carrying only the provider's parameters.
  const callback = new URL(provider.callbackUrl);
  for (const [k, v] of params) callback.searchParams.append(k, v);
  try {
    const tokens = await oidc.authorizationCodeGrant(configuration, callback, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token');
    return claims;
  } catch (err) {
    throw new OidcCallbackError('token_rejected', `${provider.label} sign-in could not be verified (${(err as Error).message}). Start again.`, flow.returnTo);
  }
}

interface ExternalIdentity {
  issuer: string;
  subject: string;
  /** Only when the provider says it verified it. */
  email: string | null;
  name: string | null;
}

function readIdentity(claims: oidc.IDToken): ExternalIdentity {
  // Apple sends email_verified as the string "true".
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  const email = typeof claims.email === 'string' && verified && /^[^@\s]+@[^@\s]+$/.test(claims.email) && claims.email.length <= 254 ? claims.email.toLowerCase() : null;
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 80) : null;
  return { issuer: claims.iss, subject: claims.sub, email, name };
}

function appleUserName(user: string | null): string | null {
  if (!user) return null;
  try {
    const name = (JSON.parse(user) as { name?: { firstName?: unknown; lastName?: unknown } }).name;
    const full = [name?.firstName, name?.lastName].filter((p): p is string => typeof p === 'string').join(' ').trim();
    return full ? full.slice(0, 80) : null;
  } catch {
    return null;
  }
}

function displayNameFor(identity: ExternalIdentity): string {
  return identity.name ?? identity.email?.split('@')[0]?.slice(0, 80) ?? 'New member';
}

async function addIdentity(tx: Tx, tenantId: string, userId: string, identity: ExternalIdentity, provider: OidcProvider): Promise<void> {
  await tx.execute(
    `INSERT INTO user_identities (tenant_id, user_id, idp_issuer, idp_subject, email, metadata, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, now())`,
    [tenantId, userId, identity.issuer, identity.subject, identity.email, JSON.stringify({ provider: provider.name })],
  );
}

function identityTaken(provider: OidcProvider, returnTo: string | null): OidcCallbackError {
  return new OidcCallbackError('identity_taken', `This ${provider.label} account is already used by another Talemo account, and stays with it.`, returnTo);
}

async function signInOwner(deps: AuthDeps, owner: IdentityOwner, client: SessionClientInfo, meta: RequestMeta): Promise<IssuedSession> {
  const issued = await deps.db.transaction({ tenantId: owner.tenantId, userId: owner.userId }, async (tx) => {
    const user = await tx.maybeOne<{ is_active: boolean }>('SELECT is_active FROM users WHERE id = $1', [owner.userId]);
    if (!user?.is_active) {
      await recordAudit(tx, owner.tenantId, { action: 'auth.sign_in_failed', actorId: null, actorKind: 'anonymous', targetType: 'user', targetId: owner.userId, after: { reason: 'deactivated', method: 'oidc' } }, meta);
      return undefined;
    }
    await tx.execute('UPDATE user_identities SET last_used_at = now() WHERE id = $1', [owner.identityId]);
    await tx.execute('UPDATE users SET last_login = now() WHERE id = $1', [owner.userId]);
    return createSession(tx, owner.tenantId, owner.userId, 'oidc', client);
  });
  if (!issued) throw new OidcCallbackError('account_inactive', 'This account has been deactivated by a family admin.');
  return { ...issued, tenantId: owner.tenantId, userId: owner.userId };
}

async function signUpWithIdentity(deps: AuthDeps, provider: OidcProvider, identity: ExternalIdentity, client: SessionClientInfo, meta: RequestMeta): Promise<IssuedSession> {
  const displayName = displayNameFor(identity);
  const spec = { name: `${displayName}'s family`, type: 'family' as const, plan: 'free' as const, admin: { email: identity.email, displayName } };
  try {
    return await withNewTenant(deps.db, spec, async (tx, created) => {
      const userId = created.adminUserId;
      await addIdentity(tx, created.tenantId, userId, identity, provider);
      await recordAudit(tx, created.tenantId, { action: 'auth.sign_up', actorId: userId, targetType: 'user', targetId: userId, after: { method: provider.name, tenantName: spec.name } }, meta);
      const issued = await createSession(tx, created.tenantId, userId, 'oidc', client);
      return { ...issued, tenantId: created.tenantId, userId };
    });
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_key')) {
      throw new OidcCallbackError('email_taken', `An account already uses ${identity.email}. Sign in to it with your password, then link ${provider.label} from your account settings.`);
    }
    if (isUniqueViolation(err, 'user_identities_idp_issuer_idp_subject_key')) throw identityTaken(provider, null);
    throw err;
  }
}

async function joinWithIdentity(deps: AuthDeps, provider: OidcProvider, flow: TakenFlow, identity: ExternalIdentity, client: SessionClientInfo, meta: RequestMeta): Promise<IssuedSession> {
  const open = flow.invitationTokenHash && (await findOpenInvitation(deps.db, flow.invitationTokenHash));
  if (!open) throw new OidcCallbackError('invitation_rejected', 'This invitation is not valid any more. Ask for a new link.', flow.returnTo);
  try {
    return await deps.db.transaction({ tenantId: open.tenantId, userId: null }, async (tx) => {
      const { userId } = await joinByInvitation(tx, open.tenantId, open.invitationId, { email: identity.email, displayName: displayNameFor(identity) }, meta);
      await addIdentity(tx, open.tenantId, userId, identity, provider);
      const issued = await createSession(tx, open.tenantId, userId, 'invitation', client);
      return { ...issued, tenantId: open.tenantId, userId };
    });
  } catch (err) {
    if (isUniqueViolation(err, 'user_identities_idp_issuer_idp_subject_key')) throw identityTaken(provider, flow.returnTo);
    if (err instanceof HttpError) throw new OidcCallbackError(err.status === 409 && err.errors?.email ? 'email_taken' : 'invitation_rejected', err.message, flow.returnTo);
    throw err;
  }
}

async function linkIdentity(deps: AuthDeps, provider: OidcProvider, flow: TakenFlow, identity: ExternalIdentity, owner: IdentityOwner | undefined, meta: RequestMeta): Promise<void> {
  const link = flow.link!;
  if (owner) {
    if (owner.userId === link.userId) return; // already linked to this very account
    throw identityTaken(provider, flow.returnTo);
  }
  try {
    await deps.db.transaction({ tenantId: link.tenantId, userId: link.userId }, async (tx) => {
      // The session that asked must still be alive: signing out cancels a link in progress.
      const alive = await tx.maybeOne('SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()', [link.sessionId, link.userId]);
      if (!alive) throw new OidcCallbackError('link_session_ended', 'You were signed out before linking finished. Sign in and try again.', flow.returnTo);
      await addIdentity(tx, link.tenantId, link.userId, identity, provider);
      await recordAudit(
        tx,
        link.tenantId,
        { action: 'identity.link', actorId: link.userId, targetType: 'user', targetId: link.userId, after: { provider: provider.name, issuer: identity.issuer, subject: identity.subject } },
        meta,
      );
    });
  } catch (err) {
    if (isUniqueViolation(err, 'user_identities_idp_issuer_idp_subject_key')) throw identityTaken(provider, flow.returnTo);
    throw err;
  }
}
