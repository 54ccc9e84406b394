/**
 * Email and password: sign up, sign in (POST /api/auth/token), change password.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env.ts';
import { success } from '../../http/envelope.ts';
import { validationHook } from '../../http/validation.ts';
import { requireViewer } from '../access.ts';
import { changePassword } from '../password-change-service.ts';
import { signInWithPassword } from '../password-sign-in-service.ts';
import { retirePresentedSession } from '../session-service.ts';
import { deliverSession } from '../session-transport.ts';
import { signUpWithPassword } from '../sign-up-service.ts';
import { access, cookie, currentPassword, displayName, email, envelope, errorResponses, familyName, jsonBody, password, sessionGrantSchema } from './auth-schemas.ts';
import type { AuthRouteContext } from './route-support.ts';

export function passwordRoutes(ctx: AuthRouteContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  const signUp = createRoute({
    method: 'post',
    path: '/api/auth/signup',
    ...access({ kind: 'public', reason: 'creates the account and its family' }),
    tags: ['auth'],
    summary: 'Create an account and a new family, with you as its Tenant Admin',
    middleware: [ctx.ipLimit] as const,
    request: { body: jsonBody(z.object({ email, password, displayName, familyName: familyName.optional(), cookie }).strict()) },
    responses: { 201: { description: 'Signed up and signed in', content: { 'application/json': { schema: envelope(sessionGrantSchema) } } }, ...errorResponses },
  });
  app.openapi(signUp, async (c) => {
    const body = c.req.valid('json');
    const meta = ctx.meta(c);
    const issued = await signUpWithPassword(ctx, body, ctx.client(c), meta);
    await retirePresentedSession(ctx.db, c.var.viewer, c.var.session, meta);
    return c.json(success(deliverSession(c, ctx.publicUrl, issued, body.cookie === true)), 201);
  });

  const token = createRoute({
    method: 'post',
    path: '/api/auth/token',
    ...access({ kind: 'public', reason: 'signs in with email and password' }),
    tags: ['auth'],
    summary: 'Sign in with email and password',
    description: 'Returns a bearer token, or sets the session cookie instead when `cookie` is true (the PWA).',
    middleware: [ctx.ipLimit] as const,
    request: { body: jsonBody(z.object({ email, password: currentPassword, cookie }).strict()) },
    responses: { 200: { description: 'Signed in', content: { 'application/json': { schema: envelope(sessionGrantSchema) } } }, ...errorResponses },
  });
  app.openapi(token, async (c) => {
    const body = c.req.valid('json');
    const meta = ctx.meta(c);
    const issued = await signInWithPassword(ctx, body.email, body.password, ctx.client(c), meta);
    await retirePresentedSession(ctx.db, c.var.viewer, c.var.session, meta);
    return c.json(success(deliverSession(c, ctx.publicUrl, issued, body.cookie === true)), 200);
  });

  const change = createRoute({
    method: 'post',
    path: '/api/auth/password',
    ...access({ kind: 'member', reason: 'changes your own password' }),
    tags: ['auth'],
    summary: 'Change your password; every session ends and this one is replaced',
    middleware: [ctx.ipLimit] as const,
    request: { body: jsonBody(z.object({ currentPassword, newPassword: password }).strict()) },
    responses: { 200: { description: 'Changed; a new session', content: { 'application/json': { schema: envelope(sessionGrantSchema) } } }, ...errorResponses },
  });
  app.openapi(change, async (c) => {
    const viewer = requireViewer(c);
    const issued = await changePassword(ctx, viewer, c.req.valid('json'), ctx.client(c), ctx.meta(c));
    return c.json(success(deliverSession(c, ctx.publicUrl, issued, c.var.session?.via === 'cookie')), 200);
  });

  return app;
}
