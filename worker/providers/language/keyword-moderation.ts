/**
 * The offline moderator: block words hold a draft at once, several caution
 * words of one kind hold it too, and personal details (email, phone number,
 * street address) are flagged because stories may be shared. Every reason
 * names the words found, so a parent knows what to change.
 */
import { detectLanguage } from './language-detection.ts';
import type { ModerationCategory, ModerationInput, ModerationVerdict, StoryLanguage } from './language-model.ts';
import { CAUTION_THRESHOLD, MODERATION_LEXICON } from './moderation-lexicon.ts';
import { phraseMatcher } from './word-tokens.ts';

const MATCHERS = MODERATION_LEXICON.map((entry) => ({ entry, block: phraseMatcher(entry.block), caution: phraseMatcher(entry.caution) }));

const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(?\d{2,4}\)?[\s.-]?){3,5}\d{2,4}/;
const STREET = /\b\d{1,4},?\s+(?:rue|avenue|boulevard|chemin|allée|impasse|street|st\.|road|rd\.|avenue|lane|drive)\b/i;

const PERSONAL_REASON: Record<StoryLanguage, string> = {
  en: 'Contains what looks like personal details ({words}). Keep addresses, phone numbers and emails out of stories, which may be shared.',
  fr: 'Contient ce qui ressemble à des informations personnelles ({words}). Gardez adresses, téléphones et e-mails hors des histoires, qui peuvent être partagées.',
};

export function moderateByKeywords(input: ModerationInput): ModerationVerdict {
  const text = `${input.title ?? ''}\n${input.text}`;
  const language = input.language ?? detectLanguage(text).language;
  const categories: ModerationCategory[] = [];
  const reasons: string[] = [];
  for (const { entry, block, caution } of MATCHERS) {
    const blocked = block(text);
    const cautions = caution(text);
    if (blocked.length === 0 && cautions.length < CAUTION_THRESHOLD) continue;
    categories.push(entry.category);
    reasons.push(entry.reason[language].replace('{words}', quote([...blocked, ...cautions], language)));
  }
  const personal = personalDetails(text, language);
  if (personal.length > 0) {
    categories.push('personal-data');
    reasons.push(PERSONAL_REASON[language].replace('{words}', personal.join(', ')));
  }
  return { flagged: categories.length > 0, categories, reasons };
}

function personalDetails(text: string, language: StoryLanguage): string[] {
  const found: string[] = [];
  if (EMAIL.test(text)) found.push(language === 'fr' ? 'une adresse e-mail' : 'an email address');
  const phone = PHONE.exec(text);
  // Nine digits or more: shorter runs are years, counts and page numbers.
  if (phone && phone[0].replace(/\D/g, '').length >= 9) found.push(language === 'fr' ? 'un numéro de téléphone' : 'a phone number');
  if (STREET.test(text)) found.push(language === 'fr' ? 'une adresse postale' : 'a street address');
  return found;
}

function quote(words: string[], language: StoryLanguage): string {
  const unique = [...new Set(words)].slice(0, 5);
  return unique.map((w) => (language === 'fr' ? `« ${w} »` : `“${w}”`)).join(', ');
}
