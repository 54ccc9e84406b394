/**
 * Words that make a draft unsuitable for children, by category, in English
 * and French, with the sentence a parent reads when a draft is held. "block"
 * words hold a draft on their own; "caution" words are normal in gentle
 * stories one at a time (a knight's sword, a storm that scares) and hold a
 * draft only when several pile up.
 */
import type { ModerationCategory, StoryLanguage } from './language-model.ts';

export interface LexiconEntry {
  category: ModerationCategory;
  block: readonly string[];
  caution: readonly string[];
  /** Why this matters, addressed to a parent. */
  reason: Record<StoryLanguage, string>;
}

export const MODERATION_LEXICON: readonly LexiconEntry[] = [
  {
    category: 'violence',
    block: ['murder*', 'kill', 'killed', 'killing', 'stab*', 'strangl*', 'behead*', 'decapitat*', 'tortur*', 'slaughter*', 'massacre*', 'gore', 'bloodbath', 'beat him to death', 'assassin*', 'egorg*', 'tuer', 'tue', 'tua', 'tuerent', 'poignard*', 'etrangl*', 'decapit*', 'massacr*', 'sanglant*'],
    caution: ['blood', 'bleed*', 'punch*', 'hit him', 'hit her', 'fight*', 'wound*', 'dead', 'corpse', 'sang', 'saign*', 'frapp*', 'bagarre', 'bless*', 'mort', 'cadavre'],
    reason: {
      en: 'Describes violence ({words}). Stories for children should not show people or animals being hurt.',
      fr: 'Décrit de la violence ({words}). Les histoires pour enfants ne doivent pas montrer quelqu’un se faire du mal.',
    },
  },
  {
    category: 'weapons',
    block: ['gun', 'guns', 'rifle', 'pistol', 'shotgun', 'grenade', 'bomb', 'explosive*', 'pistolet', 'fusil', 'revolver', 'grenade', 'bombe', 'explosi*', 'mitraillette'],
    caution: ['knife', 'knives', 'sword', 'dagger', 'axe', 'couteau', 'epee', 'poignard', 'hache'],
    reason: {
      en: 'Mentions weapons ({words}). Keep weapons out of stories for young listeners.',
      fr: 'Mentionne des armes ({words}). Mieux vaut garder les armes hors des histoires pour les petits.',
    },
  },
  {
    category: 'sexual',
    block: ['sex', 'sexy', 'naked', 'nude', 'porn*', 'erotic*', 'seduc*', 'sexe', 'porno*', 'erotique*', 'seduire', 'toute nue', 'tout nu'],
    caution: [],
    reason: {
      en: 'Contains sexual content ({words}), which has no place in a children’s story.',
      fr: 'Contient un contenu sexuel ({words}), qui n’a pas sa place dans une histoire pour enfants.',
    },
  },
  {
    category: 'self-harm',
    block: ['suicide', 'kill himself', 'kill herself', 'kill yourself', 'self-harm', 'hang himself', 'hang herself', 'se suicid*', 'suicide', 'se tuer', 'se pendre'],
    caution: [],
    reason: {
      en: 'Mentions self-harm ({words}). If this touches something real, please talk with someone you trust.',
      fr: 'Évoque l’automutilation ou le suicide ({words}). Si cela touche quelque chose de réel, parlez-en à quelqu’un de confiance.',
    },
  },
  {
    category: 'drugs',
    block: ['cocaine', 'heroin', 'meth', 'crack pipe', 'marijuana', 'cannabis', 'drugs', 'heroine', 'drogue*', 'beuh'],
    caution: ['beer', 'wine', 'vodka', 'whisky', 'whiskey', 'drunk', 'cigarette*', 'smok*', 'biere', 'vin', 'ivre', 'saoul', 'bourre', 'cigarette*', 'fum*'],
    reason: {
      en: 'Mentions drugs, alcohol or smoking ({words}), which are not for children’s stories.',
      fr: 'Parle de drogue, d’alcool ou de tabac ({words}), ce qui ne convient pas aux histoires pour enfants.',
    },
  },
  {
    category: 'hate',
    block: ['nazi*', 'hitler', 'racist*', 'white power', 'inferior race', 'sale race', 'raciste*', 'nazi*'],
    caution: ['hate you', 'stupid', 'idiot', 'ugly', 'loser', 'je te deteste', 'stupide', 'idiot', 'moche', 'nul'],
    reason: {
      en: 'Contains hateful or hurtful words ({words}). Stories should help children be kind to everyone.',
      fr: 'Contient des mots haineux ou blessants ({words}). Les histoires doivent aider les enfants à être gentils avec tous.',
    },
  },
  {
    category: 'profanity',
    block: ['fuck*', 'motherfuck*', 'shit', 'bitch*', 'bastard', 'asshole', 'cunt', 'dick', 'merde', 'putain', 'connard*', 'connasse', 'salope', 'encule*', 'bordel', 'chier'],
    caution: ['damn', 'crap', 'hell', 'bloody'],
    reason: {
      en: 'Uses swear words ({words}). Please choose words you would say to a child.',
      fr: 'Contient des gros mots ({words}). Choisissez des mots que vous diriez à un enfant.',
    },
  },
  {
    category: 'fear',
    block: ['demon*', 'possessed', 'zombie*', 'serial killer', 'nightmare creature', 'demon*', 'possede*', 'zombie*', 'tueur en serie'],
    caution: ['scream*', 'terrified', 'horror', 'horrible', 'monster*', 'ghost*', 'kidnap*', 'hurle*', 'terrifi*', 'horreur', 'monstre*', 'fantome*', 'enlev*', 'kidnapp*'],
    reason: {
      en: 'May frighten young listeners ({words}). A little suspense is fine; horror is not.',
      fr: 'Pourrait effrayer les petits ({words}). Un peu de suspense, oui ; l’horreur, non.',
    },
  },
];

// Left out on purpose, because children's stories use them innocently:
// "weed" (gardens), "joint" (knees), "nu/nus" (pieds nus), "killer whale".

/** Distinct caution words of one category that together hold a draft. */
export const CAUTION_THRESHOLD = 3;
