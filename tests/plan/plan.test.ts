import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { environmentOf, loadStackConfig, REPO_ROOT, stackNames } from "../../offline/stacks";
import { runStack, withConfigChange } from "../support/stacks";
import { makePlan, unknownOutputPaths } from "../../offline/plan";
import { RunResult, runProgram } from "../../offline/engine";

const tempDir = () => mkdtempSync(path.join(tmpdir(), "plan-"));

/**
 * `npm run plan -- <args>` in a child process, without blocking this one: a test awaits it beside
 * in-process work, so the two use both cores.
 */
async function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "offline/planCli.ts", ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let [stdout, stderr] = ["", ""];
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [status] = (await once(child, "close")) as [number | null];
  return { status, stdout, stderr };
}

interface PlanJson {
  resources: Array<{ type: string; name: string; parent: string | null; dependencies: string[]; inputs: Record<string, unknown> }>;
  policies: { mandatoryViolations: number };
  unknownUntilUp: string[];
}

for (const stack of ["dev", "prod"] as const) {
  describe(`npm run plan -- --stack ${stack}`, () => {
    // One CLI run per stack; its files must equal an in-process plan's byte for byte (deterministic across processes).
    // How long a plan takes is a figure of `npm run bench:timings`, not a test.
    it("writes the plan files, byte-identical to an in-process plan, and summarises the stack", async () => {
      const [cli, inProcess] = [tempDir(), tempDir()];
      const [run, inProcessPlan] = await Promise.all([runCli(["--stack", stack, "--out", cli]), makePlan({ stack, outDir: inProcess })]);
      expect(run.status, run.stderr).to.equal(0);
      expect(inProcessPlan.exitCode).to.equal(0);
      for (const file of [`${stack}.json`, `${stack}.md`]) {
        expect(readFileSync(path.join(cli, file)).equals(readFileSync(path.join(inProcess, file))), file).to.equal(true);
      }
      expect(run.stdout).to.contain(`Offline plan for multicloud/${stack}`);
      // The database, its NSG, the secrets, the migration function and its invocation; not public.
      for (const line of [
        "database (multicloud:database:AutonomousDatabase, oci)",
        `${stack === "prod" ? 2 : 1} × oci:Database/autonomousDatabase:AutonomousDatabase`,
        "1 × oci:Core/networkSecurityGroup:NetworkSecurityGroup",
        `${stack === "prod" ? 6 : 4} × aws:secretsmanager/secret:Secret`,
        "migrations (multicloud:database:SchemaMigrations, aws)",
        "1 × aws:lambda/invocation:Invocation",
        "pass  oci-adb-not-public [mandatory, oci]",
      ]) {
        expect(run.stdout, line).to.contain(line);
      }
      const markdown = readFileSync(path.join(cli, `${stack}.md`), "utf8");
      expect(markdown).to.contain("```mermaid");
      expect(markdown).to.match(/subgraph aws\["AWS · eu-west-1 · 10\.1?00?\.0\.0\/16"\]/);
      expect(markdown).to.match(/subgraph oci\["OCI · eu-frankfurt-1 · 10\.2?00?\.0\.0\/16"\]/);
      // Cross-cloud paths name the other cloud's range or the blocks inside it that a rule or policy names.
      expect(markdown).to.match(/c_oci_network -\. "RouteTable → 10\.\d+\.0\.0\/16; SecurityList → (10\.\d+\.\d+\.0\/(19|20), )+10\.\d+\.0\.0\/16" \.-> c_aws_network/);
      expect(markdown).to.match(/c_orders -\. "NetworkPolicy → 10\.2?00?\.\d+\.0\/24" \.-> c_oci_network/);
      expect(markdown).to.match(/c_migrations -\. "SecurityGroupEgressRule → 10\.2?00?\.\d+\.0\/24" \.-> c_oci_network/);
      expect(markdown).to.contain("## Outputs unknown until `pulumi up`\n\nA preview shows these as unknown");
      expect(markdown).to.contain("- `database.dsn`");
      const plan = JSON.parse(readFileSync(path.join(cli, `${stack}.json`), "utf8")) as PlanJson;
      const routeTable = plan.resources.find((r) => r.name === "oci-network-database-rt");
      expect(routeTable?.parent).to.match(/multicloud:network:OciNetwork::oci-network$/);
      expect(routeTable?.dependencies.some((d) => d.endsWith("::oci-network-drg-vcn"))).to.equal(true);
      expect(plan.policies.mandatoryViolations).to.equal(0);
      // What the clouds compute is unknown in a preview; what config decides is known.
      expect(plan.unknownUntilUp).to.include.members(["aws.vpcId", "aws.privateSubnetIds[0]", "database.dsn", "database.appSecretArn", "interconnect.ociPrefixListId"]);
      expect(plan.unknownUntilUp.filter((p) => /^(aws\.(vpcCidr|region|availabilityZones)|environment|interconnect\.(awsCidr|ociCidr|oracleAsn))/.test(p))).to.deep.equal([]);
      expect(plan.unknownUntilUp.some((p) => /^interconnect\.tunnels\[\d\]\.insideCidr$/.test(p)), "tunnel inside addresses come from config").to.equal(false);
    });
  });
}

