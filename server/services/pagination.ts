/**
 * One pagination scheme for every list: `?limit=1..100` (default 25) and an
 * opaque `?cursor=` taken from the previous page's `next_cursor`. A page is
 * `{ items, next_cursor }`; `next_cursor` is null on the last page.
 *
 * Lists in time order use keyset cursors (the last row's sort key), so pages
 * neither skip nor repeat rows when others are inserted meanwhile. Ranked
 * search uses an offset, since its order depends on the query. Either way a
 * client only passes the cursor back unchanged.
 */
import { z } from 'zod';
import { HttpError } from '../http/http-error.ts';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** The query fields every list accepts; spread into a route's query schema. */
export const pageQueryFields = {
  limit: z.coerce
    .number({ message: `must be a number from 1 to ${MAX_PAGE_SIZE}` })
    .int(`must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .min(1, `must be from 1 to ${MAX_PAGE_SIZE}`)
    .max(MAX_PAGE_SIZE, `must be from 1 to ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(500, 'is not a cursor this list gave out').optional(),
};

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes a cursor into `schema`, or a 400 on `query.cursor`. */
export function decodeCursor<S extends z.ZodType>(cursor: string | undefined, schema: S): z.output<S> | null {
  if (cursor === undefined) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: not base64url JSON
  }
  throw HttpError.invalid({ 'query.cursor': ['is not a cursor this list gave out; start again without it'] });
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says that
 * another page exists; the cursor is made from the last row kept.
 */
export function toPage<R, T>(rows: R[], limit: number, cursorOf: (row: R) => unknown, present: (row: R) => T): Page<T> {
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return { items: kept.map(present), next_cursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}

/** Keyset cursor for lists newest first: the row's time (microseconds since epoch, as text) and id. */
export const timeIdCursor = z.tuple([z.string().regex(/^-?\d{1,20}$/), z.string().uuid()]);

/**
 * SQL for "after this cursor" in `ORDER BY <time> DESC, <id> DESC` (or ASC
 * for `order: 'asc'`), with the placeholders it needs appended through `add`.
 */
export function afterCursor(cursor: z.output<typeof timeIdCursor> | null, timeColumn: string, idColumn: string, add: (v: unknown) => string, order: 'desc' | 'asc' = 'desc'): string {
  if (!cursor) return 'TRUE';
  const op = order === 'desc' ? '<' : '>';
  return `(${timeColumn}, ${idColumn}) ${op} (timestamptz 'epoch' + ${add(cursor[0])}::bigint * interval '1 microsecond', ${add(cursor[1])}::uuid)`;
}

/** The select expression giving a row's cursor time, exact to the microsecond. */
export function cursorTime(timeColumn: string): string {
  return `(extract(epoch FROM ${timeColumn}) * 1000000)::bigint::text`;
}
