/** Key separation on the real plans: administrators from config, users only through services, every log group on its own key. */
import { expect } from "chai";
import { loadStackConfig } from "../../offline/stacks";
import { byId, ofType, runStack } from "../support/stacks";

type Statement = {
  Sid: string;
  Principal: Record<string, unknown>;
  Action: string[];
  Condition?: Record<string, Record<string, unknown>>;
};

for (const stack of ["dev", "prod"] as const) {
  describe(`customer-managed keys (${stack})`, () => {
    it("are administered by the configured roles only, used only through their services, and grant kms:* to nobody", async () => {
      const run = await runStack(stack);
      if (run.error) throw run.error;
      const admins = (JSON.parse(loadStackConfig(stack).config["multicloud:aws"]) as { keyAdministratorArns: string[] })
        .keyAdministratorArns;
      const viaServices: Record<string, string[]> = {};
      for (const key of ofType(run, "aws:kms/key:Key")) {
        const statements = (JSON.parse(String(key.inputs.policy)) as { Statement: Statement[] }).Statement;
        expect(statements[0], key.name).to.deep.include({ Sid: "KeyAdministration", Principal: { AWS: admins } });
        for (const s of statements) expect(s.Action, `${key.name} ${s.Sid}`).to.not.include("kms:*");
        const use = statements.find((s) => s.Sid === "KeyUseThroughServices");
        viaServices[key.name] = ((use?.Condition?.StringEquals["kms:ViaService"] ?? []) as string[]).map(
          (v) => v.split(".")[0],
        );
      }
      expect(viaServices).to.deep.equal({
        "alarms-key": ["sns"],
        "cost-intelligence-data-key": ["s3"],
        "cost-intelligence-job-logs": [],
        "cost-intelligence-topic-key": ["sns"],
        "aws-network-flow-logs": [],
        "database-access-key": ["secretsmanager"],
        "eks-control-plane": [],
        "eks-logs-application": [],
        "eks-logs-dataplane": [],
        "eks-logs-host": [],
        "eks-logs-performance": [],
        "eks-secrets": [],
        "features-handler-logs": [],
        "features-key": ["kinesis", "dynamodb", "sqs"],
        "grafana-provision-logs": [],
        "inference-access": [],
        "inference-handler-logs": [],
        "interconnect-ipsec-tunnel-logs": [],
        ...(stack === "prod" ? { "lakehouse-migrations-handler-logs": [], "orders-batch-lakehouse-logs": [] } : {}),
        "link-probe-function-logs": [],
        "migrations-handler-logs": [],
        "orders-batch-copy-logs": [],
        "orders-batch-export-logs": [],
        "orders-batch-exports-key": ["s3"],
        "orders-batch-load-logs": [],
        "orders-batch-workflow-logs": [],
        "orders-image-repository": ["ecr"],
        "orders-kafka-broker-logs": [],
        "orders-kafka-data": ["kafka"],
        "service-metrics-key": ["aps"],
        "service-secret-rotation-handler-logs": [],
      });
    });

    it("encrypts every log group with a key CloudWatch Logs may use for that log group only", async () => {
      const run = await runStack(stack);
      const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup");
      expect(groups).to.have.length(stack === "prod" ? 22 : 20);
      for (const group of groups) {
        const key = ofType(run, "aws:kms/key:Key").find((k) => k.state.arn === group.inputs.kmsKeyId);
        if (!key) throw new Error(`${group.name} is not encrypted with a key of this stack`);
        const statements = (JSON.parse(String(key.inputs.policy)) as { Statement: Statement[] }).Statement;
        const logs = statements.filter((s) => String(s.Principal.Service ?? "").startsWith("logs."));
        expect(
          logs.map((s) => s.Condition),
          group.name,
        ).to.deep.equal([{ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": group.state.arn } }]);
        // One key per log group.
        expect(
          groups.filter((g) => g.inputs.kmsKeyId === group.inputs.kmsKeyId),
          group.name,
        ).to.have.length(1);
        expect(byId(run, key.id).type).to.equal("aws:kms/key:Key");
      }
    });
  });
}
