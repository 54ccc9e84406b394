/**
 * Agent tasks: trigger, detail, list and the monthly quota.
 *
 * - trigger: `agents.trigger`. Writes the `agent_tasks` row (and, for a story
 *   generation request with inline text, the private draft story it works
 *   on) and hands it to the AgentDispatcher after commit. Asking to publish
 *   the result also needs `stories.publish`. StoryCompanion and
 *   SearchAssistant follow the tenant's feature flags.
 * - detail and list: a member with `agents.trigger` sees the tasks they
 *   asked for; `users.manage` (who oversees the tenant's members) sees all.
 * - quota: `agents.trigger` or `policies.manage`.
 */
import { can } from '../../shapes/permissions.ts';
import type { Viewer } from '../../shapes/viewer.ts';
import type { Tx } from '../db/database.ts';
import { requirePermission } from '../auth/access.ts';
import { HttpError } from '../http/http-error.ts';
import { STORY_PIPELINE_ROOT, type AgentType, type TriggerAgentInput } from './agent-task-input.ts';
import { authorizeAny, authorize, type Actor } from './authorization.ts';
import { cursorTime, decodeCursor, afterCursor, timeIdCursor, toPage, type Page, type PageRequest } from './pagination.ts';
import type { ServiceDeps } from './service-deps.ts';
import { SqlParams } from './sql-params.ts';
import { replaceStoryTags, resolveTagSlugs } from './story-references.ts';
import { managesStories } from './story-visibility.ts';
import { inTenant } from './tenant-transaction.ts';

export interface AgentTaskView {
  id: string;
  agent_type: AgentType;
  status: 'pending' | 'processing' | 'completed' | 'failed';
  input: unknown;
  output: unknown;
  error: string | null;
  story_id: string | null;
  parent_task_id: string | null;
  requested_by: string | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  updated_at: Date;
}

export interface AgentTaskDetail extends AgentTaskView {
  /** Pipeline stages the worker has started for this request, oldest first. */
  stages: AgentTaskView[];
}

export interface AgentTaskListQuery extends PageRequest {
  status?: AgentTaskView['status'] | undefined;
  agent_type?: AgentType | undefined;
  story_id?: string | undefined;
}

export interface AgentQuota {
  plan: string;
  period: { start: Date; end: Date };
  story_quota: { limit: number; used: number; remaining: number };
  llm_usage: {
    prompt_tokens: number;
    completion_tokens: number;
    cost_usd: number;
    by_purpose: Array<{ purpose: string; prompt_tokens: number; completion_tokens: number; cost_usd: number }>;
  };
}

const TASK_COLUMNS = `t.id, t.agent_type, t.status, t.input, t.output, t.error, t.story_id, t.parent_task_id, t.requested_by,
  t.created_at, t.started_at, t.completed_at, t.updated_at`;

export class AgentTaskService {
  constructor(private readonly deps: ServiceDeps) {}

  async trigger(actor: Actor, request: TriggerAgentInput): Promise<AgentTaskView> {
    const viewer = authorize(actor, 'agents.trigger');
    assertFeatureEnabled(viewer, request.agent_type);
    if (request.agent_type === 'QuotaAgent') {
      const { is_published, visibility } = request.input.publish;
      if (is_published || visibility !== 'private') requirePermission(viewer, 'stories.publish');
      if (!request.story_id === !request.input.story) {
        throw HttpError.invalid({ 'input.story': ['give either input.story (new text) or story_id (an existing story), not both and not neither'] });
      }
    }
    return inTenant(this.deps, { tenantId: viewer.tenantId, userId: viewer.userId }, async (tx, after) => {
      const storyId = await this.storyFor(tx, viewer, request);
      if (request.agent_type === 'PersonalizationAgent' && request.input.user_id) {
        const member = await tx.maybeOne('SELECT 1 FROM users WHERE id = $1 AND tenant_id = $2', [request.input.user_id, viewer.tenantId]);
        if (!member) throw HttpError.invalid({ 'input.user_id': ['is not a member of your family or school'] });
      }
      const task = await tx.one<AgentTaskView>(
        `INSERT INTO agent_tasks AS t (tenant_id, agent_type, status, input, requested_by, story_id)
         VALUES ($1, $2, 'pending', $3, $4, $5) RETURNING ${TASK_COLUMNS}`,
        [viewer.tenantId, request.agent_type, JSON.stringify(request.input), viewer.userId, storyId],
      );
      after.agentTasks.push({ id: task.id, tenantId: viewer.tenantId, agentType: task.agent_type, requestedBy: viewer.userId });
      return task;
    });
  }

