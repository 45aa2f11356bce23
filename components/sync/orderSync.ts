import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  ORDERS_CALLS,
  DEAD_LETTER_HEADERS,
  KAFKA_ENV,
  ORDER_SYNC,
  ORDER_TOPICS,
  ORDERS_ENV,
  ORDERS_HTTP,
  SYNC_ENV,
  SYNC_LOG_EVENTS,
} from "../../functions/aws/orders/contract";
import { SyncSettings } from "../config/sync";
import { EksClusterOutputs } from "../eks/eksCluster";
import { podIdentityRole } from "../shared/podIdentityRole";
import {
  configHash,
  HARDENED_CONTAINER,
  httpProbe,
  networkPolicySpec,
  ORDERS_NAMESPACE,
  secretReadPolicy,
  SERVICE_RESOURCES,
} from "../shared/kubernetes";
import { EndpointUse } from "../network/endpoints";
import { alarmArgs, createAlarms, failureRateAlarmArgs } from "../shared/alarms";
import { PlatformContext, platformOptions } from "../shared/context";
import { HTTPS_PORT, MSK_IAM_PORT } from "../shared/ports";
import type { MskClusterOutputs } from "./mskCluster";

export interface OrderSyncArgs {
  /** Consumer replicas, batch and pool sizes (multicloud:sync.consumer). */
  readonly settings: SyncSettings;
  /** The cluster the consumer runs on. */
  readonly cluster: Pick<
    EksClusterOutputs,
    "clusterName" | "clusterArn" | "kubernetes" | "keyContext" | "vpcUrn" | "applicationLogGroupName"
  >;
  /** The brokers, topics and group it reads and writes. */
  readonly kafka: MskClusterOutputs;
  /** The order service's image by digest (the consumer is its second command). */
  readonly imageUri: pulumi.Input<string>;
  /** The services' database secret and its key. */
  readonly secrets: { readonly appSecretArn: pulumi.Output<string>; readonly secretsKeyArn: pulumi.Output<string> };
  /** The private subnets: the VPC endpoints and the brokers are there. */
  readonly privateCidrs: readonly string[];
  /** The OCI database subnet. */
  readonly databaseCidr: pulumi.Input<string>;
  /** What must exist first: the namespace (the order service) and the schema (the migrations). */
  readonly after: readonly pulumi.Resource[];
  /** The alarm topic lag and dead letters notify. */
  readonly alarmTopicArn: pulumi.Input<string>;
  readonly context: PlatformContext;
}

export interface OrderSyncOutputs {
  readonly roleArn: pulumi.Output<string>;
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
}

export const SYNC_APP = "orders-sync";
/** A batch's write takes at most two call timeouts; the drain waits for it, the grace period for the drain. */
export const SYNC_CALL_TIMEOUT_MS = 30_000;
export const SYNC_DRAIN_SECONDS = 60;
/** Messages behind before the lag alarm fires (three 5-minute periods in a row). */
export const LAG_ALARM_MESSAGES = 10_000;
/**
 * Seconds the oldest unconsumed order may wait before the stuck alarm fires (three 5-minute periods
 * in a row). Missing data breaches: MSK publishes no lag for a group that never committed an
 * offset — exactly a consumer stuck on its first batch.
 */
export const TIME_LAG_ALARM_SECONDS = 300;
/**
 * The share of batch writes that failed (three 5-minute periods in a row) above which the
 * write-failure alarm fires: the database refuses most batches (down, a broken deployment, a
 * schema the code does not match). One stuck partition among healthy ones is the stuck alarm's.
 */
export const WRITE_FAILURE_RATE_ALARM = 0.25;
/** The consumer's container in its pods (the log lines' `kubernetes.container_name`). */
export const SYNC_CONTAINER = "sync";
/** The CloudWatch metrics counted from the consumer's log lines: batches written and batches the database refused. */
export const SYNC_LOG_METRICS = { written: "BatchesWritten", failed: "WriteFailures" } as const;

/** The metric of Idempotency-Key conflicts the merge recorded: the `conflicts` of each written batch's log line. */
export const SYNC_CONFLICTS_METRIC = "KeyConflicts";

/** Where a stack's sync log metrics are (metric filters cannot set a constant dimension, so the stack is in the namespace). */
export function syncLogMetricNamespace(stack: string): string {
  return `multicloud/OrderSync/${stack}`;
}

