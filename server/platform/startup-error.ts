/**
 * A problem that stops Talemo from starting, phrased for the person at the
 * terminal: what is wrong and what they can do about it. `main.ts` prints the
 * message (no stack) and exits non-zero.
 */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}
