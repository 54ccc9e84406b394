/**
 * The offline StoryCompanion: reads what the parent asked for and writes a
 * short story from the templates in their language, with a reply inviting
 * changes. Deterministic: the same conversation gives the same story.
 */
import { readCompanionRequest, type CompanionRequest, type CompanionTheme } from './companion-request.ts';
import type { ChatTurn, CompanionAnswer, StoryLanguage } from './language-model.ts';
import { writeEnglishStory } from './story-templates-en.ts';
import { writeFrenchStory } from './story-templates-fr.ts';

const THEME_WORDS: Record<StoryLanguage, Record<CompanionTheme, string>> = {
  en: { courage: 'being brave', friendship: 'making a friend', kindness: 'kindness and sharing', curiosity: 'curiosity', bedtime: 'falling asleep' },
  fr: { courage: 'le courage', friendship: 'l’amitié', kindness: 'la gentillesse et le partage', curiosity: 'la curiosité', bedtime: 'l’heure de dormir' },
};

export function composeFromTemplates(turns: readonly ChatTurn[]): CompanionAnswer {
  const request = readCompanionRequest(turns);
  const story = request.language === 'fr' ? writeFrenchStory(request) : writeEnglishStory(request);
  return {
    form: {
      title: story.title.slice(0, 200),
      characters: characters(request),
      theme: request.theme,
      ageRange: request.ageRange,
      language: request.language,
      text: story.paragraphs.join('\n\n'),
    },
    reply: reply(request, story.title),
  };
}

function characters(r: CompanionRequest): Array<{ name: string; description: string }> {
  if (r.language === 'fr') {
    const un = (g: 'm' | 'f') => (g === 'f' ? 'une' : 'un');
    return [
      { name: r.hero.name, description: `${un(r.hero.gender)} ${r.hero.creature.fr}, ${r.hero.gender === 'f' ? 'héroïne' : 'héros'} de l’histoire, ${r.setting.in.fr}` },
      { name: r.friend.name, description: `${un(r.friend.gender)} ${r.friend.creature.fr}, qui devient son ami${r.friend.gender === 'f' ? 'e' : ''}` },
    ];
  }
  const a = (noun: string) => (/^[aeio]|^u(?!ni)/i.test(noun) ? `an ${noun}` : `a ${noun}`);
  return [
    { name: r.hero.name, description: `${a(r.hero.creature.en)} ${r.setting.in.en}, the hero of the story` },
    { name: r.friend.name, description: `${a(r.friend.creature.en)} who becomes ${r.hero.name}'s friend` },
  ];
}

function reply(r: CompanionRequest, title: string): string {
  const theme = THEME_WORDS[r.language][r.theme];
  if (r.language === 'fr') {
    return `Voici « ${title} », une histoire sur ${theme} pour les ${r.ageRange} ans. Voulez-vous changer quelque chose : un prénom, le lieu, ou la fin ?`;
  }
  return `Here is "${title}", a story about ${theme} for ages ${r.ageRange}. Would you like to change anything: a name, the place, or the ending?`;
}
