/**
 * Reading level and suggested age from readability: Flesch reading ease for
 * English, and Kandel & Moles' French adaptation (207 − 1.015·ASL − 73.6·ASW).
 * Both reward short sentences and short words; length nudges the level too,
 * because a long text asks more of a young listener.
 */
import type { AgeRange, ReadingLevel, StoryLanguage } from './language-model.ts';
import { sentencesOf, wordsOf } from './word-tokens.ts';

export interface Readability {
  words: number;
  sentences: number;
  syllablesPerWord: number;
  wordsPerSentence: number;
  /** Higher is easier; about 100 for "See Spot run." */
  ease: number;
}

export function readability(text: string, language: StoryLanguage): Readability {
  const words = wordsOf(text);
  const sentences = Math.max(1, sentencesOf(text).length);
  const syllables = words.reduce((n, w) => n + syllablesIn(w, language), 0);
  const wordsPerSentence = words.length / sentences;
  const syllablesPerWord = words.length ? syllables / words.length : 0;
  const ease = language === 'fr' ? 207 - 1.015 * wordsPerSentence - 73.6 * syllablesPerWord : 206.835 - 1.015 * wordsPerSentence - 84.6 * syllablesPerWord;
  return { words: words.length, sentences, syllablesPerWord, wordsPerSentence, ease };
}

/** Vowel groups, less a silent final "e" (and French "es"/"ent"); at least one. */
export function syllablesIn(word: string, language: StoryLanguage): number {
  let w = word.toLowerCase();
  if (language === 'en') w = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, (m) => m[0]!).replace(/^y/, '');
  else w = w.replace(/(?:es|ent|e)$/, '');
  const groups = w.match(/[aeiouyàâäéèêëîïôöùûüœæ]+/g)?.length ?? 0;
  return Math.max(1, groups);
}

export function readingLevelOf(r: Readability): ReadingLevel {
  // Length pushes a very easy text up one band: a 600-word story is not for a toddler however simple.
  const ease = r.ease - Math.max(0, (r.words - 250) / 40);
  if (ease >= 92 && r.words <= 150) return 'pre-reader';
  if (ease >= 80) return 'early';
  if (ease >= 68) return 'developing';
  if (ease >= 55) return 'fluent';
  return 'advanced';
}

export function ageRangeFor(level: ReadingLevel): AgeRange {
  const ages: Record<ReadingLevel, AgeRange> = { 'pre-reader': '0-3', early: '4-6', developing: '7-9', fluent: '10-12', advanced: '13+' };
  return ages[level];
}
