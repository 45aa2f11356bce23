/**
 * Polls until `done()` holds, every `everyMs`. No deadline of its own, which a loaded machine could
 * reach: a wait that never ends is ended by the whole-run limit (tests/support/runLimit.cjs), which
 * prints `what` with the test's name.
 */
export async function waitFor(what: string, done: () => boolean, everyMs = 50): Promise<void> {
  const state = globalThis as { multicloudWaitingFor?: string };
  state.multicloudWaitingFor = what;
  try {
    while (!done()) await new Promise((r) => setTimeout(r, everyMs));
  } finally {
    state.multicloudWaitingFor = undefined;
  }
}
