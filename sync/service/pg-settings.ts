/**
 * Session settings every connection of the service runs with. Snapshot rows
 * are read with `::text` and log rows arrive as pgoutput text; both go through
 * the same type output functions, so they only print alike when these match.
 * UTC and ISO also make timestamps comparable as parsed text in where clauses.
 */
export const DISPLAY_SETTINGS: Readonly<Record<string, string>> = {
  DateStyle: 'ISO, DMY',
  TimeZone: 'UTC',
  IntervalStyle: 'iso_8601',
  extra_float_digits: '1',
  bytea_output: 'hex',
};

/** The settings as a libpq `options` startup string. */
export function displayOptions(): string {
  return Object.entries(DISPLAY_SETTINGS)
    .map(([name, value]) => `-c ${name}=${value.replace(/ /g, '\\ ')}`)
    .join(' ');
}

/**
 * pg type parsers that keep every value as the text Postgres sent, i.e. the
 * type's output function: what pgoutput sends for the same value. (A
 * `::text` cast is not the same: `true::text` is 'true', boolout gives 't'.)
 */
export const TEXT_OUTPUT = { getTypeParser: () => (value: string) => value } as unknown as import('pg').CustomTypesConfig;
