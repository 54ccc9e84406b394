/**
 * The speech contract the TTSAgent uses: story text in, an MP3 and its
 * measured duration out. Implementations: espeak-ng offline (the default)
 * and an OpenAI-compatible `/v1/audio/speech` endpoint.
 */
import type { ProviderUsage } from '../provider-usage.ts';

export interface SpeechRequest {
  /** Story text; blank lines separate paragraphs. */
  text: string;
  /** BCP 47 primary language, e.g. "en" or "fr". */
  language: string;
  /** Provider-specific voice; the provider's default when absent. */
  voice?: string;
}

export interface SpeechResult {
  audio: Uint8Array;
  mimeType: 'audio/mpeg';
  /** Measured from the MP3's frames, not estimated from the text. */
  durationSeconds: number;
  sampleRate: number;
  channels: number;
  /** The voice actually used. */
  voice: string;
  usage: ProviderUsage;
}

export interface CallOptions {
  /** Aborts the call, e.g. when the job is cancelled or the worker shuts down. */
  signal?: AbortSignal;
}

export interface SpeechProvider {
  /** For logs: "espeak-ng" or the endpoint's host. */
  readonly name: string;
  synthesize(request: SpeechRequest, options?: CallOptions): Promise<SpeechResult>;
}
