/**
 * npm run bench:timings: wall-clock figures that used to be test limits (plan < 15 s, pack start
 * < 20 s). Printed, never asserted: a loaded CI machine should not fail a test for being slow.
 * Each figure is the median of RUNS runs.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT, stackNames } from "../../offline/stacks";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function planSeconds(stack: string): number {
  const out = mkdtempSync(path.join(tmpdir(), "bench-plan-"));
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "offline/planCli.ts", "--stack", stack, "--out", out],
    { cwd: REPO_ROOT, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`plan ${stack} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
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

async function main(): Promise<void> {
  console.log(`| What | Median of ${RUNS} (s) | Runs (s) |`);
  console.log("|---|---:|---|");
  for (const stack of stackNames()) {
    const runs = Array.from({ length: RUNS }, () => planSeconds(stack));
    console.log(
      `| \`npm run plan -- --stack ${stack}\` (run + preview + policies, new process) | ${median(runs).toFixed(1)} | ${runs.map((r) => r.toFixed(1)).join(", ")} |`,
    );
  }
  const starts: number[] = [];
  for (let i = 0; i < RUNS; i++) starts.push(await packStartSeconds());
  console.log(
    `| policy pack start (analyzer ready) | ${median(starts).toFixed(1)} | ${starts.map((r) => r.toFixed(1)).join(", ")} |`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
