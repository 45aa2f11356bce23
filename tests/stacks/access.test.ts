/**
 * The declared runtime calls of the real stacks, evaluated as the plan and the pack evaluate them:
 * every call allowed, every role measured or exempt with a reason, nothing granted that no call
 * uses, and a preview (ARNs unknown) deciding nothing it cannot know.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { declareCalls } from "../../components/shared/access";
import { runProgram } from "../../offline/engine";
import { accessReportOf, stackView } from "../../offline/policyHarness";
import { loadStackConfig } from "../../offline/stacks";
import { evaluateAwsAccess } from "../../policy/accessAws";
import { runStack } from "../support/stacks";

for (const stack of ["dev", "prod"] as const) {
  describe(`access paths of the ${stack} stack`, () => {
    it("allows every declared AWS call and the KMS calls they imply, and grants every declared OCI call", async () => {
      const report = accessReportOf(await runStack(stack));
      expect(report.findings.length).to.be.greaterThan(150);
      expect(
        report.findings.filter((f) => f.verdict !== "allowed").map((f) => `${f.call.by} ${f.action}: ${f.detail}`),
      ).to.deep.equal([]);
      expect(report.findings.filter((f) => f.impliedBy).length).to.be.greaterThan(30);
      expect(report.oci.length).to.equal(27);
      expect(
        report.oci.filter((f) => f.verdict !== "allowed").map((f) => `${f.by} ${f.operation}: ${f.detail}`),
      ).to.deep.equal([]);
    });

    it("measures every role: each is a declared caller or exempt with its reason, and no granted action goes unused", async () => {
      const run = await runStack(stack);
      const report = accessReportOf(run);
      const callers = new Set(run.access.calls.flatMap((c) => ("role" in c.caller ? [c.caller.role] : [])));
      const exempt = new Set(run.access.exempt.map((e) => e.role));
      const roles = run.resources.filter((r) => r.type === "aws:iam/role:Role").map((r) => r.urn);
      expect(roles.filter((r) => !callers.has(r) && !exempt.has(r))).to.deep.equal([]);
      for (const e of report.exempt) expect(e.reason, e.role).to.have.length.greaterThan(40);
      expect(report.unmeasured).to.deep.equal([]);
      // The bar for prod is at most 5 unused actions with reasons; both stacks have none.
      expect(report.unused).to.deep.equal([]);
      expect(report.unusedOci).to.deep.equal([]);
    });

    it("decides nothing a preview cannot know: with every ARN unknown, each call is allowed or undecidable, none denied", async () => {
      const { config, secretKeys } = loadStackConfig(stack);
      const preview = await runProgram({ stack, config, secretKeys, preview: true });
      if (preview.error) throw preview.error;
      const report = accessReportOf(preview);
      const verdicts = [...report.findings, ...report.oci].map((f) => f.verdict);
      expect(verdicts.filter((v) => v === "denied")).to.deep.equal([]);
      expect(verdicts.filter((v) => v === "undecidable").length).to.be.greaterThan(100);
    });
  });
}

describe("access paths: the batch workflow's failure notice (the review's finding)", () => {
  it("is allowed through the alarm key, and denied, naming the missing statement, when the key grant is taken away", async () => {
    const run = await runStack("dev");
    const view = stackView(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"));
    const implied = evaluateAwsAccess([...view.values()], run.access).findings.filter(
      (f) => f.call.by === "orders-batch-workflow" && f.impliedBy === "sns:Publish",
    );
    expect(implied.map((f) => [f.action, f.verdict, f.detail])).to.deep.equal([
      [
        "kms:GenerateDataKey",
        "allowed",
        "key policy KeyUseThroughServices (delegated to IAM) + identity NotifyFailureKey",
      ],
      ["kms:Decrypt", "allowed", "key policy KeyUseThroughServices (delegated to IAM) + identity NotifyFailureKey"],
    ]);
    const policy = [...view.values()].find((r) => r.name === "orders-batch-workflow-policy");
    const document = JSON.parse(String(policy?.props.policy)) as { Statement: { Sid: string }[] };
    document.Statement = document.Statement.filter((s) => s.Sid !== "NotifyFailureKey");
    (policy as { props: Record<string, unknown> }).props = { ...policy?.props, policy: JSON.stringify(document) };
    const denied = evaluateAwsAccess([...view.values()], run.access).findings.filter((f) => f.verdict === "denied");
    expect(denied.map((f) => `${f.call.by} ${f.action}`)).to.deep.equal([
      "orders-batch-workflow kms:GenerateDataKey",
      "orders-batch-workflow kms:Decrypt",
    ]);
    expect(denied[0].detail).to.match(
      /^the key policy delegates kms:GenerateDataKey to IAM \(statement KeyUseThroughServices\) but no identity statement allows kms:GenerateDataKey on arn:aws:kms:/,
    );
  });

  it("a contract naming a target the component does not bind is refused when declared", () => {
    const role = {
      urn: pulumi.output("urn:pulumi:dev::multicloud::aws:iam/role:Role::r"),
    } as unknown as pulumi.Resource;
    expect(() => declareCalls("fn", { role }, [{ target: "bucket", actions: ["s3:GetObject"] }], {})).to.throw(
      'fn: the contract declares calls on "bucket" but the component binds no such target',
    );
  });
});
