import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ORDER_TOPICS } from "../../functions/aws/orders/contract";
import { SyncSettings, syncReplication } from "../config/sync";
import { AwsNetworkOutputs } from "../network/awsNetwork";
import { PlatformContext, platformOptions } from "../shared/context";
import { awsContext, encryptedLogGroup, rotatingKey } from "../shared/kms";
import { kept } from "../shared/protection";
import { MSK_IAM_PORT } from "../shared/ports";

export interface MskClusterArgs {
  /** Kafka version, brokers, storage, topics (multicloud:sync). */
  readonly settings: SyncSettings;
  /** The private subnets the brokers live in (one zone each) and the VPC. */
  readonly network: Pick<AwsNetworkOutputs, "vpcId" | "privateSubnetIds">;
  /** The security groups clients run in (the EKS nodes' and pods'): the only ones 9098 admits. */
  readonly clientSecurityGroupIds: readonly pulumi.Input<string>[];
  /** CloudWatch retention of the broker logs. */
  readonly logRetentionDays: number;
  /** Name prefix, providers, key administrators and production rules of the stack. */
  readonly context: PlatformContext;
}

export interface MskClusterOutputs {
  readonly clusterArn: pulumi.Output<string>;
  readonly clusterName: string;
  /** Bootstrap brokers of the IAM listener, comma-separated. */
  readonly bootstrapBrokersIam: pulumi.Output<string>;
  readonly brokers: number;
  readonly securityGroupId: pulumi.Output<string>;
  /** Topic ARNs by topic name (the clients' IAM policies name them). */
  readonly topicArns: Readonly<Record<string, pulumi.Output<string>>>;
  readonly groupArn: (group: string) => pulumi.Output<string>;
}

/** The server properties: no topic appears by accident, and a write needs the in-sync replicas the zones allow. */
export function serverProperties(brokers: number): string {
  const { replicationFactor, minInsyncReplicas } = syncReplication(brokers);
  return [
    "auto.create.topics.enable=false",
    `default.replication.factor=${replicationFactor}`,
    `min.insync.replicas=${minInsyncReplicas}`,
    "unclean.leader.election.enable=false",
    "allow.everyone.if.no.acl.found=false",
  ].join("\n");
}

/** IAM resource ARNs inside an MSK cluster: `arn:…:topic/<cluster>/<uuid>/<topic>`, `…:group/…/<group>`. */
export function kafkaResourceArn(clusterArn: string, kind: "topic" | "group", name: string): string {
  if (!/:cluster\/[^/]+\/[^/]+$/.test(clusterArn)) throw new Error(`${clusterArn} is not an MSK cluster ARN`);
  return `${clusterArn.replace(":cluster/", `:${kind}/`)}/${name}`;
}

/**
 * MSK provisioned across the private subnets' zones: TLS only, IAM authentication only, encryption at
 * rest with its own rotating key, broker logs to an encrypted group, enhanced monitoring per topic
 * per broker, storage autoscaling, automatic topic creation off, and the topics as code.
 */
export class MskCluster extends pulumi.ComponentResource {
  readonly outputs: MskClusterOutputs;

