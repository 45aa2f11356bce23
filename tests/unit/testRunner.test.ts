import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "../../offline/stacks";

const FIXTURE = path.join("tests", "support", "fixtures", "runLimit.fixture.ts");

/** `npm run test:file -- <file>` with the suite's .mocharc.json, in a child process. */
function testFile(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "tests", "support", "testFile.cjs"), ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, MOCHA_SUMMARY_FILE: "", ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("the test runner", () => {
  it("runs just the files named (npm run test:file -- <path>), not the whole suite", () => {
    const run = testFile([FIXTURE, "--grep", "passes"]);
    expect(run.status, run.output).to.equal(0);
    expect(run.output).to.match(/1 passing/);
    expect(run.output).to.not.match(/[2-9] passing|\d\d+ passing/);
  });

  it("refuses to run nothing: no file named, or a path that does not exist, with the usage", () => {
    const none = testFile([]);
    expect(none.status).to.equal(2);
    expect(none.output).to.contain("usage: npm run test:file -- <test file> [more files] [mocha options]");
    const wrong = testFile(["tests/unit/no-such.test.ts"]);
    expect(wrong.status).to.equal(2);
    expect(wrong.output).to.contain("no such test file: tests/unit/no-such.test.ts");
  });

  it("has no per-test time limit, and ends a hung run at the whole-run limit naming the test", () => {
    const run = testFile([FIXTURE], { MOCHA_RUN_LIMIT_SECONDS: "3" });
    expect(run.status).to.equal(1);
    expect(run.output).to.contain(
      "The test run passed its limit of 3 s (MOCHA_RUN_LIMIT_SECONDS) while running: run limit fixture hangs",
    );
    expect(run.output, "no mocha per-test timeout fired first").to.not.match(/Timeout of \d+ms exceeded/);
  });

  it("refuses a run limit that is not a positive number of seconds, naming the variable", () => {
    const run = testFile([FIXTURE, "--grep", "passes"], { MOCHA_RUN_LIMIT_SECONDS: "soon" });
    expect(run.status).to.not.equal(0);
    expect(run.output).to.contain("MOCHA_RUN_LIMIT_SECONDS must be a positive number of seconds, not soon");
  });
});
