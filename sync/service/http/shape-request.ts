/**
 * Reads and checks the query parameters of a shape request. Every problem is
 * reported at once, per parameter, in Electric's 400 body format.
 */
import { type LogOffset, parseOffset } from '../log-offset.ts';
import { parseColumnList, parseTableName, type ShapeDefinition } from '../shapes/shape-definition.ts';

export interface ShapeRequest {
  definition: ShapeDefinition;
  offset: LogOffset | 'now';
  handle: string | undefined;
  live: boolean;
  cursor: string | undefined;
}

export type ParamErrors = Record<string, string[]>;

export function parseShapeRequest(query: URLSearchParams): { request: ShapeRequest } | { errors: ParamErrors } {
  const errors: ParamErrors = {};
  const fail = (param: string, message: string) => (errors[param] ??= []).push(message);

  const offsetText = query.get('offset');
  const offset: LogOffset | 'now' | undefined = offsetText === 'now' ? 'now' : offsetText ? parseOffset(offsetText) : undefined;
  if (offsetText === null || offsetText === '') fail('offset', "can't be blank");
  else if (!offset) fail('offset', 'has invalid format');

  const liveText = query.get('live');
  const live = liveText !== null && liveText !== 'false';
  const isNow = offsetText === 'now';
  const startsFresh = isNow || offsetText === '-1';
  if (live && isNow) fail('live', "can't be true when offset is 'now'");
  else if (live && startsFresh) fail('live', "can't be true when offset == -1");
  const handle = query.get('handle') || undefined;
  if (!handle && offset !== undefined && !startsFresh) fail('handle', "can't be blank when offset != -1");

  const tableText = query.get('table');
  let schema = 'public';
  let table = '';
  if (!tableText) fail('table', "can't be blank");
  else {
    try {
      ({ schema, table } = parseTableName(tableText));
    } catch (err) {
      fail('table', `${(err as Error).message}`);
    }
  }

  let columns: string[] | undefined;
  const columnsText = query.get('columns');
  if (columnsText !== null) {
    try {
      columns = parseColumnList(columnsText);
    } catch (err) {
      fail('columns', (err as Error).message);
    }
  }

  const replica = query.get('replica') ?? 'default';
  if (replica !== 'default' && replica !== 'full') fail('replica', 'must be default or full');
  const log = query.get('log') ?? 'full';
  if (log !== 'full' && log !== 'changes_only') fail('log', 'must be full or changes_only');

  const params = readParams(query, fail);
  const whereText = query.get('where');
  const where = whereText === null || whereText.trim() === '' ? undefined : whereText;
  if (where === undefined && params.size > 0) fail('params', 'are only allowed with a where clause');

  if (Object.keys(errors).length > 0) return { errors };
  return {
    request: {
      definition: { schema, table, where, params, columns, replica: replica as 'default' | 'full', log: log as 'full' | 'changes_only' },
      offset: offset!,
      handle,
      live,
      cursor: query.get('cursor') ?? undefined,
    },
  };
}

/** `params[1]=a&params[2]=b`, or `params={"1":"a"}`; numbered 1..n without gaps. */
function readParams(query: URLSearchParams, fail: (param: string, message: string) => void): Map<number, string> {
  const params = new Map<number, string>();
  for (const [key, value] of query) {
    const m = /^params\[(\d+)\]$/.exec(key);
    if (m) params.set(Number(m[1]), value);
  }
  const json = query.get('params');
  if (json !== null) {
    try {
      const parsed = JSON.parse(json) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
      for (const [k, v] of Object.entries(parsed)) {
        if (!/^\d+$/.test(k)) throw new Error();
        params.set(Number(k), String(v));
      }
    } catch {
      fail('params', 'must be a JSON object of "1": "value" pairs, or params[1]=value');
    }
  }
  const keys = [...params.keys()].sort((a, b) => a - b);
  if (keys.some((k, i) => k !== i + 1)) fail('params', 'must be numbered 1..n without gaps');
  return params;
}
