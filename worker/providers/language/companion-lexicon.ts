/**
 * What the template companion knows how to write about: characters (with the
 * French noun's gender, which drives agreement), settings with a few
 * descriptive touches in each language, and names to use when the parent
 * gives none.
 */
import type { StoryLanguage } from './language-model.ts';

export type Gender = 'm' | 'f';

export interface Creature {
  key: string;
  /** Words that mention it (folded; a trailing * is a prefix). */
  words: readonly string[];
  en: string;
  fr: string;
  frGender: Gender;
  /** Where it feels at home, when the parent names no place. */
  home: SettingKey;
}

export const CREATURES: readonly Creature[] = [
  { key: 'dragon', words: ['dragon'], en: 'dragon', fr: 'dragon', frGender: 'm', home: 'mountain' },
  { key: 'cat', words: ['cat', 'kitten', 'chat', 'chaton'], en: 'cat', fr: 'chat', frGender: 'm', home: 'garden' },
  { key: 'dog', words: ['dog', 'puppy', 'chien', 'chiot'], en: 'dog', fr: 'chien', frGender: 'm', home: 'garden' },
  { key: 'rabbit', words: ['rabbit', 'bunny', 'lapin'], en: 'rabbit', fr: 'lapin', frGender: 'm', home: 'garden' },
  { key: 'fox', words: ['fox', 'renard'], en: 'fox', fr: 'renard', frGender: 'm', home: 'forest' },
  { key: 'bear', words: ['bear', 'ours'], en: 'bear', fr: 'ours', frGender: 'm', home: 'forest' },
  { key: 'owl', words: ['owl', 'hibou', 'chouette'], en: 'owl', fr: 'chouette', frGender: 'f', home: 'forest' },
  { key: 'mouse', words: ['mouse', 'mice', 'souris'], en: 'mouse', fr: 'souris', frGender: 'f', home: 'garden' },
  { key: 'hedgehog', words: ['hedgehog', 'herisson'], en: 'hedgehog', fr: 'hérisson', frGender: 'm', home: 'garden' },
  { key: 'turtle', words: ['turtle', 'tortoise', 'tortue'], en: 'turtle', fr: 'tortue', frGender: 'f', home: 'sea' },
  { key: 'whale', words: ['whale', 'baleine'], en: 'whale', fr: 'baleine', frGender: 'f', home: 'sea' },
  { key: 'penguin', words: ['penguin', 'pingouin', 'manchot'], en: 'penguin', fr: 'pingouin', frGender: 'm', home: 'sea' },
  { key: 'elephant', words: ['elephant'], en: 'elephant', fr: 'éléphant', frGender: 'm', home: 'forest' },
  { key: 'unicorn', words: ['unicorn', 'licorne'], en: 'unicorn', fr: 'licorne', frGender: 'f', home: 'sky' },
  { key: 'robot', words: ['robot'], en: 'robot', fr: 'robot', frGender: 'm', home: 'space' },
  { key: 'dinosaur', words: ['dinosaur', 'dinosaure', 'dino'], en: 'dinosaur', fr: 'dinosaure', frGender: 'm', home: 'mountain' },
  { key: 'fairy', words: ['fairy', 'fairies', 'fee'], en: 'fairy', fr: 'fée', frGender: 'f', home: 'garden' },
  { key: 'pirate', words: ['pirate'], en: 'pirate', fr: 'pirate', frGender: 'm', home: 'sea' },
  { key: 'princess', words: ['princess', 'princesse'], en: 'princess', fr: 'princesse', frGender: 'f', home: 'forest' },
  { key: 'knight', words: ['knight', 'chevalier'], en: 'knight', fr: 'chevalier', frGender: 'm', home: 'forest' },
  { key: 'astronaut', words: ['astronaut', 'astronaute'], en: 'astronaut', fr: 'astronaute', frGender: 'm', home: 'space' },
  { key: 'squirrel', words: ['squirrel', 'ecureuil'], en: 'squirrel', fr: 'écureuil', frGender: 'm', home: 'forest' },
  { key: 'duck', words: ['duck', 'duckling', 'canard'], en: 'duck', fr: 'canard', frGender: 'm', home: 'garden' },
  { key: 'frog', words: ['frog', 'grenouille'], en: 'frog', fr: 'grenouille', frGender: 'f', home: 'garden' },
  { key: 'bird', words: ['bird', 'oiseau'], en: 'bird', fr: 'oiseau', frGender: 'm', home: 'sky' },
  { key: 'cloud', words: ['cloud', 'nuage'], en: 'cloud', fr: 'nuage', frGender: 'm', home: 'sky' },
  { key: 'girl', words: ['girl', 'fille', 'fillette'], en: 'girl', fr: 'petite fille', frGender: 'f', home: 'garden' },
  { key: 'boy', words: ['boy', 'garcon'], en: 'boy', fr: 'petit garçon', frGender: 'm', home: 'garden' },
];

