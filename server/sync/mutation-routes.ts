/**
 * POST /api/sync/mutations — where a device's outbox goes (sync/device's
 * outbox sender). The batch envelope is checked here (a malformed batch is a
 * 400 with field errors and nothing is written); each mutation is then
 * checked and applied on its own by MutationService and gets its own
 * answer: accepted, rejected (with a message to show) or retry.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { mutationBatchResponseSchema, mutationBatchSchema } from '../../sync/mutations.ts';
import type { AppEnv } from '../http/app-env.ts';
import { success } from '../http/envelope.ts';
import { validationHook } from '../http/validation.ts';
import { access, actorOf, errors, jsonBody, ok } from '../routes/route-kit.ts';
import type { ApiRouteDeps } from '../routes/index.ts';
import { pendingAgentDispatcher } from '../services/agent-dispatcher.ts';
import { createAssetStorage } from '../storage/index.ts';
import { inProcessWebhookQueue } from '../webhooks/index.ts';
import { MutationService } from './mutation-service.ts';

const route = createRoute({
  method: 'post',
  path: '/api/sync/mutations',
  tags: ['sync'],
  summary: "Apply a device's queued writes",
  description:
    'Each mutation is applied in order, in its own transaction, through the same service and permission checks as its REST route, and answered accepted, rejected (with a message to show the person) or retry. Idempotent on write_id: a batch sent again changes nothing and gets the same answers. After a retry the rest of the batch is answered retry untried, to keep the order.',
  ...access({ kind: 'member', reason: 'Every member writes from their devices; each mutation is then checked by the service that applies it, as its REST route would be.' }),
  request: { body: jsonBody(mutationBatchSchema) },
  responses: { 200: ok(mutationBatchResponseSchema, 'One result per mutation, in the order sent'), ...errors(400, 401, 413, 415) },
});

export function mutationRoutes(deps: ApiRouteDeps): OpenAPIHono<AppEnv> {
  const { config } = deps;
  const mutations = new MutationService({
    config,
    db: deps.db,
    logger: deps.logger,
    storage: deps.storage ?? createAssetStorage(config.storage),
    agents: deps.agents ?? pendingAgentDispatcher,
    webhookQueue: deps.webhookQueue ?? inProcessWebhookQueue(config, deps.db, deps.logger),
  });
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(route, async (c) => {
    const results = await mutations.applyBatch(actorOf(c, config.trustProxy), c.req.valid('json'));
    return c.json(success({ results }), 200);
  });
  return app;
}
