/** /api/admin: tenant statistics, members, and the audit log. */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { AppEnv } from '../http/app-env.ts';
import { success } from '../http/envelope.ts';
import { validationHook } from '../http/validation.ts';
import { listAuditLogsQuery } from '../services/audit-service.ts';
import type { Services } from '../services/index.ts';
import { listUsersQuery, updateUserBody } from '../services/user-admin-schemas.ts';
import { auditLogSchema, memberSchema, tenantStatsSchema } from './response-schemas.ts';
import { actorOf, errors, idParam, jsonBody, needs, ok, pageOf } from './route-kit.ts';

const tags = ['admin'];

const stats = createRoute({
  method: 'get', path: '/api/admin/stats', tags, summary: 'This tenant\'s figures',
  description: 'Figures across tenants are only for the platform operator, at /operator/stats.',
  ...needs('users.manage'),
  responses: { 200: ok(tenantStatsSchema, 'Statistics'), ...errors(401, 403) },
});

const users = createRoute({
  method: 'get', path: '/api/admin/users', tags, summary: 'Members, oldest first',
  ...needs('users.manage'),
  request: { query: listUsersQuery },
  responses: { 200: ok(pageOf(memberSchema), 'A page of members'), ...errors(400, 401, 403) },
});

const updateUser = createRoute({
  method: 'put', path: '/api/admin/users/{id}', tags, summary: 'Change a member: profile, display name, avatar, active',
  description: 'Fields left out stay as they are. Changing the profile also needs profiles.manage. Deactivating signs the member out everywhere; reactivating counts against max_users.',
  ...needs('users.manage'),
  request: { params: idParam('a member'), body: jsonBody(updateUserBody) },
  responses: { 200: ok(memberSchema, 'The member'), ...errors(400, 401, 403, 404, 409, 413, 415) },
});

const auditLogs = createRoute({
  method: 'get', path: '/api/admin/audit-logs', tags, summary: 'The audit log, newest first',
  description: 'Filters: action (exact or prefix.*), actor_id, target_type, target_id, from, to (ISO 8601).',
  ...needs('audit.read'),
  request: { query: listAuditLogsQuery },
  responses: { 200: ok(pageOf(auditLogSchema), 'A page of audit entries'), ...errors(400, 401, 403) },
});

export function adminRoutes(services: Services, trustProxy: boolean): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(stats, async (c) => c.json(success(await services.tenantStats.stats(actorOf(c, trustProxy))), 200));
  app.openapi(users, async (c) => c.json(success(await services.users.list(actorOf(c, trustProxy), c.req.valid('query'))), 200));
  app.openapi(updateUser, async (c) => c.json(success(await services.users.update(actorOf(c, trustProxy), c.req.valid('param').id, c.req.valid('json'))), 200));
  app.openapi(auditLogs, async (c) => c.json(success(await services.audit.list(actorOf(c, trustProxy), c.req.valid('query'))), 200));
  return app;
}

