/**
 * The offline SearchAssistant: a parent's question ("a short bedtime story
 * about cats for my 4 year old, in French") becomes search words plus
 * filters (language, ages, tags, length) that SearchAgent can apply.
 */
import { AGE_RANGES, type AgeRange, type SearchPlan, type StoryLanguage } from './language-model.ts';
import { tagHits } from './tag-vocabulary.ts';
import { fold, wordsOf } from './word-tokens.ts';

// Words that carry no search meaning in a request for stories.
const FILLER = new Set(
  fold(
    'a an the and or of to for in on at with about story stories tale tales book books find show me give want would like some something please my our your kid kids child children son daughter year years old who is are that this can you i we need looking any read listen ' +
      'un une des le la les et ou de du pour dans sur avec histoire histoires conte contes livre trouve trouver montre moi veux voudrais quelque chose sil te plait stp mon ma mes notre nos enfant enfants fils fille ans an age qui est sont que cette peux je nous cherche lire ecouter',
  ).split(' '),
);
// Words consumed by the length, age and language filters.
const FILTER_WORDS = new Set(
  fold(
    'short quick long minute minutes min under less than most max court courte courtes courts rapide moins longue plus ' +
      'toddler toddlers baby babies preschool kindergarten teen teens teenager teenagers tout-petit tout-petits bebe bebes maternelle ado ados adolescent adolescents ' +
      'french english francais anglais',
  ).split(' '),
);
const LANGUAGE_PATTERNS: Array<[RegExp, StoryLanguage]> = [
  [/\b(in french|en fran[cç]ais|french)\b/i, 'fr'],
  [/\b(in english|en anglais|english|anglais)\b/i, 'en'],
];

export function planSearch(question: string): SearchPlan {
  const filters: SearchPlan['filters'] = {};
  const language = LANGUAGE_PATTERNS.find(([pattern]) => pattern.test(question))?.[1];
  if (language) filters.language = language;
  const ages = ageRangesIn(question);
  if (ages.length > 0) filters.ageRanges = ages;
  const minutes = maxMinutesIn(question);
  if (minutes !== undefined) filters.maxDurationMinutes = minutes;
  const tags = [...tagHits(question).keys()];
  if (tags.length > 0) filters.tags = tags;

  // Subject words stay in the query even when they also became tag filters,
  // so full-text search still finds stories nobody tagged.
  const query = wordsOf(question)
    .filter((w) => {
      const f = fold(w);
      return !FILLER.has(f) && !FILTER_WORDS.has(f) && !/^\d+$/.test(f);
    })
    .join(' ');
  return { query, filters };
}

/** "4 year old", "de 4 ans", "toddler", "teen" → age ranges. */
function ageRangesIn(question: string): AgeRange[] {
  const ranges = new Set<AgeRange>();
  for (const match of question.matchAll(/(\d{1,2})\s*(?:-|to|à|a)?\s*(\d{1,2})?\s*(?:-?\s*(?:year|yr)s?(?:-old| old)?|ans)\b/gi)) {
    const from = Number(match[1]);
    const to = match[2] ? Number(match[2]) : from;
    for (let age = from; age <= to; age++) ranges.add(rangeForAge(age));
  }
  const text = fold(question);
  if (/\b(toddler|baby|babies|tout-petits?|bebes?)\b/.test(text)) ranges.add('0-3');
  if (/\b(preschool|kindergarten|maternelle)\b/.test(text)) ranges.add('4-6');
  if (/\b(teens?|teenagers?|ados?|adolescents?)\b/.test(text)) ranges.add('13+');
  return AGE_RANGES.filter((r) => ranges.has(r));
}

function rangeForAge(age: number): AgeRange {
  if (age <= 3) return '0-3';
  if (age <= 6) return '4-6';
  if (age <= 9) return '7-9';
  if (age <= 12) return '10-12';
  return '13+';
}

function maxMinutesIn(question: string): number | undefined {
  const explicit = /(?:under|less than|at most|max(?:imum)?|moins de|au plus|pas plus de)\s*(\d{1,3})\s*(?:min|minutes)\b/i.exec(question) ?? /(\d{1,3})[\s-]*(?:min|minutes?)\b/i.exec(question);
  if (explicit) return Number(explicit[1]);
  if (/\b(short|quick|court|courte|rapide)\b/i.test(question)) return 5;
  return undefined;
}
