/**
 * One pipeline stage = one child `agent_tasks` row of the request
 * (parent_task_id), created when the stage starts and moved through
 * processing → completed (or failed) in short transactions of its own.
 *
 * The stage rows are also the pipeline's checkpoints: a job run again (a
 * retry, or another worker recovering it after this one was killed) finds
 * a completed stage's row and takes its recorded output instead of doing
 * the work again, so nothing is generated, stored or counted twice. One row
 * per (request, agent type) is guaranteed by a unique index (migration 060).
 */
import type { Database, Tx } from '../../server/db/database.ts';
import type { AgentType } from '../../server/services/agent-task-input.ts';
import { taskContext, type AgentTaskRow } from '../tasks/agent-task-row.ts';
import { recordUsage, type StepResult } from '../steps/step-result.ts';
import type { TaskActivity } from '../tasks/task-failure.ts';

export interface StageRow {
  id: string;
  agent_type: AgentType;
  status: 'pending' | 'processing' | 'completed' | 'failed';
  output: unknown;
}

/** A stage's failure, carrying what the request needs to record it. */
export class StageError extends Error {
  constructor(
    readonly activity: TaskActivity,
    readonly stage: StageRow,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'StageError';
  }
}

export async function openStage(db: Database, root: AgentTaskRow, agentType: AgentType, input: Record<string, unknown>): Promise<StageRow> {
  return db.transaction(taskContext(root), async (tx) => {
    await tx.execute(
      `INSERT INTO agent_tasks (tenant_id, agent_type, status, input, requested_by, story_id, parent_task_id)
       VALUES ($1, $2, 'pending', $3, $4, $5, $6)
       ON CONFLICT (parent_task_id, agent_type) WHERE parent_task_id IS NOT NULL DO NOTHING`,
      [root.tenant_id, agentType, JSON.stringify(input), root.requested_by, root.story_id, root.id],
    );
    return tx.one<StageRow>('SELECT id, agent_type, status, output FROM agent_tasks WHERE parent_task_id = $1 AND agent_type = $2 AND tenant_id = $3', [root.id, agentType, root.tenant_id]);
  });
}

export async function startStage(db: Database, root: AgentTaskRow, stage: StageRow): Promise<void> {
  await db.transaction(taskContext(root), (tx) =>
    tx.execute(`UPDATE agent_tasks SET status = 'processing', started_at = now(), completed_at = NULL, error = NULL WHERE id = $1 AND tenant_id = $2`, [stage.id, root.tenant_id]),
  );
}

export async function completeStage(tx: Tx, root: AgentTaskRow, stage: StageRow, output: unknown): Promise<void> {
  await tx.execute(`UPDATE agent_tasks SET status = 'completed', output = $3, error = NULL, completed_at = now() WHERE id = $1 AND tenant_id = $2`, [
    stage.id, root.tenant_id, JSON.stringify(output),
  ]);
}

/** A stage that ended the request: failed with the parent-readable reason, or a note while it is retried. */
export async function markStage(db: Database, root: AgentTaskRow, stage: StageRow, change: { failed: boolean; error: string; output?: unknown }): Promise<void> {
  await db.transaction(taskContext(root), (tx) =>
    change.failed
      ? tx.execute(`UPDATE agent_tasks SET status = 'failed', error = $3, output = $4, completed_at = now() WHERE id = $1 AND tenant_id = $2`, [
          stage.id, root.tenant_id, change.error, JSON.stringify(change.output ?? null),
        ])
      : tx.execute(`UPDATE agent_tasks SET error = $3 WHERE id = $1 AND tenant_id = $2`, [stage.id, root.tenant_id, change.error]),
  );
}

/**
 * Runs a stage unless its row says it already completed. `work` does the
 * slow part outside any transaction; its `apply`, the usage records and the
 * stage's completion then commit together.
 */
export async function runStage<T>(
  db: Database,
  root: AgentTaskRow,
  stage: { agentType: AgentType; activity: TaskActivity; input: Record<string, unknown> },
  work: (row: StageRow) => Promise<StepResult<T>>,
): Promise<T> {
  const row = await openStage(db, root, stage.agentType, stage.input);
  if (row.status === 'completed') return row.output as T;
  try {
    await startStage(db, root, row);
    const result = await work(row);
    return await db.transaction(taskContext(root), async (tx) => {
      const output = await result.apply(tx);
      await recordUsage(tx, root.tenant_id, row.id, result.usage);
      await completeStage(tx, root, row, output);
      return output;
    });
  } catch (err) {
    throw new StageError(stage.activity, row, err);
  }
}
