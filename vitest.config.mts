import { defineConfig } from 'vitest/config';

// One PostgreSQL and one Temporal dev server for the whole run (test/global-setup.ts); test files
// run one at a time in forked processes (Temporal's native worker does not like worker threads).
export default defineConfig({
  test: {
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['test/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    // The suite logs in hundreds of times from one address; the limit itself has its own test.
    env: { EVK_LOGIN_ATTEMPTS_PER_10_MIN: '100000' },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
