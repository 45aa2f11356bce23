/**
 * The layer rule (`npm run lint` → dependency-cruiser with .dependency-cruiser.cjs) against the
 * repository and against a planted tree with forbidden imports, so the rule is shown to bite.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../../offline/stacks";

const DEPCRUISE = path.join(REPO_ROOT, "node_modules", ".bin", "depcruise");
const CONFIG = path.join(REPO_ROOT, ".dependency-cruiser.cjs");

function cruise(cwd: string, paths: string[]) {
  const result = spawnSync(DEPCRUISE, ["--config", CONFIG, "--output-type", "err", ...paths], {
    cwd,
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A tree shaped like the repository's, with the files given (path → source). */
function plantedTree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "layers-"));
  writeFileSync(
    path.join(root, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "commonjs", moduleResolution: "node", strict: true } }),
  );
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), source);
  }
  return root;
}

describe("layer rule (dependency-cruiser)", () => {
  it("holds for the repository", () => {
    const run = cruise(REPO_ROOT, ["index.ts", "components", "functions", "program", "offline", "policy", "tests"]);
    expect(run.status, run.output).to.equal(0);
  });

  it("fails a function that imports a component, a component that reaches past a contract, and config that imports a component", () => {
    const root = plantedTree({
      "components/shared/tags.ts": "export const TAG = 'x';\n",
      "components/network/net.ts": "export const NET = 1;\n",
      "components/config/aws.ts": "import { NET } from '../network/net';\nexport const A = NET;\n",
      "components/database/db.ts":
        "import { run } from '../../functions/aws/migrate/runner';\nimport { ENV } from '../../functions/aws/migrate/contract';\nexport const D = [run, ENV];\n",
      "functions/aws/migrate/contract.ts": "export const ENV = 'ADMIN_SECRET_ARN';\n",
      "functions/aws/migrate/runner.ts":
        "import { TAG } from '../../../components/shared/tags';\nexport const run = TAG;\n",
      "functions/aws/migrate/handler.ts":
        "import { ENV } from './contract';\nimport { run } from './runner';\nexport const handler = [ENV, run];\n",
    });
    const run = cruise(root, ["components", "functions"]);
    expect(run.status).to.not.equal(0);
    expect(run.output).to.match(
      /functions-stay-out-of-infrastructure[\s\S]*functions\/aws\/migrate\/runner\.ts → components\/shared\/tags\.ts/,
    );
    expect(run.output).to.match(
      /infrastructure-uses-only-function-contracts[\s\S]*components\/database\/db\.ts → functions\/aws\/migrate\/runner\.ts/,
    );
    expect(run.output).to.match(
      /config-imports-only-shared-primitives[\s\S]*components\/config\/aws\.ts → components\/network\/net\.ts/,
    );
    // The allowed imports are not reported: the contract from a component, the function's own modules.
    expect(run.output).to.not.contain("db.ts → functions/aws/migrate/contract.ts");
    expect(run.output).to.not.contain("handler.ts → functions/aws/migrate/runner.ts");
  });
});
