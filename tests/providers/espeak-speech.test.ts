/**
 * The offline narrator for real: espeak-ng WASM → MP3, decoded by mpg123
 * (independent of our code) to check the audio is valid, audible, and as
 * long as the speech espeak produced.
 */
import { describe, expect, it } from 'vitest';
import { EspeakSpeechProvider } from '../../worker/providers/speech/espeak-speech-provider.ts';
import { ProviderInputError } from '../../worker/providers/provider-errors.ts';
import { decodeMp3 } from './audio-fixtures.ts';

const EN = 'Once upon a time, a small grey cat lived at the top of a lighthouse.\n\nEvery evening she watched the sea, and every morning she slept in the sun.';
const FR = 'Il était une fois un tout petit nuage, blanc comme du coton.\n\nIl voulait pleuvoir, comme les grands nuages gris.';

describe('espeak-ng speech (offline default)', () => {
  const narrator = new EspeakSpeechProvider();

  for (const [language, text, voice] of [['en', EN, 'en-us'], ['fr', FR, 'fr-fr']] as const) {
    it(`narrates ${language} into an MP3 that decodes, is audible, and lasts as long as the speech`, async () => {
      const { pcm } = await narrator.synthesizePcm({ text, language });
      const pcmSeconds = pcm.samples.length / pcm.sampleRate;
      const result = await narrator.synthesize({ text, language });

      expect(result.mimeType).toBe('audio/mpeg');
      expect(result.voice).toBe(voice);
      const decoded = await decodeMp3(result.audio);
      expect(decoded.errors).toBe(0);
      expect(decoded.sampleRate).toBe(pcm.sampleRate);
      expect(decoded.rms).toBeGreaterThan(0.02);
      // MP3 adds encoder delay and padding to the last frame: at most ~0.15 s here.
      expect(decoded.seconds).toBeGreaterThanOrEqual(pcmSeconds);
      expect(decoded.seconds - pcmSeconds).toBeLessThan(0.15);
      // The duration we store is measured from the MP3's frames and agrees with the decoder.
      expect(Math.abs(result.durationSeconds - decoded.seconds)).toBeLessThan(0.05);
      // About 25 words at a calm pace, plus a paragraph pause.
      expect(result.durationSeconds).toBeGreaterThan(5);
      expect(result.durationSeconds).toBeLessThan(20);
      expect(result.usage).toMatchObject({ provider: 'espeak-ng', promptTokens: 0, completionTokens: 0, costUsd: 0, characters: text.length });
    });
  }

  it('pauses between paragraphs', async () => {
    const oneParagraph = await narrator.synthesize({ text: EN.replace('\n\n', ' '), language: 'en' });
    const twoParagraphs = await narrator.synthesize({ text: EN, language: 'en' });
    expect(twoParagraphs.durationSeconds - oneParagraph.durationSeconds).toBeGreaterThan(0.3);
  });

  it('narrates a long story in pieces into one continuous MP3', async () => {
    const pieces = new EspeakSpeechProvider({ maxCharsPerRun: 120 });
    const whole = await narrator.synthesize({ text: EN, language: 'en' });
    const split = await pieces.synthesize({ text: EN, language: 'en' });
    const decoded = await decodeMp3(split.audio);
    expect(decoded.errors).toBe(0);
    expect(Math.abs(split.durationSeconds - whole.durationSeconds)).toBeLessThan(1.5);
  });

  it('refuses what it cannot narrate, saying what to do', async () => {
    await expect(narrator.synthesize({ text: '  \n\n ', language: 'en' })).rejects.toBeInstanceOf(ProviderInputError);
    const unsupported = await narrator.synthesize({ text: 'こんにちは', language: 'ja' }).catch((e: unknown) => e);
    expect(unsupported).toBeInstanceOf(ProviderInputError);
    expect((unsupported as Error).message).toMatch(/TTS_BASE_URL/);
    expect((unsupported as ProviderInputError).retryable).toBe(false);
    await expect(narrator.synthesize({ text: 'Hello', language: 'en', voice: '../../etc' })).rejects.toBeInstanceOf(ProviderInputError);
  });
});
