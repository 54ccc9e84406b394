/**
 * MetadataAgent: language, reading level, tags, suggested age range and an
 * estimated narration time (providers/language `describe`). The story gets
 * its reading level, the suggested tags, and the estimate as its duration
 * until narration measures the real one. The parent's own choices of
 * language and age range stay; the suggestions are in the output.
 */
import type { Providers, StoryMetadata } from '../providers/index.ts';
import { modelLanguage } from './provider-language.ts';
import type { StepResult } from './step-result.ts';
import { storyText, type StoryRecord } from './story-record.ts';
import { linkVocabularyTags } from './vocabulary-tags.ts';

export interface MetadataOutput {
  language: string;
  reading_level: StoryMetadata['readingLevel'];
  suggested_age_range: StoryMetadata['ageRange'];
  tags: string[];
  /** Suggested tags newly linked to the story. */
  added_tags: string[];
  word_count: number;
  estimated_duration_seconds: number;
}

export async function describeStory(providers: Providers, story: StoryRecord): Promise<StepResult<MetadataOutput>> {
  const language = modelLanguage(story.language);
  const { value, usage } = await providers.language.describe({ title: story.title, text: storyText(story), ...(language ? { language } : {}) });
  return {
    usage: [{ purpose: 'metadata', usage }],
    apply: async (tx) => {
      const added = await linkVocabularyTags(tx, story.tenant_id, story.id, value.tags);
      // A measured duration (the story already has its audio) beats an estimate.
      await tx.execute(
        `UPDATE stories SET reading_level = $3, duration_seconds = CASE WHEN audio_asset_id IS NULL THEN $4 ELSE duration_seconds END
         WHERE id = $1 AND tenant_id = $2`,
        [story.id, story.tenant_id, value.readingLevel, value.estimatedDurationSeconds],
      );
      return {
        language: value.language,
        reading_level: value.readingLevel,
        suggested_age_range: value.ageRange,
        tags: value.tags,
        added_tags: added,
        word_count: value.wordCount,
        estimated_duration_seconds: value.estimatedDurationSeconds,
      };
    },
  };
}
