/**
 * The offline illustrator for real: PNGs that decode (sharp and pngjs) at
 * 1024 and 256, the same bytes for the same story and different bytes for a
 * different one, and lettering that does not depend on system fonts.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { coverSvg } from '../../worker/providers/covers/cover-svg.ts';
import { GeneratedCoverProvider } from '../../worker/providers/covers/generated-cover-provider.ts';
import { ProviderInputError } from '../../worker/providers/provider-errors.ts';

const story = {
  title: 'The Lighthouse Cat',
  description: 'A small grey cat keeps the lighthouse lamp company on a stormy night.',
  text: 'At the very end of the harbour stood a white lighthouse, and at the very top lived a small grey cat called Pebble.',
  language: 'en',
  tags: ['cats', 'sea', 'bedtime'],
};

describe('generated covers (offline default)', () => {
  const covers = new GeneratedCoverProvider();

  it('renders a 1024×1024 PNG and a 256×256 thumbnail that both decode', async () => {
    const result = await covers.generate(story);
    expect(result).toMatchObject({ mimeType: 'image/png', width: 1024, height: 1024, thumbnailWidth: 256, thumbnailHeight: 256 });
    const meta = await sharp(result.image).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1024, 1024]);
    const decoded = PNG.sync.read(Buffer.from(result.image));
    expect([decoded.width, decoded.height]).toEqual([1024, 1024]);
    const thumb = PNG.sync.read(Buffer.from(result.thumbnail));
    expect([thumb.width, thumb.height]).toEqual([256, 256]);
    expect(result.usage).toMatchObject({ provider: 'generated-cover', costUsd: 0, images: 1 });
  });

  it('gives the same story the same bytes, and a different story different bytes', async () => {
    const a = await covers.generate(story);
    const b = await new GeneratedCoverProvider().generate({ ...story, tags: [...story.tags].reverse() });
    expect(Buffer.from(a.image).equals(Buffer.from(b.image))).toBe(true);
    expect(Buffer.from(a.thumbnail).equals(Buffer.from(b.thumbnail))).toBe(true);
    const retitled = await covers.generate({ ...story, title: 'The Lighthouse Dog' });
    const retold = await covers.generate({ ...story, text: `${story.text} The end.` });
    expect(Buffer.from(retitled.image).equals(Buffer.from(a.image))).toBe(false);
    expect(Buffer.from(retold.image).equals(Buffer.from(a.image))).toBe(false);
  });

  it('draws the title as paths: lettering is visible on the banner and uses no font', async () => {
    const svg = coverSvg(story, 1024);
    expect(svg).not.toMatch(/<text|font-family|@font-face/i);
    const result = await covers.generate(story);
    // Rows through the first line of lettering, inside the banner: strokes make them far from uniform.
    const band = await sharp(result.image).extract({ left: 120, top: 100, width: 784, height: 40 }).greyscale().stats();
    expect(band.channels[0]!.stdev).toBeGreaterThan(25);
  });

  it('renders the same bytes with fontconfig pointed at an empty configuration (a machine with no fonts)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-nofonts-'));
    const conf = path.join(dir, 'fonts.conf');
    fs.writeFileSync(conf, '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>' + dir + '</dir><cachedir>' + dir + '</cachedir></fontconfig>');
    const out = path.join(dir, 'cover.png');
    const script = `import fs from 'node:fs'; import { GeneratedCoverProvider } from ${JSON.stringify(path.resolve('worker/providers/covers/generated-cover-provider.ts'))};
      const r = await new GeneratedCoverProvider().generate(${JSON.stringify(story)}); fs.writeFileSync(${JSON.stringify(out)}, r.image);`;
    await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, FONTCONFIG_FILE: conf, FONTCONFIG_PATH: dir, XDG_DATA_HOME: dir, HOME: dir },
      cwd: process.cwd(),
    });
    const here = await covers.generate(story);
    expect(fs.readFileSync(out).equals(Buffer.from(here.image))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('draws French titles with their accents, and long titles within the cover', async () => {
    const french = await covers.generate({ title: 'Le petit nuage qui voulait pleuvoir à Noël', text: 'Dans le grand ciel bleu flottait un tout petit nuage.', language: 'fr', tags: ['sky'] });
    expect(PNG.sync.read(Buffer.from(french.image)).width).toBe(1024);
    const long = await covers.generate({ title: 'Pip the Dragon Finds a Friend in the Deep Dark Forest Beyond the Misty Mountains of Morning and Evening', text: 'forest' });
    expect((await sharp(long.image).metadata()).width).toBe(1024);
  });

  it('refuses a story without a title', async () => {
    await expect(covers.generate({ title: '  ' })).rejects.toBeInstanceOf(ProviderInputError);
  });
});
