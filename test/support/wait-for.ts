import { setImmediate as nextTick } from "node:timers/promises";

/**
 * Polls a condition until it holds, yielding to the event loop between checks; fails after `deadlineMs`.
 * For conditions that other code makes true (a request arriving, a file being written), never as a delay.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, deadlineMs = 5000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await nextTick();
  }
}
