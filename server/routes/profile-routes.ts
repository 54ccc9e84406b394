/** /api/profiles: permission templates, and assigning members to them. */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/app-env.ts';
import { success } from '../http/envelope.ts';
import { validationHook } from '../http/validation.ts';
import type { Services } from '../services/index.ts';
import { pageQueryFields } from '../services/pagination.ts';
import { assignProfileBody, createProfileBody, updateProfileBody } from '../services/profile-schemas.ts';
import { deletedSchema, profileSchema } from './response-schemas.ts';
import { actorOf, errors, idParam, jsonBody, needs, ok, pageOf } from './route-kit.ts';

const tags = ['profiles'];
const profileId = idParam('a profile');

const list = createRoute({
  method: 'get', path: '/api/profiles', tags, summary: 'Profiles of this family or school, oldest first',
  ...needs('profiles.manage', 'users.manage'),
  request: { query: z.object(pageQueryFields).strict() },
  responses: { 200: ok(pageOf(profileSchema), 'A page of profiles'), ...errors(400, 401, 403) },
});

const create = createRoute({
  method: 'post', path: '/api/profiles', tags, summary: 'Create a profile',
  description: 'permissions: { actions: [...], limits: { ageRanges, languages } } from the documented vocabulary.',
  ...needs('profiles.manage'),
  request: { body: jsonBody(createProfileBody) },
  responses: { 201: ok(profileSchema, 'The new profile'), ...errors(400, 401, 403, 409, 413, 415) },
});

const detail = createRoute({
  method: 'get', path: '/api/profiles/{id}', tags, summary: 'A profile',
  ...needs('profiles.manage', 'users.manage'),
  request: { params: profileId },
  responses: { 200: ok(profileSchema, 'The profile'), ...errors(400, 401, 403, 404) },
});

const update = createRoute({
  method: 'put', path: '/api/profiles/{id}', tags, summary: 'Replace a profile',
  description: 'Default templates may be edited. Members on it get the new permissions on their next request.',
  ...needs('profiles.manage'),
  request: { params: profileId, body: jsonBody(updateProfileBody) },
  responses: { 200: ok(profileSchema, 'The profile'), ...errors(400, 401, 403, 404, 409, 413, 415) },
});

const remove = createRoute({
  method: 'delete', path: '/api/profiles/{id}', tags, summary: 'Delete a profile',
  description: 'Refused (409) for default templates and for profiles members still use.',
  ...needs('profiles.manage'),
  request: { params: profileId },
  responses: { 200: ok(deletedSchema, 'Deleted'), ...errors(400, 401, 403, 404, 409) },
});

const assign = createRoute({
  method: 'post', path: '/api/profiles/{id}/assign', tags, summary: 'Move members onto this profile',
  ...needs('profiles.manage'),
  request: { params: profileId, body: jsonBody(assignProfileBody) },
  responses: { 200: ok(z.object({ profile: profileSchema, assigned: z.array(z.string()) }), 'Assigned'), ...errors(400, 401, 403, 404, 409, 413, 415) },
});

export function profileRoutes(services: Services, trustProxy: boolean): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(list, async (c) => c.json(success(await services.profiles.list(actorOf(c, trustProxy), c.req.valid('query'))), 200));
  app.openapi(create, async (c) => c.json(success(await services.profiles.create(actorOf(c, trustProxy), c.req.valid('json'))), 201));
  app.openapi(detail, async (c) => c.json(success(await services.profiles.get(actorOf(c, trustProxy), c.req.valid('param').id)), 200));
  app.openapi(update, async (c) => c.json(success(await services.profiles.update(actorOf(c, trustProxy), c.req.valid('param').id, c.req.valid('json'))), 200));
  app.openapi(remove, async (c) => c.json(success(await services.profiles.delete(actorOf(c, trustProxy), c.req.valid('param').id)), 200));
  app.openapi(assign, async (c) => c.json(success(await services.profiles.assign(actorOf(c, trustProxy), c.req.valid('param').id, c.req.valid('json'))), 200));
  return app;
}
