/**
 * StoryCompanion: the chat so far becomes a structured story form (title,
 * characters, theme, age range, language, text) plus the companion's
 * reply. The form is the task's output; the parent's app turns it into a
 * story request when they are happy with it. A language or age range the
 * parent picked in the form wins over what the chat suggests.
 */
import type { ChatTurn } from '../providers/index.ts';
import type { AgentStep } from './agent-step.ts';
import { modelLanguage } from '../steps/provider-language.ts';

const LANGUAGE_HINT: Record<string, string> = { en: 'Please write it in English.', fr: 'Écris-la en français.' };

export const storyCompanionAgent: AgentStep = {
  activity: 'companion',
  async run(deps, _task, input) {
    if (input.agent_type !== 'StoryCompanion') throw new Error(`storyCompanionAgent got a ${input.agent_type} task`);
    const turns: ChatTurn[] = input.input.messages.map((m) => ({ role: m.role === 'user' ? 'parent' : 'companion', text: m.content }));
    const language = input.input.language ? modelLanguage(input.input.language) : undefined;
    // A hint first, so anything the parent says later in the chat still wins.
    if (language) turns.unshift({ role: 'parent', text: LANGUAGE_HINT[language]! });
    const { value, usage } = await deps.providers.language.composeStory(turns);
    const form = { ...value.form, ...(input.input.age_range ? { ageRange: input.input.age_range } : {}) };
    return {
      usage: [{ purpose: 'companion', usage }],
      apply: async () => ({
        form: { title: form.title, characters: form.characters, theme: form.theme, age_range: form.ageRange, language: form.language, text: form.text },
        reply: value.reply,
      }),
    };
  },
};
