/**
 * SearchAgent and SearchAssistant. SearchAgent runs the server's story
 * search (server/services/story-search.ts: full text, trigram and tags,
 * ranked, limited to what the asker may see). SearchAssistant first turns
 * a question ("a short bedtime story about cats for my 4 year old") into
 * search words and filters with the language model, then searches; filters
 * the search itself does not take (several age ranges, length) are applied
 * to the ranked results.
 */
import { searchStories, type RankedStory } from '../../server/services/story-search.ts';
import type { SearchPlan } from '../providers/index.ts';
import type { AgentStep } from './agent-step.ts';
import { viewerFor } from './requester-viewer.ts';

const RESULT_LIMIT = 10;
// Searched before filtering, so filters applied here still leave enough.
const CANDIDATES = 50;

export const searchAgent: AgentStep = {
  activity: 'search',
  async run(_deps, task, input) {
    if (input.agent_type !== 'SearchAgent') throw new Error(`searchAgent got a ${input.agent_type} task`);
    const { query, age_range, language } = input.input;
    return {
      usage: [],
      apply: async (tx) => {
        const viewer = await viewerFor(tx, task.tenant_id, task.requested_by);
        const page = await searchStories(tx, viewer, { q: query, age_range, language, limit: RESULT_LIMIT });
        return { query, results: page.items.map(result) };
      },
    };
  },
};

export const searchAssistantAgent: AgentStep = {
  activity: 'search',
  async run(deps, task, input) {
    if (input.agent_type !== 'SearchAssistant') throw new Error(`searchAssistantAgent got a ${input.agent_type} task`);
    const { value: plan, usage } = await deps.providers.language.planSearch(input.input.question);
    const language = plan.filters.language ?? input.input.language;
    const words = [plan.query, ...(plan.query ? [] : (plan.filters.tags ?? []))].join(' ').trim();
    return {
      usage: [{ purpose: 'search', usage }],
      apply: async (tx) => {
        if (!words) return { question: input.input.question, plan, results: [], reply: 'Tell me a little about the story you would like: a theme, an animal, a place…' };
        const viewer = await viewerFor(tx, task.tenant_id, task.requested_by);
        const ages = plan.filters.ageRanges;
        const page = await searchStories(tx, viewer, { q: words, language, ...(ages?.length === 1 ? { age_range: ages[0] } : {}), limit: CANDIDATES });
        const results = page.items.filter((s) => fits(s, plan)).slice(0, RESULT_LIMIT).map(result);
        return { question: input.input.question, plan, results, reply: results.length ? `I found ${results.length} ${results.length === 1 ? 'story' : 'stories'}.` : 'I found no story like that yet.' };
      },
    };
  },
};

function fits(story: RankedStory, plan: SearchPlan): boolean {
  const { ageRanges, maxDurationMinutes } = plan.filters;
  if (ageRanges?.length && !ageRanges.includes(story.age_range as never)) return false;
  if (maxDurationMinutes !== undefined && story.duration_seconds !== null && story.duration_seconds > maxDurationMinutes * 60) return false;
  return true;
}

function result(story: RankedStory) {
  return {
    story_id: story.id,
    title: story.title,
    description: story.description,
    language: story.language,
    age_range: story.age_range,
    duration_seconds: story.duration_seconds,
    tags: story.tags.map((t) => t.slug),
    image_asset_id: story.image_asset_id,
    from_other_tenant: story.from_other_tenant,
    rank: story.rank,
  };
}
