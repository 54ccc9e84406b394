/**
 * The picture part of a generated cover: a sky, a light (sun or moon), and a
 * landscape chosen from the story's words (sea, forest, garden, sky, space,
 * night, or rolling hills), all drawn as SVG shapes from a seeded random
 * source. No text here; the title banner goes on top.
 */
import { DAY_PALETTES, NIGHT_PALETTES, type Palette } from './cover-palettes.ts';
import type { Random } from './seeded-random.ts';

export type SceneKind = 'sea' | 'forest' | 'garden' | 'sky' | 'space' | 'night' | 'hills';

const SCENE_WORDS: Record<Exclude<SceneKind, 'hills'>, string[]> = {
  sea: ['sea', 'ocean', 'beach', 'harbour', 'harbor', 'lighthouse', 'boat', 'wave', 'island', 'whale', 'pirate', 'mer', 'océan', 'plage', 'port', 'phare', 'bateau', 'vague', 'île', 'baleine', 'pirate'],
  forest: ['forest', 'woods', 'tree', 'fox', 'owl', 'bear', 'wolf', 'forêt', 'bois', 'arbre', 'renard', 'hibou', 'chouette', 'ours', 'loup'],
  garden: ['garden', 'flower', 'hedgehog', 'bee', 'butterfly', 'snail', 'jardin', 'fleur', 'hérisson', 'abeille', 'papillon', 'escargot'],
  sky: ['sky', 'cloud', 'rain', 'wind', 'bird', 'kite', 'weather', 'ciel', 'nuage', 'pluie', 'vent', 'oiseau', 'cerf-volant'],
  space: ['space', 'planet', 'rocket', 'astronaut', 'comet', 'galaxy', 'espace', 'planète', 'fusée', 'astronaute', 'comète', 'galaxie'],
  night: ['night', 'midnight', 'bedtime', 'sleep', 'dream', 'moon', 'star', 'nuit', 'minuit', 'dormir', 'rêve', 'lune', 'étoile', 'coucher'],
};

export interface SceneInput {
  title: string;
  text: string;
  tags: readonly string[];
}

/** The scene whose words the story uses most (tags count triple, the title double). */
export function sceneFor(input: SceneInput, random: Random): SceneKind {
  const words = (s: string) => s.toLowerCase().normalize('NFC').split(/[^\p{L}-]+/u).filter(Boolean);
  const title = words(input.title);
  const text = words(input.text.slice(0, 4000));
  const tags = input.tags.flatMap(words);
  let best: SceneKind | null = null;
  let bestScore = 0;
  for (const [scene, vocabulary] of Object.entries(SCENE_WORDS) as Array<[Exclude<SceneKind, 'hills'>, string[]]>) {
    const hit = (w: string) => vocabulary.some((v) => w === v || w === `${v}s` || w === `${v}x`);
    const score = 3 * tags.filter(hit).length + 2 * title.filter(hit).length + text.filter(hit).length;
    if (score > bestScore) {
      best = scene;
      bestScore = score;
    }
  }
  return best ?? random.pick<SceneKind>(['hills', 'garden', 'sky']);
}

/** Night colours for night and space scenes, and for any story whose title or tags speak of night. */
export function paletteFor(scene: SceneKind, input: SceneInput, random: Random): Palette {
  const nightWords = SCENE_WORDS.night;
  const mentionsNight = [input.title, ...input.tags].some((s) => s.toLowerCase().split(/[^\p{L}-]+/u).some((w) => nightWords.includes(w)));
  return random.pick(scene === 'night' || scene === 'space' || mentionsNight ? NIGHT_PALETTES : DAY_PALETTES);
}

