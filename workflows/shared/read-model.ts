/**
 * Every change of a workflow is written to the read model the lists show (DESIGN principle 3), at
 * once by a local activity. When that fails, the workflow's main loop writes the newest state by an
 * ordinary activity that retries without limit, so a change never waits on the read model.
 */

/** Writes by the local activity; false when it failed and the main loop must write instead. */
export async function writeReadModelNow(write: () => Promise<void>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch {
    return false;
  }
}
