/**
 * The demo's people, tags and stories. Original text written for Talemo.
 */
import type { AgeRange } from '../../shapes/permissions.ts';

export interface DemoTag {
  name: string;
  slug: string;
  category: 'theme' | 'character' | 'mood' | 'setting' | 'genre' | 'topic';
}

export const DEMO_TAGS: DemoTag[] = [
  { name: 'Friendship', slug: 'friendship', category: 'theme' },
  { name: 'Courage', slug: 'courage', category: 'theme' },
  { name: 'Kindness', slug: 'kindness', category: 'theme' },
  { name: 'Curiosity', slug: 'curiosity', category: 'theme' },
  { name: 'Animals', slug: 'animals', category: 'character' },
  { name: 'Cats', slug: 'cats', category: 'character' },
  { name: 'Clouds & weather', slug: 'weather', category: 'character' },
  { name: 'Calm', slug: 'calm', category: 'mood' },
  { name: 'Funny', slug: 'funny', category: 'mood' },
  { name: 'Adventurous', slug: 'adventurous', category: 'mood' },
  { name: 'Bedtime', slug: 'bedtime', category: 'mood' },
  { name: 'Sea & coast', slug: 'sea', category: 'setting' },
  { name: 'Garden', slug: 'garden', category: 'setting' },
  { name: 'Sky', slug: 'sky', category: 'setting' },
  { name: 'Fairy tale', slug: 'fairy-tale', category: 'genre' },
  { name: 'Numbers', slug: 'numbers', category: 'topic' },
];

export interface DemoStory {
  title: string;
  description: string;
  language: 'en' | 'fr';
  ageRange: AgeRange;
  visibility: 'public' | 'tenant_only' | 'private';
  tags: string[];
  content: string;
}

export const FAMILY_STORIES: DemoStory[] = [
  {
    title: 'The Lighthouse Cat',
    description: 'A small grey cat keeps the lighthouse lamp company on a stormy night.',
    language: 'en',
    ageRange: '4-6',
    visibility: 'tenant_only',
    tags: ['cats', 'courage', 'sea', 'bedtime'],
    content: [
      'At the very end of the harbour stood a white lighthouse, and at the very top of the lighthouse lived a small grey cat called Pebble.',
      'Every evening the keeper climbed the stairs, lit the great lamp, and said, "Watch the sea for me, Pebble." And every evening Pebble sat on the warm windowsill and watched.',
      'One night the wind howled and the rain drummed on the glass. The lamp flickered once, twice, and went dark. Far out on the water, a little fishing boat was looking for the way home.',
      'Pebble did not like storms. Her ears went flat and her tail went puffy. But she remembered the boat, and she ran down all one hundred and twelve steps, meowing as loudly as a cat can meow.',
      'The keeper woke with a start, grabbed his lantern, and hurried up to mend the lamp. Soon the light swept across the waves again, round and round, steady and bright.',
      'The little boat turned towards the light and came safely into the harbour. In the morning, the fisherman brought Pebble the smallest, shiniest sardine in his net.',
      'And from that night on, whenever the wind howled, Pebble sat a little taller on her windowsill, because she knew that being brave does not mean never being scared.',
    ].join('\n\n'),
  },
  {
    title: 'Le petit nuage qui voulait pleuvoir',
    description: 'Un tout petit nuage apprend que chacun arrive à son heure.',
    language: 'fr',
    ageRange: '0-3',
    visibility: 'tenant_only',
    tags: ['weather', 'sky', 'calm'],
    content: [
      'Dans le grand ciel bleu flottait un tout petit nuage, blanc comme du coton.',
      'Les grands nuages gris faisaient tomber la pluie sur les champs, et les fleurs disaient merci.',
      '« Moi aussi, je veux pleuvoir ! » dit le petit nuage. Il gonfla ses joues, il serra très fort… et il ne tomba qu\'une seule goutte.',
      'La goutte tomba sur une fleur toute sèche, au bord du chemin. La fleur leva la tête et ouvrit un pétale.',
      '« Merci, petit nuage », chuchota-t-elle.',
      'Le petit nuage sourit. Une seule goutte, c\'était déjà beaucoup. Et il continua de flotter, tout doucement, en attendant de grandir.',
    ].join('\n\n'),
  },
  {
    title: 'Moss and the Midnight Garden',
    description: 'A curious hedgehog discovers what the garden does while everyone is asleep.',
    language: 'en',
    ageRange: '7-9',
    visibility: 'public',
    tags: ['animals', 'curiosity', 'garden', 'adventurous'],
    content: [
      'Moss was a hedgehog who had never once stayed awake past sunset. Her mother said the night was for sleeping, and her grandfather said the night was for snoring, which was not quite the same thing.',
      'But one evening Moss heard something strange through the roots of the old apple tree: a tiny clinking, like teaspoons in a cup. She pushed her nose out of the nest and into the dark.',
      'The garden was not asleep at all. Snails were polishing the moonlit paving stones. A family of moths was sorting dewdrops by size. Under the rhubarb leaves, two beetles were arguing politely about whether the moon was a coin or a cake.',
      '"Who looks after the garden at night?" Moss asked the oldest toad, who sat by the pond like a lumpy stone.',
      '"Everyone who is awake," said the toad. "In the day it is the bees and the robins. At night it is us. Nobody can do everything, but everybody can do something."',
      'So Moss helped. She rolled fallen blackberries into a neat pile for the mice and nudged a lost worm back towards the soft earth. When the sky began to turn pale, she hurried home and curled into a very satisfied ball.',
      'At breakfast her grandfather asked why she was yawning. Moss only smiled. Some secrets are best kept until the next midnight.',
    ].join('\n\n'),
  },
];

export const SCHOOL_STORIES: DemoStory[] = [
  {
    title: 'The River That Counted',
    description: 'A river learns to count the stones, the fish and the friends along its way.',
    language: 'en',
    ageRange: '4-6',
    visibility: 'public',
    tags: ['numbers', 'friendship', 'calm'],
    content: [
      'High in the hills, a young river bubbled out of the ground and said, "I wonder how many things I will meet on my way to the sea."',
      'It met one heron, standing on one leg. It met two otters, sliding down the bank. It met three stepping stones, and children hopping across them, one, two, three.',
      'It met four ducks in a row, five willow trees bowing low, six dragonflies shining green and blue.',
      'By the time it reached the sea, the river had counted so many things that it had run out of numbers. "That is all right," said the sea, wide and grey and smiling. "The best things are not for counting. They are for remembering."',
      'And the river rushed into the sea, remembering every one.',
    ].join('\n\n'),
  },
];
