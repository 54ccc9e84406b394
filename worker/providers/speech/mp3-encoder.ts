/**
 * PCM → MP3 with @breezystack/lamejs (the maintained fork; `lamejs` 1.2.1 is
 * broken under ESM). Speech at espeak's 22.05 kHz mono is clear at 48 kbps,
 * which keeps a ten-minute story near 3.5 MB for offline download.
 */
import { Mp3Encoder } from '@breezystack/lamejs';
import type { Pcm16 } from './wav-pcm.ts';

export const SPEECH_MP3_KBPS = 48;

// lamejs works in blocks of this many samples per channel.
const BLOCK = 1152;
// About 10 s of 22.05 kHz audio (~100 ms of CPU) between yields, so a long
// story does not hold the event loop (the worker may share the server's).
const BLOCKS_PER_YIELD = 200;

/** Encodes mono PCM; yields to the event loop now and then. */
export async function encodeMp3(pcm: Pcm16, kbps = SPEECH_MP3_KBPS): Promise<Uint8Array> {
  if (pcm.channels !== 1) throw new Error(`encodeMp3 takes mono PCM; got ${pcm.channels} channels.`);
  const encoder = new Mp3Encoder(1, pcm.sampleRate, kbps);
  const parts: Uint8Array[] = [];
  for (let i = 0, block = 0; i < pcm.samples.length; i += BLOCK, block++) {
    if (block > 0 && block % BLOCKS_PER_YIELD === 0) await new Promise((resolve) => setImmediate(resolve));
    const out = encoder.encodeBuffer(pcm.samples.subarray(i, i + BLOCK));
    if (out.length > 0) parts.push(asBytes(out));
  }
  parts.push(asBytes(encoder.flush()));
  return concatBytes(parts);
}

// lamejs hands back Int8Arrays despite its typings; view the same memory as bytes.
function asBytes(chunk: ArrayBufferView): Uint8Array {
  return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