export type SettingKey = 'sea' | 'forest' | 'garden' | 'sky' | 'mountain' | 'space';

export interface Setting {
  key: SettingKey;
  words: readonly string[];
  /** "in the forest" / "dans la forêt". */
  in: Record<StoryLanguage, string>;
  /** Sensory touches, one used per story. */
  details: Record<StoryLanguage, readonly string[]>;
  /** What can feel frightening there. */
  fear: Record<StoryLanguage, string>;
  /** A small wonder to discover there. */
  wonder: Record<StoryLanguage, string>;
  /** Two games friends can teach each other there ("how to …" / "à …"). */
  games: Record<StoryLanguage, readonly [string, string]>;
}

export const SETTINGS: readonly Setting[] = [
  {
    key: 'sea',
    words: ['sea', 'ocean', 'beach', 'island', 'harbour', 'harbor', 'mer', 'ocean', 'plage', 'ile', 'port'],
    in: { en: 'by the sea', fr: 'au bord de la mer' },
    details: {
      en: ['The waves rolled in and out, hush, hush, like the sea was breathing.', 'Gulls wheeled over the water, and the sand was warm and golden.'],
      fr: ['Les vagues allaient et venaient, chut, chut, comme si la mer respirait.', 'Les mouettes tournaient au-dessus de l’eau, et le sable était doux et doré.'],
    },
    fear: { en: 'the big grey waves', fr: 'les grosses vagues grises' },
    wonder: { en: 'a shell that sang when you held it to your ear', fr: 'un coquillage qui chantait quand on le collait à l’oreille' },
    games: { en: ['build a sandcastle with a moat', 'find the prettiest shells'], fr: ['construire un château de sable avec des douves', 'trouver les plus jolis coquillages'] },
  },
  {
    key: 'forest',
    words: ['forest', 'woods', 'tree', 'foret', 'bois', 'arbre'],
    in: { en: 'in the forest', fr: 'dans la forêt' },
    details: {
      en: ['Tall trees whispered to one another, and the moss was soft as a pillow.', 'Sunlight came down between the leaves in long golden ribbons.'],
      fr: ['Les grands arbres chuchotaient entre eux, et la mousse était douce comme un oreiller.', 'La lumière tombait entre les feuilles en longs rubans dorés.'],
    },
    fear: { en: 'the dark between the trees', fr: 'le noir entre les arbres' },
    wonder: { en: 'a ring of tiny mushrooms that glowed like lanterns', fr: 'un cercle de petits champignons qui brillaient comme des lanternes' },
    games: { en: ['jump over the big roots', 'whistle like a blackbird'], fr: ['sauter par-dessus les grosses racines', 'siffler comme un merle'] },
  },
  {
    key: 'garden',
    words: ['garden', 'flower', 'park', 'jardin', 'fleur', 'parc'],
    in: { en: 'in a garden full of flowers', fr: 'dans un jardin plein de fleurs' },
    details: {
      en: ['Bees hummed in the lavender, and the tomatoes were turning red in the sun.', 'There was a wooden gate, a watering can, and a swing that creaked hello.'],
      fr: ['Les abeilles bourdonnaient dans la lavande, et les tomates rougissaient au soleil.', 'Il y avait une barrière en bois, un arrosoir, et une balançoire qui grinçait bonjour.'],
    },
    fear: { en: 'the long shadows at dusk', fr: 'les longues ombres du soir' },
    wonder: { en: 'a seed that grew a little every time someone laughed', fr: 'une graine qui poussait un peu chaque fois que quelqu’un riait' },
    games: { en: ['water the sunflowers', 'play hide-and-seek in the tall grass'], fr: ['arroser les tournesols', 'jouer à cache-cache dans les hautes herbes'] },
  },
  {
    key: 'sky',
    words: ['sky', 'cloud', 'fly', 'ciel', 'nuage', 'voler'],
    in: { en: 'high up in the sky', fr: 'tout là-haut dans le ciel' },
    details: {
      en: ['The clouds were soft and white, and the wind smelled of rain and sunshine.', 'From up there, the fields looked like a patchwork blanket.'],
      fr: ['Les nuages étaient doux et blancs, et le vent sentait la pluie et le soleil.', 'De là-haut, les champs ressemblaient à une couverture en patchwork.'],
    },
    fear: { en: 'the loud rumble of thunder', fr: 'le grand grondement du tonnerre' },
    wonder: { en: 'the very end of a rainbow', fr: 'le tout bout d’un arc-en-ciel' },
    games: { en: ['ride the wind', 'make shapes out of clouds'], fr: ['glisser sur le vent', 'faire des formes avec les nuages'] },
  },
  {
    key: 'mountain',
    words: ['mountain', 'hill', 'cave', 'montagne', 'colline', 'grotte'],
    in: { en: 'on a tall green mountain', fr: 'sur une haute montagne verte' },
    details: {
      en: ['Goats skipped from rock to rock, and a little stream sang its way down.', 'In the morning, the mountain wore a scarf of mist.'],
      fr: ['Les chèvres sautaient de rocher en rocher, et un petit ruisseau chantait en descendant.', 'Le matin, la montagne portait une écharpe de brume.'],
    },
    fear: { en: 'the steep and rocky path', fr: 'le chemin raide et caillouteux' },
    wonder: { en: 'a cave that sparkled with crystals', fr: 'une grotte qui scintillait de cristaux' },
    games: { en: ['skip stones in the stream', 'call out and hear the echo answer'], fr: ['faire des ricochets dans le ruisseau', 'crier pour entendre l’écho répondre'] },
  },
  {
    key: 'space',
    words: ['space', 'planet', 'rocket', 'star', 'moon', 'espace', 'planete', 'fusee', 'etoile', 'lune'],
    in: { en: 'far away among the stars', fr: 'très loin, parmi les étoiles' },
    details: {
      en: ['Planets turned slowly like marbles, and comets drew silver lines across the dark.', 'The Earth looked like a small blue ball you could hold in your hands.'],
      fr: ['Les planètes tournaient lentement comme des billes, et les comètes traçaient des traits d’argent dans le noir.', 'La Terre ressemblait à une petite bille bleue qu’on aurait pu tenir dans ses mains.'],
    },
    fear: { en: 'the deep, quiet dark between the stars', fr: 'le grand noir silencieux entre les étoiles' },
    wonder: { en: 'a tiny moon that was shy and hid behind its planet', fr: 'une toute petite lune timide qui se cachait derrière sa planète' },
    games: { en: ['race around a comet', 'float upside down'], fr: ['faire la course autour d’une comète', 'flotter la tête en bas'] },
  },
];

export const DEFAULT_NAMES: Record<StoryLanguage, Record<Gender, readonly string[]>> = {
  en: { m: ['Pip', 'Milo', 'Theo', 'Otto', 'Finn'], f: ['Luna', 'Poppy', 'Nina', 'Rosie', 'Mabel'] },
  fr: { m: ['Léon', 'Jules', 'Hugo', 'Gaspard', 'Noé'], f: ['Lou', 'Zoé', 'Margot', 'Lila', 'Capucine'] },
};