/**
 * The CloudWatch Logs filter pattern for the consumer's log lines of one event, as the CloudWatch
 * Observability add-on's Fluent Bit ships them to the application log group: the container's JSON
 * line parsed under `log_processed`, the pod's namespace and container under `kubernetes`
 * (its kubernetes filter: Merge_Log On, Merge_Log_Key log_processed).
 */
export function syncLogFilterPattern(event: string): string {
  return (
    `{ ($.kubernetes.namespace_name = "${ORDERS_NAMESPACE}") && ` +
    `($.kubernetes.container_name = "${SYNC_CONTAINER}") && ($.log_processed.event = "${event}") }`
  );
}

/** The consumer's Kafka rights: connect, read orders, write dead letters (idempotently), its own group. */
export function syncKafkaPolicy(
  clusterArn: string,
  ordersTopicArn: string,
  deadLetterTopicArn: string,
  groupArn: string,
): object[] {
  return [
    {
      Sid: "Connect",
      Effect: "Allow",
      Action: ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"],
      Resource: [clusterArn],
    },
    {
      Sid: "ReadOrders",
      Effect: "Allow",
      Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
      Resource: [ordersTopicArn],
    },
    {
      Sid: "WriteDeadLetters",
      Effect: "Allow",
      Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
      Resource: [deadLetterTopicArn],
    },
    {
      Sid: "OwnGroup",
      Effect: "Allow",
      Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
      Resource: [groupArn],
    },
  ];
}

/**
 * The order sync consumer on the cluster: the order service's image running `sync.js` in the
 * orders namespace, a pod identity role that may read `orders`, write `orders.dlq`, use its own
 * group and read the database secret, hardened like the API, a network policy that lets it reach
 * only DNS, the pod identity agent, the endpoints, the brokers and the database, a disruption
 * budget, and alarms on consumer lag, on a stuck group, on dead letters and on the rate of failed writes.
 */
export class OrderSync extends pulumi.ComponentResource {
  readonly outputs: OrderSyncOutputs;

