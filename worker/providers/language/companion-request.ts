/**
 * Reads what a parent asked the companion for, across all their chat turns:
 * the language, the child's age, the hero (a named child or creature), a
 * friend, the place and the theme. Later turns win ("actually, make it a
 * fox"), and anything not said gets a gentle default.
 */
import { createHash } from 'node:crypto';
import { CREATURES, DEFAULT_NAMES, SETTINGS, type Creature, type Gender, type Setting } from './companion-lexicon.ts';
import { detectLanguage } from './language-detection.ts';
import type { AgeRange, ChatTurn, StoryLanguage } from './language-model.ts';
import { fold, phraseMatcher } from './word-tokens.ts';

export const COMPANION_THEMES = ['courage', 'friendship', 'kindness', 'curiosity', 'bedtime'] as const;
export type CompanionTheme = (typeof COMPANION_THEMES)[number];

export interface StoryCharacter {
  name: string;
  creature: Creature;
  /** Grammatical gender (French) and pronoun choice (English). */
  gender: Gender;
}

export interface CompanionRequest {
  language: StoryLanguage;
  ageRange: AgeRange;
  hero: StoryCharacter;
  friend: StoryCharacter;
  setting: Setting;
  theme: CompanionTheme;
  /** Varies wording between requests; stable for the same conversation. */
  seed: number;
}

const THEME_WORDS: Record<CompanionTheme, readonly string[]> = {
  courage: ['brave', 'courage*', 'scared', 'afraid', 'fear*', 'dark', 'nervous', 'peur', 'courageu*', 'noir', 'craint*', 'oser'],
  friendship: ['friend*', 'lonely', 'alone', 'new school', 'ami', 'amie', 'amis', 'amitie', 'seul', 'seule', 'copain*', 'copine*'],
  kindness: ['kind', 'kindness', 'share', 'sharing', 'help*', 'gentle', 'gentil*', 'partag*', 'aider', 'aide'],
  curiosity: ['curious', 'explor*', 'discover*', 'wonder*', 'science', 'why', 'curieu*', 'decouv*', 'pourquoi'],
  bedtime: ['sleep*', 'bed', 'bedtime', 'night', 'dream*', 'calm', 'dorm*', 'coucher', 'nuit', 'reve*', 'calme', 'endorm*'],
};
const THEME_MATCHERS = Object.entries(THEME_WORDS).map(([theme, words]) => ({ theme: theme as CompanionTheme, match: phraseMatcher(words) }));
const SETTING_MATCHERS = SETTINGS.map((setting) => ({ setting, match: phraseMatcher(setting.words) }));

export function readCompanionRequest(turns: readonly ChatTurn[]): CompanionRequest {
  const said = turns.filter((t) => t.role === 'parent').map((t) => t.text);
  const all = said.join('\n');
  const seed = createHash('sha256').update(all).digest().readUInt32LE(0);
  const language = explicitLanguage(said) ?? detectLanguage(all).language;
  const child = namedChild(said);
  const creatures = creaturesIn(said).filter((c) => !child || (c.key !== 'girl' && c.key !== 'boy'));
  const names = namesIn(said).filter((n) => n !== child?.name);

  const heroCreature = child?.creature ?? creatures[0] ?? pick(CREATURES.filter((c) => ['fox', 'rabbit', 'hedgehog', 'owl', 'bear', 'mouse'].includes(c.key)), seed);
  const heroGender: Gender = child?.gender ?? genderFor(heroCreature, language, seed);
  const hero: StoryCharacter = {
    name: child?.name ?? names[0] ?? pick(DEFAULT_NAMES[language][heroGender], seed),
    creature: heroCreature,
    gender: heroGender,
  };
  const setting = settingIn(said) ?? SETTINGS.find((s) => s.key === heroCreature.home)!;
  const friendCreature =
    creatures.find((c) => c.key !== heroCreature.key) ??
    pick(CREATURES.filter((c) => c.home === setting.key && c.key !== heroCreature.key && c.key !== 'girl' && c.key !== 'boy'), seed >>> 3);
  const friendGender = genderFor(friendCreature, language, seed >>> 5);
  const friendNames = DEFAULT_NAMES[language][friendGender].filter((n) => n !== hero.name);
  const friend: StoryCharacter = {
    name: names.find((n) => n !== hero.name) ?? pick(friendNames, seed >>> 7),
    creature: friendCreature,
    gender: friendGender,
  };
  return { language, ageRange: ageRangeIn(all) ?? '4-6', hero, friend, setting, theme: themeIn(said) ?? 'friendship', seed };
}

function explicitLanguage(said: readonly string[]): StoryLanguage | undefined {
  for (const text of [...said].reverse()) {
    if (/\b(in french|en fran[cç]ais)\b/i.test(text)) return 'fr';
    if (/\b(in english|en anglais)\b/i.test(text)) return 'en';
  }
  return undefined;
}

function ageRangeIn(text: string): AgeRange | undefined {
  const ages = [...text.matchAll(/(\d{1,2})\s*(?:-?\s*(?:year|yr)s?(?:-old| old)?|ans)\b/gi)].map((m) => Number(m[1]));
  const folded = fold(text);
  if (ages.length === 0) {
    if (/\b(toddler|baby|tout-petit|bebe)\b/.test(folded)) return '0-3';
    return undefined;
  }
  const age = ages[ages.length - 1]!;
  return age <= 3 ? '0-3' : age <= 6 ? '4-6' : age <= 9 ? '7-9' : age <= 12 ? '10-12' : '13+';
}

