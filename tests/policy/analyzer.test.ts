/**
 * Drives the real pack entry (policy/index.ts) through the analyzer gRPC protocol, as the Pulumi
 * CLI does for `pulumi preview --policy-pack policy`: proves the pack loads, lists its policies,
 * reports violations, and honours the per-stack pack config.
 */
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { expect } from "chai";
import { ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { policies } from "../../policy/policies";
import { REPO_ROOT } from "../../offline/stacks";

const LEVEL = ["advisory", "mandatory", "disabled", "remediate"];

function call<Req, Res>(
  method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => method(req, (err, res) => (err ? reject(err) : resolve(res))));
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>): pb.AnalyzeRequest {
  const req = new pb.AnalyzeRequest();
  req.setType(type);
  req.setName(name);
  req.setUrn(`urn:pulumi:dev::multicloud::${type}::${name}`);
  req.setProperties(Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]));
  const options = new pb.AnalyzerResourceOptions();
  options.setProtect(false);
  req.setOptions(options);
  return req;
}

describe("policy pack through the analyzer protocol (as the CLI runs it)", function () {
  let pack: ChildProcess;
  let client: AnalyzerClient;

  before(async () => {
    pack = spawn(
      process.execPath,
      [path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."],
      {
        cwd: path.join(REPO_ROOT, "policy"),
        env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    pack.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      pack.stdout?.on("data", (chunk: Buffer) => {
        const line = chunk.toString().trim().split("\n")[0];
        if (/^\d+$/.test(line)) resolve(line);
      });
      pack.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
    });
    client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    pack?.kill();
  });

  // How long the pack takes to start is a figure of `npm run bench:timings`, not a test.
  it("starts and describes every policy with its default level and remediation", async () => {
    const info = await call<Empty, pb.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
    expect(info.getName()).to.equal("multicloud");
    const listed = info
      .getPoliciesList()
      .map((p) => [p.getName(), LEVEL[p.getEnforcementlevel()], p.getRemediationSteps()]);
    expect(listed).to.deep.equal(policies.map((p) => [p.name, p.enforcementLevel, p.remediation]));
  });

  it("reports a violating resource with the policy, message and level", async () => {
    const res = await call<pb.AnalyzeRequest, pb.AnalyzeResponse>(
      client.analyze.bind(client),
      analyzeRequest("oci:Core/securityList:SecurityList", "ssh-open", {
        compartmentId: "ocid1.compartment.oc1..x",
        vcnId: "ocid1.vcn.oc1.fra.x",
        freeformTags: { cost_center: "CC-1", environment: "dev" },
        definedTags: { "multicloud.cost_center": "CC-1", "multicloud.environment": "dev" },
        ingressSecurityRules: [{ protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 22, max: 22 } }],
      }),
    );
    expect(
      res.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getMessage(), LEVEL[d.getEnforcementlevel()]]),
    ).to.deep.equal([
      [
        "oci-no-internet-ingress-admin-db-ports",
        "OCI security lists and NSG rules admit nothing from 0.0.0.0/0 or ::/0 on 22, 1521, 1522, 3389 (SSH, Oracle listeners, RDP).\ningress from 0.0.0.0/0 opens port(s) 22",
        "mandatory",
      ],
    ]);
  });

  it("reports nothing for a compliant resource", async () => {
    const res = await call<pb.AnalyzeRequest, pb.AnalyzeResponse>(
      client.analyze.bind(client),
      analyzeRequest("oci:Core/securityList:SecurityList", "aws-only", {
        compartmentId: "ocid1.compartment.oc1..x",
        vcnId: "ocid1.vcn.oc1.fra.x",
        freeformTags: { cost_center: "CC-1", environment: "dev" },
        definedTags: { "multicloud.cost_center": "CC-1", "multicloud.environment": "dev" },
        ingressSecurityRules: [{ protocol: "6", source: "10.10.0.0/16", tcpOptions: { min: 1522, max: 1522 } }],
      }),
    );
    expect(res.getDiagnosticsList()).to.have.length(0);
  });

  it("applies policy/config/prod.json: point-in-time recovery goes from advisory to mandatory", async () => {
    const table = analyzeRequest("aws:dynamodb/table:Table", "no-pitr", {
      tagsAll: { cost_center: "CC-1", environment: "prod" },
      serverSideEncryption: { enabled: true, kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/k" },
    });
    const pitrLevel = (res: pb.AnalyzeResponse) =>
      res
        .getDiagnosticsList()
        .filter((d) => d.getPolicyname() === "aws-dynamodb-pitr")
        .map((d) => LEVEL[d.getEnforcementlevel()]);
    expect(pitrLevel(await call(client.analyze.bind(client), table))).to.deep.equal(["advisory"]);

    const prod = JSON.parse(readFileSync(path.join(REPO_ROOT, "policy/config/prod.json"), "utf8")) as Record<
      string,
      { enforcementLevel: string }
    >;
    const configure = new pb.ConfigureAnalyzerRequest();
    for (const [name, { enforcementLevel }] of Object.entries(prod)) {
      const policyConfig = new pb.PolicyConfig();
      policyConfig.setEnforcementlevel(LEVEL.indexOf(enforcementLevel) as pb.EnforcementLevel);
      // The CLI always sends the policy's properties; none of ours take any.
      policyConfig.setProperties(Struct.fromJavaScript({}));
      configure.getPolicyconfigMap().set(name, policyConfig);
    }
    await call(client.configure.bind(client), configure);
    expect(pitrLevel(await call(client.analyze.bind(client), table))).to.deep.equal(["mandatory"]);
  });

  it("evaluates the declared calls its config carries (as policy:generate writes them): a missing key grant fails, an unknown ARN is undecidable", async () => {
    const account = "111122223333";
    const urn = (type: string, name: string) => `urn:pulumi:dev::multicloud::${type}::${name}`;
    const ROLE = urn("aws:iam/role:Role", "publisher");
    const TOPIC = urn("aws:sns/topic:Topic", "alerts");
    const KEY = urn("aws:kms/key:Key", "alerts-key");
    const resource = (
      type: string,
      name: string,
      props: Record<string, unknown>,
      dependencies: Record<string, string[]> = {},
    ) => {
      const r = new pb.AnalyzerResource();
      r.setType(type);
      r.setName(name);
      r.setUrn(urn(type, name));
      r.setProperties(Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]));
      const options = new pb.AnalyzerResourceOptions();
      options.setProtect(false);
      r.setOptions(options);
      for (const [property, urns] of Object.entries(dependencies)) {
        const deps = new pb.AnalyzerPropertyDependencies();
        deps.setUrnsList(urns);
        r.getPropertydependenciesMap().set(property, deps);
      }
      return r;
    };
    const keyArn = `arn:aws:kms:eu-west-1:${account}:key/k1`;
    const stack = (topicArn: string) => {
      const request = new pb.AnalyzeStackRequest();
      request.setResourcesList([
        resource("aws:iam/role:Role", "publisher", {
          arn: `arn:aws:iam::${account}:role/publisher`,
          name: "publisher",
        }),
        resource(
          "aws:iam/rolePolicy:RolePolicy",
          "publisher",
          {
            role: "publisher",
            policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sns:Publish", Resource: "*" }] }),
          },
          { role: [ROLE] },
        ),
        resource("aws:kms/key:Key", "alerts-key", {
          arn: keyArn,
          policy: JSON.stringify({
            Statement: [
              {
                Sid: "ThroughSns",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${account}:root` },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": "sns.eu-west-1.amazonaws.com" } },
              },
            ],
          }),
        }),
        resource("aws:sns/topic:Topic", "alerts", { arn: topicArn, kmsMasterKeyId: keyArn }, { kmsMasterKeyId: [KEY] }),
      ]);
      return request;
    };
    const configure = new pb.ConfigureAnalyzerRequest();
    for (const name of ["aws-runtime-calls-permitted", "runtime-calls-decidable"]) {
      const policyConfig = new pb.PolicyConfig();
      policyConfig.setEnforcementlevel(
        LEVEL.indexOf(name === "runtime-calls-decidable" ? "advisory" : "mandatory") as pb.EnforcementLevel,
      );
      policyConfig.setProperties(
        Struct.fromJavaScript({
          calls: [{ by: "publisher", caller: { role: ROLE }, action: "sns:Publish", target: TOPIC }],
          exempt: [],
        }),
      );
      configure.getPolicyconfigMap().set(name, policyConfig);
    }
    await call(client.configure.bind(client), configure);
    const messages = async (topicArn: string) =>
      (await call<pb.AnalyzeStackRequest, pb.AnalyzeResponse>(client.analyzeStack.bind(client), stack(topicArn)))
        .getDiagnosticsList()
        .filter((d) => ["aws-runtime-calls-permitted", "runtime-calls-decidable"].includes(d.getPolicyname()))
        // The CLI's message is the policy's description, a newline, then the violation.
        .map((d) => `${d.getPolicyname()} ${LEVEL[d.getEnforcementlevel()]}: ${d.getMessage().split("\n").pop()}`);
    const known = await messages(`arn:aws:sns:eu-west-1:${account}:alerts`);
    const detail = (action: string) =>
      `aws-runtime-calls-permitted mandatory: publisher (role publisher) → ${action} (implied by sns:Publish on alerts; https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html): the key policy delegates ${action} to IAM (statement ThroughSns) but no identity statement allows ${action} on ${keyArn}`;
    expect(known).to.deep.equal([detail("kms:GenerateDataKey"), detail("kms:Decrypt")]);
    // A new topic in a real preview: its ARN is the engine's unknown sentinel, so nothing can be decided about it.
    const preview = await messages("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    expect(preview).to.deep.equal([
      "runtime-calls-decidable advisory: publisher (role publisher) → sns:Publish on alerts: the ARN of alerts is not known yet (string value at .arn can't be known during preview)",
    ]);
  });
});
