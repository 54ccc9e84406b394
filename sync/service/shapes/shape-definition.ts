/**
 * What a client asks for: a table, an optional where clause with its
 * parameters, a column list, the replica mode and the log mode. Two requests
 * with the same definition share one shape (one log, one handle).
 */

export interface ShapeDefinition {
  schema: string;
  table: string;
  where: string | undefined;
  /** Where-clause parameters by position ($1 → params.get(1)). */
  params: Map<number, string>;
  /** Selected columns, or undefined for all. */
  columns: string[] | undefined;
  replica: 'default' | 'full';
  log: 'full' | 'changes_only';
}

/** A stable string for a definition as the client spelled it. */
export function definitionKey(d: ShapeDefinition): string {
  return JSON.stringify([d.schema, d.table, d.where ?? null, [...d.params.entries()].sort((a, b) => a[0] - b[0]), d.columns ?? null, d.replica, d.log]);
}

/** Serialisable form, stored with the shape on disk. */
export interface StoredDefinition {
  schema: string;
  table: string;
  where: string | null;
  params: Record<string, string>;
  columns: string[] | null;
  replica: 'default' | 'full';
  log: 'full' | 'changes_only';
}

export function toStored(d: ShapeDefinition): StoredDefinition {
  return { schema: d.schema, table: d.table, where: d.where ?? null, params: Object.fromEntries([...d.params].map(([k, v]) => [String(k), v])), columns: d.columns ?? null, replica: d.replica, log: d.log };
}

export function fromStored(s: StoredDefinition): ShapeDefinition {
  return { schema: s.schema, table: s.table, where: s.where ?? undefined, params: new Map(Object.entries(s.params).map(([k, v]) => [Number(k), v])), columns: s.columns ?? undefined, replica: s.replica, log: s.log };
}

/**
 * Splits `name`, `schema.name` or quoted forms (`"My Schema"."Items"`) into
 * schema and table; unquoted parts fold to lower case as in Postgres.
 */
export function parseTableName(text: string): { schema: string; table: string } {
  const parts = splitIdentifiers(text, '.');
  if (parts.length === 1) return { schema: 'public', table: parts[0]! };
  if (parts.length === 2) return { schema: parts[0]!, table: parts[1]! };
  throw new Error('must be a table name or schema.table');
}

/** Splits a comma list of possibly quoted column names. */
export function parseColumnList(text: string): string[] {
  const columns = splitIdentifiers(text, ',');
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new Error(`column "${c}" is listed twice`);
    seen.add(c);
  }
  return columns;
}

function splitIdentifiers(text: string, separator: string): string[] {
  const out: string[] = [];
  let i = 0;
  const s = text.trim();
  if (s === '') throw new Error('must not be empty');
  while (i <= s.length) {
    while (s[i] === ' ') i++;
    let name = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= s.length) throw new Error('has an unterminated quoted identifier');
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            name += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        name += s[i++];
      }
      if (name === '') throw new Error('has an empty quoted identifier');
    } else {
      const start = i;
      while (i < s.length && s[i] !== separator) i++;
      name = s.slice(start, i).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name)) throw new Error(`has an invalid identifier ${JSON.stringify(name)} (quote it with double quotes)`);
      name = name.toLowerCase();
    }
    out.push(name);
    while (s[i] === ' ') i++;
    if (i >= s.length) break;
    if (s[i] !== separator) throw new Error(`expected "${separator}" after ${JSON.stringify(name)}`);
    i++;
  }
  return out;
}
