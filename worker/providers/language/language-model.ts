/**
 * The language-model contract behind four agents: ModerationAgent
 * (`moderate`), MetadataAgent (`describe`), StoryCompanion (`composeStory`)
 * and SearchAssistant (`planSearch`). Every call returns its value with the
 * usage to record in `llm_usage`. Implementations: heuristics and templates
 * offline (the default), and an OpenAI-compatible chat endpoint.
 *
 * The zod schemas here also validate what a remote model sends back.
 */
import { z } from 'zod';
import { AGE_RANGES, LANGUAGES, type AgeRange } from '../../../shapes/permissions.ts';
import type { ProviderUsage } from '../provider-usage.ts';
import type { CallOptions } from '../speech/speech-provider.ts';

export type { AgeRange, CallOptions };
export { AGE_RANGES };

/** The languages the product ships voices and UI for (shapes/permissions.ts). */
export const STORY_LANGUAGES = LANGUAGES;
export type StoryLanguage = (typeof STORY_LANGUAGES)[number];

export const READING_LEVELS = ['pre-reader', 'early', 'developing', 'fluent', 'advanced'] as const;
export type ReadingLevel = (typeof READING_LEVELS)[number];

export const MODERATION_CATEGORIES = ['violence', 'weapons', 'sexual', 'self-harm', 'drugs', 'hate', 'profanity', 'fear', 'personal-data'] as const;
export type ModerationCategory = (typeof MODERATION_CATEGORIES)[number];

export interface ModerationInput {
  title?: string;
  text: string;
  language?: StoryLanguage;
}

export const moderationVerdictSchema = z.object({
  flagged: z.boolean(),
  categories: z.array(z.enum(MODERATION_CATEGORIES)),
  /** Sentences a parent can read, in the story's language. */
  reasons: z.array(z.string().min(1)),
});
export type ModerationVerdict = z.infer<typeof moderationVerdictSchema>;

export interface StoryDraft {
  title: string;
  text: string;
  /** When known; detected otherwise. */
  language?: StoryLanguage;
}

export const storyMetadataSchema = z.object({
  language: z.enum(STORY_LANGUAGES),
  readingLevel: z.enum(READING_LEVELS),
  /** Slugs from TAG_VOCABULARY. */
  tags: z.array(z.string()),
  ageRange: z.enum(AGE_RANGES),
  wordCount: z.number().int().min(0),
  estimatedDurationSeconds: z.number().int().min(0),
});
export type StoryMetadata = z.infer<typeof storyMetadataSchema>;

export interface ChatTurn {
  role: 'parent' | 'companion';
  text: string;
}

export const storyFormSchema = z.object({
  title: z.string().min(1).max(200),
  characters: z.array(z.object({ name: z.string().min(1), description: z.string() })).min(1),
  theme: z.string().min(1),
  ageRange: z.enum(AGE_RANGES),
  language: z.enum(STORY_LANGUAGES),
  text: z.string().min(1),
});
export type StoryForm = z.infer<typeof storyFormSchema>;

export interface CompanionAnswer {
  form: StoryForm;
  /** What the companion says back in the chat, in the story's language. */
  reply: string;
}

export const searchPlanSchema = z.object({
  /** Words for full-text and trigram search; may be empty when filters say it all. */
  query: z.string(),
  filters: z.object({
    language: z.enum(STORY_LANGUAGES).optional(),
    ageRanges: z.array(z.enum(AGE_RANGES)).optional(),
    tags: z.array(z.string()).optional(),
    maxDurationMinutes: z.number().positive().optional(),
  }),
});
export type SearchPlan = z.infer<typeof searchPlanSchema>;

export interface Answer<T> {
  value: T;
  usage: ProviderUsage;
}

export interface LanguageModel {
  /** For logs: "heuristic" or the endpoint's host. */
  readonly name: string;
  moderate(input: ModerationInput, options?: CallOptions): Promise<Answer<ModerationVerdict>>;
  describe(draft: StoryDraft, options?: CallOptions): Promise<Answer<StoryMetadata>>;
  composeStory(turns: readonly ChatTurn[], options?: CallOptions): Promise<Answer<CompanionAnswer>>;
  planSearch(question: string, options?: CallOptions): Promise<Answer<SearchPlan>>;
}
