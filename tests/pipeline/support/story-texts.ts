/**
 * Story texts for the pipeline tests and the latency benchmark: original,
 * gentle, and (for the flagged one) unmistakably not for children.
 */

/** About 300 words in eight paragraphs, like a generated story. */
export const LIGHTHOUSE_STORY = [
  'At the very end of the harbour stood a white lighthouse, and at the very top of the lighthouse lived a small grey cat called Pebble.',
  'Every evening the keeper climbed the winding stairs, lit the great lamp, and said, "Watch the sea for me, Pebble." And every evening Pebble sat on the warm windowsill and watched the boats come home, one by one, their little lights bobbing on the dark water.',
  'One night the wind howled and the rain drummed on the glass. The lamp flickered once, twice, and went dark. Far out on the water, a little fishing boat was looking for the way home, and there was no light to show it.',
  'Pebble did not like storms. Her ears went flat and her tail went puffy. But she remembered the little boat, and she ran down all one hundred and twelve steps, meowing as loudly as a cat can meow.',
  'The keeper woke with a start. He grabbed his lantern, pulled on his boots, and hurried up the stairs to mend the lamp. Soon the light swept across the waves again, round and round, steady and bright.',
  'Down in the harbour, the children pressed their noses to the windows. They could see the beam turning in the rain, and they knew that somebody up there was keeping watch for their fathers and mothers.',
  'The little boat turned towards the light and came safely into the harbour. In the morning, the fisherman climbed the hill with a present wrapped in newspaper: the smallest, shiniest sardine in his whole net.',
  'And from that night on, whenever the wind howled, Pebble sat a little taller on her windowsill, because she knew that being brave does not mean never being scared. It means doing what needs doing, even with a puffy tail.',
].join('\n\n');

/** About 70 words: quick to narrate, for tests that need a whole pipeline but not a long one. */
export const SHORT_STORY = [
  'Milo the little fox lived at the edge of a quiet forest.',
  'Every night he looked up at the moon and wondered where it went in the morning. One evening his friend the owl said, "Let us follow it together."',
  'They walked until the sky turned pink, and the moon slipped gently behind the hill. "It goes to sleep," whispered Milo, yawning, "just like me." And he curled up under a tree and dreamed.',
].join('\n\n');

/** Held by the keyword moderation: weapons and violence. */
export const UNSUITABLE_STORY = 'The pirate took his gun and a knife and went to kill the sailors. There was blood everywhere on the deck, and he laughed as he stabbed the captain.';
