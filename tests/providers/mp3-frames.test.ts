/** Measuring MP3s from their frame headers, checked against mpg123's decode of the same bytes. */
import { describe, expect, it } from 'vitest';
import { measureMp3, Mp3FormatError, withoutLeadingTag } from '../../worker/providers/speech/mp3-frames.ts';
import { decodeMp3, toneMp3 } from './audio-fixtures.ts';

function id3v2(bodyBytes: number): Buffer {
  const size = bodyBytes;
  const syncsafe = [(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f];
  return Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, ...syncsafe]), Buffer.alloc(bodyBytes, 0xff)]);
}

describe('measureMp3', () => {
  // Bitrates high enough that LAME keeps the input rate instead of resampling.
  for (const [label, rate, channels, kbps] of [['MPEG-1 stereo 44.1 kHz', 44100, 2, 128], ['MPEG-2 mono 22.05 kHz', 22050, 1, 48], ['MPEG-2 mono 24 kHz', 24000, 1, 64]] as const) {
    it(`agrees with the decoder for ${label}`, async () => {
      const mp3 = toneMp3(2.5, rate, channels, kbps);
      const info = measureMp3(mp3);
      const decoded = await decodeMp3(mp3);
      expect(info.sampleRate).toBe(rate);
      expect(info.channels).toBe(channels);
      expect(info.durationSeconds).toBeCloseTo(decoded.seconds, 2);
      expect(info.durationSeconds).toBeGreaterThan(2.5);
      expect(info.durationSeconds).toBeLessThan(2.7);
    });
  }

  it('skips a leading ID3v2 tag (even one full of 0xFF) and stops at a trailing ID3v1 tag', () => {
    const mp3 = toneMp3(1.5);
    const plain = measureMp3(mp3);
    const tagged = Buffer.concat([id3v2(600), mp3, Buffer.from('TAG'), Buffer.alloc(125, 0x20)]);
    const info = measureMp3(tagged);
    expect(info.frames).toBe(plain.frames);
    expect(info.audioStart).toBe(610);
    expect(Buffer.from(withoutLeadingTag(tagged).subarray(0, 4)).equals(mp3.subarray(0, 4))).toBe(true);
  });

  it('refuses data that is not MP3', () => {
    expect(() => measureMp3(Buffer.from('{"error":"nope"}'))).toThrow(Mp3FormatError);
    const noise = Buffer.alloc(20_000);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    expect(() => measureMp3(noise)).toThrow(Mp3FormatError);
  });
});
