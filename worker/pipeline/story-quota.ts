/**
 * QuotaAgent: may this tenant have one more story this calendar month
 * (UTC)? The limit is the tenant's effective `story_quota` (its policy, or
 * its plan's default). Requests count as the quota endpoint counts them
 * (server/services/agent-task-service.ts): story generation requests of the
 * month that did not fail; refused ones fail, so they never use up quota.
 *
 * The request is judged by its place in the month's queue (requests made
 * before it), not by the total, so a burst of requests over the limit
 * refuses the late ones rather than all of them.
 */
import type { Tx } from '../../server/db/database.ts';
import { STORY_PIPELINE_ROOT } from '../../server/services/agent-task-input.ts';
import type { AgentTaskRow } from '../tasks/agent-task-row.ts';
import { loadTenantLimits } from '../steps/tenant-limits.ts';

export interface QuotaVerdict {
  allowed: boolean;
  plan: string;
  limit: number;
  /** Requests of the month before this one that count. */
  used_before: number;
  period_start: string;
  /** For the parent, when refused. */
  reason?: string;
}

export async function checkStoryQuota(tx: Tx, root: AgentTaskRow): Promise<QuotaVerdict> {
  const { plan, policies } = await loadTenantLimits(tx, root.tenant_id);
  const { used, start, next } = await tx.one<{ used: number; start: Date; next: Date }>(
    // The request's own created_at is compared in SQL: a JS Date would drop its microseconds.
    `WITH me AS (SELECT created_at, id FROM agent_tasks WHERE id = $3 AND tenant_id = $1),
          period AS (SELECT date_trunc('month', (SELECT created_at FROM me) AT TIME ZONE 'UTC') AS start)
     SELECT (SELECT count(*)::int FROM agent_tasks t
             WHERE t.tenant_id = $1 AND t.agent_type = $2 AND t.parent_task_id IS NULL AND t.status <> 'failed'
               AND t.created_at >= (SELECT start FROM period) AT TIME ZONE 'UTC'
               AND (t.created_at, t.id) < (SELECT created_at, id FROM me)) AS used,
            (SELECT start FROM period) AT TIME ZONE 'UTC' AS start,
            ((SELECT start FROM period) + interval '1 month') AT TIME ZONE 'UTC' AS next`,
    [root.tenant_id, STORY_PIPELINE_ROOT, root.id],
  );
  const limit = policies.story_quota;
  const verdict: QuotaVerdict = { allowed: used < limit, plan, limit, used_before: used, period_start: start.toISOString() };
  if (!verdict.allowed) verdict.reason = refusal(plan, limit, next);
  return verdict;
}

function refusal(plan: string, limit: number, next: Date): string {
  const from = next.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' });
  if (limit === 0) return 'Making new stories is turned off for your family or school (its story_quota is 0). An admin can raise it in the policies.';
  return (
    `Your family or school has already made its ${limit} ${limit === 1 ? 'story' : 'stories'} for this month (story_quota on the ${plan} plan). ` +
    `You can make new ones again from ${from}, or an admin can raise story_quota in the policies.`
  );
}
