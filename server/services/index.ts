/**
 * The domain services, built once from their dependencies. Routes, the
 * mutations endpoint and the worker call these; each method starts with its
 * access check and does its work in `db.transaction` under the viewer's
 * tenant and user (see server/README.md).
 */
import { AgentTaskService } from './agent-task-service.ts';
import { AssetContentService } from './asset-content-service.ts';
import { AssetService } from './asset-service.ts';
import { AuditService } from './audit-service.ts';
import { PlatformStatsService } from './platform-stats-service.ts';
import { PolicyService } from './policy-service.ts';
import { ProfileService } from './profile-service.ts';
import type { ServiceDeps } from './service-deps.ts';
import { StoryService } from './story-service.ts';
import { SubscriptionService } from './subscription-service.ts';
import { TenantService } from './tenant-service.ts';
import { TenantStatsService } from './tenant-stats-service.ts';
import { UserAdminService } from './user-admin-service.ts';
import { WebhookService } from './webhook-service.ts';

export type { ServiceDeps } from './service-deps.ts';
export type { Actor } from './authorization.ts';

export function createServices(deps: ServiceDeps) {
  return {
    stories: new StoryService(deps),
    assets: new AssetService(deps),
    assetContent: new AssetContentService(deps),
    agents: new AgentTaskService(deps),
    tenants: new TenantService(deps),
    policies: new PolicyService(deps),
    profiles: new ProfileService(deps),
    users: new UserAdminService(deps),
    audit: new AuditService(deps),
    tenantStats: new TenantStatsService(deps),
    platformStats: new PlatformStatsService(deps.config),
    webhooks: new WebhookService(deps),
    subscriptions: new SubscriptionService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
