/**
 * Reads MPEG audio frame headers (ISO 11172-3 / 13818-3) to measure an MP3
 * without decoding it: frame count, sample rate, channels and duration. The
 * duration we store for a story comes from here, so it is the duration of
 * the audio actually served, whoever produced it.
 */

export interface Mp3Info {
  frames: number;
  sampleRate: number;
  channels: number;
  /** Sum of frame durations; encoder delay and padding included (a few tens of ms). */
  durationSeconds: number;
  /** Average over audio frames. */
  bitrateKbps: number;
  /** Byte offset of the first audio frame (after any ID3v2 tag). */
  audioStart: number;
}

export class Mp3FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Mp3FormatError';
  }
}

// Bitrates in kbps by [version group][layer][index]; index 0 is "free", 15 is invalid.
const BITRATES = {
  v1: {
    1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  },
  v2: {
    1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    3: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  },
} as const;
const SAMPLE_RATES = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 2.5: [11025, 12000, 8000] } as const;

export interface FrameHeader {
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  bitrateKbps: number;
  sampleRate: number;
  channels: number;
  samples: number;
  length: number;
}

/** The frame header at `offset`, or null when there is none there. */
export function readFrameHeader(bytes: Uint8Array, offset: number): FrameHeader | null {
  if (offset + 4 > bytes.length) return null;
  const b1 = bytes[offset]!;
  const b2 = bytes[offset + 1]!;
  const b3 = bytes[offset + 2]!;
  const b4 = bytes[offset + 3]!;
  if (b1 !== 0xff || (b2 & 0xe0) !== 0xe0) return null;
  const versionBits = (b2 >> 3) & 0b11;
  const layerBits = (b2 >> 1) & 0b11;
  if (versionBits === 0b01 || layerBits === 0) return null;
  const version = versionBits === 0b11 ? 1 : versionBits === 0b10 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const bitrateIndex = b3 >> 4;
  const rateIndex = (b3 >> 2) & 0b11;
  // Free-format streams (index 0) cannot be sized from the header; we never produce them.
  if (bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const bitrateKbps = BITRATES[version === 1 ? 'v1' : 'v2'][layer][bitrateIndex]!;
  const sampleRate = SAMPLE_RATES[version][rateIndex]!;
  const padding = (b3 >> 1) & 1;
  const channels = (b4 >> 6) === 0b11 ? 1 : 2;
  const samples = layer === 1 ? 384 : layer === 2 || version === 1 ? 1152 : 576;
  const length =
    layer === 1
      ? (Math.floor((12 * bitrateKbps * 1000) / sampleRate) + padding) * 4
      : Math.floor(((samples / 8) * bitrateKbps * 1000) / sampleRate) + padding;
  return { version, layer, bitrateKbps, sampleRate, channels, samples, length };
}

/** Size of a leading ID3v2 tag (header, body and optional footer), or 0. */
export function id3v2Length(bytes: Uint8Array): number {
  if (bytes.length < 10 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return 0;
  // Syncsafe integer: 7 bits per byte.
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  const footer = bytes[5]! & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

/**
 * Measures an MP3. Requires a run of consecutive valid frames at the start,
 * so that a random 0xFF byte in a non-MP3 file is not taken for audio; stops
 * at an ID3v1 tag or trailing junk. Throws Mp3FormatError when it is not MP3.
 */
export function measureMp3(bytes: Uint8Array): Mp3Info {
  const audioStart = findFirstFrame(bytes, id3v2Length(bytes));
  if (audioStart < 0) throw new Mp3FormatError('No MPEG audio frames found: this is not an MP3 stream.');
  let offset = audioStart;
  let frames = 0;
  let samples = 0;
  let bits = 0;
  const first = readFrameHeader(bytes, audioStart)!;
  let isFirst = true;
  for (;;) {
    const header = readFrameHeader(bytes, offset);
    if (!header || offset + header.length > bytes.length) break;
    // A Xing/Info frame carries the encoder's tag, not sound; players skip it.
    if (!(isFirst && isXingFrame(bytes, offset, header))) {
      frames += 1;
      samples += header.samples;
      bits += header.length * 8;
    }
    isFirst = false;
    offset += header.length;
  }
  const durationSeconds = samples / first.sampleRate;
  return {
    frames,
    sampleRate: first.sampleRate,
    channels: first.channels,
    durationSeconds,
    bitrateKbps: durationSeconds > 0 ? Math.round(bits / durationSeconds / 1000) : 0,
    audioStart,
  };
}

/** The bytes from the first audio frame on, without any leading ID3v2 tag; for joining MP3 pieces. */
export function withoutLeadingTag(bytes: Uint8Array): Uint8Array {
  const start = findFirstFrame(bytes, id3v2Length(bytes));
  return start < 0 ? new Uint8Array(0) : bytes.subarray(start);
}

const CONFIRMING_FRAMES = 3;

function findFirstFrame(bytes: Uint8Array, from: number): number {
  // Junk before the first frame is tolerated only briefly: a real MP3 starts at once.
  const limit = Math.min(bytes.length, from + 4096);
  for (let offset = from; offset < limit; offset++) {
    if (confirmsAsStream(bytes, offset)) return offset;
  }
  return -1;
}

function confirmsAsStream(bytes: Uint8Array, offset: number): boolean {
  const first = readFrameHeader(bytes, offset);
  if (!first) return false;
  let at = offset;
  for (let i = 0; i < CONFIRMING_FRAMES; i++) {
    const header = readFrameHeader(bytes, at);
    // A stream shorter than the confirmation run is fine if it ends exactly.
    if (!header) return i > 0 && at === bytes.length;
    if (header.sampleRate !== first.sampleRate || header.layer !== first.layer) return false;
    at += header.length;
    if (at > bytes.length) return false;
  }
  return true;
}

function isXingFrame(bytes: Uint8Array, offset: number, header: FrameHeader): boolean {
  if (header.layer !== 3) return false;
  // The tag sits after the side information, whose size depends on version and channels.
  const side = header.version === 1 ? (header.channels === 1 ? 17 : 32) : header.channels === 1 ? 9 : 17;
  const at = offset + 4 + side;
  const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
  return tag === 'Xing' || tag === 'Info';
}
