/**
 * Invitations: admins create, list and revoke them; anyone with the link
 * previews and accepts it.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env.ts';
import { success } from '../../http/envelope.ts';
import { validationHook } from '../../http/validation.ts';
import { requireViewer } from '../access.ts';
import { acceptInvitationWithPassword, createInvitation, listInvitations, previewInvitation, revokeInvitation } from '../invitation-service.ts';
import { deliverSession } from '../session-transport.ts';
import { access, cookie, displayName, email, envelope, errorResponses, invitationToken, jsonBody, okSchema, password, sessionGrantSchema, uuid } from './auth-schemas.ts';
import type { AuthRouteContext } from './route-support.ts';

const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    profile: z.object({ id: z.string(), name: z.string() }),
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    expiresAt: z.string(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    acceptedBy: z.string().nullable(),
  })
  .openapi('Invitation');

export function invitationRoutes(ctx: AuthRouteContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  const create = createRoute({
    method: 'post',
    path: '/api/auth/invitations',
    tags: ['invitations'],
    ...access({ kind: 'permission', any: ['users.manage'] }),
    summary: 'Invite someone into your family with a profile (users.manage); returns a one-time link',
    request: {
      body: jsonBody(
        z
          .object({
            profileId: uuid,
            email: email.optional(),
            expiresInHours: z.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(720, 'must be at most 720 (30 days)').optional(),
          })
          .strict(),
      ),
    },
    responses: {
      201: {
        description: 'Created. The token is shown once; only its hash is kept.',
        content: { 'application/json': { schema: envelope(z.object({ invitation: invitationSchema, token: z.string(), link: z.string() })) } },
      },
      ...errorResponses,
    },
  });
  app.openapi(create, async (c) => {
    const viewer = requireViewer(c);
    return c.json(success(await createInvitation(ctx, viewer, c.req.valid('json'), ctx.meta(c))), 201);
  });

  const list = createRoute({
    method: 'get',
    path: '/api/auth/invitations',
    tags: ['invitations'],
    ...access({ kind: 'permission', any: ['users.manage'] }),
    summary: "Your family's invitations (users.manage)",
    responses: { 200: { description: 'Newest first', content: { 'application/json': { schema: envelope(z.object({ invitations: z.array(invitationSchema) })) } } }, ...errorResponses },
  });
  app.openapi(list, async (c) => {
    const viewer = requireViewer(c);
    return c.json(success({ invitations: await listInvitations(ctx, viewer) }), 200);
  });

  const revoke = createRoute({
    method: 'delete',
    path: '/api/auth/invitations/{id}',
    ...access({ kind: 'permission', any: ['users.manage'] }),
    tags: ['invitations'],
    summary: 'Revoke a pending invitation (users.manage)',
    request: { params: z.object({ id: uuid }).strict() },
    responses: { 200: { description: 'Revoked', content: { 'application/json': { schema: envelope(okSchema) } } }, ...errorResponses },
  });
  app.openapi(revoke, async (c) => {
    const viewer = requireViewer(c);
    await revokeInvitation(ctx, viewer, c.req.valid('param').id, ctx.meta(c));
    return c.json(success({ ok: true as const }), 200);
  });

  // The token travels in the query, not the path, so the request log (which records paths) never holds it.
  const preview = createRoute({
    method: 'get',
    path: '/api/auth/invitations/preview',
    ...access({ kind: 'public', reason: 'the invitation token in the query is the credential' }),
    tags: ['invitations'],
    summary: 'What an invitation link offers (no sign-in needed)',
    middleware: [ctx.ipLimit] as const,
    request: { query: z.object({ token: invitationToken }).strict() },
    responses: {
      200: {
        description: 'The invitation',
        content: {
          'application/json': {
            schema: envelope(
              z.object({ tenant: z.object({ name: z.string(), type: z.enum(['family', 'institution']) }), profile: z.object({ name: z.string() }), email: z.string().nullable(), expiresAt: z.string() }),
            ),
          },
        },
      },
      ...errorResponses,
    },
  });
  app.openapi(preview, async (c) => {
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.json(success(await previewInvitation(ctx, c.req.valid('query').token)), 200);
  });

  const accept = createRoute({
    method: 'post',
    path: '/api/auth/invitations/accept',
    ...access({ kind: 'public', reason: 'the invitation token in the body is the credential' }),
    tags: ['invitations'],
    summary: 'Accept an invitation with a new email and password account',
    middleware: [ctx.ipLimit] as const,
    request: { body: jsonBody(z.object({ token: invitationToken, email, password, displayName, cookie }).strict()) },
    responses: { 201: { description: 'Joined and signed in', content: { 'application/json': { schema: envelope(sessionGrantSchema) } } }, ...errorResponses },
  });
  app.openapi(accept, async (c) => {
    const body = c.req.valid('json');
    const issued = await acceptInvitationWithPassword(ctx, body.token, c.var.viewer, body, ctx.client(c), ctx.meta(c));
    return c.json(success(deliverSession(c, ctx.publicUrl, issued, body.cookie === true)), 201);
  });

  return app;
}
