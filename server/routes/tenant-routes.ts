/** /api/tenants: the current tenant and its policies. */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { POLICY_KEYS } from '../../shapes/policies.ts';
import type { AppEnv } from '../http/app-env.ts';
import { success } from '../http/envelope.ts';
import { validationHook } from '../http/validation.ts';
import type { Services } from '../services/index.ts';
import { policyEntrySchema, tenantSchema } from './response-schemas.ts';
import { access, actorOf, errors, jsonBody, needs, ok } from './route-kit.ts';

const tags = ['tenants'];

const current = createRoute({
  method: 'get', path: '/api/tenants', tags, summary: 'Your family or school',
  ...access({ kind: 'member', reason: 'Every member may see the tenant they belong to (name, type, plan, subscription status and limits).' }),
  responses: { 200: ok(tenantSchema, 'The current tenant'), ...errors(401) },
});

const policies = createRoute({
  method: 'get', path: '/api/tenants/policies', tags, summary: 'Every policy with its effective value, default and whether it is set',
  ...access({ kind: 'member', reason: 'Policies apply to every member, and their devices enforce them offline, so every member may read them.' }),
  responses: { 200: ok(z.object({ items: z.array(policyEntrySchema) }), 'All policies'), ...errors(401) },
});

const update = createRoute({
  method: 'put', path: '/api/tenants/policies/{key}', tags, summary: 'Set one policy',
  description: `Known keys: ${POLICY_KEYS.join(', ')}. The value is validated by the policy registry; unknown keys are refused. Takes effect on the next request.`,
  ...needs('policies.manage'),
  request: {
    params: z.object({ key: z.string().max(64, 'must be a policy key').openapi({ param: { name: 'key', in: 'path' }, example: 'story_quota' }) }).strict(),
    body: jsonBody(z.object({ value: z.unknown().openapi({ description: 'The new value; its shape depends on the key.' }) }).strict().refine((b) => 'value' in b, { message: 'is required', path: ['value'] })),
  },
  responses: { 200: ok(policyEntrySchema, 'The policy now'), ...errors(400, 401, 403, 409, 413, 415) },
});

export function tenantRoutes(services: Services, trustProxy: boolean): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(current, async (c) => c.json(success(await services.tenants.current(actorOf(c, trustProxy))), 200));
  app.openapi(policies, async (c) => c.json(success({ items: await services.policies.list(actorOf(c, trustProxy)) }), 200));
  app.openapi(update, async (c) => c.json(success(await services.policies.update(actorOf(c, trustProxy), c.req.valid('param').key, c.req.valid('json').value)), 200));
  return app;
}
