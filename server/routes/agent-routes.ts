/** /api/agents: trigger a task, read one, list them, and the monthly quota. */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/app-env.ts';
import { success } from '../http/envelope.ts';
import { validationHook } from '../http/validation.ts';
import { listAgentTasksQueryFields, triggerAgentBody } from '../services/agent-task-input.ts';
import type { Services } from '../services/index.ts';
import { pageQueryFields } from '../services/pagination.ts';
import { agentQuotaSchema, agentTaskDetailSchema, agentTaskSchema } from './response-schemas.ts';
import { actorOf, errors, idParam, jsonBody, needs, ok, pageOf } from './route-kit.ts';

const tags = ['agents'];

const trigger = createRoute({
  method: 'post', path: '/api/agents/trigger', tags, summary: 'Ask an agent for work',
  description:
    'Writes an agent_tasks row (202, status pending) for the worker. A QuotaAgent task is a story generation request: give input.story (new text, saved as a private draft) or story_id, plus voice, illustration_style and publish. Publishing the result also needs stories.publish.',
  ...needs('agents.trigger'),
  request: { body: jsonBody(triggerAgentBody) },
  responses: { 202: ok(agentTaskSchema, 'Accepted: the task is queued'), ...errors(400, 401, 403, 413, 415) },
});

const detail = createRoute({
  method: 'get', path: '/api/agents/tasks/{id}', tags, summary: 'A task and its pipeline stages',
  description: 'Your own tasks; users.manage sees every task of the tenant.',
  ...needs('agents.trigger', 'users.manage'),
  request: { params: idParam('a task') },
  responses: { 200: ok(agentTaskDetailSchema, 'The task'), ...errors(400, 401, 403, 404) },
});

const list = createRoute({
  method: 'get', path: '/api/agents/tasks', tags, summary: 'Requests made to the agents, newest first',
  description: 'Top-level tasks only (stages are in the detail). Your own; users.manage sees the whole tenant\'s.',
  ...needs('agents.trigger', 'users.manage'),
  request: { query: z.object({ ...listAgentTasksQueryFields, ...pageQueryFields }).strict() },
  responses: { 200: ok(pageOf(agentTaskSchema), 'A page of tasks'), ...errors(400, 401, 403) },
});

const quota = createRoute({
  method: 'get', path: '/api/agents/quota', tags, summary: 'This month\'s story quota and model usage',
  ...needs('agents.trigger', 'policies.manage'),
  responses: { 200: ok(agentQuotaSchema, 'Quota and usage'), ...errors(401, 403) },
});

export function agentRoutes(services: Services, trustProxy: boolean): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(trigger, async (c) => c.json(success(await services.agents.trigger(actorOf(c, trustProxy), c.req.valid('json'))), 202));
  app.openapi(detail, async (c) => c.json(success(await services.agents.get(actorOf(c, trustProxy), c.req.valid('param').id)), 200));
  app.openapi(list, async (c) => c.json(success(await services.agents.list(actorOf(c, trustProxy), c.req.valid('query'))), 200));
  app.openapi(quota, async (c) => c.json(success(await services.agents.quota(actorOf(c, trustProxy))), 200));
  return app;
}
