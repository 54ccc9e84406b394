/**
 * The worker's providers, each behind a small interface with an offline
 * default, and an OpenAI-compatible remote chosen by env:
 *
 * | provider | interface | default (no network, no key) | remote when set |
 * |---|---|---|---|
 * | speech | SpeechProvider | espeak-ng WASM → MP3 | TTS_BASE_URL: POST /v1/audio/speech |
 * | covers | CoverProvider | generated vector art → PNG | IMAGE_BASE_URL: POST /v1/images/generations |
 * | language | LanguageModel | heuristics and templates | LLM_BASE_URL: POST /v1/chat/completions |
 *
 * Every call returns a ProviderUsage for `recordLlmUsage`; failures are
 * ProviderErrors whose `retryable` tells the queue what to do.
 */
import type { ProvidersConfig } from '../../server/config.ts';
import { GeneratedCoverProvider } from './covers/generated-cover-provider.ts';
import { OpenAiCoverProvider } from './covers/openai-cover-provider.ts';
import type { CoverProvider } from './covers/cover-provider.ts';
import { HeuristicLanguageModel } from './language/heuristic-language-model.ts';
import type { LanguageModel } from './language/language-model.ts';
import { OpenAiLanguageModel } from './language/openai-language-model.ts';
import { OpenAiEndpoint } from './openai/openai-endpoint.ts';
import { EspeakSpeechProvider } from './speech/espeak-speech-provider.ts';
import { OpenAiSpeechProvider } from './speech/openai-speech-provider.ts';
import type { SpeechProvider } from './speech/speech-provider.ts';

export interface Providers {
  speech: SpeechProvider;
  covers: CoverProvider;
  language: LanguageModel;
}

/** Builds the providers the configuration asks for. */
export function createProviders(config: ProvidersConfig): Providers {
  const endpoint = (settings: { baseUrl: string; apiKey: string | undefined }, envPrefix: string) =>
    new OpenAiEndpoint({ baseUrl: settings.baseUrl, apiKey: settings.apiKey, timeoutMs: config.timeoutMs, envPrefix });
  return {
    speech: config.speech
      ? new OpenAiSpeechProvider({ endpoint: endpoint(config.speech, 'TTS'), model: config.speech.model, voice: config.speech.voice, usdPerMChars: config.speech.usdPerMChars })
      : new EspeakSpeechProvider(),
    covers: config.image
      ? new OpenAiCoverProvider({ endpoint: endpoint(config.image, 'IMAGE'), model: config.image.model, usdPerImage: config.image.usdPerImage })
      : new GeneratedCoverProvider(),
    language: config.llm
      ? new OpenAiLanguageModel({
          endpoint: endpoint(config.llm, 'LLM'),
          model: config.llm.model,
          inputUsdPerMTok: config.llm.inputUsdPerMTok,
          outputUsdPerMTok: config.llm.outputUsdPerMTok,
        })
      : new HeuristicLanguageModel(),
  };
}

export type { CoverProvider, CoverResult, CoverStory } from './covers/cover-provider.ts';
export { COVER_SIZE, THUMBNAIL_SIZE } from './covers/cover-provider.ts';
export type {
  Answer,
  ChatTurn,
  CompanionAnswer,
  LanguageModel,
  ModerationInput,
  ModerationVerdict,
  SearchPlan,
  StoryDraft,
  StoryForm,
  StoryMetadata,
} from './language/language-model.ts';
export { TAG_VOCABULARY, type VocabularyTag } from './language/tag-vocabulary.ts';
export { recordLlmUsage, type UsagePurpose, type UsageRecord } from './llm-usage-recorder.ts';
export * from './provider-errors.ts';
export type { ProviderUsage } from './provider-usage.ts';
export type { CallOptions, SpeechProvider, SpeechRequest, SpeechResult } from './speech/speech-provider.ts';
export { measureMp3, type Mp3Info } from './speech/mp3-frames.ts';
export { EspeakSpeechProvider, GeneratedCoverProvider, HeuristicLanguageModel, OpenAiCoverProvider, OpenAiLanguageModel, OpenAiSpeechProvider };
