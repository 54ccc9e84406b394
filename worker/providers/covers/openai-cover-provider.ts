/**
 * Covers from an OpenAI-compatible `POST /v1/images/generations`. The picture
 * is asked for without text (image models misspell), then our own title
 * lettering goes on top, so remote and offline covers read the same way.
 * The answer is decoded and re-encoded, which checks it is an image and
 * drops any metadata.
 */
import type { OpenAiEndpoint } from '../openai/openai-endpoint.ts';
import { ProviderResponseError } from '../provider-errors.ts';
import { imageCost } from '../provider-usage.ts';
import { COVER_SIZE, THUMBNAIL_SIZE, type CallOptions, type CoverProvider, type CoverResult, type CoverStory } from './cover-provider.ts';
import { squarePng } from './cover-raster.ts';
import { titleBannerSvg } from './title-banner.ts';

export interface OpenAiCoverOptions {
  endpoint: OpenAiEndpoint;
  model: string;
  usdPerImage?: number | undefined;
}

/** The banner colours used over remote art: a light card with dark ink reads on any picture. */
const BANNER = { banner: '#fffaf0', ink: '#2d3a5a', inkShadow: '#ffffff' };

export class OpenAiCoverProvider implements CoverProvider {
  readonly name: string;

  constructor(private readonly options: OpenAiCoverOptions) {
    this.name = options.endpoint.host;
  }

  async generate(story: CoverStory, options: CallOptions = {}): Promise<CoverResult> {
    const body: Record<string, unknown> = { model: this.options.model, prompt: coverPrompt(story), n: 1, size: `${COVER_SIZE}x${COVER_SIZE}` };
    // gpt-image models always answer in base64 and reject the parameter; DALL·E and most compatible servers need it.
    if (!this.options.model.startsWith('gpt-image')) body.response_format = 'b64_json';
    const answer = await this.options.endpoint.postJson('/v1/images/generations', body, options.signal);
    const source = this.imageBytes(answer);
    const overlay = `<svg xmlns="http://www.w3.org/2000/svg" width="${COVER_SIZE}" height="${COVER_SIZE}" viewBox="0 0 1024 1024">${titleBannerSvg(story.title, BANNER)}</svg>`;
    let image: Uint8Array;
    let thumbnail: Uint8Array;
    try {
      image = await squarePng(source, COVER_SIZE, overlay);
      thumbnail = await squarePng(image, THUMBNAIL_SIZE);
    } catch (err) {
      throw new ProviderResponseError(`The image endpoint ${this.name} sent data that is not a readable image: ${(err as Error).message}. Check IMAGE_BASE_URL and IMAGE_MODEL.`, {
        provider: this.name,
        cause: err,
      });
    }
    return {
      image,
      thumbnail,
      mimeType: 'image/png',
      width: COVER_SIZE,
      height: COVER_SIZE,
      thumbnailWidth: THUMBNAIL_SIZE,
      thumbnailHeight: THUMBNAIL_SIZE,
      usage: {
        provider: this.name,
        model: this.options.model,
        promptTokens: 0,
        completionTokens: 0,
        costUsd: imageCost(this.options.model, 1, this.options.usdPerImage),
        images: 1,
      },
    };
  }

  private imageBytes(answer: unknown): Uint8Array {
    const b64 = (answer as { data?: Array<{ b64_json?: unknown }> })?.data?.[0]?.b64_json;
    if (typeof b64 !== 'string' || b64.length === 0) {
      throw new ProviderResponseError(
        `The image endpoint ${this.name} answered without data[0].b64_json. Check that IMAGE_BASE_URL serves the OpenAI images API and that IMAGE_MODEL can answer in base64.`,
        { provider: this.name },
      );
    }
    return new Uint8Array(Buffer.from(b64, 'base64'));
  }
}

/** A prompt for a gentle picture-book cover, with room at the top for the title. */
export function coverPrompt(story: CoverStory): string {
  const about = [story.description, story.text?.slice(0, 600)].filter(Boolean).join(' ');
  const tags = story.tags?.length ? ` Themes: ${story.tags.join(', ')}.` : '';
  return (
    `A warm, gentle children's picture-book illustration for a story called "${story.title}". ${about}${tags} ` +
    'Soft colours, friendly rounded shapes, nothing frightening. Keep the top third calm and simple. No text, letters or words anywhere in the image.'
  );
}
