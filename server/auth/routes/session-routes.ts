/**
 * The signed-in user's own session: who am I, refresh (rotate), sign out,
 * list and revoke sessions; and which sign-in providers this server offers.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env.ts';
import { success } from '../../http/envelope.ts';
import { validationHook } from '../../http/validation.ts';
import { requireSession } from '../access.ts';
import { clearSessionCookie } from '../session-cookie.ts';
import { describeMe, listOwnSessions, refreshSession, revokeOwnSession, signOut } from '../session-service.ts';
import { deliverSession } from '../session-transport.ts';
import { access, cookie, envelope, errorResponses, jsonBody, okSchema, permissionsSchema, sessionGrantSchema, sessionId } from './auth-schemas.ts';
import type { AuthRouteContext } from './route-support.ts';

const sessionKind = z.enum(['password', 'oidc', 'invitation', 'signup', 'pairing', 'refresh']);

const meSchema = z
  .object({
    user: z.object({ id: z.string(), displayName: z.string(), kind: z.enum(['adult', 'kid']), email: z.string().nullable(), avatar: z.string().nullable() }),
    tenant: z.object({ id: z.string(), name: z.string(), type: z.enum(['family', 'institution']) }),
    profile: z.object({ id: z.string(), name: z.string() }),
    permissions: permissionsSchema,
    policies: z.record(z.string(), z.unknown()),
    plan: z.string(),
    session: z.object({ id: z.string(), kind: sessionKind, expiresAt: z.string() }),
  })
  .openapi('Me');

const sessionSchema = z.object({
  id: z.string(),
  kind: sessionKind,
  current: z.boolean(),
  deviceName: z.string().nullable(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
});

export function sessionRoutes(ctx: AuthRouteContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  const me = createRoute({
    method: 'get',
    path: '/api/auth/me',
    ...access({ kind: 'member', reason: 'describes the caller' }),
    tags: ['auth'],
    summary: 'The signed-in user, tenant, profile, permissions and policies',
    responses: { 200: { description: 'You', content: { 'application/json': { schema: envelope(meSchema) } } }, ...errorResponses },
  });
  app.openapi(me, async (c) => {
    const { viewer, session } = requireSession(c);
    c.header('Cache-Control', 'private, no-store');
    return c.json(success(await describeMe(ctx.db, viewer, session)), 200);
  });

  const refresh = createRoute({
    method: 'post',
    path: '/api/auth/token/refresh',
    ...access({ kind: 'member', reason: 'rotates your own session' }),
    tags: ['auth'],
    summary: 'Rotate: a new session replaces the presented one',
    request: { body: { required: false, content: { 'application/json': { schema: z.object({ cookie }).strict() } } } },
    responses: { 200: { description: 'The new session', content: { 'application/json': { schema: envelope(sessionGrantSchema) } } }, ...errorResponses },
  });
  app.openapi(refresh, async (c) => {
    const { viewer, session } = requireSession(c);
    const issued = await refreshSession(ctx, viewer, session, ctx.client(c), ctx.meta(c));
    const asCookie = c.req.valid('json').cookie ?? session.via === 'cookie';
    return c.json(success(deliverSession(c, ctx.publicUrl, issued, asCookie)), 200);
  });

  const signout = createRoute({
    method: 'post',
    path: '/api/auth/signout',
    ...access({ kind: 'member', reason: 'ends your own session' }),
    tags: ['auth'],
    summary: 'Sign out: revoke the presented session',
    responses: { 200: { description: 'Signed out', content: { 'application/json': { schema: envelope(okSchema) } } }, ...errorResponses },
  });
  app.openapi(signout, async (c) => {
    const { viewer, session } = requireSession(c);
    await signOut(ctx.db, viewer, session, ctx.meta(c));
    clearSessionCookie(c, ctx.publicUrl);
    return c.json(success({ ok: true as const }), 200);
  });

  const list = createRoute({
    method: 'get',
    path: '/api/auth/sessions',
    ...access({ kind: 'member', reason: 'lists your own sessions' }),
    tags: ['auth'],
    summary: 'Your live sessions',
    responses: { 200: { description: 'Sessions, newest first', content: { 'application/json': { schema: envelope(z.object({ sessions: z.array(sessionSchema) })) } } }, ...errorResponses },
  });
  app.openapi(list, async (c) => {
    const { viewer, session } = requireSession(c);
    c.header('Cache-Control', 'private, no-store');
    return c.json(success({ sessions: await listOwnSessions(ctx.db, viewer, session.id) }), 200);
  });

  const revoke = createRoute({
    method: 'delete',
    path: '/api/auth/sessions/{id}',
    ...access({ kind: 'member', reason: 'revokes one of your own sessions; another user\'s is not found' }),
    tags: ['auth'],
    summary: 'Revoke one of your sessions',
    request: { params: z.object({ id: sessionId }).strict() },
    responses: { 200: { description: 'Revoked', content: { 'application/json': { schema: envelope(okSchema) } } }, ...errorResponses },
  });
  app.openapi(revoke, async (c) => {
    const { viewer, session } = requireSession(c);
    const { id } = c.req.valid('param');
    await revokeOwnSession(ctx.db, viewer, id, ctx.meta(c));
    if (id === session.id && session.via === 'cookie') clearSessionCookie(c, ctx.publicUrl);
    return c.json(success({ ok: true as const }), 200);
  });

  const providers = createRoute({
    method: 'get',
    path: '/api/auth/providers',
    ...access({ kind: 'public', reason: 'the sign-in screen needs it before anyone is signed in' }),
    tags: ['auth'],
    summary: 'Which ways to sign in this server offers',
    responses: {
      200: {
        description: 'Providers',
        content: { 'application/json': { schema: envelope(z.object({ password: z.literal(true), google: z.object({ configured: z.boolean() }), apple: z.object({ configured: z.boolean() }) })) } },
      },
    },
  });
  app.openapi(providers, (c) =>
    c.json(success({ password: true as const, google: { configured: ctx.providers.google !== null }, apple: { configured: ctx.providers.apple !== null } }), 200),
  );

  return app;
}
