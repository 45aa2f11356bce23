import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { declareCalls } from "../shared/access";
import { serviceTrustPolicy } from "../shared/iam";
import {
  BATCH_CALLS,
  BATCH_ENV,
  DEFAULT_REJECT_LIMIT,
  EXPORT_GROUP_PREFIX,
  WORKFLOW_SERVICE_ACTIONS,
} from "../../functions/aws/batch/contract";
import { ORDER_TOPICS } from "../../functions/aws/orders/contract";
import { BatchSettings } from "../config/sync";
import { databaseClientSecurityGroup } from "../shared/databaseClient";
import { AwsNetworkOutputs } from "../network/awsNetwork";
import { EndpointUse } from "../network/endpoints";
import { createAlarms } from "../shared/alarms";
import { PlatformContext, platformOptions } from "../shared/context";
import { awsContext, encryptedLogGroup, KeyContext, rotatingKey } from "../shared/kms";
import { Grant, NodeFunction } from "../shared/nodeFunction";
import { accountBucketName, privateBucket, tlsOnlyBucketPolicy } from "../shared/privateBucket";
import { ociServiceUser } from "../shared/ociServiceUser";
import { kept } from "../shared/protection";
import { batchWorkflowDefinition } from "./batchWorkflow";
import { HTTPS_PORT } from "../shared/ports";
import { kafkaResourceArn, MskClusterOutputs } from "./mskCluster";
import { MSK_IAM_PORT } from "../shared/ports";

export interface BatchSyncArgs {
  /** Schedule, bucket retention (multicloud:sync.batch). */
  readonly settings: BatchSettings;
  /** The OCI region of the bucket (the database's). */
  readonly ociRegion: string;
  /** The tenancy: OCI users, groups and dynamic groups live in its root compartment. */
  readonly ociTenancyId: pulumi.Input<string>;
  /** The Autonomous Database whose resource principal reads the bucket. */
  readonly databaseId: pulumi.Input<string>;
  /** The Lakehouse (prod): the same day's file into its order events, with its own loader and resource principal. */
  readonly lakehouse?: {
    readonly databaseId: pulumi.Input<string>;
    readonly loaderSecretArn: pulumi.Output<string>;
    readonly schemaReady: pulumi.Resource;
  };
  /** MSK: the export reads the day from the orders topic. */
  readonly kafka: Pick<MskClusterOutputs, "clusterArn" | "bootstrapBrokersIam" | "topicArns" | "securityGroupId">;
  /** The loader's database secret and the key the database secrets are encrypted with. */
  readonly secrets: { readonly loaderSecretArn: pulumi.Output<string>; readonly secretsKeyArn: pulumi.Output<string> };
  /** The VPC: private subnets, the interface endpoints' group, the S3 gateway's prefix list. */
  readonly network: Pick<
    AwsNetworkOutputs,
    "vpcId" | "vpcUrn" | "privateSubnetIds" | "endpointSecurityGroupId" | "gatewayPrefixListIds"
  >;
  /** The OCI database subnet: the load opens the listener port there only. */
  readonly databaseCidr: string;
  /** The migrations: the load needs V011–V013 in place. */
  readonly schemaReady: pulumi.Resource;
  readonly alarmTopicArn: pulumi.Input<string>;
  /** The alarm topic's key: the workflow publishes its failure notice through SNS with it. */
  readonly alarmKeyArn: pulumi.Input<string>;
  readonly logRetentionDays: number;
  readonly context: PlatformContext;
}

export interface BatchSyncOutputs {
  readonly stateMachineArn: pulumi.Output<string>;
  readonly exportBucket: pulumi.Output<string>;
  readonly ociBucket: pulumi.Output<string>;
  readonly scheduleName: pulumi.Output<string>;
  /** What the in-VPC functions do through the VPC endpoints. */
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
}

/** Objects older than this are removed from both buckets; a re-run needs the day's file only while it runs. */
export const NONCURRENT_VERSION_DAYS = 7;

