/**
 * Real-time factor of the offline narrator (worker/providers/speech): the
 * time to synthesise a ~300-word English story with espeak-ng (WASM) and
 * encode it to MP3, divided by the length of the audio. Below 1 means faster
 * than real time. The first run includes compiling the 18 MB WebAssembly
 * module; the following runs are what a warm worker sees.
 *
 *   npx tsx bench/tts-realtime-factor.ts [runs=3]
 *
 * Prints figures; asserts nothing.
 */
import os from 'node:os';
import { EspeakSpeechProvider } from '../worker/providers/speech/espeak-speech-provider.ts';
import { encodeMp3 } from '../worker/providers/speech/mp3-encoder.ts';
import { measureMp3 } from '../worker/providers/speech/mp3-frames.ts';

const runs = Math.max(1, Number(process.argv[2] ?? 3));

// Original text, about 300 words in seven paragraphs, like a generated story.
const STORY = [
  'At the very end of the harbour stood a white lighthouse, and at the very top of the lighthouse lived a small grey cat called Pebble.',
  'Every evening the keeper climbed the winding stairs, lit the great lamp, and said, "Watch the sea for me, Pebble." And every evening Pebble sat on the warm windowsill and watched the boats come home, one by one, their little lights bobbing on the dark water.',
  'One night the wind howled and the rain drummed on the glass. The lamp flickered once, twice, and went dark. Far out on the water, a little fishing boat was looking for the way home, and there was no light to show it.',
  'Pebble did not like storms. Her ears went flat and her tail went puffy. But she remembered the little boat, and she ran down all one hundred and twelve steps, meowing as loudly as a cat can meow.',
  'The keeper woke with a start. He grabbed his lantern, pulled on his boots, and hurried up the stairs to mend the lamp. Soon the light swept across the waves again, round and round, steady and bright.',
  'Down in the harbour, the fishermen’s children pressed their noses to the windows. They could see the beam turning in the rain, and they knew that somebody up there was keeping watch for their fathers and mothers.',
  'The little boat turned towards the light and came safely into the harbour. In the morning, the fisherman climbed the hill with a present wrapped in newspaper: the smallest, shiniest sardine in his whole net.',
  'And from that night on, whenever the wind howled, Pebble sat a little taller on her windowsill, because she knew that being brave does not mean never being scared. It means doing what needs doing, even with a puffy tail.',
].join('\n\n');

const words = STORY.split(/\s+/).length;
const narrator = new EspeakSpeechProvider();
console.log(`TTS real-time factor: espeak-ng WASM + lamejs MP3, ${words} words, voice en-us; ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

for (let run = 1; run <= runs; run++) {
  const t0 = performance.now();
  const { pcm } = await narrator.synthesizePcm({ text: STORY, language: 'en' });
  const t1 = performance.now();
  const mp3 = await encodeMp3(pcm);
  const t2 = performance.now();
  const audioSeconds = measureMp3(mp3).durationSeconds;
  const synthMs = t1 - t0;
  const encodeMs = t2 - t1;
  const rtf = (synthMs + encodeMs) / 1000 / audioSeconds;
  console.log(
    `  run ${run}${run === 1 ? ' (cold)' : '       '}  synthesis ${synthMs.toFixed(0)} ms  encode ${encodeMs.toFixed(0)} ms  total ${(synthMs + encodeMs).toFixed(0)} ms  ` +
      `audio ${audioSeconds.toFixed(2)} s  mp3 ${(mp3.length / 1024).toFixed(0)} KiB  RTF ${rtf.toFixed(3)} (${(1 / rtf).toFixed(1)}× real time)`,
  );
}
