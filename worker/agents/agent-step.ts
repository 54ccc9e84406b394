/**
 * A single agent's work for one 'agent.run' task: what it was doing (for a
 * failure's wording) and its step result (steps/step-result.ts), whose
 * output becomes the task's output.
 */
import type { AgentTaskRow } from '../tasks/agent-task-row.ts';
import type { TaskActivity } from '../tasks/task-failure.ts';
import type { TriggerAgentInput } from '../../server/services/agent-task-input.ts';
import type { StepResult } from '../steps/step-result.ts';
import type { WorkerDeps } from '../worker-deps.ts';

/** What the task row records as its output (plus `outcome`). */
export type AgentOutput = object;

export interface AgentStep {
  activity: TaskActivity;
  run(deps: WorkerDeps, task: AgentTaskRow, input: TriggerAgentInput): Promise<StepResult<AgentOutput>>;
}
