/**
 * The 'agent.run' handler: one task that is not a story pipeline, run by
 * the agent its type names, its output and model usage committed with its
 * completion and the agent-task-complete webhook. A story generation
 * request that arrives here (dispatched by hand, say) runs as a pipeline.
 */
import { UnrecoverableError } from 'bullmq';
import type { JobPayload } from '../../server/queue/job-registry.ts';
import type { AgentType } from '../../server/services/agent-task-input.ts';
import type { JobContext } from '../job-runner.ts';
import { runStoryPipeline } from '../pipeline/story-pipeline.ts';
import { recordUsage } from '../steps/step-result.ts';
import { beginTask, loadTask } from '../tasks/agent-task-row.ts';
import { finishTask } from '../tasks/task-completion.ts';
import { recordTaskFailure } from '../tasks/task-failure-record.ts';
import { parseTaskInput } from '../tasks/task-input.ts';
import type { WorkerDeps } from '../worker-deps.ts';
import type { AgentStep } from './agent-step.ts';
import { personalizationAgent } from './personalization-agent.ts';
import { searchAgent, searchAssistantAgent } from './search-agents.ts';
import { storyCompanionAgent } from './story-companion-agent.ts';
import { illustratorAgent, metadataAgent, moderationAgent, ttsAgent } from './story-stage-agents.ts';

const AGENTS: Record<Exclude<AgentType, 'QuotaAgent'>, AgentStep> = {
  StoryCompanion: storyCompanionAgent,
  SearchAgent: searchAgent,
  SearchAssistant: searchAssistantAgent,
  PersonalizationAgent: personalizationAgent,
  ModerationAgent: moderationAgent,
  MetadataAgent: metadataAgent,
  TTSAgent: ttsAgent,
  IllustratorAgent: illustratorAgent,
};

export async function runAgentTask(deps: WorkerDeps, payload: JobPayload<'agent.run'>, job: JobContext): Promise<{ outcome: string }> {
  const task = await loadTask(deps.db, payload.tenantId, payload.taskId);
  if (!task) throw new UnrecoverableError(`Agent task ${payload.taskId} does not exist (deleted with its tenant?); nothing to do.`);
  if (task.parent_task_id !== null) throw new UnrecoverableError(`Agent task ${task.id} is a pipeline stage; its pipeline runs it.`);
  if (task.agent_type === 'QuotaAgent') return runStoryPipeline(deps, { tenantId: payload.tenantId, taskId: payload.taskId }, job);
  if (!(await beginTask(deps.db, task))) return { outcome: 'already-finished' };
  const agent = AGENTS[task.agent_type];
  try {
    const input = parseTaskInput(task);
    const step = await agent.run(deps, task, input);
    await finishTask(deps, task, async ({ tx }) => {
      const output = await step.apply(tx);
      await recordUsage(tx, task.tenant_id, task.id, step.usage);
      return { status: 'completed', output: { outcome: 'completed', ...output }, error: null };
    });
    return { outcome: 'completed' };
  } catch (err) {
    throw await recordTaskFailure(deps, task, err, agent.activity, job, { output: { story_id: task.story_id } }).catch((recordError: unknown) => {
      // The job still fails (and retries) with its own error; recordAbandonedJob settles the row if it never heals.
      job.logger.error({ err, recordError, task: task.id }, 'could not record an agent task failure');
      return err as Error;
    });
  }
}
