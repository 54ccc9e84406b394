/**
 * The real Hono app over a test database, called through `app.request()` (no
 * socket). Everything is the production wiring; only the database is a clone.
 */
import { loadConfig, type Config } from '../../server/config.ts';
import { createApp } from '../../server/http/app.ts';
import { readinessChecks } from '../../server/platform/readiness.ts';
import { silentLogger } from '../../server/observability/logger.ts';
import { createMetrics } from '../../server/observability/metrics.ts';
import { createSession, type SessionKind } from '../../server/auth/session-store.ts';
import type { TestDatabase } from './test-database.ts';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', TALEMO_SECRET: 'test-secret-test-secret-test-secret-0123', LOG_LEVEL: 'silent', ...overrides }, process.cwd());
}

export function createTestApp(t: TestDatabase, overrides: Record<string, string> = {}) {
  const config = testConfig(overrides);
  const metrics = createMetrics({ collectProcessMetrics: false });
  const app = createApp({
    config,
    logger: silentLogger(),
    metrics,
    db: t.db,
    health: { readiness: readinessChecks(t.db) },
  });
  return { app, config, metrics };
}

/** A real session for an existing user, as sign-in would create it. Returns the bearer token. */
export async function sessionFor(t: TestDatabase, tenantId: string, userId: string, kind: SessionKind = 'password'): Promise<string> {
  const { token } = await t.db.transaction({ tenantId, userId }, (tx) => createSession(tx, tenantId, userId, kind));
  return token;
}
