// Types for the Emscripten build shipped by the `espeak-ng` package, which has
// none; only what espeak-wasm.ts uses.
declare module 'espeak-ng' {
  interface EmscriptenFS {
    writeFile(path: string, data: string | Uint8Array): void;
    readFile(path: string): Uint8Array;
    unlink(path: string): void;
  }
  interface ESpeakModule {
    FS: EmscriptenFS;
  }
  interface ESpeakOptions {
    arguments: string[];
    preRun?: Array<(module: ESpeakModule) => void>;
    print?: (line: string) => void;
    printErr?: (line: string) => void;
    instantiateWasm?: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) => object;
  }
  const ESpeakNg: (options: ESpeakOptions) => Promise<ESpeakModule>;
  export default ESpeakNg;
}
