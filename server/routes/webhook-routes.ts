/**
 * /api/webhooks: tenant admins register endpoints for outgoing events and
 * read every delivery attempt; the payment provider posts subscription
 * changes to /api/webhooks/subscription-status.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/app-env.ts';
import { success } from '../http/envelope.ts';
import { requestMeta } from '../http/request-meta.ts';
import { validationHook } from '../http/validation.ts';
import type { Services } from '../services/index.ts';
import { pageQueryFields } from '../services/pagination.ts';
import { PAYMENT_SIGNATURE_HEADER } from '../services/subscription-service.ts';
import { createWebhookBody } from '../services/webhook-schemas.ts';
import { SIGNATURE_HEADER } from '../webhooks/webhook-delivery.ts';
import { WEBHOOK_EVENTS } from '../webhooks/webhook-events.ts';
import { createdWebhookSchema, deletedSchema, deliverySchema, webhookSchema } from './response-schemas.ts';
import { access, actorOf, errors, idParam, jsonBody, needs, ok, pageOf } from './route-kit.ts';

const tags = ['webhooks'];
const webhookId = idParam('a webhook');

const list = createRoute({
  method: 'get', path: '/api/webhooks', tags, summary: 'Registered webhook endpoints',
  ...needs('policies.manage'),
  request: { query: z.object(pageQueryFields).strict() },
  responses: { 200: ok(pageOf(webhookSchema), 'A page of endpoints'), ...errors(400, 401, 403) },
});

const create = createRoute({
  method: 'post', path: '/api/webhooks', tags, summary: 'Register an endpoint',
  description: `Events: ${WEBHOOK_EVENTS.join(', ')}. Each delivery is a POST of {id, type, created, tenant_id, data} signed with ${SIGNATURE_HEADER}: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>. Failures are retried with exponential backoff; every attempt is recorded. audit-event also needs audit.read. In production the URL must be https and public.`,
  ...needs('policies.manage'),
  request: { body: jsonBody(createWebhookBody) },
  responses: { 201: ok(createdWebhookSchema, 'Registered; keep the secret'), ...errors(400, 401, 403, 409, 413, 415) },
});

const remove = createRoute({
  method: 'delete', path: '/api/webhooks/{id}', tags, summary: 'Delete an endpoint (and its delivery records)',
  ...needs('policies.manage'),
  request: { params: webhookId },
  responses: { 200: ok(deletedSchema, 'Deleted'), ...errors(400, 401, 403, 404) },
});

const deliveries = createRoute({
  method: 'get', path: '/api/webhooks/{id}/deliveries', tags, summary: 'Every delivery attempt to an endpoint, newest first',
  ...needs('policies.manage'),
  request: { params: webhookId, query: z.object(pageQueryFields).strict() },
  responses: { 200: ok(pageOf(deliverySchema), 'A page of attempts'), ...errors(400, 401, 403, 404) },
});

const subscriptionStatus = createRoute({
  method: 'post', path: '/api/webhooks/subscription-status', tags, summary: 'Subscription changes from the payment provider',
  description: `Stripe-style event (customer.subscription.created/updated/deleted) with metadata.tenant_id. Verified with ${PAYMENT_SIGNATURE_HEADER}: t=<unix>,v1=<hex HMAC-SHA256(PAYMENT_WEBHOOK_SECRET, t + "." + raw body)>, within the tolerance window. Repeated and out-of-order events change nothing.`,
  ...access({ kind: 'public', reason: 'Incoming payment webhook: the provider has no session; its Stripe-Signature HMAC over the raw body and timestamp is the credential.' }),
  // The raw bytes are what is signed, so the body is read as text, not parsed by a validator.
  request: { body: { required: true, content: { 'application/json': { schema: { type: 'object', description: 'The provider\'s event' } } } } },
  responses: {
    200: ok(z.object({ applied: z.boolean(), reason: z.string(), subscription_id: z.string().nullable() }), 'Received'),
    ...errors(400, 409, 413, 503),
  },
});

export function webhookRoutes(services: Services, trustProxy: boolean): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(subscriptionStatus, async (c) => {
    const result = await services.subscriptions.applyProviderEvent(await c.req.text(), c.req.header(PAYMENT_SIGNATURE_HEADER), requestMeta(c, trustProxy));
    return c.json(success(result), 200);
  });
  app.openapi(list, async (c) => c.json(success(await services.webhooks.list(actorOf(c, trustProxy), c.req.valid('query'))), 200));
  app.openapi(create, async (c) => c.json(success(await services.webhooks.create(actorOf(c, trustProxy), c.req.valid('json'))), 201));
  app.openapi(remove, async (c) => c.json(success(await services.webhooks.delete(actorOf(c, trustProxy), c.req.valid('param').id)), 200));
  app.openapi(deliveries, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(success(await services.webhooks.deliveries(actorOf(c, trustProxy), id, c.req.valid('query'))), 200);
  });
  return app;
}