/** SVG elements (defs included) for the scene on a 1024×1024 canvas. */
export function sceneSvg(scene: SceneKind, palette: Palette, random: Random): string {
  const parts: string[] = [
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${palette.skyTop}"/><stop offset="1" stop-color="${palette.skyBottom}"/></linearGradient>` +
      `<radialGradient id="glow"><stop offset="0" stop-color="${palette.accents[0]}" stop-opacity="0.55"/><stop offset="1" stop-color="${palette.accents[0]}" stop-opacity="0"/></radialGradient></defs>`,
    '<rect width="1024" height="1024" fill="url(#sky)"/>',
  ];
  if (palette.night) parts.push(stars(random, palette, scene === 'space' ? 90 : 55));
  parts.push(palette.night ? moon(random, palette) : sun(random, palette));
  if (!palette.night) parts.push(confetti(random, palette));
  if (scene !== 'space') parts.push(clouds(random, palette, scene === 'sky' ? 5 : random.int(2, 3)));
  switch (scene) {
    case 'sea':
      parts.push(hillLayer(random, palette.ground[0], 560, 40), sea(random, palette), sailboat(random, palette));
      break;
    case 'forest':
      parts.push(hillLayer(random, palette.ground[0], 560, 60), trees(random, palette, 600, 9, 0.75), hillLayer(random, palette.ground[1], 660, 40), trees(random, palette, 700, 6, 1.1));
      break;
    case 'garden':
      parts.push(hillLayer(random, palette.ground[0], 560, 60), hillLayer(random, palette.ground[1], 640, 40), flowers(random, palette));
      if (palette.night) parts.push(fireflies(random, palette));
      break;
    case 'sky':
      parts.push(kite(random, palette), birds(random, palette), hillLayer(random, palette.ground[1], 760, 30));
      break;
    case 'space':
      parts.push(planet(random, palette), ringedPlanet(random, palette));
      break;
    case 'night':
    case 'hills':
      parts.push(hillLayer(random, palette.ground[0], 540, 70), hillLayer(random, palette.ground[1], 620, 55), hillLayer(random, palette.ground[2], 700, 40));
      if (scene === 'night') parts.push(fireflies(random, palette));
      break;
  }
  return parts.join('');
}

const r1 = (n: number) => Math.round(n * 10) / 10;

function sun(random: Random, palette: Palette): string {
  const x = random.range(180, 844);
  const y = random.range(400, 470);
  const r = random.range(55, 80);
  const rays = Array.from({ length: 12 }, (_, i) => {
    const a = (i / 12) * Math.PI * 2 + random.range(-0.05, 0.05);
    const [x1, y1, x2, y2] = [x + Math.cos(a) * r * 1.3, y + Math.sin(a) * r * 1.3, x + Math.cos(a) * r * 1.65, y + Math.sin(a) * r * 1.65];
    return `M${r1(x1)} ${r1(y1)} L${r1(x2)} ${r1(y2)}`;
  }).join(' ');
  return `<circle cx="${r1(x)}" cy="${r1(y)}" r="${r1(r * 2.4)}" fill="url(#glow)"/><circle cx="${r1(x)}" cy="${r1(y)}" r="${r1(r)}" fill="${palette.accents[0]}"/><path d="${rays}" stroke="${palette.accents[0]}" stroke-width="12" stroke-linecap="round"/>`;
}

function moon(random: Random, palette: Palette): string {
  const x = random.range(200, 824);
  const y = random.range(390, 450);
  const r = random.range(55, 75);
  const dx = r * random.range(0.35, 0.55) * (random.next() < 0.5 ? -1 : 1);
  return (
    `<mask id="crescent"><rect width="1024" height="1024" fill="#fff"/><circle cx="${r1(x + dx)}" cy="${r1(y - r * 0.2)}" r="${r1(r * 0.92)}" fill="#000"/></mask>` +
    `<circle cx="${r1(x)}" cy="${r1(y)}" r="${r1(r * 2.2)}" fill="url(#glow)"/><circle cx="${r1(x)}" cy="${r1(y)}" r="${r1(r)}" fill="${palette.accents[0]}" mask="url(#crescent)"/>`
  );
}

function stars(random: Random, palette: Palette, count: number): string {
  return Array.from({ length: count }, () => {
    const x = random.range(10, 1014);
    const y = random.range(10, 620);
    const s = random.range(2, 7);
    const colour = random.pick(palette.accents);
    // Four-pointed sparkle: two thin diamonds.
    return `<path d="M${r1(x)} ${r1(y - s * 2)} L${r1(x + s * 0.45)} ${r1(y)} L${r1(x)} ${r1(y + s * 2)} L${r1(x - s * 0.45)} ${r1(y)} Z M${r1(x - s * 2)} ${r1(y)} L${r1(x)} ${r1(y - s * 0.45)} L${r1(x + s * 2)} ${r1(y)} L${r1(x)} ${r1(y + s * 0.45)} Z" fill="${colour}" opacity="${r1(random.range(0.5, 1))}"/>`;
  }).join('');
}

function confetti(random: Random, palette: Palette): string {
  return Array.from({ length: random.int(14, 24) }, () =>
    `<circle cx="${r1(random.range(20, 1004))}" cy="${r1(random.range(340, 560))}" r="${r1(random.range(4, 11))}" fill="${random.pick(palette.accents)}" opacity="0.5"/>`,
  ).join('');
}

