/**
 * The pipeline's stages as single tasks on an existing story (a parent
 * asks to re-check, re-tag, re-narrate or redraw one story): the same steps
 * (steps/), with the task itself recording the work, and the story pointed
 * at a new narration or cover at once.
 */
import type { AgentStep } from './agent-step.ts';
import { describeStory } from '../steps/metadata-step.ts';
import { moderateStory } from '../steps/moderation-step.ts';
import { narrateStory } from '../steps/narration-step.ts';
import { illustrateStory } from '../steps/illustration-step.ts';
import { loadStory } from '../steps/story-record.ts';
import { taskContext } from '../tasks/agent-task-row.ts';
import { TaskRefusal } from '../tasks/task-failure.ts';

export const moderationAgent: AgentStep = {
  activity: 'moderation',
  async run(deps, task) {
    const story = await loadStory(deps.db, { ...taskContext(task), tenantId: task.tenant_id }, task.story_id);
    return moderateStory(deps.providers, story, { approveWhenClean: true });
  },
};

export const metadataAgent: AgentStep = {
  activity: 'metadata',
  async run(deps, task) {
    const story = await loadStory(deps.db, { ...taskContext(task), tenantId: task.tenant_id }, task.story_id);
    return describeStory(deps.providers, story);
  },
};

export const ttsAgent: AgentStep = {
  activity: 'narration',
  async run(deps, task, input) {
    if (input.agent_type !== 'TTSAgent') throw new Error(`ttsAgent got a ${input.agent_type} task`);
    const context = { ...taskContext(task), tenantId: task.tenant_id };
    const story = await loadStory(deps.db, context, task.story_id);
    const step = await narrateStory(deps, context, { story, voice: input.input.voice, taskId: task.id, requestedBy: task.requested_by });
    return {
      usage: step.usage,
      apply: async (tx) => {
        const output = await step.apply(tx);
        const updated = await tx.execute('UPDATE stories SET audio_asset_id = $3, duration_seconds = $4 WHERE id = $1 AND tenant_id = $2', [
          story.id, story.tenant_id, output.audio_asset_id, Math.round(output.duration_seconds),
        ]);
        if (updated === 0) throw new TaskRefusal('The story was deleted before its narration was ready.');
        return { ...output };
      },
    };
  },
};

export const illustratorAgent: AgentStep = {
  activity: 'illustration',
  async run(deps, task, input) {
    if (input.agent_type !== 'IllustratorAgent') throw new Error(`illustratorAgent got a ${input.agent_type} task`);
    const context = { ...taskContext(task), tenantId: task.tenant_id };
    const story = await loadStory(deps.db, context, task.story_id);
    const step = await illustrateStory(deps, context, { story, tags: story.tags, style: input.input.style, taskId: task.id, requestedBy: task.requested_by });
    return {
      usage: step.usage,
      apply: async (tx) => {
        const output = await step.apply(tx);
        const updated = await tx.execute('UPDATE stories SET image_asset_id = $3 WHERE id = $1 AND tenant_id = $2', [story.id, story.tenant_id, output.image_asset_id]);
        if (updated === 0) throw new TaskRefusal('The story was deleted before its cover was ready.');
        return { ...output };
      },
    };
  },
};
