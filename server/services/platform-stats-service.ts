/**
 * Platform statistics across tenants, for the platform operator only.
 *
 * Two locks, neither of them the app role:
 * 1. the caller presents PLATFORM_OPERATOR_TOKEN (compared in constant
 *    time); tenant sessions never qualify;
 * 2. the figures come from `platform_stats()` (migrations/021), a
 *    security-definer function that talemo_app may not execute, through a
 *    separate connection (OPERATOR_DATABASE_URL, a role granted EXECUTE:
 *    talemo_owner by default).
 * The function returns aggregates only: no tenant names, ids or people.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import pg from 'pg';
import type { Config } from '../config.ts';
import { HttpError } from '../http/http-error.ts';

export class PlatformStatsService {
  private pool: pg.Pool | undefined;

  constructor(private readonly config: Config) {}

  /** `presentedToken` is the bearer token from the request, if any. */
  async stats(presentedToken: string | undefined): Promise<Record<string, unknown>> {
    const { token, databaseUrl } = this.config.operator;
    if (!token) throw new HttpError(503, 'The platform operator path is off. Set PLATFORM_OPERATOR_TOKEN and OPERATOR_DATABASE_URL to turn it on.');
    if (!presentedToken || !sameSecret(presentedToken, token)) throw HttpError.unauthorized('This path needs the platform operator token as a bearer token.');
    if (!databaseUrl) throw new HttpError(503, 'The platform operator path has no database connection. Set OPERATOR_DATABASE_URL to a role allowed to run platform_stats().');
    if (!this.pool) {
      this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2, idleTimeoutMillis: 10_000, allowExitOnIdle: true, application_name: 'talemo-operator' });
      // An idle connection dropped by the server must not crash the process; the pool replaces it.
      this.pool.on('error', () => {});
    }
    const { rows } = await this.pool.query<{ stats: Record<string, unknown> }>('SELECT platform_stats() AS stats');
    return rows[0]!.stats;
  }

  async close(): Promise<void> {
    await this.pool?.end();
    this.pool = undefined;
  }
}

/** Constant-time comparison that also hides the length (both sides hashed). */
function sameSecret(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
