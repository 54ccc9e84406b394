/** The cover font draws every character English and French titles use, and titles are laid out to fit. */
import { describe, expect, it } from 'vitest';
import { lineWidth, linePath, shapeText } from '../../worker/providers/covers/stroke-font.ts';
import { layoutTitle } from '../../worker/providers/covers/title-banner.ts';

describe('stroke font', () => {
  it('has a glyph for every letter, digit and common punctuation of English and French', () => {
    const characters = [...'abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ0123456789.,;:!?\'’«»"()-&/'];
    for (const c of characters) {
      const shaped = shapeText(c);
      expect(shaped, c).toHaveLength(1);
      expect(linePath(shaped), c).toMatch(/^M/);
    }
  });

  it('composes accents from marks, so É differs from E', () => {
    expect(linePath(shapeText('É'))).not.toBe(linePath(shapeText('E')));
    expect(linePath(shapeText('ç'))).not.toBe(linePath(shapeText('c')));
  });

  it('drops what it cannot draw rather than failing', () => {
    // P, I, P and the two spaces survive; the dragon and the ideograph do not.
    expect(shapeText('Pip 🐉 漢')).toHaveLength(5);
  });
});

describe('title layout', () => {
  it('keeps short titles on one line and breaks long ones into at most three', () => {
    expect(layoutTitle('Counting Sheep')!.lines).toEqual(['Counting Sheep']);
    const long = layoutTitle('Le petit nuage qui voulait pleuvoir sur le jardin de la grand-mère de Léa')!;
    expect(long.lines.length).toBeLessThanOrEqual(3);
    for (const line of long.lines) expect(lineWidth(shapeText(line)) * long.scale).toBeLessThanOrEqual(1024 - 2 * 56 - 2 * 44 + 0.001);
  });

  it('shortens a title too long for three lines with an ellipsis', () => {
    const layout = layoutTitle(Array.from({ length: 40 }, (_, i) => `word${i}`).join(' '))!;
    expect(layout.lines).toHaveLength(3);
    expect(layout.lines[2]!.endsWith('...')).toBe(true);
  });

  it('has nothing to lay out for a title of emoji', () => {
    expect(layoutTitle('🐉🐉')).toBeNull();
  });
});
