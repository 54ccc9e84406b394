/**
 * Kid accounts and device pairing.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env.ts';
import { success } from '../../http/envelope.ts';
import { validationHook } from '../../http/validation.ts';
import { requireSession, requireViewer } from '../access.ts';
import { createPairingCode, pairThisDevice, redeemPairingCode } from '../device-pairing-service.ts';
import { createKidAccount, listKids } from '../kid-account-service.ts';
import { retirePresentedSession } from '../session-service.ts';
import { deliverSession } from '../session-transport.ts';
import { access, avatar, cookie, deviceName, displayName, envelope, errorResponses, jsonBody, pairingCode, sessionGrantSchema, uuid } from './auth-schemas.ts';
import type { AuthRouteContext } from './route-support.ts';

const kidSchema = z
  .object({ id: z.string(), displayName: z.string(), avatar: z.string().nullable(), profile: z.object({ id: z.string(), name: z.string() }), isActive: z.boolean() })
  .openapi('Kid');

export function kidRoutes(ctx: AuthRouteContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  const create = createRoute({
    method: 'post',
    path: '/api/auth/kids',
    tags: ['kids'],
    ...access({ kind: 'permission', any: ['users.manage'] }),
    summary: 'Create a kid account: no email, no password (users.manage)',
    request: { body: jsonBody(z.object({ displayName, avatar: avatar.optional(), profileId: uuid.optional() }).strict()) },
    responses: { 201: { description: 'Created', content: { 'application/json': { schema: envelope(z.object({ kid: kidSchema })) } } }, ...errorResponses },
  });
  app.openapi(create, async (c) => {
    const viewer = requireViewer(c);
    return c.json(success({ kid: await createKidAccount(ctx, viewer, c.req.valid('json'), ctx.meta(c)) }), 201);
  });

  const list = createRoute({
    method: 'get',
    path: '/api/auth/kids',
    tags: ['kids'],
    ...access({ kind: 'permission', any: ['users.manage'] }),
    summary: "Your family's kid accounts (users.manage)",
    responses: { 200: { description: 'Kids', content: { 'application/json': { schema: envelope(z.object({ kids: z.array(kidSchema) })) } } }, ...errorResponses },
  });
  app.openapi(list, async (c) => {
    const viewer = requireViewer(c);
    return c.json(success({ kids: await listKids(ctx, viewer) }), 200);
  });

  const pairHere = createRoute({
    method: 'post',
    path: '/api/auth/pairing',
    ...access({ kind: 'permission', any: ['users.manage'], note: 'and not from a paired (kid) device session' }),
    tags: ['kids'],
    summary: "Sign this device in as a kid; the parent's session on it ends (users.manage)",
    request: { body: jsonBody(z.object({ kidId: uuid, deviceName: deviceName.optional(), cookie }).strict()) },
    responses: { 201: { description: "The kid's session", content: { 'application/json': { schema: envelope(sessionGrantSchema) } } }, ...errorResponses },
  });
  app.openapi(pairHere, async (c) => {
    const { viewer, session } = requireSession(c);
    const body = c.req.valid('json');
    const issued = await pairThisDevice(ctx, viewer, session, body, ctx.client(c, body.deviceName), ctx.meta(c));
    return c.json(success(deliverSession(c, ctx.publicUrl, issued, body.cookie ?? session.via === 'cookie')), 201);
  });

  const code = createRoute({
    method: 'post',
    path: '/api/auth/pairing/codes',
    ...access({ kind: 'permission', any: ['users.manage'], note: 'and not from a paired (kid) device session' }),
    tags: ['kids'],
    summary: "A one-time code another device redeems for a kid's session (users.manage)",
    request: { body: jsonBody(z.object({ kidId: uuid, deviceName: deviceName.optional() }).strict()) },
    responses: {
      201: {
        description: 'The code, shown once',
        content: { 'application/json': { schema: envelope(z.object({ code: z.string(), expiresAt: z.string(), kid: z.object({ id: z.string(), displayName: z.string() }) })) } },
      },
      ...errorResponses,
    },
  });
  app.openapi(code, async (c) => {
    const { viewer, session } = requireSession(c);
    return c.json(success(await createPairingCode(ctx, viewer, session, c.req.valid('json'), ctx.meta(c))), 201);
  });

  const redeem = createRoute({
    method: 'post',
    path: '/api/auth/pairing/redeem',
    ...access({ kind: 'public', reason: 'the one-time pairing code is the credential' }),
    tags: ['kids'],
    summary: "Redeem a pairing code on the kid's device",
    middleware: [ctx.ipLimit] as const,
    request: { body: jsonBody(z.object({ code: pairingCode, deviceName: deviceName.optional(), cookie }).strict()) },
    responses: { 201: { description: "The kid's session", content: { 'application/json': { schema: envelope(sessionGrantSchema) } } }, ...errorResponses },
  });
  app.openapi(redeem, async (c) => {
    const body = c.req.valid('json');
    const meta = ctx.meta(c);
    const issued = await redeemPairingCode(ctx, body.code, body.deviceName, ctx.client(c, body.deviceName), meta);
    await retirePresentedSession(ctx.db, c.var.viewer, c.var.session, meta);
    return c.json(success(deliverSession(c, ctx.publicUrl, issued, body.cookie === true)), 201);
  });

  return app;
}
