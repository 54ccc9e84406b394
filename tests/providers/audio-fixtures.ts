/**
 * Test audio made with the third-party encoder directly (not our pipeline),
 * so tests of our MP3 reading and remote speech do not lean on our own code.
 */
import { Mp3Encoder } from '@breezystack/lamejs';
import { MPEGDecoder } from 'mpg123-decoder';

/** A sine tone as MP3 via lamejs. */
export function toneMp3(seconds: number, sampleRate = 24000, channels: 1 | 2 = 1, kbps = 64): Buffer {
  const n = Math.round(seconds * sampleRate);
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  const encoder = new Mp3Encoder(channels, sampleRate, kbps);
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i += 1152) {
    const block = pcm.subarray(i, i + 1152);
    parts.push(Buffer.from(channels === 2 ? encoder.encodeBuffer(block, block) : encoder.encodeBuffer(block)));
  }
  parts.push(Buffer.from(encoder.flush()));
  return Buffer.concat(parts);
}

export interface DecodedAudio {
  seconds: number;
  sampleRate: number;
  errors: number;
  /** Root mean square of the first channel, 0–1. */
  rms: number;
}

/** Decodes MP3 with mpg123 (WebAssembly), an implementation independent of ours. */
export async function decodeMp3(bytes: Uint8Array): Promise<DecodedAudio> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const out = decoder.decode(bytes);
    const channel = out.channelData[0] ?? new Float32Array(0);
    let sum = 0;
    for (let i = 0; i < out.samplesDecoded; i++) sum += channel[i]! * channel[i]!;
    return { seconds: out.samplesDecoded / out.sampleRate, sampleRate: out.sampleRate, errors: out.errors.length, rms: Math.sqrt(sum / Math.max(1, out.samplesDecoded)) };
  } finally {
    decoder.free();
  }
}