function clouds(random: Random, palette: Palette, count: number): string {
  return Array.from({ length: count }, () => {
    const x = random.range(40, 840);
    const y = random.range(380, 520);
    const w = random.range(140, 230);
    const puffs = Array.from({ length: 4 }, (_, i) => {
      const px = x + (w / 4) * i + random.range(-8, 8);
      const pr = random.range(w * 0.16, w * 0.26) * (i === 1 || i === 2 ? 1.35 : 1);
      return `<circle cx="${r1(px)}" cy="${r1(y - pr * 0.35)}" r="${r1(pr)}"/>`;
    }).join('');
    return `<g fill="${palette.cloud}" opacity="${palette.night ? 0.35 : 0.92}">${puffs}<rect x="${r1(x - w * 0.1)}" y="${r1(y - 10)}" width="${r1(w * 0.95)}" height="${r1(w * 0.18)}" rx="${r1(w * 0.09)}"/></g>`;
  }).join('');
}

/** A band of rolling hills whose top wanders around `baseY` by up to `amplitude`. */
function hillLayer(random: Random, colour: string, baseY: number, amplitude: number): string {
  const points = 5;
  const ys = Array.from({ length: points + 1 }, () => baseY + random.range(-amplitude, amplitude));
  let d = `M0 1024 L0 ${r1(ys[0]!)}`;
  for (let i = 0; i < points; i++) {
    const x0 = (1024 / points) * i;
    const x1 = (1024 / points) * (i + 1);
    const mid = (x0 + x1) / 2;
    d += ` C${r1(mid)} ${r1(ys[i]!)} ${r1(mid)} ${r1(ys[i + 1]!)} ${r1(x1)} ${r1(ys[i + 1]!)}`;
  }
  return `<path d="${d} L1024 1024 Z" fill="${colour}"/>`;
}

function sea(random: Random, palette: Palette): string {
  const tones = palette.night ? ['#2a3f7a', '#1f2f60', '#162349'] : ['#7cc6e8', '#4aa3d8', '#2f7fbf'];
  return tones
    .map((tone, band) => {
      const top = 600 + band * 90;
      const wave = random.range(14, 22);
      const length = random.range(110, 150);
      const phase = random.range(0, length);
      let d = `M0 1024 L0 ${r1(top)}`;
      for (let x = -phase; x < 1024 + length; x += length) {
        d += ` Q${r1(x + length / 4)} ${r1(top - wave)} ${r1(x + length / 2)} ${r1(top)} T${r1(x + length)} ${r1(top)}`;
      }
      return `<path d="${d} L1100 1024 Z" fill="${tone}"/>`;
    })
    .join('');
}

function sailboat(random: Random, palette: Palette): string {
  const x = random.range(180, 760);
  const y = 606;
  const s = random.range(0.8, 1.1);
  const hull = `M${r1(x - 70 * s)} ${r1(y - 20 * s)} L${r1(x + 70 * s)} ${r1(y - 20 * s)} L${r1(x + 48 * s)} ${r1(y + 10 * s)} L${r1(x - 48 * s)} ${r1(y + 10 * s)} Z`;
  const sail = `M${r1(x)} ${r1(y - 30 * s)} L${r1(x)} ${r1(y - 160 * s)} L${r1(x + 62 * s)} ${r1(y - 30 * s)} Z`;
  const jib = `M${r1(x - 6 * s)} ${r1(y - 30 * s)} L${r1(x - 6 * s)} ${r1(y - 130 * s)} L${r1(x - 50 * s)} ${r1(y - 30 * s)} Z`;
  return `<path d="${hull}" fill="${palette.accents[1]}"/><path d="${sail}" fill="#fffaf0"/><path d="${jib}" fill="${palette.accents[2]}"/>`;
}

function trees(random: Random, palette: Palette, baseY: number, count: number, scale: number): string {
  return Array.from({ length: count }, (_, i) => {
    const x = (1024 / count) * (i + 0.5) + random.range(-30, 30);
    const h = random.range(120, 190) * scale;
    const w = h * 0.45;
    const y = baseY + random.range(-10, 20);
    const green = i % 2 === 0 ? palette.ground[2] : palette.ground[1];
    const tiers = [0, 1, 2]
      .map((t) => {
        const top = y - h + t * h * 0.22;
        const width = w * (0.6 + t * 0.25);
        return `M${r1(x)} ${r1(top)} L${r1(x + width / 2)} ${r1(top + h * 0.42)} L${r1(x - width / 2)} ${r1(top + h * 0.42)} Z`;
      })
      .join(' ');
    return `<rect x="${r1(x - 7 * scale)}" y="${r1(y - h * 0.2)}" width="${r1(14 * scale)}" height="${r1(h * 0.3)}" fill="#7a5230"/><path d="${tiers}" fill="${green}"/>`;
  }).join('');
}

