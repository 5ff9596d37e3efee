/**
 * How many forks run the system layer side by side (vitest.config.mts maxWorkers). Each fork has a
 * PostgreSQL database and a Temporal dev server of its own (test/global-setup.ts), so its files see
 * what they saw when all files ran one after another: contract numbers (and so workflow IDs) from
 * their own sequence, their own outbox, sessions and counts. With an outside Temporal
 * (TEMPORAL_ADDRESS) there is one server to share, so the files run one at a time again.
 * EVK_TEST_SYSTEM_FORKS=1 does the same on purpose.
 */
export function systemForks(env: NodeJS.ProcessEnv = process.env): number {
  if (env.TEMPORAL_ADDRESS) return 1;
  const asked = Number(env.EVK_TEST_SYSTEM_FORKS ?? 2);
  return Number.isInteger(asked) && asked >= 1 ? asked : 2;
}
