/**
 * The offline LanguageModel: keyword moderation, readability metadata,
 * template stories and rule-based search plans. No network, no key, no cost;
 * usage is still reported (zero tokens) so every agent records calls alike.
 */
import { offlineUsage } from '../provider-usage.ts';
import { moderateByKeywords } from './keyword-moderation.ts';
import type { Answer, ChatTurn, CompanionAnswer, LanguageModel, ModerationInput, ModerationVerdict, SearchPlan, StoryDraft, StoryMetadata } from './language-model.ts';
import { planSearch } from './search-plan.ts';
import { describeStory } from './story-metadata.ts';
import { composeFromTemplates } from './template-story-companion.ts';

export class HeuristicLanguageModel implements LanguageModel {
  readonly name = 'heuristic';

  async moderate(input: ModerationInput): Promise<Answer<ModerationVerdict>> {
    return { value: moderateByKeywords(input), usage: offlineUsage(this.name, 'keyword-moderation') };
  }

  async describe(draft: StoryDraft): Promise<Answer<StoryMetadata>> {
    return { value: describeStory(draft), usage: offlineUsage(this.name, 'readability-metadata') };
  }

  async composeStory(turns: readonly ChatTurn[]): Promise<Answer<CompanionAnswer>> {
    return { value: composeFromTemplates(turns), usage: offlineUsage(this.name, 'story-templates') };
  }

  async planSearch(question: string): Promise<Answer<SearchPlan>> {
    return { value: planSearch(question), usage: offlineUsage(this.name, 'search-rules') };
  }
}
