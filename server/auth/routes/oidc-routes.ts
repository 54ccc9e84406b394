/**
 * Google and Apple sign-in: start (redirect to the provider), link (a
 * signed-in user adds the provider), and the callback the provider sends the
 * browser back to. Google returns with a GET; Apple with a cross-site
 * form_post POST, which authenticate.ts deliberately exempts from the
 * same-origin check (its OAuth state is what authorises it).
 *
 * The callback is a browser navigation, so it always answers with a redirect
 * into the PWA: to `returnTo` on success (the session set as the cookie), or
 * with `auth_error=<code>` saying why it was refused.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.ts';
import { success } from '../../http/envelope.ts';
import { validationHook } from '../../http/validation.ts';
import { requireSession } from '../access.ts';
import { clearBrowserBinding, readBrowserBinding, setBrowserBinding } from '../oauth-browser-cookie.ts';
import { requireProvider, type ProviderName } from '../oidc-providers.ts';
import { completeOidcFlow, OidcCallbackError, startOidcFlow } from '../oidc-sign-in-service.ts';
import { retirePresentedSession } from '../session-service.ts';
import { deliverSession } from '../session-transport.ts';
import { access, envelope, errorResponses, invitationToken, jsonBody, returnTo } from './auth-schemas.ts';
import type { AuthRouteContext } from './route-support.ts';

// RFC 6749 §4.1.2: a client must ignore response parameters it does not
// recognise, so callback inputs are loose (but bounded) on purpose.
const callbackParams = z
  .object({
    code: z.string().max(4096).optional(),
    state: z.string().max(512).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(1000).optional(),
    iss: z.string().max(500).optional(),
    user: z.string().max(4096).optional().openapi({ description: 'Apple only: the name and email, on the first sign-in' }),
  })
  .loose();

const redirects = {
  302: { description: 'To the provider' },
  303: { description: 'Back into the app: to returnTo, or with auth_error=<code>' },
};

export function oidcRoutes(ctx: AuthRouteContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  for (const name of ['google', 'apple'] as const) mountProvider(app, ctx, name);
  return app;
}

function mountProvider(app: OpenAPIHono<AppEnv>, ctx: AuthRouteContext, name: ProviderName): void {
  const label = name === 'google' ? 'Google' : 'Apple';

  const start = createRoute({
    method: 'get',
    path: `/api/auth/${name}`,
    ...access({ kind: 'public', reason: 'starts a sign-in at the provider' }),
    tags: ['auth'],
    summary: `Sign in or sign up with ${label} (or accept an invitation with it)`,
    middleware: [ctx.ipLimit] as const,
    request: { query: z.object({ returnTo: returnTo.optional(), invitation: invitationToken.optional() }).strict() },
    responses: { ...redirects, ...errorResponses },
  });
  app.openapi(start, async (c) => {
    const provider = requireProvider(ctx.providers, name);
    const query = c.req.valid('query');
    const { authorizationUrl, browserBinding } = await startOidcFlow(ctx, provider, {
      purpose: query.invitation ? 'invitation' : 'sign_in',
      returnTo: query.returnTo,
      invitationToken: query.invitation,
    });
    setBrowserBinding(c, ctx.publicUrl, name, browserBinding);
    c.header('Cache-Control', 'no-store');
    return c.redirect(authorizationUrl, 302);
  });

  // A POST (so the cookie CSRF check applies) answering with the URL to open:
  // a cross-site page must not be able to start a link for someone.
  const link = createRoute({
    method: 'post',
    path: `/api/auth/${name}/link`,
    ...access({ kind: 'member', reason: 'links a provider to your own account' }),
    tags: ['auth'],
    summary: `Link ${label} to your account, as another way to sign in to it`,
    request: { body: jsonBody(z.object({ returnTo: returnTo.optional() }).strict()) },
    responses: { 200: { description: 'Open this URL', content: { 'application/json': { schema: envelope(z.object({ authorizationUrl: z.string() })) } } }, ...errorResponses },
  });
  app.openapi(link, async (c) => {
    const { viewer, session } = requireSession(c);
    const provider = requireProvider(ctx.providers, name);
    const { authorizationUrl, browserBinding } = await startOidcFlow(ctx, provider, { purpose: 'link', viewer, session, returnTo: c.req.valid('json').returnTo });
    setBrowserBinding(c, ctx.publicUrl, name, browserBinding);
    return c.json(success({ authorizationUrl }), 200);
  });

  const callback =
    name === 'apple'
      ? createRoute({
          method: 'post',
          path: `/api/auth/${name}/callback`,
          tags: ['auth'],
          summary: `${label} returns here (form_post)`,
          ...access({ kind: 'public', reason: 'the single-use OAuth state is the credential' }),
          middleware: [ctx.ipLimit] as const,
          request: { body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: callbackParams } } } },
          responses: { ...redirects, ...errorResponses },
        })
      : createRoute({
          method: 'get',
          path: `/api/auth/${name}/callback`,
          tags: ['auth'],
          summary: `${label} returns here`,
          ...access({ kind: 'public', reason: 'the single-use OAuth state is the credential' }),
          middleware: [ctx.ipLimit] as const,
          request: { query: callbackParams },
          responses: { ...redirects, ...errorResponses },
        });
  app.openapi(callback, async (c: Context<AppEnv>) => {
    const provider = requireProvider(ctx.providers, name);
    const params = new URLSearchParams();
    const raw = name === 'apple' ? await c.req.parseBody() : c.req.query();
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') params.set(k, v);

    const binding = readBrowserBinding(c, ctx.publicUrl, name);
    clearBrowserBinding(c, ctx.publicUrl, name);
    c.header('Cache-Control', 'no-store');
    const meta = ctx.meta(c);
    try {
      const outcome = await completeOidcFlow(ctx, provider, params, binding, ctx.client(c), meta);
      const target = new URL(outcome.returnTo ?? '/', ctx.publicUrl);
      if (outcome.kind === 'signed_in') {
        deliverSession(c, ctx.publicUrl, outcome.issued, true);
        await retirePresentedSession(ctx.db, c.var.viewer, c.var.session, meta);
      } else {
        target.searchParams.set('linked', name);
      }
      return c.redirect(target.href, 303);
    } catch (err) {
      if (!(err instanceof OidcCallbackError)) throw err;
      c.var.logger?.warn({ provider: name, code: err.code, reason: err.message }, 'OIDC callback refused');
      const target = new URL(err.returnTo ?? '/sign-in', ctx.publicUrl);
      target.searchParams.set('auth_error', err.code);
      return c.redirect(target.href, 303);
    }
  });
}
