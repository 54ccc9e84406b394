/**
 * A task's input, read back with the schema the server validated it with
 * when the task was created (server/services/agent-task-input.ts). A row
 * that no longer parses (written by an older version, or by hand) is a
 * refusal with the schema's own field messages.
 */
import { triggerAgentBody, type TriggerAgentInput } from '../../server/services/agent-task-input.ts';
import type { AgentTaskRow } from './agent-task-row.ts';
import { TaskRefusal } from './task-failure.ts';

export function parseTaskInput(task: AgentTaskRow): TriggerAgentInput {
  const parsed = triggerAgentBody.safeParse({ agent_type: task.agent_type, ...(task.story_id ? { story_id: task.story_id } : {}), input: task.input ?? {} });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'} ${i.message}`).join('; ');
    throw new TaskRefusal(`This request cannot be read (${problems}). Please ask again.`);
  }
  return parsed.data;
}
