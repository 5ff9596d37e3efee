import { defineConfig } from 'vitest/config';

// Two layers (DESIGN principle 7):
//   unit    domain rules, presenters, codecs, locale coverage: no PostgreSQL, no Temporal, seconds;
//   system  workflows on the real dev server, the API over HTTP, pages in Chromium. One PostgreSQL
//           and one Temporal dev server serve the whole layer (test/global-setup.ts); its files run
//           one at a time in forked processes (Temporal's native worker does not like worker threads).
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
          fileParallelism: false,
          // One process for the files, one after another: each file's modules (Temporal's SDK, express,
          // puppeteer…) are loaded once, not once per file. Each file starts and closes its own system.
          isolate: false,
          testTimeout: 60_000,
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
