/**
 * The speech thread: espeak-ng (WASM) synthesis and MP3 encoding off the
 * main event loop. One synthesis blocks its thread for up to a second per
 * 3000 characters and encoding a 300-word story takes seconds; here that
 * only occupies this thread, so the in-process server keeps answering and
 * the cover can render on the other core meanwhile.
 *
 * Loaded by speech-thread-pool.ts; not a module to import.
 */
import { parentPort } from 'node:worker_threads';
import { EspeakSpeechProvider } from '../providers/speech/espeak-speech-provider.ts';
import { toWire, type ThreadReady, type ThreadReply, type ThreadRequest } from './speech-thread-protocol.ts';

const port = parentPort;
if (!port) throw new Error('speech-thread.ts runs as a worker thread (see speech-thread-pool.ts), not as a module.');

const narrator = new EspeakSpeechProvider();

// Compile the 18 MB WebAssembly module, load a voice and warm the MP3 encoder before the first story needs them.
await narrator.synthesize({ text: 'Ready.', language: 'en' });
port.postMessage({ ready: true } satisfies ThreadReady);

port.on('message', (message: ThreadRequest) => {
  narrator.synthesize(message.request).then(
    (result) => port.postMessage({ id: message.id, ok: true, result } satisfies ThreadReply, [result.audio.buffer as ArrayBuffer]),
    (err: unknown) => port.postMessage({ id: message.id, ok: false, error: toWire(err) } satisfies ThreadReply),
  );
});
