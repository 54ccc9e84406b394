/**
 * Reads 16-bit PCM out of a RIFF/WAVE file, as espeak-ng writes it. Walks the
 * chunks instead of assuming a 44-byte header, because writers may add
 * chunks (LIST, fact) before the data.
 */

export interface Pcm16 {
  sampleRate: number;
  channels: number;
  /** Interleaved when channels > 1. */
  samples: Int16Array;
}

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

export function readWavPcm16(bytes: Uint8Array): Pcm16 {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (at: number) => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
  if (bytes.length < 12 || ascii(0) !== 'RIFF' || ascii(8) !== 'WAVE') throw new WavFormatError('Not a RIFF/WAVE file.');
  let format: { channels: number; sampleRate: number; bits: number; tag: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = ascii(offset);
    const declared = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = { tag: view.getUint16(body, true), channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('WAVE data chunk before its fmt chunk.');
      if (format.tag !== 1 || format.bits !== 16) throw new WavFormatError(`Only 16-bit PCM is supported, got format ${format.tag} with ${format.bits} bits.`);
      // Streaming writers leave the size at 0 or 0xFFFFFFFF; the rest of the file is the data then.
      const size = declared === 0 || body + declared > bytes.length ? bytes.length - body : declared;
      const samples = new Int16Array(Math.floor(size / 2));
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + i * 2, true);
      return { sampleRate: format.sampleRate, channels: format.channels, samples };
    }
    offset = body + declared + (declared % 2);
  }
  throw new WavFormatError('WAVE file has no data chunk.');
}
