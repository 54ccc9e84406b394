/**
 * English stories for the template companion: one small plot per theme,
 * told at three lengths (toddlers hear the spine of it; older children get
 * the scenery and more dialogue). Written to be read aloud: short sentences,
 * a little rhythm, a warm ending.
 */
import type { CompanionRequest, StoryCharacter } from './companion-request.ts';

export interface WrittenStory {
  title: string;
  paragraphs: string[];
}

type Length = 'short' | 'medium' | 'long';

interface Pronouns {
  he: string;
  him: string;
  his: string;
  He: string;
  His: string;
}

function pronouns(c: StoryCharacter): Pronouns {
  return c.gender === 'f' ? { he: 'she', him: 'her', his: 'her', He: 'She', His: 'Her' } : { he: 'he', him: 'him', his: 'his', He: 'He', His: 'His' };
}

/** "a little dragon", "an elephant", "a little girl". */
function withArticle(noun: string, little = true): string {
  const phrase = little ? `little ${noun}` : noun;
  return /^[aeio]|^u(?!ni)/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}

function titleCase(text: string): string {
  const small = new Set(['a', 'an', 'the', 'and', 'of', 'in', 'on', 'at', 'to', 'by', 'between']);
  return text
    .split(' ')
    .map((w, i) => (i > 0 && small.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

export function writeEnglishStory(r: CompanionRequest): WrittenStory {
  const length: Length = r.ageRange === '0-3' ? 'short' : r.ageRange === '4-6' ? 'medium' : 'long';
  const H = r.hero.name;
  const F = r.friend.name;
  const h = pronouns(r.hero);
  const f = pronouns(r.friend);
  const heroNp = withArticle(r.hero.creature.en);
  const friendNp = withArticle(r.friend.creature.en, false);
  const place = r.setting.in.en;
  const detail = r.setting.details.en[r.seed % r.setting.details.en.length]!;
  const opening = `Once upon a time, ${place}, there lived ${heroNp} called ${H}.`;
  const touch = (p: string | false) => (p ? [p] : []);
  const long = length === 'long';
  const short = length === 'short';

  switch (r.theme) {
    case 'courage': {
      const fear = r.setting.fear.en;
      return {
        title: titleCase(`${H} and ${fear}`),
        paragraphs: [
          `${opening} ${H} loved ${h.his} home very much, but ${h.he} was afraid of ${fear}. Whenever ${h.he} thought about it, ${h.his} tummy went wobbly, like jelly.`,
          ...touch(!short && detail),
          `One afternoon, ${H} met ${F}, ${friendNp}. "Will you help me?" asked ${F}. "I have lost my way home, and home is on the other side of ${fear}."`,
          `${H} took a deep breath. Then another one. "I am scared," ${h.he} said, "but I can be scared and brave at the same time."`,
          ...touch(long && `${F} looked surprised. "Can you really be both?" "I think so," said ${H}. "Scared is how I feel. Brave is what I do."`),
          `So they went together, one small step at a time. ${H} hummed a little song to keep ${h.his} feet steady, and ${F} hummed along. Bit by bit, ${fear} did not seem so big after all.`,
          `When ${F} was safely home, ${f.he} gave ${H} the warmest hug. That night ${H} smiled in ${h.his} sleep, because ${h.he} knew something new: being brave does not mean never being scared. It means taking the next step, together.`,
        ],
      };
    }
    case 'friendship': {
      const [game1, game2] = r.setting.games.en;
      return {
        title: `${H} Finds a Friend`,
        paragraphs: [
          `${opening} ${detail}`,
          `${H} had everything ${h.he} needed, except one thing. ${h.He} often played alone, and sometimes ${h.he} wished for someone to share ${h.his} days with.`,
          `One morning, ${H} heard a tiny sniffle. There sat ${F}, ${friendNp}, looking a little lost. "Hello," said ${H}. "Would you like to play with me?"`,
          ...touch(!short && `${F} was shy at first. ${f.He} did not know ${H}'s games, and ${H} did not know ${F}'s songs. So they taught each other. ${H} showed ${F} how to ${game1}, and ${F} showed ${H} how to ${game2}.`),
          ...touch(long && `They made mistakes, and they laughed at the mistakes, and then they tried again. When ${F} tripped, ${H} helped ${f.him} up. When ${H} forgot the words of a song, ${F} sang them softly, just for ${h.him}.`),
          `By the time the sun went down, they were laughing so much they had to sit down in the grass.`,
          `"Will you come back tomorrow?" asked ${H}. "Tomorrow, and the day after that," said ${F}. And from then on, every day felt twice as bright, because it was shared.`,
        ],
      };
    }
    case 'kindness':
      return {
        title: `${H} Shares the Berries`,
        paragraphs: [
          `${opening} One sunny day, ${H} picked a whole basket of sweet red berries, and ${h.he} could hardly wait to eat them.`,
          ...touch(!short && detail),
          `On the way home, ${H} met ${F}, ${friendNp}, who was sitting very still. "What's wrong?" asked ${H}. "I'm so hungry," said ${F} softly. "I couldn't find anything to eat today."`,
          `${H} looked at the berries. ${h.He} had been looking forward to them all day. Then ${h.he} looked at ${F}'s sad face. "Let's share," said ${H}, and ${h.he} put the basket between them.`,
          ...touch(long && `They counted the berries out loud, one for you and one for me, until the basket was empty and their noses were pink with juice. ${F} laughed for the first time that day, and ${H} thought it was the nicest sound ${h.he} had ever heard.`),
          ...touch(!short && `The next week, the rain came and ${H}'s roof began to drip, drip, drip. Who came hurrying with leaves and twigs to mend it? ${F}, of course.`),
          `Kindness is a funny thing: the more you give away, the more of it there is. And ${H} went to sleep that night warm, happy, and full of berries.`,
        ],
      };
    case 'curiosity':
      return {
        title: `${H} and the Little Map`,
        paragraphs: [
          `${opening} ${H} was the most curious ${r.hero.creature.en} anyone had ever met. ${h.He} wanted to know why the sky was blue, where the wind went, and what was on the other side of every hill.`,
          `One day ${H} found a little map tucked under a stone. It showed a wiggly path and a big red X. "I wonder what's there," said ${H}.`,
          ...touch(!short && `${H} asked ${F}, ${friendNp}, to come along, because adventures are better with two. They followed the path past the tallest tree, over a little wooden bridge, and around a corner they had never turned before.`),
          ...touch(long && `${detail} Every few steps ${H} stopped to ask a question. "Why does moss grow on that side?" "Where do puddles go?" ${F} did not know all the answers, but ${f.he} loved the questions.`),
          `And there, right where the X was, they found ${r.setting.wonder.en}. They sat very still and looked at it for a long, long time.`,
          `"The world is full of surprises," whispered ${F}. "Only if you go looking," said ${H}, smiling. And on the way home, ${h.he} was already wondering what to discover next.`,
        ],
      };
    case 'bedtime':
      return {
        title: `Goodnight, ${H}`,
        paragraphs: [
          `When the stars came out ${place}, everyone got ready for bed. Everyone except ${H}, ${heroNp}. ${h.His} eyes were wide open, and ${h.his} thoughts were hopping about like rabbits.`,
          `"I can't sleep," ${H} told ${F}, ${friendNp}, who was yawning a big, slow yawn. "Let me show you a trick," said ${F}. "We count the quiet things."`,
          `One: the wind, breathing softly. Two: the moon, shining like a night-light. Three: ${short ? 'a blanket, warm and snug' : detail.charAt(0).toLowerCase() + detail.slice(1).replace(/\.$/, '')}.${short ? '' : ' Four: a blanket, warm and snug.'} ${short ? 'Four' : 'Five'}…`,
          ...touch(long && `${H} listened. ${h.He} heard an owl far away, and a leaf settling, and ${h.his} own heart, slow and steady, like a little drum keeping time for dreams.`),
          `${H}'s eyes grew heavy. ${h.His} breathing grew slow. The hopping thoughts curled up, one by one, like sleepy kittens.`,
          `"Goodnight, ${H}," whispered ${F}. But ${H} was already fast asleep, dreaming sweet dreams. Goodnight, little one. Sleep well.`,
        ],
      };
  }
}
