/**
 * The logging interface the service needs: a subset of pino's, so the
 * server can pass its child logger and tests can pass a silent one.
 */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Drops everything. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
