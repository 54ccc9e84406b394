/**
 * Hand-picked palettes for generated covers: soft skies, a ground colour
 * family, and a title banner whose ink contrasts with it. Picking from a
 * curated list keeps every cover pleasant, which random colours do not.
 */

export interface Palette {
  name: string;
  skyTop: string;
  skyBottom: string;
  /** Three ground tones, far to near. */
  ground: [string, string, string];
  /** Sun, flowers, confetti. */
  accents: [string, string, string];
  cloud: string;
  banner: string;
  ink: string;
  /** Drawn under the ink for legibility on any background. */
  inkShadow: string;
  night: boolean;
}

export const DAY_PALETTES: readonly Palette[] = [
  { name: 'meadow', skyTop: '#8fd3f4', skyBottom: '#fdf6e3', ground: ['#a8d5a2', '#6fbf73', '#3f9a52'], accents: ['#ffcf56', '#ff8c69', '#f4a6c6'], cloud: '#ffffff', banner: '#fff8ec', ink: '#2d3a5a', inkShadow: '#ffffff', night: false },
  { name: 'apricot', skyTop: '#ffd6a5', skyBottom: '#fff1e0', ground: ['#ffb384', '#f28f6b', '#d9644a'], accents: ['#fff3b0', '#9ad1d4', '#f7a072'], cloud: '#fffaf3', banner: '#3d2c5e', ink: '#fff6e5', inkShadow: '#2a1d40', night: false },
  { name: 'lagoon', skyTop: '#a0e7e5', skyBottom: '#f0fff8', ground: ['#7fd1c7', '#3fb0ac', '#1f8a8a'], accents: ['#ffe066', '#ff6f91', '#b4f8c8'], cloud: '#ffffff', banner: '#173f5f', ink: '#fdfcdc', inkShadow: '#0b2336', night: false },
  { name: 'lilac', skyTop: '#cdb4db', skyBottom: '#fff0f6', ground: ['#cdeac0', '#a0d995', '#6cbf84'], accents: ['#ffc8dd', '#ffafcc', '#fff3b0'], cloud: '#ffffff', banner: '#fffaf0', ink: '#5a3e85', inkShadow: '#ffffff', night: false },
  { name: 'orchard', skyTop: '#bfe3ff', skyBottom: '#fefae0', ground: ['#ccd5ae', '#a3b18a', '#588157'], accents: ['#e76f51', '#f4a261', '#e9c46a'], cloud: '#ffffff', banner: '#283618', ink: '#fefae0', inkShadow: '#141b0c', night: false },
];

export const NIGHT_PALETTES: readonly Palette[] = [
  { name: 'midnight', skyTop: '#0b1d51', skyBottom: '#3c4f9a', ground: ['#29357a', '#1e275e', '#141a45'], accents: ['#fff3b0', '#ffd6e0', '#c1f0ff'], cloud: '#6c7bbf', banner: '#fff6d8', ink: '#1b2459', inkShadow: '#fff6d8', night: true },
  { name: 'dusk', skyTop: '#2b2d6e', skyBottom: '#d387ab', ground: ['#6b4f8a', '#4c3a6e', '#2e2350'], accents: ['#ffe6a7', '#ffb4a2', '#b8e0d2'], cloud: '#a88bc7', banner: '#2e2350', ink: '#ffe6a7', inkShadow: '#140f26', night: true },
];
