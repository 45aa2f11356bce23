import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { makePlan } from "../../offline/plan";
import { diffPlans, isFailure, PlanDocument } from "../../offline/planDiff";
import { REPO_ROOT } from "../../offline/stacks";

const tempDir = () => mkdtempSync(path.join(tmpdir(), "plan-diff-test-"));

function runDiffCli(before: string, after: string) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "offline/planDiff.ts", "--before", before, "--after", after, "--stack", "dev"], { cwd: REPO_ROOT, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The dev plan with one resource renamed (its URN and every reference to it), optionally aliased to the old URN. */
function renamed(plan: PlanDocument, name: string, newName: string, alias: boolean): PlanDocument {
  const old = plan.resources.find((r) => r.name === name);
  if (!old) throw new Error(`no ${name} in the plan`);
  const newUrn = old.urn.replace(new RegExp(`::${name}$`), `::${newName}`);
  const text = JSON.stringify(plan).split(`"${old.urn}"`).join(`"${newUrn}"`);
  const next = JSON.parse(text) as PlanDocument;
  return {
    ...next,
    resources: next.resources.map((r) => (r.urn === newUrn ? { ...r, name: newName, aliases: alias ? [old.urn] : [] } : r)),
  };
}

describe("npm run plan:diff", () => {
  let beforeDir: string;
  let plan: PlanDocument;

  before(async () => {
    beforeDir = tempDir();
    const result = await makePlan({ stack: "dev", outDir: beforeDir });
    expect(result.exitCode, result.text).to.equal(0);
    plan = JSON.parse(readFileSync(path.join(beforeDir, "dev.json"), "utf8")) as PlanDocument;
  });

  it("finds no difference between a plan and itself, and exits 0", () => {
    expect(diffPlans(plan, plan)).to.deep.equal([]);
    const run = runDiffCli(beforeDir, beforeDir);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.contain("dev: no difference");
  });

  it("fails on a planted rename without an alias: the old resource is removed, the new one added (a replacement)", () => {
    const after = tempDir();
    writeFileSync(path.join(after, "dev.json"), JSON.stringify(renamed(plan, "aws-network-vpc", "aws-network-main-vpc", false)));
    const differences = diffPlans(plan, JSON.parse(readFileSync(path.join(after, "dev.json"), "utf8")) as PlanDocument);
    expect(differences.filter((d) => d.kind === "removed").map((d) => d.urn)).to.deep.equal([plan.resources.find((r) => r.name === "aws-network-vpc")?.urn]);
    expect(differences.filter((d) => d.kind === "added").map((d) => d.urn.split("::").pop())).to.deep.equal(["aws-network-main-vpc"]);
    // Every resource that depended on the VPC shows the changed dependency too.
    expect(differences.filter((d) => d.kind === "changed" && d.details.some((x) => x.startsWith("dependencies"))).length).to.be.greaterThan(5);
    const run = runDiffCli(beforeDir, after);
    expect(run.status).to.equal(1);
    expect(run.stdout).to.match(/removed +urn:pulumi:dev::multicloud::multicloud:network:AwsNetwork\$aws:ec2\/vpc:Vpc::aws-network-vpc/);
    expect(run.stdout).to.contain("add an alias if it was renamed or re-parented");
  });

  it("passes the same rename with an alias: shown as moved, nothing else changes", () => {
    const after = tempDir();
    writeFileSync(path.join(after, "dev.json"), JSON.stringify(renamed(plan, "aws-network-vpc", "aws-network-main-vpc", true)));
    const differences = diffPlans(plan, JSON.parse(readFileSync(path.join(after, "dev.json"), "utf8")) as PlanDocument);
    // The name itself is the one difference of the moved resource.
    expect(differences.map((d) => d.kind)).to.deep.equal(["moved"]);
    expect(differences[0].details.filter((x) => !x.startsWith("now ") && !x.startsWith("name:"))).to.deep.equal([]);
    expect(differences.filter(isFailure)).to.deep.equal([]);
    const run = runDiffCli(beforeDir, after);
    expect(run.status, run.stdout).to.equal(0);
    expect(run.stdout).to.contain("dev: 0 difference(s), 1 aliased move(s)");
    expect(run.stdout).to.contain("now urn:pulumi:dev::multicloud::multicloud:network:AwsNetwork$aws:ec2/vpc:Vpc::aws-network-main-vpc (aliased");
  });

  it("reports a changed input with its path and both values", () => {
    const changed = JSON.parse(JSON.stringify(plan)) as { resources: Array<{ name: string; inputs: Record<string, unknown> }> };
    const vpc = changed.resources.find((r) => r.name === "aws-network-vpc");
    if (!vpc) throw new Error("no VPC");
    vpc.inputs.cidrBlock = "10.11.0.0/16";
    const differences = diffPlans(plan, changed as unknown as PlanDocument);
    expect(differences.map((d) => d.details)).to.deep.include(['inputs.cidrBlock: "10.10.0.0/16" → "10.11.0.0/16"']);
  });

  it("marks each change: update in place, replace naming the forcing input, replace: unknown for a type without a row", () => {
    const changed = JSON.parse(JSON.stringify(plan)) as { resources: Array<{ name: string; type: string; inputs: Record<string, unknown> }> };
    const vpc = changed.resources.find((r) => r.name === "aws-network-vpc");
    const logs = changed.resources.find((r) => r.name === "migrations-handler-logs");
    if (!vpc || !logs) throw new Error("no VPC or log group");
    vpc.inputs.cidrBlock = "10.11.0.0/16";
    logs.inputs.retentionInDays = 90;
    const actions = (doc: unknown) =>
      Object.fromEntries(diffPlans(plan, doc as PlanDocument).map((d) => [d.urn.split("::").pop(), d.action]));
    expect(actions(changed)).to.deep.include({ "aws-network-vpc": "replace: cidrBlock", "migrations-handler-logs": "update" });
    logs.inputs.name = "/aws/lambda/renamed";
    expect(actions(changed)["migrations-handler-logs"]).to.equal("replace: name");
    // A type the table does not know: nothing says the change is safe.
    logs.type = "aws:cloudwatch/logGroup:SomethingNew";
    expect(actions(changed)["migrations-handler-logs"]).to.equal("replace: unknown");
  });

  it("in prod, a replacement of a kept (protected) resource is refused, and plan:diff exits 3", async () => {
    const prodDir = tempDir();
    const result = await makePlan({ stack: "prod", outDir: prodDir });
    expect(result.exitCode, result.text).to.equal(0);
    const prod = JSON.parse(readFileSync(path.join(prodDir, "prod.json"), "utf8")) as PlanDocument;
    const changed = JSON.parse(JSON.stringify(prod)) as { resources: Array<{ name: string; protect: boolean; inputs: Record<string, unknown> }> };
    const logs = changed.resources.find((r) => r.name === "migrations-handler-logs");
    if (!logs) throw new Error("no log group");
    expect(logs.protect).to.equal(true);
    logs.inputs.name = "/aws/lambda/renamed";
    const after = tempDir();
    writeFileSync(path.join(after, "prod.json"), JSON.stringify(changed));
    const [difference] = diffPlans(prod, changed as unknown as PlanDocument);
    expect(difference).to.deep.include({ action: "replace: name", refused: true });
    const run = spawnSync(process.execPath, ["--import", "tsx", "offline/planDiff.ts", "--before", prodDir, "--after", after, "--stack", "prod"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    expect(run.status, run.stdout).to.equal(3);
    expect(run.stdout).to.contain("[REFUSED replace: name]");
    expect(run.stdout).to.contain("refused: protected (KEPT_IN_PRODUCTION)");
    // An update of the same resource is not refused.
    logs.inputs.name = (prod.resources.find((r) => r.name === "migrations-handler-logs")?.inputs as Record<string, unknown>).name;
    logs.inputs.retentionInDays = 731;
    expect(diffPlans(prod, changed as unknown as PlanDocument)[0]).to.deep.include({ action: "update" });
  });
});
