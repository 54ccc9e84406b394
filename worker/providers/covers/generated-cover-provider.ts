/**
 * The offline illustrator: a cover drawn from the story itself (palette,
 * scene and title lettering all derived from a hash of it), so the same story
 * always gets the same PNG bytes and no network or font is needed.
 */
import { ProviderEngineError, ProviderInputError } from '../provider-errors.ts';
import { offlineUsage } from '../provider-usage.ts';
import { COVER_SIZE, THUMBNAIL_SIZE, type CallOptions, type CoverProvider, type CoverResult, type CoverStory } from './cover-provider.ts';
import { svgToPng } from './cover-raster.ts';
import { coverSvg } from './cover-svg.ts';

export class GeneratedCoverProvider implements CoverProvider {
  readonly name = 'generated-cover';

  async generate(story: CoverStory, options: CallOptions = {}): Promise<CoverResult> {
    if (!story.title?.trim()) throw new ProviderInputError('A cover needs the story’s title; it is empty.', { provider: this.name });
    options.signal?.throwIfAborted();
    let image: Uint8Array;
    let thumbnail: Uint8Array;
    try {
      // The thumbnail is drawn from the vector art, not scaled down, so its lines stay crisp.
      [image, thumbnail] = await Promise.all([svgToPng(coverSvg(story, COVER_SIZE)), svgToPng(coverSvg(story, THUMBNAIL_SIZE))]);
    } catch (err) {
      throw new ProviderEngineError(`The cover could not be rendered: ${(err as Error).message}`, { provider: this.name, cause: err });
    }
    return {
      image,
      thumbnail,
      mimeType: 'image/png',
      width: COVER_SIZE,
      height: COVER_SIZE,
      thumbnailWidth: THUMBNAIL_SIZE,
      thumbnailHeight: THUMBNAIL_SIZE,
      usage: offlineUsage(this.name, 'vector-v1', { images: 1 }),
    };
  }
}
