/**
 * Postgres log sequence numbers. Postgres prints them as `X/Y` (two hex
 * halves); Electric's protocol carries them as decimal strings. We keep them
 * as bigint everywhere in between.
 */

/** Parses `16/B374D848` into a bigint. */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!match) throw new Error(`not an LSN: ${JSON.stringify(text)}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** Formats a bigint LSN the way Postgres prints it (`16/B374D848`). */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
