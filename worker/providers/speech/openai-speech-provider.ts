/**
 * Narration by an OpenAI-compatible `POST /v1/audio/speech`. The API takes at
 * most 4096 characters per request, so a story goes in pieces cut at
 * paragraph or sentence boundaries; the MP3 answers are joined frame-exactly
 * (MP3 frames are independent) and the duration is measured from the result.
 */
import type { OpenAiEndpoint } from '../openai/openai-endpoint.ts';
import { ProviderInputError, ProviderResponseError } from '../provider-errors.ts';
import { speechCost, type ProviderUsage } from '../provider-usage.ts';
import { concatBytes } from './mp3-encoder.ts';
import { Mp3FormatError, measureMp3, withoutLeadingTag } from './mp3-frames.ts';
import { narrationPieces } from './narration-text.ts';
import type { CallOptions, SpeechProvider, SpeechRequest, SpeechResult } from './speech-provider.ts';

/** Below the API's 4096 so a piece never trips the limit after whitespace changes. */
const MAX_INPUT_CHARS = 4000;

export interface OpenAiSpeechOptions {
  endpoint: OpenAiEndpoint;
  model: string;
  voice: string;
  /** Overrides the built-in price per million characters. */
  usdPerMChars?: number | undefined;
}

export class OpenAiSpeechProvider implements SpeechProvider {
  readonly name: string;

  constructor(private readonly options: OpenAiSpeechOptions) {
    this.name = options.endpoint.host;
  }

  async synthesize(request: SpeechRequest, options: CallOptions = {}): Promise<SpeechResult> {
    const pieces = narrationPieces(request.text, MAX_INPUT_CHARS).map((paragraphs) => paragraphs.join('\n\n'));
    if (pieces.length === 0) throw new ProviderInputError('There is no text to narrate: the story is empty.', { provider: this.name });
    const voice = request.voice ?? this.options.voice;
    const parts: Uint8Array[] = [];
    for (const input of pieces) {
      const answer = await this.options.endpoint.postForBytes(
        '/v1/audio/speech',
        { model: this.options.model, input, voice, response_format: 'mp3' },
        options.signal,
      );
      parts.push(this.audioOf(answer.bytes, answer.contentType));
    }
    const audio = concatBytes(parts);
    const info = measureMp3(audio);
    const characters = pieces.reduce((n, p) => n + p.length, 0);
    const usage: ProviderUsage = {
      provider: this.name,
      model: this.options.model,
      promptTokens: 0,
      completionTokens: 0,
      costUsd: speechCost(this.options.model, characters, this.options.usdPerMChars),
      characters,
    };
    return { audio, mimeType: 'audio/mpeg', durationSeconds: info.durationSeconds, sampleRate: info.sampleRate, channels: info.channels, voice, usage };
  }

  /** Checks the answer is MP3 and drops its ID3 tag, so pieces join into one clean stream. */
  private audioOf(bytes: Uint8Array, contentType: string): Uint8Array {
    try {
      measureMp3(bytes);
    } catch (err) {
      if (!(err instanceof Mp3FormatError)) throw err;
      throw new ProviderResponseError(
        `The TTS endpoint ${this.name} answered with ${bytes.length} bytes of ${contentType || 'unknown type'} that are not MP3 audio. Check TTS_BASE_URL and that the server supports response_format "mp3".`,
        { provider: this.name, cause: err },
      );
    }
    return withoutLeadingTag(bytes);
  }
}
