/**
 * The cover contract the IllustratorAgent uses: a story in, a 1024×1024 PNG
 * and a small thumbnail out. Implementations: generated offline art (the
 * default) and an OpenAI-compatible `/v1/images/generations` endpoint.
 */
import type { ProviderUsage } from '../provider-usage.ts';
import type { CallOptions } from '../speech/speech-provider.ts';

export type { CallOptions };

export interface CoverStory {
  title: string;
  description?: string;
  /** The story text; only its words matter to the offline art. */
  text?: string;
  language?: string;
  /** Tag slugs, e.g. "sea", "bedtime"; they steer the scene. */
  tags?: readonly string[];
}

export interface CoverResult {
  /** PNG, COVER_SIZE square. */
  image: Uint8Array;
  /** PNG, THUMBNAIL_SIZE square. */
  thumbnail: Uint8Array;
  mimeType: 'image/png';
  width: number;
  height: number;
  thumbnailWidth: number;
  thumbnailHeight: number;
  usage: ProviderUsage;
}

export const COVER_SIZE = 1024;
export const THUMBNAIL_SIZE = 256;

export interface CoverProvider {
  /** For logs: "generated-cover" or the endpoint's host. */
  readonly name: string;
  generate(story: CoverStory, options?: CallOptions): Promise<CoverResult>;
}
