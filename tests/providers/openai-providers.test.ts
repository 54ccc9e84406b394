/**
 * The OpenAI-compatible providers through our real HTTP client, against a
 * local fake that speaks the wire format: what we send (paths, bearer auth,
 * bodies), what we make of the answers (validated values, usage and cost,
 * measured audio, re-encoded images), and typed errors for 401, 429, 500,
 * timeouts and malformed answers.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import {
  createProviders,
  EspeakSpeechProvider,
  GeneratedCoverProvider,
  HeuristicLanguageModel,
  OpenAiCoverProvider,
  OpenAiLanguageModel,
  OpenAiSpeechProvider,
  ProviderAuthError,
  ProviderOutputError,
  ProviderQuotaExceededError,
  ProviderRateLimitError,
  ProviderRequestError,
  ProviderResponseError,
  ProviderUnavailableError,
  type Providers,
} from '../../worker/providers/index.ts';
import { freePort } from '../support/free-port.ts';
import { decodeMp3, toneMp3 } from './audio-fixtures.ts';
import { errorBody, startFakeOpenAi, type FakeOpenAi } from './fake-openai-server.ts';

const API_KEY = 'sk-test-talemo-0123456789';
let fake: FakeOpenAi;
let chatAnswer: (body: Record<string, unknown>) => unknown = () => ({});
let png512: Buffer;

function providersFor(env: Record<string, string> = {}): Providers {
  return createProviders(
    loadConfig({
      LLM_BASE_URL: `${fake.baseUrl}/v1`,
      LLM_API_KEY: API_KEY,
      TTS_BASE_URL: fake.baseUrl,
      TTS_API_KEY: API_KEY,
      IMAGE_BASE_URL: fake.baseUrl,
      IMAGE_API_KEY: API_KEY,
      ...env,
    }).providers,
  );
}

beforeAll(async () => {
  png512 = await sharp({ create: { width: 512, height: 768, channels: 3, background: '#6fbf73' } }).png().toBuffer();
  fake = await startFakeOpenAi({
    apiKey: API_KEY,
    chat: (body) => chatAnswer(body),
    usage: { prompt_tokens: 1200, completion_tokens: 300 },
    // A second of audio per 100 characters: shorter than real speech, to keep the fake quick.
    speech: (input) => toneMp3(Math.max(0.5, input.length / 100)),
    image: () => png512,
  });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.calls.length = 0;
  fake.queue.length = 0;
});

describe('provider selection', () => {
  it('uses the offline defaults when no endpoint is configured', () => {
    const offline = createProviders(loadConfig({}).providers);
    expect(offline.speech).toBeInstanceOf(EspeakSpeechProvider);
    expect(offline.covers).toBeInstanceOf(GeneratedCoverProvider);
    expect(offline.language).toBeInstanceOf(HeuristicLanguageModel);
  });

  it('uses each remote endpoint whose base URL is set', () => {
    const remote = providersFor();
    expect(remote.speech).toBeInstanceOf(OpenAiSpeechProvider);
    expect(remote.covers).toBeInstanceOf(OpenAiCoverProvider);
    expect(remote.language).toBeInstanceOf(OpenAiLanguageModel);
    expect(remote.language.name).toBe(new URL(fake.baseUrl).host);
  });
});

describe('chat completions (language model)', () => {
  it('sends a bearer-authenticated JSON-mode request and returns the validated answer with usage and cost', async () => {
    chatAnswer = () => ({ flagged: false, categories: [], reasons: [] });
    const { value, usage } = await providersFor().language.moderate({ title: 'Pebble', text: 'A small grey cat watched the sea.' });
    expect(value).toEqual({ flagged: false, categories: [], reasons: [] });
    expect(usage).toEqual({ provider: new URL(fake.baseUrl).host, model: 'gpt-4o-mini', promptTokens: 1200, completionTokens: 300, costUsd: 0.00036 });
    const [call] = fake.calls;
    // A base URL ending in /v1 is not doubled.
    expect(call).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect(call!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(call!.body).toMatchObject({ model: 'gpt-4o-mini', response_format: { type: 'json_object' }, temperature: 0 });
    const messages = call!.body.messages as Array<{ role: string; content: string }>;
    expect(messages[0]!.role).toBe('system');
    expect(messages[1]).toEqual({ role: 'user', content: 'Title: Pebble\n\nA small grey cat watched the sea.' });
  });

  it('prices by the env override when set', async () => {
    chatAnswer = () => ({ flagged: false, categories: [], reasons: [] });
    const { usage } = await providersFor({ LLM_MODEL: 'llama3.1:8b', LLM_INPUT_USD_PER_MTOK: '1', LLM_OUTPUT_USD_PER_MTOK: '2' }).language.moderate({ text: 'Hello.' });
    expect(usage).toMatchObject({ model: 'llama3.1:8b', costUsd: 0.0018 });
  });

  it('keeps the keyword check in force when the model is lenient', async () => {
    chatAnswer = () => ({ flagged: false, categories: [], reasons: [] });
    const { value } = await providersFor().language.moderate({ text: 'He took a gun and killed them all.' });
    expect(value.flagged).toBe(true);
    expect(value.categories).toEqual(expect.arrayContaining(['violence', 'weapons']));
  });

  it('keeps only vocabulary tags and counts words itself for metadata', async () => {
    chatAnswer = () => ({ language: 'en', readingLevel: 'early', ageRange: '4-6', tags: ['cats', 'zombie-apocalypse', 'sea'] });
    const { value } = await providersFor().language.describe({ title: 'Pebble', text: 'One two three four five six seven.' });
    expect(value).toEqual({ language: 'en', readingLevel: 'early', ageRange: '4-6', tags: ['cats', 'sea'], wordCount: 7, estimatedDurationSeconds: 3 });
  });

  it('maps chat turns to user and assistant messages for the companion', async () => {
    chatAnswer = () => ({ title: 'Pip', characters: [{ name: 'Pip', description: 'a dragon' }], theme: 'courage', ageRange: '4-6', language: 'en', text: 'Once upon a time…', reply: 'Here it is!' });
    const { value } = await providersFor().language.composeStory([
      { role: 'parent', text: 'A dragon story' },
      { role: 'companion', text: 'What is the dragon called?' },
      { role: 'parent', text: 'Pip' },
    ]);
    expect(value.reply).toBe('Here it is!');
    expect(value.form.title).toBe('Pip');
    const roles = (fake.calls[0]!.body.messages as Array<{ role: string }>).map((m) => m.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'user']);
  });

  it('rejects an answer in the wrong shape as a retryable output error', async () => {
    chatAnswer = () => ({ query: 42 });
    const err = await providersFor().language.planSearch('cats').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderOutputError);
    expect((err as ProviderOutputError).retryable).toBe(true);
    expect((err as Error).message).toMatch(/query/);
    chatAnswer = () => 'Sure! Here are some cat stories.';
    await expect(providersFor().language.planSearch('cats')).rejects.toBeInstanceOf(ProviderOutputError);
  });
});

describe('HTTP failures become typed errors', () => {
  const ask = (env: Record<string, string> = {}) => providersFor(env).language.planSearch('cats').catch((e: unknown) => e);

  it('401: permanent, names the key to check', async () => {
    const err = await ask({ LLM_API_KEY: 'sk-wrong' });
    expect(err).toBeInstanceOf(ProviderAuthError);
    expect(err).toMatchObject({ retryable: false, status: 401 });
    expect((err as Error).message).toMatch(/Incorrect API key provided.*LLM_API_KEY/);
  });

  it('429 with Retry-After: retryable, with the delay', async () => {
    fake.queue.push({ status: 429, headers: { 'retry-after': '7' }, body: errorBody('Rate limit reached for requests', 'requests', 'rate_limit_exceeded') });
    const err = await ask();
    expect(err).toBeInstanceOf(ProviderRateLimitError);
    expect(err).toMatchObject({ retryable: true, retryAfterSeconds: 7, status: 429 });
    expect((err as Error).message).toMatch(/retry in 7 s/);
  });

  it('429 for an exhausted quota: permanent', async () => {
    fake.queue.push({ status: 429, body: errorBody('You exceeded your current quota.', 'insufficient_quota', 'insufficient_quota') });
    const err = await ask();
    expect(err).toBeInstanceOf(ProviderQuotaExceededError);
    expect((err as ProviderQuotaExceededError).retryable).toBe(false);
  });

  it('500: retryable', async () => {
    fake.queue.push({ status: 500, body: errorBody('The server had an error while processing your request.', 'server_error', null) });
    const err = await ask();
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err).toMatchObject({ retryable: true, status: 500 });
  });

  it('400 from the API: permanent, with the vendor’s message', async () => {
    fake.queue.push({ status: 400, body: errorBody("Invalid value for 'voice'", 'invalid_request_error', null) });
    const refused = await providersFor().speech.synthesize({ text: 'Hello', language: 'en' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProviderRequestError);
    expect((refused as Error).message).toMatch(/Invalid value for 'voice'.*TTS_MODEL/);
  });

  it('malformed JSON from a 200: permanent, points at the base URL', async () => {
    fake.queue.push({ status: 200, body: '<html>Welcome to nginx</html>' });
    const err = await ask();
    expect(err).toBeInstanceOf(ProviderResponseError);
    expect((err as ProviderResponseError).retryable).toBe(false);
    expect((err as Error).message).toMatch(/not JSON.*LLM_BASE_URL/);
  });

  it('no answer in time: retryable', async () => {
    fake.queue.push({ status: 200, body: '{}', delayMs: 3000 });
    const err = await ask({ PROVIDER_TIMEOUT_MS: '1000' });
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect((err as Error).message).toMatch(/within 1000 ms/);
  });

  it('nobody listening: retryable', async () => {
    const port = await freePort();
    const err = await createProviders(loadConfig({ LLM_BASE_URL: `http://127.0.0.1:${port}` }).providers).language.planSearch('cats').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect((err as ProviderUnavailableError).retryable).toBe(true);
  });
});

describe('audio speech', () => {
  it('returns the MP3 with its measured duration and a character-priced usage', async () => {
    const text = 'Once upon a time, a small grey cat lived in a lighthouse.';
    const result = await providersFor().speech.synthesize({ text, language: 'en' });
    const [call] = fake.calls;
    expect(call).toMatchObject({ path: '/v1/audio/speech', body: { model: 'tts-1', input: text, voice: 'alloy', response_format: 'mp3' } });
    expect(call!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const decoded = await decodeMp3(result.audio);
    expect(decoded.errors).toBe(0);
    expect(result.durationSeconds).toBeCloseTo(decoded.seconds, 1);
    expect(result.durationSeconds).toBeGreaterThan(text.length / 100);
    expect(result.usage).toMatchObject({ model: 'tts-1', characters: text.length, costUsd: Math.round(text.length * 15) / 1e6 });
  });

  it('splits a story longer than the API limit and joins the audio into one stream', async () => {
    const paragraph = 'The little fox ran through the tall grass, looking for the moon. '.repeat(12).trim();
    const story = Array.from({ length: 8 }, () => paragraph).join('\n\n');
    expect(story.length).toBeGreaterThan(6000);
    const result = await providersFor().speech.synthesize({ text: story, language: 'en', voice: 'nova' });
    expect(fake.calls.length).toBeGreaterThan(1);
    for (const call of fake.calls) expect((call.body.input as string).length).toBeLessThanOrEqual(4096);
    expect(fake.calls.every((c) => c.body.voice === 'nova')).toBe(true);
    const decoded = await decodeMp3(result.audio);
    expect(decoded.errors).toBe(0);
    const sent = fake.calls.reduce((n, c) => n + (c.body.input as string).length, 0);
    expect(decoded.seconds).toBeGreaterThan(sent / 100);
  });

  it('refuses an answer that is not MP3', async () => {
    fake.queue.push({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' });
    const err = await providersFor().speech.synthesize({ text: 'Hello', language: 'en' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderResponseError);
    expect((err as Error).message).toMatch(/not MP3 audio.*TTS_BASE_URL/);
  });
});

describe('image generations', () => {
  it('asks for base64, re-encodes the picture as a 1024 PNG with our title lettering and a 256 thumbnail', async () => {
    const result = await providersFor().covers.generate({ title: 'The Lighthouse Cat', description: 'A cat in a lighthouse', tags: ['cats'] });
    const [call] = fake.calls;
    expect(call).toMatchObject({ path: '/v1/images/generations', body: { model: 'dall-e-3', n: 1, size: '1024x1024', response_format: 'b64_json' } });
    expect(call!.body.prompt).toMatch(/The Lighthouse Cat.*No text/s);
    expect(await sharp(result.image).metadata()).toMatchObject({ format: 'png', width: 1024, height: 1024 });
    expect(await sharp(result.thumbnail).metadata()).toMatchObject({ format: 'png', width: 256, height: 256 });
    // The plain green picture now carries the banner and lettering.
    const band = await sharp(result.image).extract({ left: 120, top: 100, width: 784, height: 40 }).greyscale().stats();
    expect(band.channels[0]!.stdev).toBeGreaterThan(25);
    expect(result.usage).toMatchObject({ model: 'dall-e-3', images: 1, costUsd: 0.04 });
  });

  it('omits response_format for gpt-image models, which always answer in base64', async () => {
    await providersFor({ IMAGE_MODEL: 'gpt-image-1' }).covers.generate({ title: 'Pip' });
    expect(fake.calls[0]!.body).not.toHaveProperty('response_format');
  });

  it('refuses answers without an image, or with bytes that are not one', async () => {
    fake.queue.push({ status: 200, body: JSON.stringify({ created: 1, data: [{ url: 'https://example.invalid/x.png' }] }) });
    await expect(providersFor().covers.generate({ title: 'Pip' })).rejects.toThrow(/without data\[0\]\.b64_json/);
    fake.queue.push({ status: 200, body: JSON.stringify({ created: 1, data: [{ b64_json: Buffer.from('not an image').toString('base64') }] }) });
    const err = await providersFor().covers.generate({ title: 'Pip' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderResponseError);
  });
});
