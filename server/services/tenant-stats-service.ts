/**
 * The admin dashboard's figures for one tenant (`users.manage`). Figures
 * across tenants are the platform operator's (platform-stats-service.ts).
 */
import { authorize, type Actor } from './authorization.ts';
import type { ServiceDeps } from './service-deps.ts';

export interface TenantStats {
  members: { total: number; active: number; adults: number; kids: number };
  profiles: number;
  stories: { total: number; published: number; drafts: number; public: number; awaiting_moderation: number };
  assets: { count: number; bytes: number; quota_bytes: number };
  agent_tasks_this_month: Record<string, number>;
  listening_last_30_days: { events: number; listeners: number; stories: number };
}

export class TenantStatsService {
  constructor(private readonly deps: ServiceDeps) {}

  async stats(actor: Actor): Promise<TenantStats> {
    const viewer = authorize(actor, 'users.manage');
    return this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      async (tx) => {
        const t = [viewer.tenantId];
        const members = await tx.one<TenantStats['members']>(
          `SELECT count(*)::int AS total, count(*) FILTER (WHERE is_active)::int AS active,
                  count(*) FILTER (WHERE kind = 'adult')::int AS adults, count(*) FILTER (WHERE kind = 'kid')::int AS kids
           FROM users WHERE tenant_id = $1`,
          t,
        );
        const { profiles } = await tx.one<{ profiles: number }>('SELECT count(*)::int AS profiles FROM profiles WHERE tenant_id = $1', t);
        const stories = await tx.one<TenantStats['stories']>(
          `SELECT count(*)::int AS total, count(*) FILTER (WHERE is_published)::int AS published, count(*) FILTER (WHERE NOT is_published)::int AS drafts,
                  count(*) FILTER (WHERE visibility = 'public' AND is_published)::int AS public,
                  count(*) FILTER (WHERE moderation_status IN ('pending', 'flagged'))::int AS awaiting_moderation
           FROM stories WHERE tenant_id = $1`,
          t,
        );
        const assets = await tx.one<{ count: number; bytes: number }>('SELECT count(*)::int AS count, coalesce(sum(size_bytes), 0)::float8 AS bytes FROM assets WHERE tenant_id = $1', t);
        const tasks = await tx.query<{ status: string; n: number }>(
          `SELECT status, count(*)::int AS n FROM agent_tasks
           WHERE tenant_id = $1 AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' GROUP BY status`,
          t,
        );
        const listening = await tx.one<TenantStats['listening_last_30_days']>(
          `SELECT count(*)::int AS events, count(DISTINCT user_id)::int AS listeners, count(DISTINCT story_id)::int AS stories
           FROM listening_events WHERE tenant_id = $1 AND occurred_at > now() - interval '30 days'`,
          t,
        );
        return {
          members,
          profiles,
          stories,
          assets: { ...assets, quota_bytes: viewer.policies.storage_quota_mb * 1024 * 1024 },
          agent_tasks_this_month: Object.fromEntries(['pending', 'processing', 'completed', 'failed'].map((s) => [s, tasks.find((r) => r.status === s)?.n ?? 0])),
          listening_last_30_days: listening,
        };
      },
      { readOnly: true },
    );
  }
}
