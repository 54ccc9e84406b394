/**
 * The `electric-cursor` of live responses, computed as Electric does: the
 * end of the current long-poll-sized time interval (seconds since
 * 2024-10-09). It changes every interval, so a CDN caching live responses
 * for a short while cannot serve a client the same response twice in a row;
 * if the client already holds the current value, a random jump avoids that.
 */
const EPOCH_SECONDS = Date.UTC(2024, 9, 9) / 1000;

export function liveCursor(longPollMs: number, clientCursor: string | undefined, nowMs = Date.now()): string {
  const interval = Math.max(1, Math.floor(longPollMs / 1000));
  const elapsed = nowMs / 1000 - EPOCH_SECONDS;
  let next = Math.ceil(elapsed / interval) * interval;
  if (clientCursor !== undefined && String(next) === clientCursor) next += 1 + Math.floor(Math.random() * 3600);
  return String(next);
}
