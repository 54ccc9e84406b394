/**
 * The offline MetadataAgent: language, reading level, suggested age, tags and
 * an estimated narration time, all from the text.
 */
import { detectLanguage } from './language-detection.ts';
import type { StoryDraft, StoryMetadata } from './language-model.ts';
import { ageRangeFor, readability, readingLevelOf } from './reading-level.ts';
import { tagHits } from './tag-vocabulary.ts';

/** A calm read-aloud pace; the narrator's measured duration replaces the estimate later. */
export const NARRATION_WORDS_PER_MINUTE = 140;
const MAX_TAGS = 5;

export function describeStory(draft: StoryDraft): StoryMetadata {
  const language = draft.language ?? detectLanguage(`${draft.title}\n${draft.text}`).language;
  const r = readability(draft.text, language);
  const readingLevel = readingLevelOf(r);
  return {
    language,
    readingLevel,
    tags: tagsFor(draft),
    ageRange: ageRangeFor(readingLevel),
    wordCount: r.words,
    estimatedDurationSeconds: Math.round((r.words / NARRATION_WORDS_PER_MINUTE) * 60),
  };
}

/** Tags whose words the story uses, the title's counting double; strongest first. */
export function tagsFor(draft: Pick<StoryDraft, 'title' | 'text'>): string[] {
  const scores = new Map<string, number>();
  for (const [slug, n] of tagHits(draft.text)) scores.set(slug, n);
  for (const [slug, n] of tagHits(draft.title)) scores.set(slug, (scores.get(slug) ?? 0) + 2 * n);
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_TAGS)
    .map(([slug]) => slug);
}