  async get(actor: Actor, id: string): Promise<AgentTaskDetail> {
    const viewer = authorizeAny(actor, ['agents.trigger', 'users.manage']);
    return this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      async (tx) => {
        const p = new SqlParams();
        const task = await tx.maybeOne<AgentTaskView>(
          `SELECT ${TASK_COLUMNS} FROM agent_tasks t WHERE t.id = ${p.add(id)} AND t.tenant_id = ${p.add(viewer.tenantId)} AND ${ownScope(viewer, p)}`,
          p.values,
        );
        if (!task) throw HttpError.notFound('The agent task');
        const stages = await tx.query<AgentTaskView>(`SELECT ${TASK_COLUMNS} FROM agent_tasks t WHERE t.parent_task_id = $1 ORDER BY t.created_at, t.id`, [id]);
        return { ...task, stages };
      },
      { readOnly: true },
    );
  }

  async list(actor: Actor, query: AgentTaskListQuery): Promise<Page<AgentTaskView>> {
    const viewer = authorizeAny(actor, ['agents.trigger', 'users.manage']);
    const cursor = decodeCursor(query.cursor, timeIdCursor);
    const p = new SqlParams();
    const filters = [`t.tenant_id = ${p.add(viewer.tenantId)}`, 't.parent_task_id IS NULL', ownScope(viewer, p)];
    if (query.status) filters.push(`t.status = ${p.add(query.status)}`);
    if (query.agent_type) filters.push(`t.agent_type = ${p.add(query.agent_type)}`);
    if (query.story_id) filters.push(`t.story_id = ${p.add(query.story_id)}`);
    filters.push(afterCursor(cursor, 't.created_at', 't.id', (v) => p.add(v)));
    const rows = await this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      (tx) =>
        tx.query<AgentTaskView & { cursor_at: string }>(
          `SELECT ${TASK_COLUMNS}, ${cursorTime('t.created_at')} AS cursor_at FROM agent_tasks t
           WHERE ${filters.join(' AND ')} ORDER BY t.created_at DESC, t.id DESC LIMIT ${p.add(query.limit + 1)}`,
          p.values,
        ),
      { readOnly: true },
    );
    return toPage(rows, query.limit, (r) => [r.cursor_at, r.id], ({ cursor_at: _, ...task }) => task);
  }

  /**
   * This calendar month (UTC): story generation requests that were not
   * refused or failed count against `story_quota`; model usage is summed
   * from `llm_usage`.
   */
  async quota(actor: Actor): Promise<AgentQuota> {
    const viewer = authorizeAny(actor, ['agents.trigger', 'policies.manage']);
    return this.deps.db.transaction(
      { tenantId: viewer.tenantId, userId: viewer.userId },
      async (tx) => {
        const period = await tx.one<{ start: Date; end: Date }>(
          `SELECT date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start,
                  (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC' AS "end"`,
        );
        const { used } = await tx.one<{ used: number }>(
          `SELECT count(*)::int AS used FROM agent_tasks
           WHERE tenant_id = $1 AND agent_type = $2 AND parent_task_id IS NULL AND status <> 'failed' AND created_at >= $3`,
          [viewer.tenantId, STORY_PIPELINE_ROOT, period.start],
        );
        const byPurpose = await tx.query<{ purpose: string; prompt_tokens: number; completion_tokens: number; cost_usd: number }>(
          `SELECT purpose, sum(prompt_tokens)::bigint::float8 AS prompt_tokens, sum(completion_tokens)::bigint::float8 AS completion_tokens,
                  sum(cost_usd)::float8 AS cost_usd
           FROM llm_usage WHERE tenant_id = $1 AND created_at >= $2 GROUP BY purpose ORDER BY purpose`,
          [viewer.tenantId, period.start],
        );
        const limit = viewer.policies.story_quota;
        const sum = (key: 'prompt_tokens' | 'completion_tokens' | 'cost_usd') => byPurpose.reduce((n, r) => n + r[key], 0);
        return {
          plan: viewer.plan,
          period,
          story_quota: { limit, used, remaining: Math.max(0, limit - used) },
          llm_usage: { prompt_tokens: sum('prompt_tokens'), completion_tokens: sum('completion_tokens'), cost_usd: Math.round(sum('cost_usd') * 1e6) / 1e6, by_purpose: byPurpose },
        };
      },
      { readOnly: true },
    );
  }

  /** The story the task works on: a new private draft, an existing editable story, or none. */
  private async storyFor(tx: Tx, viewer: Viewer, request: TriggerAgentInput): Promise<string | null> {
    if (request.agent_type === 'QuotaAgent' && request.input.story) {
      const draft = request.input.story;
      const tagIds = await resolveTagSlugs(tx, draft.tags).catch((err: unknown) => {
        throw prefixFieldErrors(err, 'input.story.');
      });
      const { id } = await tx.one<{ id: string }>(
        `INSERT INTO stories (tenant_id, title, description, content, language, age_range, visibility, is_published, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'private', false, $7) RETURNING id`,
        [viewer.tenantId, draft.title, draft.description, draft.content, draft.language, draft.age_range, viewer.userId],
      );
      await replaceStoryTags(tx, viewer.tenantId, id, tagIds);
      return id;
    }
    if (!('story_id' in request) || !request.story_id) return null;
    const story = await tx.maybeOne<{ created_by: string | null }>('SELECT created_by FROM stories WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [request.story_id, viewer.tenantId]);
    if (!story) throw HttpError.invalid({ story_id: ['is not a story of your family or school'] });
    if (story.created_by !== viewer.userId && !managesStories(viewer)) {
      throw HttpError.forbidden('Agents may only work on your own stories, unless your profile allows stories.delete.');
    }
    return request.story_id;
  }
}

/** Members see their own tasks; `users.manage` sees everyone's. */
function ownScope(viewer: Viewer, p: SqlParams): string {
  return can(viewer.permissions, 'users.manage') ? 'TRUE' : `t.requested_by = ${p.add(viewer.userId)}`;
}

function assertFeatureEnabled(viewer: Viewer, agentType: AgentType): void {
  const flag = agentType === 'StoryCompanion' ? 'story_companion' : agentType === 'SearchAssistant' ? 'search_assistant' : null;
  if (flag && !viewer.policies.feature_flags[flag]) {
    throw HttpError.forbidden(`The ${agentType} is turned off for your family or school (feature_flags.${flag}). An admin can turn it on in the policies.`);
  }
}

function prefixFieldErrors(err: unknown, prefix: string): unknown {
  if (err instanceof HttpError && err.errors) {
    return new HttpError(err.status, err.message, Object.fromEntries(Object.entries(err.errors).map(([k, v]) => [prefix + k, v])));
  }
  return err;
}
