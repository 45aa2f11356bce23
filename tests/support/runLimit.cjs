// One generous limit for the whole test run instead of per-test wall-clock limits, which a loaded
// 2-core machine can reach: a hang ends the run here, naming the test that was running.
// MOCHA_RUN_LIMIT_SECONDS overrides the default (20 minutes; a quiet run takes about 3).
const limitSeconds = Number(process.env.MOCHA_RUN_LIMIT_SECONDS ?? 1200);
if (!Number.isFinite(limitSeconds) || limitSeconds <= 0) {
  throw new Error(
    `MOCHA_RUN_LIMIT_SECONDS must be a positive number of seconds, not ${process.env.MOCHA_RUN_LIMIT_SECONDS}`,
  );
}

let running = "(before the first test)";
let armed = false;

// In parallel mode each worker process loads this file and runs beforeAll once per test file.
module.exports.mochaHooks = {
  beforeAll() {
    if (armed) return;
    armed = true;
    setTimeout(() => {
      const waiting = globalThis.multicloudWaitingFor ? `, waiting for ${globalThis.multicloudWaitingFor}` : "";
      console.error(
        `\nThe test run passed its limit of ${limitSeconds} s (MOCHA_RUN_LIMIT_SECONDS) while running: ${running}${waiting}`,
      );
      process.exit(1);
    }, limitSeconds * 1000).unref();
  },
  beforeEach() {
    running = this.currentTest ? this.currentTest.fullTitle() : running;
  },
};