/** "my daughter Léa", "ma fille Léa", "for Léa, my son" → the child as hero. */
function namedChild(said: readonly string[]): { name: string; creature: Creature; gender: Gender } | undefined {
  const patterns: Array<[RegExp, Gender]> = [
    [/\b(?:[Mm]y|[Oo]ur) (?:daughter|little girl|girl)(?:,)?(?: called| named)? (\p{Lu}[\p{L}'-]+)/u, 'f'],
    [/\b(?:[Mm]y|[Oo]ur) (?:son|little boy|boy)(?:,)?(?: called| named)? (\p{Lu}[\p{L}'-]+)/u, 'm'],
    [/\b(?:[Mm]a|[Nn]otre) (?:fille|petite fille)(?:,)?(?: qui s'appelle| nommée| appelée)? (\p{Lu}[\p{L}'-]+)/u, 'f'],
    [/\b(?:[Mm]on|[Nn]otre) (?:fils|petit garçon|garçon)(?:,)?(?: qui s'appelle| nommé| appelé)? (\p{Lu}[\p{L}'-]+)/u, 'm'],
  ];
  for (const text of [...said].reverse()) {
    for (const [pattern, gender] of patterns) {
      const match = pattern.exec(text);
      if (match) return { name: match[1]!, gender, creature: CREATURES.find((c) => c.key === (gender === 'f' ? 'girl' : 'boy'))! };
    }
  }
  return undefined;
}

/** Names given with "named X", "called X", "qui s'appelle X", "X the fox", "X le renard". */
function namesIn(said: readonly string[]): string[] {
  const names: string[] = [];
  const patterns = [
    /\b(?:named|called|nommée?|appelée?|s'appelle|s’appelle)\s+(\p{Lu}[\p{L}'-]+)/gu,
    /\b(\p{Lu}[\p{L}'-]+),? (?:the|le|la|l') ?(?:little |petit |petite )?\p{Ll}+/gu,
  ];
  for (const text of said) {
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        const name = match[1]!;
        // Sentence-initial words are capitalised too; keep only what reads as a name.
        if (!NOT_NAMES.has(fold(name)) && !names.includes(name)) names.push(name);
      }
    }
  }
  return names;
}

const NOT_NAMES = new Set(fold('The A An And But Once Then It He She They We I My Our Can Could Please Make Write Tell Un Une Le La Les Et Mais Il Elle Ils Nous Je Mon Ma Peux Fais Ecris Raconte Oui Yes No Non Maybe Peut-etre Actually En Fait Also Aussi About Story Histoire').split(' '));

// "my daughter" / "ma fille" is the listener, not a character (namedChild handles a named one).
const LISTENER = /\b(?:my|our|ma|mon|notre) (?:little |petite? )?(?:daughter|son|girl|boy|kid|child|fille|fils|garcon|enfant)\b/g;

function creaturesIn(said: readonly string[]): Creature[] {
  // Mentions in order of appearance; a later turn's creature comes first ("make it a fox instead").
  const found: Creature[] = [];
  for (const text of [...said].reverse()) {
    const folded = fold(text).replace(LISTENER, ' ');
    const positions = CREATURES.map((c) => ({ c, at: firstIndex(folded, c.words) })).filter((x) => x.at >= 0);
    positions.sort((a, b) => a.at - b.at);
    for (const { c } of positions) if (!found.includes(c)) found.push(c);
  }
  return found;
}

function firstIndex(folded: string, words: readonly string[]): number {
  let best = -1;
  for (const word of words) {
    const match = new RegExp(`(?<![\\p{L}])${fold(word)}(?:s|x)?(?![\\p{L}])`, 'u').exec(folded);
    if (match && (best < 0 || match.index < best)) best = match.index;
  }
  return best;
}

function settingIn(said: readonly string[]): Setting | undefined {
  for (const text of [...said].reverse()) {
    const hit = SETTING_MATCHERS.find(({ match }) => match(text).length > 0);
    if (hit) return hit.setting;
  }
  return undefined;
}

function themeIn(said: readonly string[]): CompanionTheme | undefined {
  for (const text of [...said].reverse()) {
    const scored = THEME_MATCHERS.map(({ theme, match }) => ({ theme, n: match(text).length })).filter((x) => x.n > 0);
    scored.sort((a, b) => b.n - a.n);
    if (scored[0]) return scored[0].theme;
  }
  return undefined;
}

/** French follows the noun; English picks a pronoun that stays stable for the conversation. */
function genderFor(creature: Creature, language: StoryLanguage, seed: number): Gender {
  if (creature.key === 'girl' || creature.key === 'princess' || creature.key === 'fairy') return 'f';
  if (creature.key === 'boy' || creature.key === 'knight') return 'm';
  if (language === 'fr') return creature.frGender;
  return seed % 2 === 0 ? 'f' : 'm';
}

function pick<T>(items: readonly T[], seed: number): T {
  return items[seed % items.length]!;
}
