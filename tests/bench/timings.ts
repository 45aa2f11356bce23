/**
 * npm run bench:timings: wall-clock figures that used to be test limits (plan < 15 s, pack start
 * < 20 s), and the dev plan's phases with the disk cache cold (MULTICLOUD_CACHE=off) and warm.
 * Printed, never asserted: a loaded CI machine should not fail a test for being slow.
 * Each figure is the median of RUNS runs. `-- --tests` also times one whole `npm test`.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT, stackNames } from "../../offline/stacks";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = <T>(measure: () => T): T[] => Array.from({ length: RUNS }, measure);

/** Wall-clock seconds of one synchronous run. */
function secondsOf(run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const coldEnv = { ...process.env, MULTICLOUD_CACHE: "off" };

function planSeconds(stack: string, env: NodeJS.ProcessEnv = process.env): number {
  const out = mkdtempSync(path.join(tmpdir(), "bench-plan-"));
  return secondsOf(() => {
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "offline/planCli.ts", "--stack", stack, "--out", out],
      { cwd: REPO_ROOT, encoding: "utf8", env },
    );
    if (result.status !== 0) throw new Error(`plan ${stack} failed: ${result.stderr}`);
  });
}

/** Seconds from spawning the policy pack (as the CLI does) to it printing its port. */
function packStartSeconds(): Promise<number> {
  const started = process.hrtime.bigint();
  const pack = spawn(
    process.execPath,
    [path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."],
    {
      cwd: path.join(REPO_ROOT, "policy"),
      env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return new Promise((resolve, reject) => {
    pack.stdout?.on("data", (chunk: Buffer) => {
      if (/^\d+$/.test(chunk.toString().trim().split("\n")[0])) {
        pack.kill();
        resolve(Number(process.hrtime.bigint() - started) / 1e9);
      }
    });
    pack.on("exit", (code) => reject(new Error(`policy pack exited with ${code}`)));
  });
}

interface Phases {
  org: number;
  up: number;
  preview: number;
  policies: number;
}

function phases(env: NodeJS.ProcessEnv): Phases {
  const result = spawnSync(process.execPath, ["--import", "tsx", "tests/bench/planPhases.ts", "dev"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env,
  });
  if (result.status !== 0) throw new Error(`plan phases failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as Phases;
}

const row = (what: string, runs: number[]) =>
  console.log(`| ${what} | ${median(runs).toFixed(1)} | ${runs.map((r) => r.toFixed(1)).join(", ")} |`);

async function main(): Promise<void> {
  console.log(`| What | Median of ${RUNS} (s) | Runs (s) |`);
  console.log("|---|---:|---|");
  for (const stack of stackNames()) {
    row(
      `\`npm run plan -- --stack ${stack}\` (run + preview + policies, new process)`,
      times(() => planSeconds(stack)),
    );
  }
  row(
    "`npm run plan -- --stack dev`, disk cache off (bundles and key pairs made anew)",
    times(() => planSeconds("dev", coldEnv)),
  );
  for (const [label, env] of [
    ["cache off", coldEnv],
    ["warm", process.env],
  ] as const) {
    const runs = times(() => phases(env));
    for (const phase of ["org", "up", "preview", "policies"] as const) {
      row(
        `dev plan phase \`${phase}\` (${label})`,
        runs.map((r) => r[phase]),
      );
    }
  }
  const starts: number[] = [];
  for (let i = 0; i < RUNS; i++) starts.push(await packStartSeconds());
  row("policy pack start (analyzer ready)", starts);
  if (process.argv.includes("--tests")) {
    const seconds = secondsOf(() => {
      const result = spawnSync("npm", ["test"], { cwd: REPO_ROOT, encoding: "utf8" });
      if (result.status !== 0) throw new Error(`npm test failed: ${result.stdout.slice(-2000)}`);
    });
    row("`npm test` (whole suite, once)", [seconds]);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
