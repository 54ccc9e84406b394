/**
 * Coerces where-clause constants in Postgres: `'7'` compared with a numeric
 * column becomes `'7'::numeric`, printed back by the type's output function
 * (as pgoutput prints column values). One query per shape, plus one per
 * array parameter.
 */
import type pg from 'pg';
import type { Coerce, Coercion } from './where-binder.ts';
import { WhereError } from './where-ast.ts';
import { TEXT_OUTPUT } from '../pg-settings.ts';

export function postgresCoercion(client: pg.Pool | pg.Client): Coerce {
  return async (coercions: Coercion[]) => {
    try {
      const results: Array<string | null | Array<string | null>> = new Array(coercions.length).fill(null);
      const scalars = coercions.map((c, i) => ({ c, i })).filter(({ c }) => !c.array && c.text !== null);
      if (scalars.length > 0) {
        const selects = scalars.map(({ c }, n) => `$${n + 1}${chain(c)}::${c.target}`);
        const { rows } = await client.query({ text: `SELECT ${selects.join(', ')}`, values: scalars.map(({ c }) => c.text), rowMode: 'array', types: TEXT_OUTPUT });
        scalars.forEach(({ i }, n) => (results[i] = (rows[0] as Array<string | null>)[n] ?? null));
      }
      for (const [i, c] of coercions.entries()) {
        if (!c.array || c.text === null) continue;
        const { rows } = await client.query({ text: `SELECT x FROM unnest($1${chain(c)}::${c.target}[]) WITH ORDINALITY AS u(x, o) ORDER BY o`, values: [c.text], rowMode: 'array', types: TEXT_OUTPUT });
        results[i] = rows.map((r) => (r as Array<string | null>)[0] ?? null);
      }
      return results;
    } catch (err) {
      const e = err as { code?: string; message: string };
      // Data exceptions (22…), unknown types (42704), impossible casts (42846) and syntax are the client's to fix.
      if (e.code && (e.code.startsWith('22') || e.code === '42704' || e.code === '42846' || e.code === '42601')) throw new WhereError(e.message);
      throw err;
    }
  };
}

function chain(c: Coercion): string {
  return ['text', ...c.casts].map((t) => `::${t}`).join('');
}