  constructor(name: string, args: MskClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:sync:MskCluster", name, {}, platformOptions(args.context, opts));
    const { settings, context } = args;
    const child = { parent: this };
    const ctx = awsContext(child);
    const clusterName = `${context.namePrefix}-orders`;
    const brokers = args.network.privateSubnetIds.length * settings.kafka.brokersPerZone;
    const { replicationFactor } = syncReplication(brokers);

    const key = rotatingKey(
      `${name}-data`,
      `${clusterName} Kafka data at rest`,
      ctx,
      kept(this, context, "aws:kms/key:Key"),
      () => ({
        administratorArns: context.keyAdministratorArns,
        viaServices: ["kafka"],
      }),
    );
    const logs = encryptedLogGroup(`${name}-broker-logs`, this, {
      logGroupName: `/aws/msk/${clusterName}`,
      description: `${clusterName} broker logs`,
      retentionDays: args.logRetentionDays,
      keyAdministratorArns: context.keyAdministratorArns,
      isProduction: context.isProduction,
      ctx,
    });
    const sg = new aws.ec2.SecurityGroup(
      `${name}-brokers`,
      {
        vpcId: args.network.vpcId,
        description: `${clusterName} brokers: IAM listener from the client groups only`,
        tags: { Name: `${clusterName}-brokers` },
      },
      child,
    );
    args.clientSecurityGroupIds.forEach(
      (referencedSecurityGroupId, i) =>
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-brokers-from-clients-${i}`,
          {
            securityGroupId: sg.id,
            ipProtocol: "tcp",
            fromPort: MSK_IAM_PORT,
            toPort: MSK_IAM_PORT,
            referencedSecurityGroupId,
            description: "Kafka (TLS, IAM) from the platform clients",
          },
          child,
        ),
    );
    const configuration = new aws.msk.Configuration(
      `${name}-config`,
      {
        name: `${clusterName}-config`,
        kafkaVersions: [settings.kafka.version],
        serverProperties: serverProperties(brokers),
        description: `${clusterName} broker settings`,
      },
      child,
    );
    const cluster = new aws.msk.Cluster(
      `${name}-cluster`,
      {
        clusterName,
        kafkaVersion: settings.kafka.version,
        numberOfBrokerNodes: brokers,
        brokerNodeGroupInfo: {
          clientSubnets: args.network.privateSubnetIds,
          instanceType: settings.kafka.brokerInstanceType,
          securityGroups: [sg.id],
          storageInfo: { ebsStorageInfo: { volumeSize: settings.kafka.storageGb } },
          connectivityInfo: { publicAccess: { type: "DISABLED" } },
        },
        encryptionInfo: {
          encryptionAtRestKmsKeyArn: key.arn,
          encryptionInTransit: { clientBroker: "TLS", inCluster: true },
        },
        clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
        configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
        loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: logs.name } } },
        enhancedMonitoring: "PER_TOPIC_PER_BROKER",
      },
      { ...kept(this, context, "aws:msk/cluster:Cluster"), dependsOn: [logs] },
    );
    // Storage grows on its own (up to maxStorageGb) before a broker fills.
    const storage = new aws.appautoscaling.Target(
      `${name}-storage`,
      {
        serviceNamespace: "kafka",
        scalableDimension: "kafka:broker-storage:VolumeSize",
        resourceId: cluster.arn,
        minCapacity: 1,
        maxCapacity: settings.kafka.maxStorageGb,
      },
      child,
    );
    new aws.appautoscaling.Policy(
      `${name}-storage`,
      {
        policyType: "TargetTrackingScaling",
        serviceNamespace: storage.serviceNamespace,
        scalableDimension: storage.scalableDimension,
        resourceId: storage.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: 60,
          disableScaleIn: true,
          predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
        },
      },
      child,
    );
    const topic = (topicName: string, spec: { partitions: number; retentionHours: number }) =>
      new aws.msk.Topic(
        `${name}-topic-${topicName.replace(/\./g, "-")}`,
        {
          clusterArn: cluster.arn,
          name: topicName,
          partitionCount: spec.partitions,
          replicationFactor,
          configs: JSON.stringify({
            "retention.ms": String(spec.retentionHours * 3_600_000),
            "cleanup.policy": "delete",
          }),
        },
        kept(this, context, "aws:msk/topic:Topic"),
      ).arn;
    const topicArns = {
      [ORDER_TOPICS.orders]: topic(ORDER_TOPICS.orders, settings.topics.orders),
      [ORDER_TOPICS.deadLetters]: topic(ORDER_TOPICS.deadLetters, settings.topics.deadLetters),
    };

    this.outputs = {
      clusterArn: cluster.arn,
      clusterName,
      bootstrapBrokersIam: cluster.bootstrapBrokersSaslIam,
      brokers,
      securityGroupId: sg.id,
      topicArns,
      groupArn: (group) => cluster.arn.apply((arn) => kafkaResourceArn(arn, "group", group)),
    };
    this.registerOutputs({ clusterArn: cluster.arn, bootstrapBrokersIam: cluster.bootstrapBrokersSaslIam });
  }
}
