/**
 * /api/stories: list, search, detail, create, update, visibility, delete.
 * Routes only coordinate: validate, call the story service, wrap the answer.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { AppEnv } from '../http/app-env.ts';
import { success } from '../http/envelope.ts';
import { validationHook } from '../http/validation.ts';
import type { Services } from '../services/index.ts';
import { createStoryBody, listStoriesQuery, searchStoriesQuery, storyVisibilityBody, updateStoryBody } from '../services/story-schemas.ts';
import { deletedSchema, rankedStorySchema, storySchema } from './response-schemas.ts';
import { actorOf, errors, idParam, jsonBody, needs, ok, pageOf } from './route-kit.ts';

const tags = ['stories'];
const storyId = idParam('a story');

const list = createRoute({
  method: 'get', path: '/api/stories', tags, summary: 'List stories the viewer may see',
  description: 'Newest first. Filters: tags (all must match), age_range, language, visibility, scope (tenant, public, all).',
  ...needs('stories.read'),
  request: { query: listStoriesQuery },
  responses: { 200: ok(pageOf(storySchema), 'A page of stories'), ...errors(400, 401, 403) },
});

const search = createRoute({
  method: 'get', path: '/api/stories/search', tags, summary: 'Search stories (SearchAgent)',
  description: 'Full-text and trigram search over title, description, text and tags; this tenant\'s stories plus the public library; best match first.',
  ...needs('stories.read'),
  request: { query: searchStoriesQuery },
  responses: { 200: ok(pageOf(rankedStorySchema), 'A page of ranked stories'), ...errors(400, 401, 403) },
});

const detail = createRoute({
  method: 'get', path: '/api/stories/{id}', tags, summary: 'A story with its text',
  ...needs('stories.read'),
  request: { params: storyId },
  responses: { 200: ok(storySchema, 'The story'), ...errors(400, 401, 403, 404) },
});

const create = createRoute({
  method: 'post', path: '/api/stories', tags, summary: 'Create a story',
  description: 'Needs stories.create; anything but a private draft also needs stories.publish.',
  ...needs('stories.create'),
  request: { body: jsonBody(createStoryBody) },
  responses: { 201: ok(storySchema, 'The new story'), ...errors(400, 401, 403, 413, 415) },
});

const update = createRoute({
  method: 'put', path: '/api/stories/{id}', tags, summary: 'Replace a story\'s text and media',
  description: 'The author (stories.create) or a manager of every story (stories.delete). Changing the words sends the story back to moderation.',
  ...needs('stories.create', 'stories.delete'),
  request: { params: storyId, body: jsonBody(updateStoryBody) },
  responses: { 200: ok(storySchema, 'The updated story'), ...errors(400, 401, 403, 404, 413, 415) },
});

const visibility = createRoute({
  method: 'patch', path: '/api/stories/{id}/visibility', tags, summary: 'Change visibility (and optionally publish)',
  description: 'The author (stories.publish) or a manager of every story (stories.delete). Audited.',
  ...needs('stories.publish', 'stories.delete'),
  request: { params: storyId, body: jsonBody(storyVisibilityBody) },
  responses: { 200: ok(storySchema, 'The story'), ...errors(400, 401, 403, 404, 413, 415) },
});

const remove = createRoute({
  method: 'delete', path: '/api/stories/{id}', tags, summary: 'Delete a story',
  ...needs('stories.delete'),
  request: { params: storyId },
  responses: { 200: ok(deletedSchema, 'Deleted'), ...errors(400, 401, 403, 404) },
});

export function storyRoutes(services: Services, trustProxy: boolean): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  // Before /{id}, so "search" is never read as an id.
  app.openapi(search, async (c) => c.json(success(await services.stories.search(actorOf(c, trustProxy), c.req.valid('query'))), 200));
  app.openapi(list, async (c) => c.json(success(await services.stories.list(actorOf(c, trustProxy), c.req.valid('query'))), 200));
  app.openapi(detail, async (c) => c.json(success(await services.stories.get(actorOf(c, trustProxy), c.req.valid('param').id)), 200));
  app.openapi(create, async (c) => c.json(success(await services.stories.create(actorOf(c, trustProxy), c.req.valid('json'))), 201));
  app.openapi(update, async (c) => c.json(success(await services.stories.update(actorOf(c, trustProxy), c.req.valid('param').id, c.req.valid('json'))), 200));
  app.openapi(visibility, async (c) => c.json(success(await services.stories.setVisibility(actorOf(c, trustProxy), c.req.valid('param').id, c.req.valid('json'))), 200));
  app.openapi(remove, async (c) => c.json(success(await services.stories.delete(actorOf(c, trustProxy), c.req.valid('param').id)), 200));
  return app;
}