/** The export bucket's name: the stack's prefix and the account, within S3's 63 characters. */
export function exportBucketName(namePrefix: string, accountId: string): string {
  return accountBucketName(namePrefix, "orders-batch", accountId);
}

export { tlsOnlyBucketPolicy };

/** OCI policy statements: the copy's group writes objects of the batch bucket only; the database reads them only. */
export function ociBatchPolicyStatements(args: {
  copyGroup: string;
  databaseDynamicGroup: string;
  compartmentId: string;
  bucket: string;
  region: string;
}): string[] {
  const where = `in compartment id ${args.compartmentId} where target.bucket.name = '${args.bucket}'`;
  return [
    `Allow group ${args.copyGroup} to manage objects ${where}`,
    `Allow dynamic-group ${args.databaseDynamicGroup} to read objects ${where}`,
    // Object Storage itself runs the lifecycle rules.
    `Allow service objectstorage-${args.region} to manage object-family ${where}`,
  ];
}

/** The dynamic group of the databases whose resource principals read the batch bucket. */
export function databaseMatchingRule(databaseIds: readonly string[]): string {
  if (databaseIds.length === 0) throw new Error("the batch bucket's dynamic group needs at least one database");
  return `ANY {${databaseIds.map((id) => `resource.id = '${id}'`).join(", ")}}`;
}

/** The export's Kafka rights: connect, read the orders topic, its own per-run groups (nothing to write). */
export function exportKafkaGrants(clusterArn: pulumi.Input<string>, ordersTopicArn: pulumi.Input<string>): Grant[] {
  return [
    { actions: ["kafka-cluster:Connect"], resources: [clusterArn] },
    { actions: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], resources: [ordersTopicArn] },
    {
      actions: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
      resources: [pulumi.output(clusterArn).apply((arn) => kafkaResourceArn(arn, "group", `${EXPORT_GROUP_PREFIX}-*`))],
    },
  ];
}

/**
 * The batch path AWS → OCI: an EventBridge Scheduler schedule (cron from config) starts a Step
 * Functions standard workflow each day: export (a Lambda in the VPC writes the day's order events
 * from the orders topic to an encrypted S3 bucket) → copy (a Lambda streams the file to an OCI
 * bucket through Object Storage's S3 API with a customer secret key Pulumi created, kept in
 * Secrets Manager) → load (a Lambda in the VPC runs DBMS_CLOUD.COPY_DATA as MC_LOADER, the
 * database reading the bucket with its resource principal, then the merge) → (prod) the same day
 * into the Lakehouse's order events, as MC_LAKE → report; every step retried, any failure to the
 * alarm topic. Both buckets private, versioned, encrypted, expiring.
 */
export class BatchSync extends pulumi.ComponentResource {
  readonly outputs: BatchSyncOutputs;

