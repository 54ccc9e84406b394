/**
 * Les histoires en français du compagnon : la même petite intrigue par thème
 * que l'anglais, écrite en français (pas traduite), avec les accords qui
 * suivent le genre du personnage (« un petit renard », « une petite souris »).
 */
import type { CompanionRequest, StoryCharacter } from './companion-request.ts';
import type { WrittenStory } from './story-templates-en.ts';

type Length = 'short' | 'medium' | 'long';

interface Accord {
  il: string;
  Il: string;
  /** Féminin « e ». */
  e: string;
  /** « un » / « une ». */
  un: string;
  petit: string;
  /** « curieux » / « curieuse » and the like. */
  eux: string;
}

function accord(c: StoryCharacter): Accord {
  const f = c.gender === 'f';
  return { il: f ? 'elle' : 'il', Il: f ? 'Elle' : 'Il', e: f ? 'e' : '', un: f ? 'une' : 'un', petit: f ? 'petite' : 'petit', eux: f ? 'euse' : 'eux' };
}

/** « un petit renard », « une petite fille » (déjà « petite »), « un éléphant » sans adjectif. */
function indefinite(c: StoryCharacter, little = true): string {
  const a = accord(c);
  const noun = c.creature.fr;
  if (noun.startsWith('petit')) return `${a.un} ${noun}`;
  return little ? `${a.un} ${a.petit} ${noun}` : `${a.un} ${noun}`;
}

/** « de » contracted with the article: « du noir », « des vagues », « de la pluie ». */
function withDe(phrase: string): string {
  if (phrase.startsWith('le ')) return `du ${phrase.slice(3)}`;
  if (phrase.startsWith('les ')) return `des ${phrase.slice(4)}`;
  if (/^[aeiouyéèêh]/i.test(phrase) || phrase.startsWith('l’')) return `d’${phrase}`;
  return `de ${phrase}`;
}

