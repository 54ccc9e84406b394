import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'server/**/*.test.ts', 'sync/**/*.test.ts', 'shapes/**/*.test.ts', 'worker/**/*.test.ts', 'client/src/**/*.test.{ts,tsx}'],
    // One embedded Postgres for the whole run; each suite clones a migrated template.
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more workers only queue for the CPU and Postgres.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
