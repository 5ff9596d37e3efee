import { defineConfig } from 'vitest/config';
import { systemForks } from './test/support/forks';

// Two layers (DESIGN principle 7):
//   unit    domain rules, presenters, codecs, locale coverage: no PostgreSQL, no Temporal, seconds;
//   system  workflows on the real dev server, the API over HTTP, pages in Chromium. Its files run
//           two at a time (test/support/forks.ts), in two forked processes (Temporal's native worker
//           does not like worker threads); each fork has its own PostgreSQL database and Temporal dev
//           server (test/global-setup.ts), so two files side by side never see each other's data.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.unit.test.ts'],
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'system',
          include: ['test/**/*.test.ts'],
          // The backup round trip starts its own PostgreSQL and Temporal (~90 s): `npm run test:backup` runs it.
          exclude: ['test/**/*.unit.test.ts', ...(process.env.EVK_TEST_BACKUP ? [] : ['test/platform/backup.test.ts'])],
          pool: 'forks',
          // Most of a system file's time is waiting (timers, Chromium, Temporal's polls): two side by
          // side keep both cores busy. The unit project runs first (groupOrder), with its own workers.
          fileParallelism: true,
          maxWorkers: systemForks(),
          sequence: { groupOrder: 1 },
          // Each fork runs its files one after another: each file's modules (Temporal's SDK, express,
          // puppeteer…) are loaded once per fork, not once per file. Each file starts and closes its own system.
          isolate: false,
          // A test's own deadline, not a measure: two files side by side on a loaded 2-core machine take
          // longer per test than one alone, and a timeout here is a failure that says nothing.
          testTimeout: 120_000,
          hookTimeout: 180_000,
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/support/setup-system.ts'],
          // The suite logs in hundreds of times from one address; the limit itself has its own test.
          env: { EVK_LOGIN_ATTEMPTS_PER_10_MIN: '100000' },
        },
      },
    ],
  },
});
