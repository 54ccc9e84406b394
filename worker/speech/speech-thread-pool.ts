/**
 * The offline narrator behind the SpeechProvider interface, run on worker
 * threads (speech-thread.ts): one thread per job the worker may run at once,
 * so concurrent stories narrate in parallel and none blocks the main event
 * loop. A request waits for a free thread; a thread that dies is replaced.
 */
import type { Worker } from 'node:worker_threads';
import type { Logger } from '../../server/observability/logger.ts';
import type { CallOptions, SpeechProvider, SpeechRequest, SpeechResult } from '../providers/speech/speech-provider.ts';
import { fromWire, type ThreadReady, type ThreadReply } from './speech-thread-protocol.ts';
import { startTypeScriptThread } from './typescript-thread.ts';

interface Pending {
  resolve: (result: SpeechResult) => void;
  reject: (err: Error) => void;
}

interface SpeechThread {
  worker: Worker;
  ready: Promise<void>;
  /** True once espeak-ng is compiled in it. */
  started: boolean;
  /** The request it is working on, if any. */
  busy: number | null;
}

const THREAD_MODULE = new URL('./speech-thread.ts', import.meta.url);
const READY_TIMEOUT_MS = 60_000;

export class ThreadedSpeechProvider implements SpeechProvider {
  readonly name = 'espeak-ng';
  private readonly threads: SpeechThread[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly waiting: Array<{ id: number; request: SpeechRequest }> = [];
  private nextId = 1;
  private closed = false;
  /** Set when the threads could not start: every request then fails with it. */
  private startFailure: Error | undefined;

  constructor(
    private readonly size: number,
    private readonly logger: Logger,
  ) {
    if (size < 1) throw new Error('ThreadedSpeechProvider needs at least one thread.');
  }

  /**
   * Starts the threads and resolves once each has espeak-ng compiled (about
   * a second and a half). Requests made meanwhile wait for a ready thread; if
   * the threads cannot start, those requests and later ones fail with why.
   */
  async start(): Promise<void> {
    while (this.threads.length < this.size) this.threads.push(this.spawn());
    try {
      await Promise.all(this.threads.map((t) => t.ready));
    } catch (err) {
      this.startFailure = err as Error;
      for (const { id } of this.waiting.splice(0)) {
        this.pending.get(id)?.reject(this.startFailure);
        this.pending.delete(id);
      }
      throw err;
    }
  }

  synthesize(request: SpeechRequest, options: CallOptions = {}): Promise<SpeechResult> {
    if (this.closed) return Promise.reject(new Error('The narrator threads are stopped; the worker is shutting down.'));
    if (this.startFailure) return Promise.reject(this.startFailure);
    options.signal?.throwIfAborted();
    const id = this.nextId++;
    const result = new Promise<SpeechResult>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.waiting.push({ id, request });
    this.dispatch();
    return result;
  }

  /** Stops the threads; requests still in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new Error('The narrator threads were stopped before this story was narrated.'));
    }
  }

  private spawn(): SpeechThread {
    const worker = startTypeScriptThread(THREAD_MODULE, 'talemo-speech');
    let markReady!: () => void;
    let failReady!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    const timer = setTimeout(() => failReady(new Error(`The narrator thread did not start within ${READY_TIMEOUT_MS / 1000} s.`)), READY_TIMEOUT_MS);
    ready.then(() => clearTimeout(timer), () => clearTimeout(timer));
    const thread: SpeechThread = { worker, ready, started: false, busy: null };
    worker.on('message', (message: ThreadReply | ThreadReady) => {
      if ('ready' in message) {
        thread.started = true;
        markReady();
        this.dispatch();
        return;
      }
      thread.busy = null;
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (p) {
        if (message.ok) p.resolve({ ...message.result, audio: new Uint8Array(message.result.audio) });
        else p.reject(fromWire(message.error));
      }
      this.dispatch();
    });
    worker.on('error', (err) => {
      failReady(err);
      this.logger.error({ err }, 'a narrator thread failed');
    });
    worker.on('exit', (code) => {
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads.splice(index, 1);
      if (thread.busy !== null) {
        const p = this.pending.get(thread.busy);
        this.pending.delete(thread.busy);
        // Not the story's fault (out of memory, a crash): the job may retry it.
        p?.reject(new Error(`The narrator thread stopped (exit code ${code}) while narrating.`));
      }
      failReady(new Error(`The narrator thread exited (code ${code}) before it was ready.`));
      // Replace a thread that had worked; one that never started would only fail again.
      if (!this.closed && thread.started) {
        this.threads.push(this.spawn());
        this.dispatch();
      }
    });
    return thread;
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const thread = this.threads.find((t) => t.started && t.busy === null);
      if (!thread) return;
      const next = this.waiting.shift()!;
      if (!this.pending.has(next.id)) continue;
      thread.busy = next.id;
      thread.worker.postMessage({ id: next.id, request: next.request });
    }
  }
}