function flowers(random: Random, palette: Palette): string {
  return Array.from({ length: random.int(9, 14) }, () => {
    const x = random.range(40, 984);
    const y = random.range(690, 960);
    const stem = random.range(40, 80);
    const r = random.range(10, 17);
    const colour = random.pick(palette.accents);
    const petals = Array.from({ length: 5 }, (_, k) => {
      const a = (k / 5) * Math.PI * 2;
      return `<circle cx="${r1(x + Math.cos(a) * r)}" cy="${r1(y - stem + Math.sin(a) * r)}" r="${r1(r * 0.75)}"/>`;
    }).join('');
    return `<path d="M${r1(x)} ${r1(y)} Q${r1(x + 8)} ${r1(y - stem / 2)} ${r1(x)} ${r1(y - stem)}" stroke="${palette.ground[2]}" stroke-width="6" fill="none"/><g fill="${colour}">${petals}</g><circle cx="${r1(x)}" cy="${r1(y - stem)}" r="${r1(r * 0.55)}" fill="#fff3b0"/>`;
  }).join('');
}

function kite(random: Random, palette: Palette): string {
  const x = random.range(300, 720);
  const y = random.range(470, 540);
  const s = random.range(0.9, 1.2);
  const body = `M${r1(x)} ${r1(y - 70 * s)} L${r1(x + 45 * s)} ${r1(y)} L${r1(x)} ${r1(y + 90 * s)} L${r1(x - 45 * s)} ${r1(y)} Z`;
  let tail = `M${r1(x)} ${r1(y + 90 * s)}`;
  for (let i = 1; i <= 6; i++) tail += ` Q${r1(x + (i % 2 ? 30 : -30))} ${r1(y + 90 * s + i * 35 - 17)} ${r1(x + i * 6)} ${r1(y + 90 * s + i * 35)}`;
  return `<path d="${tail}" stroke="${palette.accents[1]}" stroke-width="5" fill="none" stroke-linecap="round"/><path d="${body}" fill="${palette.accents[2]}"/><path d="M${r1(x)} ${r1(y - 70 * s)} L${r1(x)} ${r1(y + 90 * s)} M${r1(x - 45 * s)} ${r1(y)} L${r1(x + 45 * s)} ${r1(y)}" stroke="#fff" stroke-width="4" opacity="0.8"/>`;
}

function birds(random: Random, palette: Palette): string {
  return Array.from({ length: random.int(3, 6) }, () => {
    const x = random.range(100, 920);
    const y = random.range(360, 520);
    const w = random.range(16, 28);
    return `<path d="M${r1(x - w)} ${r1(y)} Q${r1(x - w / 2)} ${r1(y - w * 0.6)} ${r1(x)} ${r1(y)} Q${r1(x + w / 2)} ${r1(y - w * 0.6)} ${r1(x + w)} ${r1(y)}" stroke="${palette.night ? '#ffffff' : '#3a4a6b'}" stroke-width="4" fill="none" stroke-linecap="round"/>`;
  }).join('');
}

function planet(random: Random, palette: Palette): string {
  const cx = random.range(300, 724);
  return `<circle cx="${r1(cx)}" cy="1500" r="820" fill="${palette.ground[1]}"/><circle cx="${r1(cx - 200)}" cy="740" r="34" fill="${palette.ground[2]}"/><circle cx="${r1(cx + 180)}" cy="790" r="22" fill="${palette.ground[2]}"/>`;
}

function ringedPlanet(random: Random, palette: Palette): string {
  const x = random.range(220, 800);
  const y = random.range(480, 560);
  const r = random.range(50, 75);
  const tilt = r1(random.range(-25, -10));
  return `<circle cx="${r1(x)}" cy="${r1(y)}" r="${r1(r)}" fill="${palette.accents[1]}"/><ellipse cx="${r1(x)}" cy="${r1(y)}" rx="${r1(r * 1.9)}" ry="${r1(r * 0.45)}" fill="none" stroke="${palette.accents[2]}" stroke-width="9" transform="rotate(${tilt} ${r1(x)} ${r1(y)})"/>`;
}

function fireflies(random: Random, palette: Palette): string {
  return Array.from({ length: random.int(10, 18) }, () => {
    const x = random.range(40, 984);
    const y = random.range(560, 900);
    return `<circle cx="${r1(x)}" cy="${r1(y)}" r="12" fill="url(#glow)"/><circle cx="${r1(x)}" cy="${r1(y)}" r="3.5" fill="${palette.accents[0]}"/>`;
  }).join('');
}
