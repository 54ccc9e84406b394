/**
 * The offline narrator: espeak-ng (WebAssembly, voices bundled in the
 * package) → 16-bit PCM → MP3. Needs no network and no key. Long stories are
 * synthesised in pieces, with a paragraph pause between them and a yield to
 * the event loop after each.
 */
import { offlineUsage } from '../provider-usage.ts';
import { ProviderEngineError, ProviderInputError } from '../provider-errors.ts';
import { runEspeak } from './espeak-wasm.ts';
import { encodeMp3 } from './mp3-encoder.ts';
import { measureMp3 } from './mp3-frames.ts';
import { PARAGRAPH_PAUSE_MS, narrationPieces, paragraphsToSsml } from './narration-text.ts';
import type { CallOptions, SpeechProvider, SpeechRequest, SpeechResult } from './speech-provider.ts';
import { readWavPcm16, type Pcm16 } from './wav-pcm.ts';

/** espeak-ng voice per language; English and French are the ones we test. */
export const ESPEAK_VOICES: Readonly<Record<string, string>> = {
  en: 'en-us',
  fr: 'fr-fr',
  es: 'es',
  de: 'de',
  it: 'it',
  pt: 'pt',
  nl: 'nl',
};

export interface EspeakOptions {
  /** espeak's default of 175 is brisk for young listeners. */
  wordsPerMinute?: number;
  /** 0–99; espeak's default is 50. */
  pitch?: number;
  /** Characters per synthesis call; bounds how long one call blocks the event loop. */
  maxCharsPerRun?: number;
}

const VOICE_NAME = /^[a-z]{2,3}(-[a-z0-9]{2,8})*(\+[a-z0-9]{1,12})?$/i;

export class EspeakSpeechProvider implements SpeechProvider {
  readonly name = 'espeak-ng';
  private readonly wordsPerMinute: number;
  private readonly pitch: number;
  private readonly maxCharsPerRun: number;

  constructor(options: EspeakOptions = {}) {
    this.wordsPerMinute = options.wordsPerMinute ?? 145;
    this.pitch = options.pitch ?? 50;
    this.maxCharsPerRun = options.maxCharsPerRun ?? 3000;
  }

  async synthesize(request: SpeechRequest, options: CallOptions = {}): Promise<SpeechResult> {
    const { pcm, voice } = await this.synthesizePcm(request, options);
    const audio = await encodeMp3(pcm);
    const info = measureMp3(audio);
    return {
      audio,
      mimeType: 'audio/mpeg',
      durationSeconds: info.durationSeconds,
      sampleRate: info.sampleRate,
      channels: info.channels,
      voice,
      usage: offlineUsage(this.name, voice, { characters: request.text.length }),
    };
  }

  /** The narration as raw PCM, before MP3 encoding. */
  async synthesizePcm(request: SpeechRequest, options: CallOptions = {}): Promise<{ pcm: Pcm16; voice: string }> {
    const voice = this.voiceFor(request);
    const pieces = narrationPieces(request.text, this.maxCharsPerRun);
    if (pieces.length === 0) throw new ProviderInputError('There is no text to narrate: the story is empty.', { provider: this.name });
    const parts: Pcm16[] = [];
    for (const paragraphs of pieces) {
      options.signal?.throwIfAborted();
      parts.push(await this.run(paragraphsToSsml(paragraphs), voice));
      // Let timers and I/O run between pieces; one piece blocks for up to a second or so.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { pcm: joinWithPauses(parts), voice };
  }

  private voiceFor(request: SpeechRequest): string {
    if (request.voice !== undefined) {
      if (!VOICE_NAME.test(request.voice)) {
        throw new ProviderInputError(`${JSON.stringify(request.voice)} is not an espeak-ng voice name (e.g. "en-gb" or "fr-fr+f3").`, { provider: this.name });
      }
      return request.voice;
    }
    const primary = request.language.toLowerCase().split(/[-_]/)[0] ?? '';
    const voice = ESPEAK_VOICES[primary];
    if (!voice) {
      throw new ProviderInputError(
        `The offline narrator has no voice for language ${JSON.stringify(request.language)}; it speaks ${Object.keys(ESPEAK_VOICES).join(', ')}. Set TTS_BASE_URL to use a remote voice.`,
        { provider: this.name },
      );
    }
    return voice;
  }

  private async run(ssml: string, voice: string): Promise<Pcm16> {
    const { wav, errors } = await runEspeak(['-m', '-v', voice, '-s', String(this.wordsPerMinute), '-p', String(this.pitch)], ssml);
    if (wav.length <= 44) {
      const said = errors.join(' ').trim() || 'no audio was produced';
      throw new ProviderEngineError(`espeak-ng could not narrate with voice ${voice}: ${said}`, { provider: this.name });
    }
    try {
      return readWavPcm16(wav);
    } catch (err) {
      throw new ProviderEngineError(`espeak-ng wrote audio we cannot read: ${(err as Error).message}`, { provider: this.name, cause: err });
    }
  }
}

function joinWithPauses(parts: readonly Pcm16[]): Pcm16 {
  const first = parts[0]!;
  if (parts.length === 1) return first;
  const gap = Math.round((first.sampleRate * PARAGRAPH_PAUSE_MS) / 1000);
  const total = parts.reduce((n, p) => n + p.samples.length, 0) + gap * (parts.length - 1);
  const samples = new Int16Array(total);
  let at = 0;
  parts.forEach((part, i) => {
    if (i > 0) at += gap;
    samples.set(part.samples, at);
    at += part.samples.length;
  });
  return { sampleRate: first.sampleRate, channels: first.channels, samples };
}
