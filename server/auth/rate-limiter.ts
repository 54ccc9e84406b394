/**
 * Abuse limits on the sign-in endpoints. Counters live in Postgres
 * (auth_rate_limit_hit, migrations/010) so that every server instance behind
 * a load balancer counts into the same buckets; the database is already on
 * every request's path, so there is no new store to run. One round trip per
 * check: an atomic upsert on a fixed window.
 */
import type { Database } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import { sha256Of } from './one-time-secret.ts';

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** What a bucket counts: requests from one IP, or attempts on one account. */
export type RateLimitScope = 'ip' | 'account';

const MESSAGES: Record<RateLimitScope, string> = {
  ip: 'Too many sign-in requests from your network. Wait a moment, then try again.',
  account: 'Too many attempts for this account. Wait a few minutes, then try again.',
};

/**
 * Counts one hit on `scope:key`; throws 429 with Retry-After once the bucket
 * is over its limit for the current window.
 */
export async function enforceRateLimit(db: Database, scope: RateLimitScope, key: string, limit: RateLimit): Promise<void> {
  const { rows } = await db.pool.query<{ allowed: boolean; retry_after_seconds: number }>(
    'SELECT allowed, retry_after_seconds FROM auth_rate_limit_hit($1, $2, $3)',
    [sha256Of(`${scope}:${key}`), limit.limit, limit.windowSeconds],
  );
  const row = rows[0];
  if (row && !row.allowed) throw HttpError.tooManyRequests(row.retry_after_seconds, MESSAGES[scope]);
}
