/**
 * The LanguageModel over an OpenAI-compatible `POST /v1/chat/completions`.
 * Each task asks for a JSON object (response_format json_object), validates
 * it, and keeps the parts the model is bad at deterministic: word counts and
 * durations are computed here, tags are limited to our vocabulary, and
 * moderation also runs the keyword check so a lenient model cannot wave
 * through a draft the heuristics would hold.
 */
import { z } from 'zod';
import type { OpenAiEndpoint } from '../openai/openai-endpoint.ts';
import { ProviderOutputError, ProviderResponseError } from '../provider-errors.ts';
import { chatCost, type ProviderUsage } from '../provider-usage.ts';
import { moderateByKeywords } from './keyword-moderation.ts';
import {
  moderationVerdictSchema,
  searchPlanSchema,
  storyFormSchema,
  storyMetadataSchema,
  type Answer,
  type CallOptions,
  type ChatTurn,
  type CompanionAnswer,
  type LanguageModel,
  type ModerationInput,
  type ModerationVerdict,
  type SearchPlan,
  type StoryDraft,
  type StoryMetadata,
} from './language-model.ts';
import { SYSTEM_PROMPTS, type LanguageTask } from './language-prompts.ts';
import { describeStory } from './story-metadata.ts';
import { TAG_VOCABULARY } from './tag-vocabulary.ts';

export interface OpenAiLanguageModelOptions {
  endpoint: OpenAiEndpoint;
  model: string;
  inputUsdPerMTok?: number | undefined;
  outputUsdPerMTok?: number | undefined;
}

interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const KNOWN_TAGS = new Set(TAG_VOCABULARY.map((t) => t.slug));

export class OpenAiLanguageModel implements LanguageModel {
  readonly name: string;

  constructor(private readonly options: OpenAiLanguageModelOptions) {
    this.name = options.endpoint.host;
  }

  async moderate(input: ModerationInput, options: CallOptions = {}): Promise<Answer<ModerationVerdict>> {
    const user = `${input.title ? `Title: ${input.title}\n\n` : ''}${input.text}`;
    const { value, usage } = await this.ask('moderation', [{ role: 'user', content: user }], moderationVerdictSchema, options);
    const keywords = moderateByKeywords(input);
    const categories = [...new Set([...keywords.categories, ...value.categories])];
    const reasons = [...keywords.reasons, ...value.reasons.filter((r) => !keywords.reasons.includes(r))];
    return { value: { flagged: value.flagged || keywords.flagged, categories, reasons }, usage };
  }

  async describe(draft: StoryDraft, options: CallOptions = {}): Promise<Answer<StoryMetadata>> {
    const schema = storyMetadataSchema.pick({ language: true, readingLevel: true, ageRange: true, tags: true });
    const { value, usage } = await this.ask('metadata', [{ role: 'user', content: `Title: ${draft.title}\n\n${draft.text}` }], schema, options);
    const counted = describeStory({ ...draft, language: draft.language ?? value.language });
    return {
      value: { ...value, language: draft.language ?? value.language, tags: value.tags.filter((t) => KNOWN_TAGS.has(t)).slice(0, 5), wordCount: counted.wordCount, estimatedDurationSeconds: counted.estimatedDurationSeconds },
      usage,
    };
  }

  async composeStory(turns: readonly ChatTurn[], options: CallOptions = {}): Promise<Answer<CompanionAnswer>> {
    const messages: ChatMessage[] = turns.map((t) => ({ role: t.role === 'parent' ? 'user' : 'assistant', content: t.text }));
    const schema = storyFormSchema.extend({ reply: z.string().min(1).max(1000) });
    const { value, usage } = await this.ask('companion', messages, schema, options);
    const { reply, ...form } = value;
    return { value: { form, reply }, usage };
  }

  async planSearch(question: string, options: CallOptions = {}): Promise<Answer<SearchPlan>> {
    const { value, usage } = await this.ask('search', [{ role: 'user', content: question }], searchPlanSchema, options);
    const tags = value.filters.tags?.filter((t) => KNOWN_TAGS.has(t));
    return { value: { query: value.query, filters: { ...value.filters, ...(tags ? { tags } : {}) } }, usage };
  }

  private async ask<T extends z.ZodType>(task: LanguageTask, messages: ChatMessage[], schema: T, options: CallOptions): Promise<{ value: z.output<T>; usage: ProviderUsage }> {
    const all: ChatMessage[] = [{ role: 'system', content: SYSTEM_PROMPTS[task] }, ...messages];
    const body = {
      model: this.options.model,
      messages: all,
      response_format: { type: 'json_object' },
      temperature: task === 'companion' ? 0.8 : 0,
    };
    const answer = await this.options.endpoint.postJson('/v1/chat/completions', body, options.signal);
    const content = messageContent(answer, this.name);
    const usage = this.usageOf(answer, all, content);
    let parsed: unknown;
    try {
      parsed = JSON.parse(stripFence(content));
    } catch {
      throw new ProviderOutputError(`The model ${this.options.model} at ${this.name} did not answer the ${task} request with JSON (it began ${JSON.stringify(content.slice(0, 60))}). Retrying usually helps.`, { provider: this.name });
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const problems = result.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).join('; ');
      throw new ProviderOutputError(`The model ${this.options.model} at ${this.name} answered the ${task} request in the wrong shape (${problems}). Retrying usually helps.`, { provider: this.name });
    }
    return { value: result.data, usage };
  }

  private usageOf(answer: unknown, messages: ChatMessage[], content: string): ProviderUsage {
    const reported = (answer as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
    const valid = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
    // Some compatible servers omit usage; estimate (about four characters a token) rather than record zero.
    const promptTokens = valid(reported?.prompt_tokens) ? reported.prompt_tokens : Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4);
    const completionTokens = valid(reported?.completion_tokens) ? reported.completion_tokens : Math.ceil(content.length / 4);
    return {
      provider: this.name,
      model: this.options.model,
      promptTokens,
      completionTokens,
      costUsd: chatCost(this.options.model, promptTokens, completionTokens, { inputUsdPerMTok: this.options.inputUsdPerMTok, outputUsdPerMTok: this.options.outputUsdPerMTok }),
    };
  }
}

function messageContent(answer: unknown, provider: string): string {
  const choice = (answer as { choices?: Array<{ message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown }> })?.choices?.[0];
  const content = choice?.message?.content;
  if (typeof content === 'string' && content.length > 0) return content;
  if (typeof choice?.message?.refusal === 'string') {
    throw new ProviderOutputError(`The model at ${provider} refused: ${choice.message.refusal}`, { provider });
  }
  throw new ProviderResponseError(`The chat endpoint ${provider} answered without choices[0].message.content. Check LLM_BASE_URL and LLM_MODEL.`, { provider });
}

/** Some models wrap JSON in a Markdown fence despite json_object mode. */
function stripFence(content: string): string {
  const match = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(content);
  return match ? match[1]! : content;
}
