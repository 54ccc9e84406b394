/**
 * The whole generated cover as one SVG: scene, then title banner. Everything
 * is shapes and paths (no <text>), so rendering never looks for a font.
 */
import { paletteFor, sceneFor, sceneSvg } from './cover-scene.ts';
import type { CoverStory } from './cover-provider.ts';
import { seededRandom } from './seeded-random.ts';
import { titleBannerSvg } from './title-banner.ts';

/** What makes two stories "the same" for their cover. */
export function coverSeed(story: CoverStory): string {
  return JSON.stringify([story.title, story.description ?? '', story.text ?? '', story.language ?? '', [...(story.tags ?? [])].sort()]);
}

/** The cover as SVG, drawn on a 1024 canvas and sized to `pixels` square. */
export function coverSvg(story: CoverStory, pixels: number): string {
  const random = seededRandom(coverSeed(story));
  const input = { title: story.title, text: `${story.description ?? ''} ${story.text ?? ''}`, tags: story.tags ?? [] };
  const scene = sceneFor(input, random);
  const palette = paletteFor(scene, input, random);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${pixels}" height="${pixels}" viewBox="0 0 1024 1024">` +
    sceneSvg(scene, palette, random) +
    titleBannerSvg(story.title, palette) +
    '</svg>'
  );
}