  constructor(name: string, args: BatchSyncArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:sync:BatchSync", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { context, settings } = args;
    const { namePrefix, isProduction, keyAdministratorArns } = context;
    const ctx: pulumi.Output<KeyContext> = awsContext(child);
    const ociTags = { freeformTags: { ...context.ociFreeformTags } };

    // The export bucket: SSE-KMS with its own key (usable only through S3), private, versioned, TLS
    // only, expiring. Transit data: prod keeps the key (kept), not the bucket (emptied before deletion).
    const bucketKey = rotatingKey(
      `${name}-exports-key`,
      `${namePrefix} batch exports`,
      ctx,
      kept(this, context, "aws:kms/key:Key"),
      () => ({ administratorArns: keyAdministratorArns, viaServices: ["s3"] }),
    );
    const bucket = privateBucket(`${name}-exports`, this, {
      bucketName: ctx.apply((c) => exportBucketName(namePrefix, c.accountId)),
      keyArn: bucketKey.arn,
      forceDestroy: !isProduction,
      isProduction,
      lifecycleRules: [
        {
          id: "expire-days",
          status: "Enabled",
          filter: { prefix: "orders/" },
          expiration: { days: settings.retentionDays },
          noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
      ],
    });

    // The OCI bucket: private, versioned, Oracle-managed encryption, expiring (lifecycle rules run by Object Storage).
    const namespace = oci.objectstorage.getNamespaceOutput({ compartmentId: context.compartmentId }, child).namespace;
    const ociBucketName = `${namePrefix}-orders-batch`;
    const ociBucket = new oci.objectstorage.Bucket(
      `${name}-oci-bucket`,
      {
        compartmentId: context.compartmentId,
        namespace,
        name: ociBucketName,
        accessType: "NoPublicAccess",
        versioning: "Enabled",
        storageTier: "Standard",
        autoTiering: "Disabled",
        ...ociTags,
      },
      // Transit data (a file per day, expiring), but a day's file not yet loaded exists only here and in
      // the export bucket: production keeps the bucket (a replacement would drop the days in flight).
      kept(this, context, "oci:ObjectStorage/bucket:Bucket"),
    );
    const tenancy = pulumi.output(args.ociTenancyId);
    const copyGroup = new oci.identity.Group(
      `${name}-copy-group`,
      {
        compartmentId: tenancy,
        name: `${namePrefix}-orders-batch-copy`,
        description: `${namePrefix}: writes the daily order files into ${ociBucketName}`,
        ...ociTags,
      },
      child,
    );
    const databaseGroup = new oci.identity.DynamicGroup(
      `${name}-database-group`,
      {
        compartmentId: tenancy,
        name: `${namePrefix}-orders-database`,
        description: `${namePrefix}: the Autonomous Databases whose resource principals read ${ociBucketName}`,
        matchingRule: pulumi
          .all([args.databaseId, args.lakehouse?.databaseId ?? ""])
          .apply(([oltp, lakehouse]) => databaseMatchingRule([oltp, lakehouse].filter(Boolean))),
        ...ociTags,
      },
      child,
    );
    const ociPolicy = new oci.identity.Policy(
      `${name}-oci-policy`,
      {
        compartmentId: context.compartmentId,
        name: `${namePrefix}-orders-batch`,
        description: `${namePrefix}: who may touch ${ociBucketName}`,
        statements: pulumi.all([copyGroup.name, databaseGroup.name]).apply(([g, d]) =>
          ociBatchPolicyStatements({
            copyGroup: g,
            databaseDynamicGroup: d,
            compartmentId: context.compartmentId,
            bucket: ociBucketName,
            region: args.ociRegion,
          }),
        ),
        ...ociTags,
      },
      child,
    );
    declareCalls(`${name}-copy-oci`, { oci: pulumi.interpolate`group ${copyGroup.name}` }, BATCH_CALLS.copyOci, {
      ociBucket,
    });
    declareCalls(
      `${name}-database-oci`,
      { oci: pulumi.interpolate`dynamic-group ${databaseGroup.name}` },
      BATCH_CALLS.loadOci,
      { ociBucket },
    );
    // Object Storage runs the lifecycle rule (it deletes expired days).
    declareCalls(
      `${name}-lifecycle`,
      { oci: `service objectstorage-${args.ociRegion}` },
      [{ target: "ociBucket", actions: ["objectstorage:DeleteObject"] }],
      { ociBucket },
    );
    new oci.objectstorage.ObjectLifecyclePolicy(
      `${name}-oci-lifecycle`,
      {
        namespace,
        bucket: ociBucket.name,
        rules: [
          {
            name: "expire-days",
            action: "DELETE",
            isEnabled: true,
            target: "objects",
            timeAmount: String(settings.retentionDays),
            timeUnit: "DAYS",
            objectNameFilter: { inclusionPrefixes: ["orders/"] },
          },
          {
            name: "expire-previous-versions",
            action: "DELETE",
            isEnabled: true,
            target: "previous-object-versions",
            timeAmount: String(NONCURRENT_VERSION_DAYS),
            timeUnit: "DAYS",
          },
          {
            name: "abort-uploads",
            action: "ABORT",
            isEnabled: true,
            target: "multipart-uploads",
            timeAmount: "1",
            timeUnit: "DAYS",
          },
        ],
      },
      { parent: this, dependsOn: [ociPolicy] },
    );

    // The copy's OCI identity: a user with no console or API-key login, only a customer secret key (S3 API).
    const { user: copyUser } = ociServiceUser(this, {
      resourceName: `${name}-copy-user`,
      membershipName: `${name}-copy-membership`,
      tenancyId: tenancy,
      name: `${namePrefix}-orders-batch-copy`,
      description: `${namePrefix}: the batch copy from AWS (S3 API only)`,
      groupId: copyGroup.id,
      credential: "customerSecretKeys",
      freeformTags: context.ociFreeformTags,
    });
    const customerKey = new oci.identity.CustomerSecretKey(
      `${name}-copy-key`,
      { userId: copyUser.id, displayName: `${namePrefix} batch copy` },
      { parent: this, additionalSecretOutputs: ["key"] },
    );
    const ociKeySecret = new aws.secretsmanager.Secret(
      `${name}-oci-key`,
      {
        name: `${namePrefix}/sync/oci-batch-key`,
        description: "OCI customer secret key of the batch copy (Object Storage S3 API)",
        kmsKeyId: args.secrets.secretsKeyArn,
        recoveryWindowInDays: isProduction ? 30 : 7,
      },
      kept(this, context, "aws:secretsmanager/secret:Secret"),
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-oci-key-value`,
      {
        secretId: ociKeySecret.id,
        secretString: pulumi.secret(
          pulumi
            .all([customerKey.id, customerKey.key])
            .apply(([accessKeyId, secretAccessKey]) => JSON.stringify({ accessKeyId, secretAccessKey })),
        ),
      },
      child,
    );

    const fnCommon = { logRetentionDays: args.logRetentionDays, isProduction, keyAdministratorArns };
    // The export: 9098 to the brokers (which admit it), 443 to S3 through the gateway endpoint; nothing in.
    const exportSg = new aws.ec2.SecurityGroup(
      `${name}-export-sg`,
      { vpcId: args.network.vpcId, description: `${namePrefix} batch export: MSK and S3 only` },
      child,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-export-to-brokers`,
      {
        securityGroupId: exportSg.id,
        ipProtocol: "tcp",
        fromPort: MSK_IAM_PORT,
        toPort: MSK_IAM_PORT,
        referencedSecurityGroupId: args.kafka.securityGroupId,
        description: "MSK (TLS, IAM)",
      },
      child,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-brokers-from-export`,
      {
        securityGroupId: args.kafka.securityGroupId,
        ipProtocol: "tcp",
        fromPort: MSK_IAM_PORT,
        toPort: MSK_IAM_PORT,
        referencedSecurityGroupId: exportSg.id,
        description: "Kafka (TLS, IAM) from the batch export",
      },
      child,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-export-to-s3`,
      {
        securityGroupId: exportSg.id,
        ipProtocol: "tcp",
        fromPort: HTTPS_PORT,
        toPort: HTTPS_PORT,
        prefixListId: args.network.gatewayPrefixListIds.s3,
        description: "S3 through the gateway endpoint",
      },
      child,
    );
    const { securityGroup: loadSg } = databaseClientSecurityGroup(
      `${name}-load`,
      this,
      `${namePrefix} batch load: the Oracle listener and the VPC endpoints only`,
      {
        vpcId: args.network.vpcId,
        databaseCidr: args.databaseCidr,
        endpointSecurityGroupId: args.network.endpointSecurityGroupId,
      },
    );
    const ordersTopicArn = args.kafka.topicArns[ORDER_TOPICS.orders];
    const exporter = new NodeFunction(
      `${name}-export`,
      {
        ...fnCommon,
        entry: "functions/aws/batch/exportHandler.ts",
        functionName: `${namePrefix}-orders-batch-export`,
        description: "Writes a day's order events from the orders topic to the batch bucket",
        timeoutSeconds: 900,
        memoryMb: 1024,
        vpc: { subnetIds: args.network.privateSubnetIds, securityGroupIds: [exportSg.id], vpcUrn: args.network.vpcUrn },
        environment: { [BATCH_ENV.exportBucket]: bucket.bucket, [BATCH_ENV.brokers]: args.kafka.bootstrapBrokersIam },
        calls: {
          declarations: BATCH_CALLS.export,
          targets: {
            kafkaCluster: args.kafka.clusterArn,
            ordersTopic: ordersTopicArn,
            exportGroup: pulumi
              .output(args.kafka.clusterArn)
              .apply((arn) => kafkaResourceArn(arn, "group", `${EXPORT_GROUP_PREFIX}-0b6f1e52`)),
            exportBucket: bucket,
          },
        },
        grants: [
          ...exportKafkaGrants(args.kafka.clusterArn, ordersTopicArn),
          { actions: ["s3:PutObject"], resources: [pulumi.interpolate`${bucket.arn}/orders/*`] },
          // One PutObject per day's file (no multipart upload): the data key only.
          { actions: ["kms:GenerateDataKey"], resources: [bucketKey.arn] },
        ],
      },
      child,
    ).outputs;
    const copier = new NodeFunction(
      `${name}-copy`,
      {
        ...fnCommon,
        entry: "functions/aws/batch/copyHandler.ts",
        functionName: `${namePrefix}-orders-batch-copy`,
        description: "Copies a day's order file to the OCI bucket through Object Storage's S3 API",
        timeoutSeconds: 900,
        memoryMb: 512,
        environment: {
          [BATCH_ENV.exportBucket]: bucket.bucket,
          [BATCH_ENV.ociKeySecretArn]: ociKeySecret.arn,
          [BATCH_ENV.ociNamespace]: namespace,
          [BATCH_ENV.ociRegion]: args.ociRegion,
          [BATCH_ENV.ociBucket]: ociBucket.name,
        },
        calls: {
          declarations: BATCH_CALLS.copy,
          targets: { exportBucket: bucket, ociKeySecret },
        },
        grants: [
          { actions: ["s3:GetObject"], resources: [pulumi.interpolate`${bucket.arn}/orders/*`] },
          { actions: ["kms:Decrypt"], resources: [bucketKey.arn] },
          { actions: ["secretsmanager:GetSecretValue"], resources: [ociKeySecret.arn] },
          { actions: ["kms:Decrypt"], resources: [args.secrets.secretsKeyArn] },
        ],
      },
      child,
    ).outputs;
    // One handler, deployed per target database: its own user's secret, the same network and bucket.
    const loadFunction = (
      suffix: string,
      into: "staging" | "lakehouse",
      description: string,
      loaderSecretArn: pulumi.Output<string>,
      schemaReady: pulumi.Resource,
    ) =>
      new NodeFunction(
        `${name}-${suffix}`,
        {
          ...fnCommon,
          entry: "functions/aws/batch/loadHandler.ts",
          functionName: `${namePrefix}-orders-batch-${suffix}`,
          description,
          timeoutSeconds: 900,
          memoryMb: 256,
          vpc: { subnetIds: args.network.privateSubnetIds, securityGroupIds: [loadSg.id], vpcUrn: args.network.vpcUrn },
          calls: { declarations: BATCH_CALLS.load, targets: { loaderSecret: loaderSecretArn } },
          environment: {
            [BATCH_ENV.loadInto]: into,
            [BATCH_ENV.loaderSecretArn]: loaderSecretArn,
            [BATCH_ENV.ociNamespace]: namespace,
            [BATCH_ENV.ociRegion]: args.ociRegion,
            [BATCH_ENV.ociBucket]: ociBucket.name,
            [BATCH_ENV.rejectLimit]: String(args.settings.rejectLimit ?? DEFAULT_REJECT_LIMIT),
          },
          grants: [
            { actions: ["secretsmanager:GetSecretValue"], resources: [loaderSecretArn] },
            { actions: ["kms:Decrypt"], resources: [args.secrets.secretsKeyArn] },
          ],
        },
        { parent: this, dependsOn: [schemaReady, ociPolicy] },
      ).outputs;
    const loader = loadFunction(
      "load",
      "staging",
      "Loads a day's order file into the database (DBMS_CLOUD, resource principal) and merges it",
      args.secrets.loaderSecretArn,
      args.schemaReady,
    );
    const lakehouse = args.lakehouse
      ? loadFunction(
          "lakehouse",
          "lakehouse",
          "Loads a day's order file into the Lakehouse's order events (DBMS_CLOUD, resource principal)",
          args.lakehouse.loaderSecretArn,
          args.lakehouse.schemaReady,
        )
      : undefined;
    const stepArns = [
      exporter.functionArn,
      copier.functionArn,
      loader.functionArn,
      ...(lakehouse ? [lakehouse.functionArn] : []),
    ];

    // The workflow: logs (with execution data) to its own encrypted group, X-Ray tracing.
    const workflowLogs = encryptedLogGroup(`${name}-workflow-logs`, this, {
      logGroupName: `/aws/vendedlogs/states/${namePrefix}-orders-batch`,
      description: `${namePrefix} batch workflow logs`,
      retentionDays: args.logRetentionDays,
      keyAdministratorArns,
      isProduction,
      ctx,
    });
    const workflowRole = new aws.iam.Role(
      `${name}-workflow-role`,
      {
        description: `${namePrefix} batch workflow: invoke its three functions, notify the alarm topic, log, trace`,
        assumeRolePolicy: ctx.apply((c) => serviceTrustPolicy("states.amazonaws.com", c.accountId)),
      },
      child,
    );
    const workflowPolicy = new aws.iam.RolePolicy(
      `${name}-workflow-policy`,
      {
        role: workflowRole.id,
        policy: pulumi
          .all([pulumi.all(stepArns), pulumi.output(args.alarmTopicArn), pulumi.output(args.alarmKeyArn)])
          .apply(([steps, topic, topicKey]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                { Sid: "InvokeSteps", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: steps },
                { Sid: "NotifyFailure", Effect: "Allow", Action: ["sns:Publish"], Resource: [topic] },
                // The alarm topic is encrypted: SNS uses its key with the publisher's rights (the key policy delegates to IAM).
                {
                  Sid: "NotifyFailureKey",
                  Effect: "Allow",
                  Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                  Resource: [topicKey],
                },
                {
                  Sid: "VendedLogs",
                  Effect: "Allow",
                  Action: [...WORKFLOW_SERVICE_ACTIONS.logs],
                  Resource: ["*"],
                },
                {
                  Sid: "Tracing",
                  Effect: "Allow",
                  Action: [...WORKFLOW_SERVICE_ACTIONS.tracing],
                  Resource: ["*"],
                },
              ],
            }),
          ),
      },
      child,
    );
    const stateMachine = new aws.sfn.StateMachine(
      `${name}-workflow`,
      {
        name: `${namePrefix}-orders-batch`,
        type: "STANDARD",
        roleArn: workflowRole.arn,
        definition: pulumi
          .all([
            exporter.functionArn,
            copier.functionArn,
            loader.functionArn,
            lakehouse?.functionArn ?? "",
            pulumi.output(args.alarmTopicArn),
          ])
          .apply(([exportFunctionArn, copyFunctionArn, loadFunctionArn, lakehouseFunctionArn, alarmTopicArn]) =>
            JSON.stringify(
              batchWorkflowDefinition({
                exportFunctionArn,
                copyFunctionArn,
                loadFunctionArn,
                alarmTopicArn,
                ...(lakehouseFunctionArn ? { lakehouseFunctionArn } : {}),
              }),
            ),
          ),
        loggingConfiguration: {
          level: "ALL",
          includeExecutionData: true,
          logDestination: pulumi.interpolate`${workflowLogs.arn}:*`,
        },
        tracingConfiguration: { enabled: true },
      },
      // Step Functions checks at create time that the role may deliver its logs (the role policy).
      { parent: this, dependsOn: [workflowRole, workflowPolicy] },
    );

