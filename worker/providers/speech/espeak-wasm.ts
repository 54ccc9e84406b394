/**
 * Runs the espeak-ng command line, compiled to WebAssembly, once per call:
 * text in through its in-memory file system, a WAV file out. The 18 MB
 * module is compiled once per process and instantiated per call, because the
 * Emscripten program is a `main` that runs to completion and cannot be
 * called twice on one instance.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ESpeakNg from 'espeak-ng';

let compiled: Promise<WebAssembly.Module> | undefined;

function espeakModule(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('espeak-ng');
    const bytes = await fs.promises.readFile(path.join(path.dirname(entry), 'espeak-ng.wasm'));
    return WebAssembly.compile(bytes);
  })();
  return compiled;
}

export interface EspeakRun {
  /** The WAV file espeak wrote; empty when it wrote none. */
  wav: Uint8Array;
  /** What espeak printed to stderr, for error messages. */
  errors: string[];
}

/**
 * Runs `espeak-ng <args> -w /out.wav -f /in.txt` with `input` as /in.txt.
 * Synchronous inside (the WASM main blocks the event loop for the length of
 * the synthesis), so callers keep inputs to a few thousand characters.
 */
export async function runEspeak(args: readonly string[], input: string): Promise<EspeakRun> {
  const module = await espeakModule();
  const errors: string[] = [];
  const instance = await ESpeakNg({
    arguments: [...args, '-w', '/out.wav', '-f', '/in.txt'],
    preRun: [(m) => m.FS.writeFile('/in.txt', input)],
    print: () => {},
    // Emscripten reports a normal exit with keepRuntimeAlive as a note; it is not an error.
    printErr: (line) => {
      if (!line.includes('keepRuntimeAlive')) errors.push(line);
    },
    instantiateWasm: (imports, receive) => {
      WebAssembly.instantiate(module, imports).then(receive, (err: unknown) => errors.push(String(err)));
      return {};
    },
  });
  let wav: Uint8Array;
  try {
    wav = instance.FS.readFile('/out.wav');
  } catch {
    wav = new Uint8Array(0);
  }
  return { wav, errors };
}