  constructor(name: string, args: OrderSyncArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:sync:OrderSync", name, {}, platformOptions(args.context, opts));
    const { settings, cluster, kafka, context } = args;
    const k8sOpts = { parent: this, provider: cluster.kubernetes, dependsOn: [...args.after] };
    const labels = {
      app: SYNC_APP,
      "app.kubernetes.io/name": SYNC_APP,
      "app.kubernetes.io/part-of": context.namePrefix,
    };

    const identity = podIdentityRole(`${name}-pods`, this, {
      vpcUrn: cluster.vpcUrn,
      calls: {
        declarations: ORDERS_CALLS.sync,
        targets: {
          databaseSecret: args.secrets.appSecretArn,
          kafkaCluster: kafka.clusterArn,
          ordersTopic: kafka.topicArns[ORDER_TOPICS.orders],
          deadLetterTopic: kafka.topicArns[ORDER_TOPICS.deadLetters],
          group: kafka.groupArn(ORDER_SYNC.groupId),
        },
      },
      clusterName: cluster.clusterName,
      clusterArn: cluster.clusterArn,
      namespace: ORDERS_NAMESPACE,
      serviceAccount: SYNC_APP,
      description: `${context.namePrefix} order sync: read orders, write dead letters, read the database secret`,
      ctx: cluster.keyContext,
      policy: pulumi
        .all([
          kafka.clusterArn,
          kafka.topicArns[ORDER_TOPICS.orders],
          kafka.topicArns[ORDER_TOPICS.deadLetters],
          kafka.groupArn(ORDER_SYNC.groupId),
          args.secrets.appSecretArn,
          args.secrets.secretsKeyArn,
          cluster.keyContext,
        ])
        .apply(([clusterArn, orders, dead, group, secret, key, c]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              ...syncKafkaPolicy(clusterArn, orders, dead, group),
              ...(JSON.parse(secretReadPolicy(secret, key, c.region)) as { Statement: object[] }).Statement,
            ],
          }),
        ),
    });
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata: { name: SYNC_APP, namespace: ORDERS_NAMESPACE, labels }, automountServiceAccountToken: false },
      k8sOpts,
    );
    const config = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      {
        metadata: { name: `${SYNC_APP}-config`, namespace: ORDERS_NAMESPACE, labels },
        data: pulumi
          .all([args.secrets.appSecretArn, kafka.bootstrapBrokersIam, cluster.keyContext])
          .apply(([secret, brokers, c]) => ({
            [ORDERS_ENV.secretArn]: secret,
            [ORDERS_ENV.region]: c.region,
            [ORDERS_ENV.poolSize]: String(settings.consumer.poolSize),
            [ORDERS_ENV.queueTimeoutMs]: "2000",
            [ORDERS_ENV.callTimeoutMs]: String(SYNC_CALL_TIMEOUT_MS),
            [ORDERS_ENV.drainSeconds]: String(SYNC_DRAIN_SECONDS),
            // The consumer serves only probes and metrics: all on the admin port, which the scraper reads.
            [ORDERS_ENV.port]: String(ORDERS_HTTP.adminPort),
            [KAFKA_ENV.brokers]: brokers,
            [KAFKA_ENV.kafkaAuth]: "iam",
            [SYNC_ENV.batchSize]: String(settings.consumer.batchSize),
            NODE_OPTIONS: "--max-old-space-size=384",
          })),
      },
      k8sOpts,
    );
    new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: SYNC_APP, namespace: ORDERS_NAMESPACE, labels },
        spec: {
          replicas: settings.consumer.replicas,
          selector: { matchLabels: { app: SYNC_APP } },
          // One consumer leaves the group before its replacement joins: fewer rebalances, no double reads.
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
          template: {
            metadata: { labels, annotations: { "multicloud/config-sha256": config.data.apply(configHash) } },
            spec: {
              serviceAccountName: SYNC_APP,
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
              terminationGracePeriodSeconds: SYNC_DRAIN_SECONDS + 10,
              containers: [
                {
                  name: SYNC_CONTAINER,
                  image: args.imageUri,
                  args: ["sync.js"],
                  ports: [{ name: "admin", containerPort: ORDERS_HTTP.adminPort, protocol: "TCP" }],
                  envFrom: [{ configMapRef: { name: `${SYNC_APP}-config` } }],
                  resources: { requests: { ...SERVICE_RESOURCES.requests }, limits: { ...SERVICE_RESOURCES.limits } },
                  readinessProbe: httpProbe(ORDERS_HTTP.readiness, 10, 3, "admin"),
                  livenessProbe: httpProbe(ORDERS_HTTP.liveness, 10, 3, "admin"),
                  securityContext: HARDENED_CONTAINER,
                  volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                },
              ],
              volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
            },
          },
        },
      },
      { ...k8sOpts, dependsOn: [...args.after, serviceAccount, config, identity.association] },
    );
    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      {
        metadata: { name: SYNC_APP, namespace: ORDERS_NAMESPACE, labels },
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: SYNC_APP } } },
      },
      k8sOpts,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-netpol`,
      {
        metadata: { name: SYNC_APP, namespace: ORDERS_NAMESPACE, labels },
        spec: pulumi.output(args.databaseCidr).apply((databaseCidr) =>
          networkPolicySpec({
            app: SYNC_APP,
            // Probes (the nodes) and the scraper, both in the private subnets, on the admin port only.
            ingress: { cidrs: args.privateCidrs, ports: [ORDERS_HTTP.adminPort] },
            endpointCidrs: args.privateCidrs,
            databaseCidr,
            privateSubnetPorts: [HTTPS_PORT, MSK_IAM_PORT],
          }),
        ),
      },
      k8sOpts,
    );

    // Lag: the group falls behind; dead letters: any message refused (per broker: the metric is per broker).
    const alarmOpts = { parent: this };
    createAlarms(
      `${name}-alarm`,
      {
        lag: {
          description: `${SYNC_APP} is more than ${LAG_ALARM_MESSAGES} orders behind on ${ORDER_TOPICS.orders} for 15 minutes (database down or consumers failing)`,
          namespace: "AWS/Kafka",
          metricName: "MaxOffsetLag",
          dimensions: {
            "Cluster Name": kafka.clusterName,
            "Consumer Group": ORDER_SYNC.groupId,
            Topic: ORDER_TOPICS.orders,
          },
          statistic: "Maximum",
          threshold: LAG_ALARM_MESSAGES,
          evaluationPeriods: 3,
        },
        stuck: {
          description: `${SYNC_APP}'s oldest unconsumed order on ${ORDER_TOPICS.orders} is more than ${TIME_LAG_ALARM_SECONDS} s old, or MSK reports no lag at all (a group that never committed): the sync is stuck`,
          namespace: "AWS/Kafka",
          metricName: "EstimatedMaxTimeLag",
          dimensions: {
            "Cluster Name": kafka.clusterName,
            "Consumer Group": ORDER_SYNC.groupId,
            Topic: ORDER_TOPICS.orders,
          },
          statistic: "Maximum",
          threshold: TIME_LAG_ALARM_SECONDS,
          evaluationPeriods: 3,
          missingData: "breaching",
        },
        ...Object.fromEntries(
          Array.from({ length: kafka.brokers }, (_, i) => [
            `dead-letters-${i + 1}`,
            {
              description: `Orders were refused into ${ORDER_TOPICS.deadLetters} (broker ${i + 1}); the ${DEAD_LETTER_HEADERS.reason} header says why`,
              namespace: "AWS/Kafka",
              metricName: "MessagesInPerSec",
              dimensions: {
                "Cluster Name": kafka.clusterName,
                "Broker ID": String(i + 1),
                Topic: ORDER_TOPICS.deadLetters,
              },
              statistic: "Maximum" as const,
            },
          ]),
        ),
      },
      args.alarmTopicArn,
      alarmOpts,
    );

    // The rate of failed writes, counted from the consumer's log lines (its Prometheus counters are
    // not in CloudWatch). Default 0 on every other line of the group keeps both series present.
    const metricNamespace = syncLogMetricNamespace(context.namePrefix);
    const filters = (Object.keys(SYNC_LOG_METRICS) as (keyof typeof SYNC_LOG_METRICS)[]).map(
      (kind) =>
        new aws.cloudwatch.LogMetricFilter(
          `${name}-${kind}-batches`,
          {
            logGroupName: cluster.applicationLogGroupName,
            pattern: syncLogFilterPattern(SYNC_LOG_EVENTS[kind]),
            metricTransformation: {
              namespace: metricNamespace,
              name: SYNC_LOG_METRICS[kind],
              value: "1",
              defaultValue: "0",
              unit: "Count",
            },
          },
          { parent: this },
        ),
    );
    // Each batch's log line says how many creates found their key held by another request (published
    // while the database was out of reach): any is a promise the API could not keep, for a person to answer.
    const conflictFilter = new aws.cloudwatch.LogMetricFilter(
      `${name}-key-conflicts`,
      {
        logGroupName: cluster.applicationLogGroupName,
        pattern: syncLogFilterPattern(SYNC_LOG_EVENTS.written),
        metricTransformation: {
          namespace: metricNamespace,
          name: SYNC_CONFLICTS_METRIC,
          value: "$.log_processed.conflicts",
          defaultValue: "0",
          unit: "Count",
        },
      },
      { parent: this },
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-alarm-key-conflicts`,
      alarmArgs(
        {
          description: `${SYNC_APP}: an Idempotency-Key was used for two different orders while the database was out of reach; the second got a 202 but was not applied. order_conflicts names the client, key and both requests; the client sees it on GET /orders/{id} (docs/orders.md: conflicts)`,
          namespace: metricNamespace,
          metricName: SYNC_CONFLICTS_METRIC,
          dimensions: {},
          statistic: "Sum",
        },
        args.alarmTopicArn,
      ),
      { parent: this, dependsOn: [conflictFilter] },
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-alarm-write-failures`,
      failureRateAlarmArgs(
        {
          description: `${SYNC_APP}: at least ${WRITE_FAILURE_RATE_ALARM * 100} % of batch writes failed for 15 minutes (the database refuses them: down, switching over, or a schema the code does not match); the ${SYNC_LOG_EVENTS.failed} log lines say why`,
          namespace: metricNamespace,
          failedMetric: SYNC_LOG_METRICS.failed,
          succeededMetric: SYNC_LOG_METRICS.written,
          threshold: WRITE_FAILURE_RATE_ALARM,
          evaluationPeriods: 3,
        },
        args.alarmTopicArn,
      ),
      { parent: this, dependsOn: filters },
    );

    this.outputs = {
      roleArn: identity.role.arn,
      endpointUses: args.secrets.appSecretArn.apply((arn): EndpointUse[] => [
        { service: "secretsmanager", by: "orderSync", actions: ["secretsmanager:GetSecretValue"], resources: [arn] },
      ]),
    };
    this.registerOutputs({ roleArn: identity.role.arn });
  }
}
