/**
 * The event path on the real dev and prod plans: MSK (TLS and IAM only, its own key, broker logs,
 * enhanced monitoring, storage autoscaling, automatic topic creation off, in-sync replicas by
 * zones), the topics as code, 9098 only from the cluster's security group, and the sync consumer:
 * the order service's image by digest running sync.js, a role that reads orders, writes dead
 * letters and uses its own group, its network policy, and alarms on lag, a stuck group, dead
 * letters and the share of failed writes.
 */
import { expect } from "chai";
import { checkSync, syncReplication } from "../../components/config/sync";
import { ConfigIssue } from "../../components/config/errors";
import { kafkaResourceArn, serverProperties } from "../../components/sync/mskCluster";
import {
  SYNC_CONFLICTS_METRIC,
  SYNC_LOG_METRICS,
  syncKafkaPolicy,
  syncLogFilterPattern,
  WRITE_FAILURE_RATE_ALARM,
} from "../../components/sync/orderSync";
import { SYNC_LOG_EVENTS } from "../../functions/aws/orders/contract";
import { RunResult } from "../../offline/engine";
import { loadStackConfig } from "../../offline/stacks";
import { named, ofType, runStack } from "../support/stacks";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- registered inputs read field by field

describe("event path decisions (pure)", () => {
  it("replicates by zones: three brokers keep two in sync, fewer keep what they have", () => {
    expect([1, 2, 3, 6].map((b) => syncReplication(b))).to.deep.equal([
      { replicationFactor: 1, minInsyncReplicas: 1 },
      { replicationFactor: 2, minInsyncReplicas: 1 },
      { replicationFactor: 3, minInsyncReplicas: 2 },
      { replicationFactor: 3, minInsyncReplicas: 2 },
    ]);
    expect(serverProperties(3).split("\n")).to.deep.equal([
      "auto.create.topics.enable=false",
      "default.replication.factor=3",
      "min.insync.replicas=2",
      "unclean.leader.election.enable=false",
      "allow.everyone.if.no.acl.found=false",
    ]);
  });

  it("refuses fewer than three brokers in prod", () => {
    const issues: ConfigIssue[] = [];
    const settings = JSON.parse(loadStackConfig("prod").config["multicloud:sync"]);
    checkSync("multicloud", settings, 2, true, issues);
    expect(issues).to.deep.equal([
      {
        key: "multicloud:sync.kafka.brokersPerZone",
        message: "2 broker(s) in prod; three or more keep writes acknowledged by two while one is down",
      },
    ]);
  });

  it("names topics and groups inside the cluster, and refuses what is not a cluster ARN", () => {
    const cluster = "arn:aws:kafka:eu-west-1:111122223333:cluster/c1/0f1e-1";
    expect(kafkaResourceArn(cluster, "topic", "orders")).to.equal(
      "arn:aws:kafka:eu-west-1:111122223333:topic/c1/0f1e-1/orders",
    );
    expect(kafkaResourceArn(cluster, "group", "orders-sync")).to.equal(
      "arn:aws:kafka:eu-west-1:111122223333:group/c1/0f1e-1/orders-sync",
    );
    expect(() => kafkaResourceArn("arn:aws:kafka:eu-west-1:111122223333:topic/c1/x/y", "group", "g")).to.throw(
      "is not an MSK cluster ARN",
    );
    const policy = syncKafkaPolicy(cluster, "t-orders", "t-dlq", "g") as Array<{
      Action: string[];
      Resource: string[];
    }>;
    expect(
      policy.flatMap((s) =>
        s.Action.filter((a) => a.startsWith("kafka-cluster:Write")).map((a) => `${a} ${s.Resource[0]}`),
      ),
    ).to.deep.equal([`kafka-cluster:WriteDataIdempotently ${cluster}`, "kafka-cluster:WriteData t-dlq"]);
  });
});

