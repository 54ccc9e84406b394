/**
 * English or French, from function words (which every sentence has) and
 * French diacritics. Short or mixed text falls back to the hint, then to English.
 */
import type { StoryLanguage } from './language-model.ts';
import { wordsOf } from './word-tokens.ts';

const EN = new Set(['the', 'and', 'a', 'of', 'to', 'in', 'is', 'was', 'he', 'she', 'it', 'you', 'that', 'with', 'for', 'on', 'his', 'her', 'they', 'said', 'there', 'were', 'had', 'but', 'not', 'at', 'my', 'we', 'this', 'what', 'about', 'story', 'who', 'little', 'once', 'upon']);
const FR = new Set(['le', 'la', 'les', 'et', 'un', 'une', 'de', 'des', 'du', 'est', 'il', 'elle', 'dans', 'qui', 'que', 'pas', 'avec', 'pour', 'sur', 'au', 'aux', 'ce', 'se', 'était', 'petit', 'petite', 'mon', 'ma', 'mes', 'je', 'tu', 'nous', 'vous', 'ils', 'elles', 'son', 'sa', 'ses', 'histoire', 'une', 'fois', 'très', 'où', 'mais', 'ne', 'lui', 'leur', 'c', 'l', 'd', 'qu', 'j', 'n', 's']);

export interface DetectedLanguage {
  language: StoryLanguage;
  /** 0 (a guess) to 1 (only one language's words seen). */
  confidence: number;
}

export function detectLanguage(text: string, hint?: StoryLanguage): DetectedLanguage {
  const words = wordsOf(text);
  let en = 0;
  let fr = 0;
  for (const w of words) {
    if (EN.has(w)) en += 1;
    if (FR.has(w)) fr += 1;
  }
  // Accented letters English rarely uses tip the balance for short French text.
  fr += 0.5 * (text.match(/[éèêàâçùûîïôœ]/gi)?.length ?? 0);
  const total = en + fr;
  if (total < 2) return { language: hint ?? 'en', confidence: 0 };
  const language: StoryLanguage = fr > en ? 'fr' : en > fr ? 'en' : (hint ?? 'en');
  return { language, confidence: Math.abs(fr - en) / total };
}