export function writeFrenchStory(r: CompanionRequest): WrittenStory {
  const length: Length = r.ageRange === '0-3' ? 'short' : r.ageRange === '4-6' ? 'medium' : 'long';
  const H = r.hero.name;
  const F = r.friend.name;
  const h = accord(r.hero);
  const f = accord(r.friend);
  const heroNp = indefinite(r.hero);
  const friendNp = indefinite(r.friend, false);
  const place = r.setting.in.fr;
  const detail = r.setting.details.fr[r.seed % r.setting.details.fr.length]!;
  const opening = `Il était une fois, ${place}, ${heroNp} qui s’appelait ${H}.`;
  const touch = (p: string | false) => (p ? [p] : []);
  const long = length === 'long';
  const short = length === 'short';

  switch (r.theme) {
    case 'courage': {
      const fear = r.setting.fear.fr;
      return {
        title: `${H} et ${fear}`,
        paragraphs: [
          `${opening} ${H} aimait beaucoup sa maison, mais ${h.il} avait peur ${withDe(fear)}. Rien que d’y penser, son ventre tremblait comme de la gelée.`,
          ...touch(!short && detail),
          `Un après-midi, ${H} rencontra ${F}, ${friendNp}. « Tu veux bien m’aider ? » demanda ${F}. « Je me suis perdu${f.e}, et ma maison est de l’autre côté. »`,
          `${H} prit une grande inspiration. Puis une autre. « J’ai peur, dit-${h.il}, mais je peux avoir peur et être courag${h.eux} en même temps. »`,
          ...touch(long && `${F} ouvrit de grands yeux. « On peut vraiment être les deux ? » « Je crois, répondit ${H}. La peur, c’est ce que je sens. Le courage, c’est ce que je fais. »`),
          `Alors ils avancèrent ensemble, un tout petit pas après l’autre. ${H} fredonnait une chanson pour garder le pas bien régulier, et ${F} fredonnait avec ${h.il === 'elle' ? 'elle' : 'lui'}. Petit à petit, ${fear} ne semblait plus si terrible.`,
          `Quand ${F} fut bien à l’abri chez ${f.il === 'elle' ? 'elle' : 'lui'}, ${f.il} fit à ${H} le plus doux des câlins. Cette nuit-là, ${H} sourit en dormant, car ${h.il} avait appris quelque chose : être courag${h.eux}, ce n’est pas n’avoir jamais peur. C’est faire le pas suivant, ensemble.`,
        ],
      };
    }
    case 'friendship': {
      const [game1, game2] = r.setting.games.fr;
      return {
        title: `${H} trouve un ami`,
        paragraphs: [
          `${opening} ${detail}`,
          `${H} avait tout ce qu’il lui fallait, sauf une chose. Souvent, ${h.il} jouait seul${h.e}, et parfois ${h.il} rêvait de quelqu’un avec qui partager ses journées.`,
          `Un matin, ${H} entendit un tout petit reniflement. C’était ${F}, ${friendNp}, qui avait l’air un peu perdu${f.e}. « Bonjour, dit ${H}. Tu veux jouer avec moi ? »`,
          ...touch(!short && `Au début, ${F} était timide. ${f.Il} ne connaissait pas les jeux de ${H}, et ${H} ne connaissait pas les chansons de ${F}. Alors ils s’apprirent tout. ${H} montra à ${F} comment ${game1}, et ${F} apprit à ${H} à ${game2}.`),
          ...touch(long && `Ils se trompaient, ils riaient de leurs erreurs, puis ils recommençaient. Quand ${F} trébucha, ${H} l’aida à se relever. Quand ${H} oublia les paroles d’une chanson, ${F} les chanta tout bas, rien que pour ${h.il === 'elle' ? 'elle' : 'lui'}.`),
          `Quand le soleil se coucha, ils riaient tellement qu’ils durent s’asseoir dans l’herbe.`,
          `« Tu reviendras demain ? » demanda ${H}. « Demain, et après-demain aussi », répondit ${F}. Et depuis ce jour, chaque journée brillait deux fois plus fort, parce qu’elle était partagée.`,
        ],
      };
    }
    case 'kindness':
      return {
        title: `${H} partage ses fraises`,
        paragraphs: [
          `${opening} Un jour de soleil, ${H} cueillit tout un panier de fraises des bois bien sucrées, et ${h.il} avait hâte de les manger.`,
          ...touch(!short && detail),
          `Sur le chemin du retour, ${H} rencontra ${F}, ${friendNp}, qui ne bougeait pas. « Qu’est-ce qui ne va pas ? » demanda ${H}. « J’ai tellement faim, murmura ${F}. Je n’ai rien trouvé à manger aujourd’hui. »`,
          `${H} regarda les fraises. ${h.Il} en rêvait depuis le matin. Puis ${h.il} regarda le visage triste de ${F}. « Partageons », dit ${H}, et ${h.il} posa le panier entre eux.`,
          ...touch(long && `Ils comptèrent les fraises à voix haute, une pour toi, une pour moi, jusqu’à ce que le panier soit vide et le bout de leur nez tout rose. ${F} rit pour la première fois de la journée, et ${H} trouva que c’était le plus joli son du monde.`),
          ...touch(!short && `La semaine suivante, la pluie arriva et le toit de ${H} se mit à goutter, plic, ploc, plic. Qui accourut avec des feuilles et des brindilles pour le réparer ? ${F}, bien sûr.`),
          `La gentillesse, c’est étonnant : plus on en donne, plus il y en a. Et ce soir-là, ${H} s’endormit au chaud, heur${h.eux}, le ventre plein de fraises.`,
        ],
      };
    case 'curiosity':
      return {
        title: `${H} et la petite carte`,
        paragraphs: [
          `${opening} ${H} était ${h.un === 'une' ? 'la plus curieuse' : 'le plus curieux'} de tous. ${h.Il} voulait savoir pourquoi le ciel est bleu, où va le vent, et ce qu’il y a derrière chaque colline.`,
          `Un jour, ${H} trouva une petite carte cachée sous un caillou. On y voyait un chemin tout tortillé et une grande croix rouge. « Je me demande ce qu’il y a là-bas », dit ${H}.`,
          ...touch(!short && `${H} demanda à ${F}, ${friendNp}, de l’accompagner, car les aventures sont plus belles à deux. Ils suivirent le chemin, passèrent le plus grand arbre, traversèrent un petit pont de bois et prirent un virage qu’ils n’avaient jamais pris.`),
          ...touch(long && `${detail} Tous les trois pas, ${H} s’arrêtait pour poser une question. « Pourquoi la mousse pousse de ce côté ? » « Où vont les flaques ? » ${F} ne connaissait pas toutes les réponses, mais ${f.il} adorait les questions.`),
          `Et là, juste à l’endroit de la croix, ils découvrirent ${r.setting.wonder.fr}. Ils restèrent longtemps, très longtemps, à le regarder sans bouger.`,
          `« Le monde est plein de surprises », chuchota ${F}. « Seulement si on va les chercher », répondit ${H} en souriant. Et sur le chemin du retour, ${h.il} se demandait déjà ce qu’${h.il} découvrirait demain.`,
        ],
      };
    case 'bedtime':
      return {
        title: `Bonne nuit, ${H}`,
        paragraphs: [
          `Quand les étoiles s’allumèrent ${place}, tout le monde se prépara pour dormir. Tout le monde, sauf ${H}, ${heroNp}. Ses yeux étaient grands ouverts, et ses pensées sautillaient comme des lapins.`,
          `« Je n’arrive pas à dormir », dit ${H} à ${F}, ${friendNp}, qui bâillait un grand bâillement tout lent. « Je connais une astuce, dit ${F}. On compte les choses calmes. »`,
          `Un : le vent, qui respire tout doucement. Deux : la lune, qui brille comme une veilleuse. Trois : ${short ? 'une couverture, chaude et douce' : detail.charAt(0).toLowerCase() + detail.slice(1).replace(/\.$/, '')}.${short ? '' : ' Quatre : une couverture, chaude et douce.'} ${short ? 'Quatre' : 'Cinq'}…`,
          ...touch(long && `${H} écouta. ${h.Il} entendit une chouette au loin, une feuille qui se posait, et son propre cœur, lent et régulier, comme un petit tambour qui bat la mesure des rêves.`),
          `Les paupières de ${H} devinrent lourdes. Sa respiration ralentit. Les pensées qui sautillaient se roulèrent en boule, une à une, comme des chatons endormis.`,
          `« Bonne nuit, ${H} », murmura ${F}. Mais ${H} dormait déjà, et faisait de beaux rêves. Bonne nuit, mon tout-petit. Dors bien.`,
        ],
      };
  }
}