for (const stack of ["dev", "prod"] as const) {
  describe(`event path (${stack})`, () => {
    let run: RunResult;
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });
    const sync = () => JSON.parse(loadStackConfig(stack).config["multicloud:sync"]) as Json;
    const azCount = () => (JSON.parse(loadStackConfig(stack).config["multicloud:aws"]) as Json).azCount as number;

    it("runs MSK across the private subnets with TLS and IAM only, its own key, broker logs and enhanced monitoring", () => {
      const cluster = named(run, "aws:msk/cluster:Cluster", "orders-kafka-cluster").inputs as Json;
      expect(cluster.numberOfBrokerNodes).to.equal(azCount() * sync().kafka.brokersPerZone);
      expect(cluster.kafkaVersion).to.equal(sync().kafka.version);
      expect(cluster.clientAuthentication).to.deep.equal({ sasl: { iam: true }, unauthenticated: false });
      expect(cluster.encryptionInfo.encryptionInTransit).to.deep.equal({ clientBroker: "TLS", inCluster: true });
      expect(cluster.encryptionInfo.encryptionAtRestKmsKeyArn).to.equal(
        named(run, "aws:kms/key:Key", "orders-kafka-data").state.arn,
      );
      expect(cluster.brokerNodeGroupInfo.clientSubnets).to.deep.equal(
        ofType(run, "aws:ec2/subnet:Subnet")
          .filter((s) => (s.inputs.tags as Json).tier === "private")
          .map((s) => s.id),
      );
      expect(cluster.brokerNodeGroupInfo.connectivityInfo).to.deep.equal({ publicAccess: { type: "DISABLED" } });
      expect(cluster.loggingInfo.brokerLogs.cloudwatchLogs).to.deep.equal({
        enabled: true,
        logGroup: `/aws/msk/multicloud-${stack}-orders`,
      });
      expect(cluster.enhancedMonitoring).to.equal("PER_TOPIC_PER_BROKER");
      const properties = String(
        named(run, "aws:msk/configuration:Configuration", "orders-kafka-config").inputs.serverProperties,
      );
      expect(properties).to.contain("auto.create.topics.enable=false");
      expect(properties).to.contain(`min.insync.replicas=${stack === "prod" ? 2 : 1}`);
      const storage = named(run, "aws:appautoscaling/target:Target", "orders-kafka-storage").inputs;
      expect([storage.scalableDimension, storage.maxCapacity]).to.deep.equal([
        "kafka:broker-storage:VolumeSize",
        sync().kafka.maxStorageGb,
      ]);
    });

    it("declares the topics with their partitions, replication and retention", () => {
      const topics = ofType(run, "aws:msk/topic:Topic").map((t) => [
        t.inputs.name,
        t.inputs.partitionCount,
        t.inputs.replicationFactor,
        JSON.parse(String(t.inputs.configs))["retention.ms"],
      ]);
      const rf = Math.min(3, azCount() * sync().kafka.brokersPerZone);
      expect(topics).to.deep.equal([
        ["orders", sync().topics.orders.partitions, rf, String(sync().topics.orders.retentionHours * 3_600_000)],
        [
          "orders.dlq",
          sync().topics.deadLetters.partitions,
          rf,
          String(sync().topics.deadLetters.retentionHours * 3_600_000),
        ],
      ]);
    });

    it("admits 9098 to the brokers from the EKS cluster's security group and the batch export's only", () => {
      const sg = named(run, "aws:ec2/securityGroup:SecurityGroup", "orders-kafka-brokers");
      const rules = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
        (r) => r.inputs.securityGroupId === sg.id,
      );
      expect(
        rules.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4]),
      ).to.have.deep.members([
        [
          9098,
          9098,
          (named(run, "aws:eks/cluster:Cluster", "eks-cluster").state.vpcConfig as Json).clusterSecurityGroupId,
          undefined,
        ],
        [9098, 9098, named(run, "aws:ec2/securityGroup:SecurityGroup", "orders-batch-export-sg").id, undefined],
      ]);
    });

    it("runs the consumer from the order service's image by digest, hardened, with its settings from a ConfigMap", () => {
      const deployment = named(run, "kubernetes:apps/v1:Deployment", "orders-sync-deployment").inputs as Json;
      const api = named(run, "kubernetes:apps/v1:Deployment", "orders-deployment").inputs as Json;
      const container = deployment.spec.template.spec.containers[0];
      expect(container.image).to.equal(api.spec.template.spec.containers[0].image);
      expect(container.args).to.deep.equal(["sync.js"]);
      expect(container.securityContext).to.deep.equal(api.spec.template.spec.containers[0].securityContext);
      expect(deployment.spec.replicas).to.equal(sync().consumer.replicas);
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds).to.equal(70);
      const data = named(run, "kubernetes:core/v1:ConfigMap", "orders-sync-config").inputs.data as Record<
        string,
        string
      >;
      expect(data.ORDERS_KAFKA_BROKERS).to.equal(
        named(run, "aws:msk/cluster:Cluster", "orders-kafka-cluster").state.bootstrapBrokersSaslIam,
      );
      expect([data.ORDERS_KAFKA_AUTH, data.ORDERS_SYNC_BATCH_SIZE, data.ORDERS_POOL_SIZE]).to.deep.equal([
        "iam",
        String(sync().consumer.batchSize),
        String(sync().consumer.poolSize),
      ]);
    });

    it("gives the consumer a role for its topics, its group and its secret, assumable by its service account only", () => {
      const role = named(run, "aws:iam/role:Role", "orders-sync-pods");
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Condition.StringEquals as Json;
      expect([
        trust["aws:RequestTag/kubernetes-namespace"],
        trust["aws:RequestTag/kubernetes-service-account"],
      ]).to.deep.equal(["orders", "orders-sync"]);
      const statements = JSON.parse(
        String(named(run, "aws:iam/rolePolicy:RolePolicy", "orders-sync-pods").inputs.policy),
      ).Statement as Json[];
      const cluster = String(named(run, "aws:msk/cluster:Cluster", "orders-kafka-cluster").state.arn);
      const topic = (name: string) => ofType(run, "aws:msk/topic:Topic").find((t) => t.inputs.name === name)?.state.arn;
      expect(statements.map((s) => [s.Sid, s.Resource])).to.deep.equal([
        ["Connect", [cluster]],
        ["ReadOrders", [topic("orders")]],
        ["WriteDeadLetters", [topic("orders.dlq")]],
        ["OwnGroup", [`${cluster.replace(":cluster/", ":group/")}/orders-sync`]],
        ["ReadDatabaseSecret", [named(run, "aws:secretsmanager/secret:Secret", "database-access-app").state.arn]],
        ["DecryptThroughSecretsManager", [named(run, "aws:kms/key:Key", "database-access-key").state.arn]],
      ]);
    });

    it("lets the consumer reach DNS, the pod identity agent, the endpoints and brokers, and the database only", () => {
      const spec = named(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "orders-sync-netpol").inputs
        .spec as Json;
      expect(spec.egress.map((e: Json) => e.ports.map((p: Json) => `${p.protocol}/${p.port}`).join(","))).to.deep.equal(
        ["UDP/53,TCP/53", "TCP/80", "TCP/443,TCP/9098", "TCP/1522"],
      );
    });

    it("alarms on consumer lag, on a stuck consumer (time lag, missing data breaching) and on dead letters at every broker, through the alarm topic", () => {
      const topic = named(run, "aws:sns/topic:Topic", "alarms-topic").state.arn;
      const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
        a.name.startsWith("orders-sync-alarm-"),
      );
      expect(alarms.map((a) => a.name).sort()).to.deep.equal(
        [
          "orders-sync-alarm-lag",
          "orders-sync-alarm-stuck",
          "orders-sync-alarm-write-failures",
          "orders-sync-alarm-key-conflicts",
          ...Array.from({ length: azCount() }, (_, i) => `orders-sync-alarm-dead-letters-${i + 1}`),
        ].sort(),
      );
      for (const a of alarms) expect(a.inputs.alarmActions, a.name).to.deep.equal([topic]);
      expect(named(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "orders-sync-alarm-lag").inputs).to.deep.include({
        metricName: "MaxOffsetLag",
        threshold: 10_000,
        evaluationPeriods: 3,
      });
      // A group that never committed has no lag metric at all: missing data is the stuck case.
      expect(named(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "orders-sync-alarm-stuck").inputs).to.deep.include({
        namespace: "AWS/Kafka",
        metricName: "EstimatedMaxTimeLag",
        statistic: "Maximum",
        threshold: 300,
        evaluationPeriods: 3,
        treatMissingData: "breaching",
      });
    });

    it("alarms on the share of failed batch writes, counted from the consumer's log lines in the cluster's application log group", () => {
      const logGroup = named(run, "aws:cloudwatch/logGroup:LogGroup", "eks-logs-application");
      const filters = ofType(run, "aws:cloudwatch/logMetricFilter:LogMetricFilter")
        .filter((f) => f.name.startsWith("orders-sync-") && f.name.endsWith("-batches"))
        .sort((a, b) => a.name.localeCompare(b.name));
      expect(
        filters.map((f) => [f.name, f.inputs.logGroupName, f.inputs.pattern, f.inputs.metricTransformation]),
      ).to.deep.equal(
        (["failed", "written"] as const).map((kind) => [
          `orders-sync-${kind}-batches`,
          logGroup.state.name,
          syncLogFilterPattern(SYNC_LOG_EVENTS[kind]),
          {
            namespace: `multicloud/OrderSync/multicloud-${stack}`,
            name: SYNC_LOG_METRICS[kind],
            value: "1",
            defaultValue: "0",
            unit: "Count",
          },
        ]),
      );
      const alarm = named(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "orders-sync-alarm-write-failures");
      expect(alarm.inputs).to.deep.include({
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: WRITE_FAILURE_RATE_ALARM,
        evaluationPeriods: 3,
        treatMissingData: "notBreaching",
      });
      const queries = alarm.inputs.metricQueries as {
        id: string;
        metric?: { metricName: string; namespace: string };
      }[];
      expect(queries.map((q) => [q.id, q.metric?.metricName])).to.deep.equal([
        ["failed", "WriteFailures"],
        ["succeeded", "BatchesWritten"],
        ["rate", undefined],
      ]);
      // The alarm waits for the filters (its metrics exist once they do).
      expect(alarm.dependencies).to.include.members(filters.map((f) => f.urn));
    });

    it("alarms on any Idempotency-Key conflict the merge records, summing each written batch's conflicts", () => {
      const filter = named(run, "aws:cloudwatch/logMetricFilter:LogMetricFilter", "orders-sync-key-conflicts");
      expect([filter.inputs.pattern, filter.inputs.metricTransformation]).to.deep.equal([
        syncLogFilterPattern(SYNC_LOG_EVENTS.written),
        {
          namespace: `multicloud/OrderSync/multicloud-${stack}`,
          name: SYNC_CONFLICTS_METRIC,
          value: "$.log_processed.conflicts",
          defaultValue: "0",
          unit: "Count",
        },
      ]);
      const alarm = named(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "orders-sync-alarm-key-conflicts");
      expect(alarm.inputs).to.deep.include({
        namespace: `multicloud/OrderSync/multicloud-${stack}`,
        metricName: "KeyConflicts",
        statistic: "Sum",
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
      expect(alarm.dependencies).to.include(filter.urn);
    });
  });
}
