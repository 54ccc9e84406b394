/**
 * The tags the heuristics can assign, with the words that suggest each (EN
 * and FR). Slugs follow the `tags` table's rule and include every tag the
 * demo seeds; the extra ones carry a name and category so the pipeline can
 * create them when first used.
 */
import { phraseMatcher } from './word-tokens.ts';

export type TagCategory = 'theme' | 'character' | 'mood' | 'setting' | 'genre' | 'topic';

export interface VocabularyTag {
  slug: string;
  name: string;
  category: TagCategory;
  /** Words or phrases (a trailing * matches a prefix), English and French together. */
  keywords: readonly string[];
}

export const TAG_VOCABULARY: readonly VocabularyTag[] = [
  { slug: 'friendship', name: 'Friendship', category: 'theme', keywords: ['friend', 'friendship', 'together', 'play together', 'ami', 'amie', 'amitie', 'ensemble', 'copain', 'copine'] },
  { slug: 'courage', name: 'Courage', category: 'theme', keywords: ['brave', 'courage*', 'scared', 'afraid', 'fear', 'bold', 'peur', 'brave', 'courageu*', 'oser', 'osa'] },
  { slug: 'kindness', name: 'Kindness', category: 'theme', keywords: ['kind', 'kindness', 'help', 'helped', 'share', 'shared', 'gentle', 'thank', 'gentil', 'gentille', 'aider', 'aida', 'partag*', 'merci', 'doux', 'douce'] },
  { slug: 'curiosity', name: 'Curiosity', category: 'theme', keywords: ['curious', 'wonder*', 'explore*', 'discover*', 'question', 'why', 'curieu*', 'decouv*', 'explor*', 'pourquoi'] },
  { slug: 'family', name: 'Family', category: 'theme', keywords: ['mum', 'mom', 'mother', 'dad', 'father', 'grandma', 'grandpa', 'brother', 'sister', 'family', 'maman', 'papa', 'mamie', 'papi', 'grand-mere', 'grand-pere', 'frere', 'soeur', 'famille'] },
  { slug: 'animals', name: 'Animals', category: 'character', keywords: ['animal', 'dog', 'puppy', 'rabbit', 'bunny', 'fox', 'bear', 'owl', 'mouse', 'mice', 'hedgehog', 'bird', 'duck', 'elephant', 'lion', 'turtle', 'tortoise', 'whale', 'penguin', 'frog', 'chien', 'lapin', 'renard', 'ours', 'hibou', 'chouette', 'souris', 'herisson', 'oiseau', 'canard', 'elephant', 'tortue', 'baleine', 'pingouin', 'manchot', 'grenouille'] },
  { slug: 'cats', name: 'Cats', category: 'character', keywords: ['cat', 'kitten', 'kitty', 'chat', 'chaton', 'minou'] },
  { slug: 'dragons', name: 'Dragons', category: 'character', keywords: ['dragon'] },
  { slug: 'weather', name: 'Clouds & weather', category: 'character', keywords: ['cloud', 'rain', 'storm', 'wind', 'snow', 'sun', 'rainbow', 'nuage', 'pluie', 'orage', 'tempete', 'vent', 'neige', 'soleil', 'arc-en-ciel'] },
  { slug: 'calm', name: 'Calm', category: 'mood', keywords: ['calm', 'quiet', 'gently', 'softly', 'peaceful', 'slowly', 'calme', 'doucement', 'tranquille', 'paisible', 'lentement'] },
  { slug: 'funny', name: 'Funny', category: 'mood', keywords: ['funny', 'laugh*', 'giggl*', 'silly', 'joke', 'drole', 'rire', 'rigol*', 'blague'] },
  { slug: 'adventurous', name: 'Adventurous', category: 'mood', keywords: ['adventure*', 'journey', 'quest', 'map', 'treasure', 'aventure*', 'voyage', 'quete', 'carte', 'tresor'] },
  { slug: 'bedtime', name: 'Bedtime', category: 'mood', keywords: ['bedtime', 'sleep*', 'asleep', 'dream*', 'night', 'goodnight', 'bed', 'yawn*', 'dorm*', 'endorm*', 'reve*', 'nuit', 'bonne nuit', 'lit', 'baill*'] },
  { slug: 'sea', name: 'Sea & coast', category: 'setting', keywords: ['sea', 'ocean', 'beach', 'harbour', 'harbor', 'lighthouse', 'boat', 'wave', 'island', 'mer', 'ocean', 'plage', 'port', 'phare', 'bateau', 'vague', 'ile'] },
  { slug: 'garden', name: 'Garden', category: 'setting', keywords: ['garden', 'flower', 'vegetable', 'seed', 'jardin', 'fleur', 'potager', 'graine'] },
  { slug: 'sky', name: 'Sky', category: 'setting', keywords: ['sky', 'fly', 'flew', 'kite', 'ciel', 'voler', 'vola', 'cerf-volant'] },
  { slug: 'forest', name: 'Forest', category: 'setting', keywords: ['forest', 'woods', 'tree', 'foret', 'bois', 'arbre'] },
  { slug: 'space', name: 'Space', category: 'setting', keywords: ['space', 'planet', 'rocket', 'astronaut', 'star', 'moon', 'espace', 'planete', 'fusee', 'astronaute', 'etoile', 'lune'] },
  { slug: 'fairy-tale', name: 'Fairy tale', category: 'genre', keywords: ['once upon a time', 'princess', 'prince', 'king', 'queen', 'castle', 'fairy', 'wizard', 'witch', 'il etait une fois', 'princesse', 'roi', 'reine', 'chateau', 'fee', 'magicien', 'sorciere'] },
  { slug: 'magic', name: 'Magic', category: 'genre', keywords: ['magic', 'magical', 'spell', 'wand', 'enchant*', 'magie', 'magique', 'sortilege', 'baguette magique', 'enchant*'] },
  { slug: 'numbers', name: 'Numbers', category: 'topic', keywords: ['count*', 'number', 'one two three', 'compt*', 'nombre', 'chiffre', 'un deux trois'] },
];

const MATCHERS = TAG_VOCABULARY.map((tag) => ({ tag, match: phraseMatcher(tag.keywords) }));

/** How many distinct keywords of each tag appear in the text. */
export function tagHits(text: string): Map<string, number> {
  const hits = new Map<string, number>();
  for (const { tag, match } of MATCHERS) {
    const found = match(text).length;
    if (found > 0) hits.set(tag.slug, found);
  }
  return hits;
}
