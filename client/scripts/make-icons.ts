/**
 * Draws the app icons (a cream crescent moon and a star on a warm sunset
 * square) into client/public/icons. Run once after changing the design:
 * `node --import tsx client/scripts/make-icons.ts`. The PNGs are committed,
 * so builds need no network and no image tools.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

const OUT = path.resolve(import.meta.dirname, '../public/icons');

type RGB = [number, number, number];
const TOP: RGB = [255, 179, 71];
const BOTTOM: RGB = [226, 88, 52];
const CREAM: RGB = [255, 246, 228];

function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Coverage of a shape at a pixel, 0..1, from a signed distance (negative inside). */
const cover = (d: number) => Math.max(0, Math.min(1, 0.5 - d));

function star(x: number, y: number, cx: number, cy: number, r: number): number {
  // A four-pointed sparkle: |dx|^0.5 + |dy|^0.5 <= r^0.5
  const dx = Math.abs(x - cx) / r;
  const dy = Math.abs(y - cy) / r;
  return (Math.sqrt(dx) + Math.sqrt(dy) - 1) * r * 0.5;
}

function draw(size: number, maskable: boolean): PNG {
  const png = new PNG({ width: size, height: size });
  const s = size / 512;
  // Maskable icons keep their art inside the 80% safe zone and fill the square.
  const inset = maskable ? 0.8 : 1;
  const radius = maskable ? 0 : 112 * s;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      // Rounded square background.
      const qx = Math.max(Math.abs(px - size / 2) - (size / 2 - radius), 0);
      const qy = Math.max(Math.abs(py - size / 2) - (size / 2 - radius), 0);
      const bg = cover(Math.hypot(qx, qy) - radius);
      let c = mix(TOP, BOTTOM, py / size);
      // Moon: a disc with a disc cut out.
      const cx = size / 2 - 20 * s * inset;
      const cy = size / 2 + 6 * s * inset;
      const r = 150 * s * inset;
      const moon = Math.max(Math.hypot(px - cx, py - cy) - r, -(Math.hypot(px - (cx + 78 * s * inset), py - (cy - 62 * s * inset)) - r * 0.86));
      const m = cover(moon);
      c = mix(c, CREAM, m);
      const st = cover(star(px, py, size / 2 + 128 * s * inset, size / 2 - 118 * s * inset, 46 * s * inset));
      c = mix(c, CREAM, st);
      const i = (y * size + x) * 4;
      png.data[i] = Math.round(c[0]);
      png.data[i + 1] = Math.round(c[1]);
      png.data[i + 2] = Math.round(c[2]);
      png.data[i + 3] = Math.round(255 * bg);
    }
  }
  return png;
}

fs.mkdirSync(OUT, { recursive: true });
for (const [name, size, maskable] of [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['maskable-512.png', 512, true],
  ['apple-touch-icon.png', 180, true],
  ['favicon-64.png', 64, false],
] as const) {
  fs.writeFileSync(path.join(OUT, name), PNG.sync.write(draw(size, maskable)));
  console.log(`wrote ${name}`);
}
