/**
 * Narrows a story's BCP 47 tag ("fr-CA") to a language the language model
 * knows (shapes/permissions LANGUAGES), or undefined so the model detects it.
 */
import { STORY_LANGUAGES, type StoryLanguage } from '../providers/language/language-model.ts';

export type { ModerationVerdict, StoryLanguage } from '../providers/language/language-model.ts';

export function modelLanguage(tag: string): StoryLanguage | undefined {
  const primary = tag.toLowerCase().split('-')[0];
  return STORY_LANGUAGES.find((l) => l === primary);
}
