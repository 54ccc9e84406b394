/**
 * Requests for a story version that another request is already making.
 * The pipeline's job is keyed by the story version, so a second request for
 * the same version finds the first one's job instead of getting its own;
 * it waits, pending, and is settled here with the first one's outcome when
 * that finishes (`duplicate_of` names it). A request whose dispatch comes
 * after the job finished is settled by the dispatcher (agent-job-dispatcher.ts).
 */
import type { AgentTaskRow, TaskOutcome } from '../tasks/agent-task-row.ts';
import { TASK_COLUMNS } from '../tasks/agent-task-row.ts';
import type { Finishing } from '../tasks/task-completion.ts';
import { parseTaskInput } from '../tasks/task-input.ts';
import { storyVersion, type VersionedStory } from './story-version.ts';

/** Settles the open requests for `version` of the story; returns their ids. */
export async function settleDuplicateRequests(finishing: Finishing, original: AgentTaskRow, story: VersionedStory, version: string, outcome: TaskOutcome): Promise<string[]> {
  const candidates = await finishing.tx.query<AgentTaskRow>(
    `SELECT ${TASK_COLUMNS} FROM agent_tasks
     WHERE tenant_id = $1 AND story_id = $2 AND agent_type = $3 AND parent_task_id IS NULL AND status = 'pending' AND id <> $4
     FOR UPDATE SKIP LOCKED`,
    [original.tenant_id, story.id, original.agent_type, original.id],
  );
  const settled: string[] = [];
  for (const task of candidates) {
    if (sameVersion(task, story, version) && (await finishing.settleAlso(task, duplicateOutcome(original, outcome)))) settled.push(task.id);
  }
  return settled;
}

export function duplicateOutcome(original: Pick<AgentTaskRow, 'id'>, outcome: TaskOutcome): TaskOutcome {
  return { status: outcome.status, error: outcome.error, output: { ...outcome.output, duplicate_of: original.id } };
}

function sameVersion(task: AgentTaskRow, story: VersionedStory, version: string): boolean {
  try {
    const input = parseTaskInput(task);
    return input.agent_type === 'QuotaAgent' && storyVersion(story, input.input) === version;
  } catch {
    // Unreadable input: not a duplicate; its own job refuses it with the reason.
    return false;
  }
}
