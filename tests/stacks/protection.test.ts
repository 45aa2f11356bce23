/**
 * Production keeps its state: every resource of a kept type (components/shared/protection.ts) is
 * protected in prod, keys and log groups also retained; dev protects nothing, so it can be torn down.
 */
import { expect } from "chai";
import { KEPT_IN_PRODUCTION } from "../../components/shared/environments";
import { kept } from "../../components/shared/protection";
import { RunResult } from "../../offline/engine";
import { programResources, runStack } from "../support/stacks";

const isKept = (type: string): type is keyof typeof KEPT_IN_PRODUCTION => type in KEPT_IN_PRODUCTION;

/** `type: name [protect, retainOnDelete]` for every resource of a kept type. */
const keptResources = (run: RunResult) =>
  programResources(run)
    .filter((r) => isKept(r.type))
    .map((r) => `${r.type}: ${r.name} [${r.protect ? "protect" : "-"}${r.retainOnDelete ? ", retain" : ""}]`)
    .sort();

describe("production keeps its state", () => {
  it("protects every stateful and key resource of the prod plan, and retains keys and log groups", async () => {
    const run = await runStack("prod");
    if (run.error) throw run.error;
    expect(keptResources(run)).to.deep.equal([
      "aws:amp/workspace:Workspace: service-metrics-workspace [protect]",
      "aws:cloudwatch/logGroup:LogGroup: aws-network-flow-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: cost-intelligence-job-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: eks-control-plane [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: eks-logs-application [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: eks-logs-dataplane [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: eks-logs-host [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: eks-logs-performance [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: features-handler-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: grafana-provision-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: inference-access [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: inference-handler-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: interconnect-ipsec-tunnel-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: lakehouse-migrations-handler-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: link-probe-function-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: migrations-handler-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: orders-batch-copy-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: orders-batch-export-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: orders-batch-lakehouse-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: orders-batch-load-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: orders-batch-workflow-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: orders-kafka-broker-logs [protect, retain]",
      "aws:cloudwatch/logGroup:LogGroup: service-secret-rotation-handler-logs [protect, retain]",
      "aws:directconnect/connectionConfirmation:ConnectionConfirmation: interconnect-private-hosted-accept [protect]",
      "aws:directconnect/gateway:Gateway: interconnect-private-dxgw [protect]",
      "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface: interconnect-private-vif [protect]",
      "aws:dynamodb/table:Table: features-features [protect]",
      "aws:ec2/vpnGateway:VpnGateway: interconnect-vgw [protect]",
      "aws:ecr/repository:Repository: orders-image-repository [protect]",
      "aws:eks/cluster:Cluster: eks-cluster [protect]",
      "aws:grafana/workspace:Workspace: grafana-workspace [protect]",
      "aws:kinesis/stream:Stream: features-events [protect]",
      "aws:kms/key:Key: alarms-key [protect, retain]",
      "aws:kms/key:Key: aws-network-flow-logs [protect, retain]",
      "aws:kms/key:Key: cost-intelligence-data-key [protect, retain]",
      "aws:kms/key:Key: cost-intelligence-job-logs [protect, retain]",
      "aws:kms/key:Key: cost-intelligence-topic-key [protect, retain]",
      "aws:kms/key:Key: database-access-key [protect, retain]",
      "aws:kms/key:Key: eks-control-plane [protect, retain]",
      "aws:kms/key:Key: eks-logs-application [protect, retain]",
      "aws:kms/key:Key: eks-logs-dataplane [protect, retain]",
      "aws:kms/key:Key: eks-logs-host [protect, retain]",
      "aws:kms/key:Key: eks-logs-performance [protect, retain]",
      "aws:kms/key:Key: eks-secrets [protect, retain]",
      "aws:kms/key:Key: features-handler-logs [protect, retain]",
      "aws:kms/key:Key: features-key [protect, retain]",
      "aws:kms/key:Key: grafana-provision-logs [protect, retain]",
      "aws:kms/key:Key: inference-access [protect, retain]",
      "aws:kms/key:Key: inference-handler-logs [protect, retain]",
      "aws:kms/key:Key: interconnect-ipsec-tunnel-logs [protect, retain]",
      "aws:kms/key:Key: lakehouse-migrations-handler-logs [protect, retain]",
      "aws:kms/key:Key: link-probe-function-logs [protect, retain]",
      "aws:kms/key:Key: migrations-handler-logs [protect, retain]",
      "aws:kms/key:Key: orders-batch-copy-logs [protect, retain]",
      "aws:kms/key:Key: orders-batch-export-logs [protect, retain]",
      "aws:kms/key:Key: orders-batch-exports-key [protect, retain]",
      "aws:kms/key:Key: orders-batch-lakehouse-logs [protect, retain]",
      "aws:kms/key:Key: orders-batch-load-logs [protect, retain]",
      "aws:kms/key:Key: orders-batch-workflow-logs [protect, retain]",
      "aws:kms/key:Key: orders-image-repository [protect, retain]",
      "aws:kms/key:Key: orders-kafka-broker-logs [protect, retain]",
      "aws:kms/key:Key: orders-kafka-data [protect, retain]",
      "aws:kms/key:Key: service-metrics-key [protect, retain]",
      "aws:kms/key:Key: service-secret-rotation-handler-logs [protect, retain]",
      "aws:msk/cluster:Cluster: orders-kafka-cluster [protect]",
      "aws:msk/topic:Topic: orders-kafka-topic-orders [protect]",
      "aws:msk/topic:Topic: orders-kafka-topic-orders-dlq [protect]",
      "aws:route53/zone:Zone: database-access-zone [protect]",
      "aws:s3/bucket:Bucket: cost-intelligence-data [protect]",
      "aws:s3/bucket:Bucket: orders-batch-exports [protect]",
      "aws:secretsmanager/secret:Secret: cost-intelligence-oci-key [protect]",
      "aws:secretsmanager/secret:Secret: database-access-admin [protect]",
      "aws:secretsmanager/secret:Secret: database-access-app [protect]",
      "aws:secretsmanager/secret:Secret: database-access-functions [protect]",
      "aws:secretsmanager/secret:Secret: database-access-loader [protect]",
      "aws:secretsmanager/secret:Secret: database-access-warehouse-admin [protect]",
      "aws:secretsmanager/secret:Secret: database-access-warehouse-loader [protect]",
      "aws:secretsmanager/secret:Secret: grafana-oci-key [protect]",
      "aws:secretsmanager/secret:Secret: orders-batch-oci-key [protect]",
      "aws:sns/topic:Topic: alarms-topic [protect]",
      "aws:sns/topic:Topic: cost-intelligence-topic [protect]",
      "aws:sqs/queue:Queue: features-failures [protect]",
      "oci:Core/drg:Drg: oci-network-drg [protect]",
      "oci:Core/virtualCircuit:VirtualCircuit: interconnect-private-fastconnect [protect]",
      "oci:Database/autonomousDatabase:AutonomousDatabase: database-adw [protect]",
      "oci:Database/autonomousDatabase:AutonomousDatabase: database-atp [protect]",
      "oci:Kms/key:Key: oci-streaming-key [protect, retain]",
      "oci:Kms/vault:Vault: oci-streaming-vault [protect, retain]",
      "oci:Logging/logGroup:LogGroup: oci-functions-logs [protect, retain]",
      "oci:Logging/logGroup:LogGroup: oci-network-flow-logs [protect, retain]",
      "oci:Logging/logGroup:LogGroup: recommend-api-logs [protect, retain]",
      "oci:ObjectStorage/bucket:Bucket: orders-batch-oci-bucket [protect]",
      "oci:Streaming/stream:Stream: oci-streaming-anomaly-events [protect]",
      "oci:Streaming/stream:Stream: oci-streaming-user-events [protect]",
      "oci:Streaming/streamPool:StreamPool: oci-streaming-pool [protect]",
      "oci:Vault/secret:Secret: functions-db-secret [protect]",
    ]);
  });

  it("protects nothing in dev, so the stack can be destroyed", async () => {
    const run = await runStack("dev");
    if (run.error) throw run.error;
    expect(
      programResources(run)
        .filter((r) => r.protect || r.retainOnDelete)
        .map((r) => r.name),
    ).to.deep.equal([]);
  });

  it("kept() protects in production only, and retains exactly the types listed", () => {
    const parent = {} as never;
    for (const [type, keeping] of Object.entries(KEPT_IN_PRODUCTION)) {
      if (!isKept(type)) throw new Error(type);
      expect(kept(parent, { isProduction: true }, type), type).to.deep.equal({
        parent,
        protect: true,
        retainOnDelete: keeping.retainOnDelete,
      });
      expect(kept(parent, { isProduction: false }, type), type).to.deep.equal({ parent });
    }
    expect(
      Object.entries(KEPT_IN_PRODUCTION)
        .filter(([, k]) => k.retainOnDelete)
        .map(([t]) => t),
    ).to.deep.equal([
      "aws:kms/key:Key",
      "aws:cloudwatch/logGroup:LogGroup",
      "oci:Logging/logGroup:LogGroup",
      "oci:Kms/vault:Vault",
      "oci:Kms/key:Key",
    ]);
  });
});