describe("preview: the program with every computed value unknown, as `pulumi preview` runs it", () => {
  for (const stack of ["dev", "prod"] as const) {
    it(`${stack}: registers the same resources as up, with unknown ids and no computed outputs`, async () => {
      const { config, secretKeys } = loadStackConfig(stack);
      // The up run is the one the other tests of this process share.
      const [up, preview] = [await runStack(stack), await runProgram({ stack, config, secretKeys, preview: true })];
      expect(preview.error, preview.error?.message).to.equal(undefined);
      const names = (run: RunResult) => run.resources.map((r) => `${r.type}::${r.name}`).sort();
      expect(names(preview)).to.deep.equal(names(up));
      const vpc = preview.resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
      expect(vpc?.id).to.equal(undefined);
      expect(vpc?.state.arn).to.equal(undefined);
      expect(vpc?.state.cidrBlock, "inputs are known").to.equal(config["multicloud:aws"] ? JSON.parse(config["multicloud:aws"]).vpcCidr : undefined);
      expect(unknownOutputPaths(preview.rawOutputs)).to.include("aws.vpcId");
      expect(unknownOutputPaths(up.rawOutputs), "after up nothing is unknown").to.deep.equal([]);
    });
  }

  it("unknownOutputPaths walks objects, arrays and secrets", () => {
    expect(unknownOutputPaths({ a: 1, b: [2, pulumi.unknown], c: { d: pulumi.unknown } })).to.deep.equal(["b[1]", "c.d"]);
    expect(unknownOutputPaths(pulumi.unknown)).to.deep.equal([""]);
  });
});

describe("any stack: every Pulumi.<name>.yaml at the root", () => {
  it("plans a new staging stack file (environment: staging) with dev's rules, and lists it among the stacks", async () => {
    // A copy of the root's stack files plus Pulumi.staging.yaml, so that tests running beside this
    // one (mocha's parallel mode) never see a stack that is not in the repository.
    const root = tempDir();
    for (const stack of stackNames()) copyFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), path.join(root, `Pulumi.${stack}.yaml`));
    copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    const dev = readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
    writeFileSync(path.join(root, "Pulumi.staging.yaml"), dev.replace("multicloud:environment: dev", "multicloud:environment: staging"));
    expect(stackNames(root)).to.deep.equal(["dev", "org", "prod", "staging"]);
    expect(environmentOf("staging", root)).to.equal("staging");
    const out = tempDir();
    const result = await makePlan({ stack: "staging", outDir: out, stackConfig: loadStackConfig("staging", root) });
    expect(result.exitCode, result.text).to.equal(0);
    expect(result.text).to.contain("Offline plan for multicloud/staging");
    const plan = JSON.parse(readFileSync(path.join(out, "staging.json"), "utf8")) as { outputs: { environment: string }; policies: { evaluated: Array<{ name: string; level: string }> } };
    expect(plan.outputs.environment).to.equal("staging");
    // Not production: the prod-only policy stays off, as in dev.
    expect(plan.policies.evaluated.find((p) => p.name === "prod-state-protected")?.level).to.equal("disabled");
  });

  it("lists the stacks as JSON (npm run stacks)", () => {
    const listed = spawnSync(process.execPath, ["--import", "tsx", "offline/stacks.ts"], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(JSON.parse(listed.stdout)).to.deep.equal(stackNames());
  });

  it("keys production on the environment: a stack named live with environment prod gets prod's levels and protection", async () => {
    const { config, secretKeys } = loadStackConfig("prod");
    const out = tempDir();
    const result = await makePlan({ stack: "live", outDir: out, stackConfig: { config, secretKeys } });
    expect(result.exitCode, result.text).to.equal(0);
    const plan = JSON.parse(readFileSync(path.join(out, "live.json"), "utf8")) as {
      resources: Array<{ type: string; protect: boolean }>;
      policies: { evaluated: Array<{ name: string; level: string }> };
    };
    expect(plan.policies.evaluated.find((p) => p.name === "prod-state-protected")?.level).to.equal("mandatory");
    expect(plan.policies.evaluated.find((p) => p.name === "aws-dynamodb-pitr")?.level).to.equal("mandatory");
    expect(plan.resources.filter((r) => r.type === "oci:Database/autonomousDatabase:AutonomousDatabase").map((r) => r.protect)).to.deep.equal([true, true]);
  });

  it("resolves the environment stacks' StackReference from the org stack's own offline run", async () => {
    const out = tempDir();
    // Independent processes (dev runs the org program itself for its StackReference): side by side.
    const [run, dev] = await Promise.all([runCli(["--stack", "org", "--out", out]), runCli(["--stack", "dev", "--out", out])]);
    expect(run.status, run.stderr).to.equal(0);
    const org = JSON.parse(readFileSync(path.join(out, "org.json"), "utf8")) as { outputs: { ociCostTags: { namespaceName: string; namespaceId: string } } };
    expect(org.outputs.ociCostTags.namespaceName).to.equal("multicloud");
    expect(dev.status, dev.stderr).to.equal(0);
    const plan = JSON.parse(readFileSync(path.join(out, "dev.json"), "utf8")) as { resources: Array<{ type: string; inputs: { name?: string } }>; outputs: { org: unknown } };
    expect(plan.resources.filter((r) => r.type === "pulumi:pulumi:StackReference").map((r) => r.inputs.name)).to.deep.equal(["organization/multicloud/org"]);
    expect(plan.outputs.org).to.deep.equal({ stack: "organization/multicloud/org", ociCostTagNamespace: "multicloud" });
  });
});

