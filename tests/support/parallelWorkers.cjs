// Mocha's parallel mode runs test files in workerpool child processes and, at the end, gives each
// worker 1 s to exit before killing it. A worker under c8 writes its V8 coverage (20–25 MB of JSON)
// while exiting; on a loaded machine that takes longer, and a killed worker's coverage is lost
// without a word (measured: functions/ fell from 91 % to 25 %). Two minutes is plenty and still ends.
const path = require("node:path");
// The workerpool mocha itself loads (resolved from mocha's folder, not hoisting).
const workerpool = require(
  require.resolve("workerpool", { paths: [path.dirname(require.resolve("mocha/package.json"))] }),
);

const WORKER_EXIT_MS = 120_000;
const pool = workerpool.pool;
workerpool.pool = (script, options) => pool(script, { workerTerminateTimeout: WORKER_EXIT_MS, ...options });
