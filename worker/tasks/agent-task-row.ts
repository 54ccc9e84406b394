/**
 * An `agent_tasks` row as the worker reads it, and the few ways the worker
 * moves one along. Every change is its own short transaction in the task's
 * tenant (and requester's) context, so a parent's device sees it through
 * sync as soon as it commits.
 */
import type { Database, DbContext, Tx } from '../../server/db/database.ts';
import type { AgentType } from '../../server/services/agent-task-input.ts';

export type TaskStatus = 'pending' | 'processing' | 'completed' | 'failed';

export interface AgentTaskRow {
  id: string;
  tenant_id: string;
  agent_type: AgentType;
  status: TaskStatus;
  input: unknown;
  output: unknown;
  error: string | null;
  requested_by: string | null;
  story_id: string | null;
  parent_task_id: string | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

export const TASK_COLUMNS = 'id, tenant_id, agent_type, status, input, output, error, requested_by, story_id, parent_task_id, created_at, started_at, completed_at';

/** The RLS context a task's work runs in: its tenant, acting for whoever asked. */
export function taskContext(task: Pick<AgentTaskRow, 'tenant_id' | 'requested_by'>): DbContext {
  return { tenantId: task.tenant_id, userId: task.requested_by };
}

export async function loadTask(db: Database, tenantId: string, taskId: string): Promise<AgentTaskRow | undefined> {
  return db.transaction({ tenantId, userId: null }, (tx) => tx.maybeOne<AgentTaskRow>(`SELECT ${TASK_COLUMNS} FROM agent_tasks WHERE id = $1 AND tenant_id = $2`, [taskId, tenantId]));
}

/**
 * Marks a task as being worked on. Returns false when it has already
 * finished (a job delivered twice, or a duplicate settled meanwhile), in
 * which case there is nothing to do.
 */
export async function beginTask(db: Database, task: AgentTaskRow): Promise<boolean> {
  const updated = await db.transaction(taskContext(task), (tx) =>
    tx.execute(
      `UPDATE agent_tasks SET status = 'processing', started_at = coalesce(started_at, now()), completed_at = NULL
       WHERE id = $1 AND tenant_id = $2 AND status IN ('pending', 'processing')`,
      [task.id, task.tenant_id],
    ),
  );
  return updated > 0;
}

/** Leaves a note on a task that is still running (a failed attempt about to be retried). */
export async function noteOnTask(db: Database, task: AgentTaskRow, note: string): Promise<void> {
  await db.transaction(taskContext(task), (tx) =>
    tx.execute(`UPDATE agent_tasks SET error = $3 WHERE id = $1 AND tenant_id = $2 AND status IN ('pending', 'processing')`, [task.id, task.tenant_id, note]),
  );
}

export interface TaskOutcome {
  status: 'completed' | 'failed';
  output: Record<string, unknown>;
  /** Required when failed: a sentence the parent can read. */
  error: string | null;
}

/** Sets the final state of a task that is still open; false when it had already finished. */
export async function settleTask(tx: Tx, task: Pick<AgentTaskRow, 'id' | 'tenant_id'>, outcome: TaskOutcome): Promise<boolean> {
  const updated = await tx.execute(
    `UPDATE agent_tasks SET status = $3, output = $4, error = $5, started_at = coalesce(started_at, now()), completed_at = now()
     WHERE id = $1 AND tenant_id = $2 AND status IN ('pending', 'processing')`,
    [task.id, task.tenant_id, outcome.status, JSON.stringify(outcome.output), outcome.error],
  );
  return updated > 0;
}