describe("plan failures", () => {
  it("exits 1 on an unknown stack, naming the known ones", async () => {
    const run = await runCli(["--stack", "qa"]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.contain("usage: npm run plan -- --stack <dev|org|prod>");
  });

  it("exits 1 on a config error, with the message naming the key, and writes nothing", async () => {
    const { config, secretKeys } = loadStackConfig("dev");
    const out = tempDir();
    const result = await makePlan({ stack: "dev", outDir: out, stackConfig: { config: withConfigChange(config, "multicloud:aws", ["vpcCidr"], "10.20.0.0/16"), secretKeys } });
    expect(result.exitCode).to.equal(1);
    expect(result.text).to.contain("multicloud:oci.vcnCidr: 10.20.0.0/16 overlaps multicloud:aws.vpcCidr");
    expect(result.files).to.deep.equal([]);
  });

  it("exits 2 on a mandatory policy violation and reports it with its remediation", async () => {
    const result = await makePlan({
      stack: "dev",
      outDir: tempDir(),
      stackConfig: { config: {}, secretKeys: [] },
      program: async () => {
        const provider = new oci.Provider("oci", { region: "eu-frankfurt-1" });
        new oci.core.SecurityList(
          "ssh-open",
          {
            compartmentId: "ocid1.compartment.oc1..aaaaaaaafixturefixturefixturefixture",
            vcnId: "ocid1.vcn.oc1.fra.x",
            freeformTags: { cost_center: "CC-1", environment: "dev" },
            definedTags: { "multicloud.cost_center": "CC-1", "multicloud.environment": "dev" },
            ingressSecurityRules: [{ protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 22, max: 22 } }],
          },
          { provider },
        );
      },
    });
    expect(result.exitCode).to.equal(2);
    expect(result.text).to.contain("FAIL  oci-no-internet-ingress-admin-db-ports [mandatory, oci]: 1 violation(s)");
    expect(result.text).to.contain("oci:Core/securityList:SecurityList ssh-open: ingress from 0.0.0.0/0 opens port(s) 22 → Admit the AWS VPC range");
    expect(result.text).to.contain("1 mandatory policy violation(s): the plan fails.");
  });

  it("redacts secrets in inputs and outputs of the plan files", async () => {
    const out = tempDir();
    const result = await makePlan({
      stack: "dev",
      outDir: out,
      stackConfig: { config: {}, secretKeys: [] },
      program: async () => {
        const provider = new oci.Provider("oci", { region: "eu-frankfurt-1" });
        new oci.core.Vcn(
          "with-secret",
          { compartmentId: "ocid1.compartment.oc1..aaaaaaaafixturefixturefixturefixture", cidrBlocks: ["10.0.0.0/16"], displayName: pulumi.secret("hunter2-name"), freeformTags: { cost_center: "CC-1", environment: "dev" }, definedTags: { "multicloud.cost_center": "CC-1", "multicloud.environment": "dev" } },
          { provider },
        );
        return { password: pulumi.secret("hunter2-output") };
      },
    });
    expect(result.exitCode, result.text).to.equal(0);
    const files = [result.text, ...result.files.map((f) => readFileSync(f, "utf8"))].join("\n");
    expect(files).to.not.contain("hunter2");
    expect(readFileSync(path.join(out, "dev.json"), "utf8")).to.contain('"displayName": "[secret]"');
    expect(readFileSync(path.join(out, "dev.json"), "utf8")).to.contain('"password": "[secret]"');
  });
});
