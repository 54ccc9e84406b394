/**
 * What a provider call consumed and what it probably cost, in the shape of an
 * `llm_usage` row. Offline providers report zero tokens and zero cost, so the
 * pipeline can record every call the same way.
 *
 * Prices are list prices in US dollars at the time of writing; vendors change
 * them, so each can be overridden by env (LLM_INPUT_USD_PER_MTOK, …). A model
 * that is neither in the table nor priced by env costs 0: the estimate is
 * then only a token count.
 */

export interface ProviderUsage {
  /** Who answered: "heuristic", "espeak-ng", "generated-cover", or the endpoint's host. */
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** Estimated, in US dollars. */
  costUsd: number;
  /** Characters synthesised, for speech. */
  characters?: number;
  /** Images generated, for covers. */
  images?: number;
}

/** An offline call: nothing billed. */
export function offlineUsage(provider: string, model: string, extra: Pick<ProviderUsage, 'characters' | 'images'> = {}): ProviderUsage {
  return { provider, model, promptTokens: 0, completionTokens: 0, costUsd: 0, ...extra };
}

interface TokenPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

// Longest prefix wins, so dated snapshots ("gpt-4o-mini-2024-07-18") find their family.
const CHAT_PRICES: Record<string, TokenPrice> = {
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-3.5-turbo': { inputPerMTok: 0.5, outputPerMTok: 1.5 },
};

const SPEECH_PRICES_PER_MCHARS: Record<string, number> = { 'tts-1-hd': 30, 'tts-1': 15 };

const IMAGE_PRICES: Record<string, number> = { 'dall-e-3': 0.04, 'dall-e-2': 0.02 };

function byPrefix<T>(table: Record<string, T>, model: string): T | undefined {
  const match = Object.keys(table)
    .filter((name) => model === name || model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return match === undefined ? undefined : table[match];
}

/** Dollars, rounded to the micro-dollar the `llm_usage.cost_usd` column keeps. */
function dollars(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function chatCost(model: string, promptTokens: number, completionTokens: number, override: { inputUsdPerMTok?: number | undefined; outputUsdPerMTok?: number | undefined } = {}): number {
  const listed = byPrefix(CHAT_PRICES, model);
  const input = override.inputUsdPerMTok ?? listed?.inputPerMTok ?? 0;
  const output = override.outputUsdPerMTok ?? listed?.outputPerMTok ?? 0;
  return dollars((promptTokens * input + completionTokens * output) / 1e6);
}

export function speechCost(model: string, characters: number, usdPerMChars?: number): number {
  return dollars((characters * (usdPerMChars ?? byPrefix(SPEECH_PRICES_PER_MCHARS, model) ?? 0)) / 1e6);
}

export function imageCost(model: string, images: number, usdPerImage?: number): number {
  return dollars(images * (usdPerImage ?? byPrefix(IMAGE_PRICES, model) ?? 0));
}