    declareCalls(`${name}-workflow`, { role: workflowRole }, BATCH_CALLS.workflow, {
      steps: stepArns,
      alarmTopic: args.alarmTopicArn,
    });

    // The schedule: the day before each firing, in UTC (the export resolves the day from the time).
    const schedulerRole = new aws.iam.Role(
      `${name}-schedule-role`,
      {
        description: `${namePrefix} batch schedule: start the batch workflow`,
        assumeRolePolicy: ctx.apply((c) => serviceTrustPolicy("scheduler.amazonaws.com", c.accountId)),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-schedule-policy`,
      {
        role: schedulerRole.id,
        policy: stateMachine.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "StartWorkflow", Effect: "Allow", Action: ["states:StartExecution"], Resource: [arn] }],
          }),
        ),
      },
      child,
    );
    declareCalls(`${name}-schedule`, { role: schedulerRole }, BATCH_CALLS.schedule, { workflow: stateMachine });
    const schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: `${namePrefix}-orders-batch`,
        description: `${namePrefix}: the batch order sync of the day before`,
        scheduleExpression: settings.schedule,
        scheduleExpressionTimezone: "UTC",
        flexibleTimeWindow: { mode: "OFF" },
        state: "ENABLED",
        target: {
          arn: stateMachine.arn,
          roleArn: schedulerRole.arn,
          input: JSON.stringify({ scheduledTime: "<aws.scheduler.scheduled-time>" }),
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        },
      },
      child,
    );

    // The workflow notifies its own failures; these catch what it cannot (the notification failing, a timeout, an abort).
    createAlarms(
      `${name}-alarm`,
      Object.fromEntries(
        (["ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"] as const).map((metricName) => [
          metricName.replace("Executions", "").toLowerCase(),
          {
            description: `${namePrefix} batch order sync: an execution ${metricName.replace("Executions", "").toLowerCase().replace("timedout", "timed out")} (re-run the day: it is idempotent)`,
            namespace: "AWS/States",
            metricName,
            dimensions: { StateMachineArn: stateMachine.arn },
            statistic: "Sum" as const,
            periodSeconds: 3600,
          },
        ]),
      ),
      args.alarmTopicArn,
      child,
    );

    this.outputs = {
      stateMachineArn: stateMachine.arn,
      exportBucket: bucket.bucket,
      ociBucket: ociBucket.name,
      scheduleName: schedule.name,
      endpointUses: pulumi
        .all([args.secrets.loaderSecretArn, bucket.arn, args.lakehouse?.loaderSecretArn ?? ""])
        .apply(([loaderSecret, bucketArn, lakehouseSecret]): EndpointUse[] => [
          {
            service: "secretsmanager",
            by: "batchLoad",
            actions: ["secretsmanager:GetSecretValue"],
            resources: [loaderSecret, ...(lakehouseSecret ? [lakehouseSecret] : [])],
          },
          { service: "s3", by: "batchExport", actions: ["s3:PutObject"], resources: [`${bucketArn}/orders/*`] },
        ]),
    };
    this.registerOutputs({ stateMachineArn: stateMachine.arn, exportBucket: bucket.bucket, ociBucket: ociBucket.name });
  }
}
