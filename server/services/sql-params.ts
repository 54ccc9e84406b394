/**
 * Builds parameter lists for SQL assembled from optional pieces (filters,
 * cursors), so every value travels as a bind parameter and never as text.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder, e.g. `$3`. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
