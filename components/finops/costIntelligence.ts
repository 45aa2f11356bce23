import { declareCalls } from "../shared/access";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  COSTS_CALLS,
  COSTS_OCI_CALLS,
  COSTS_ENV,
  InventoryItem,
  ociDatabaseEndpoint,
  ociTelemetryEndpoint,
  ociUsageEndpoint,
} from "../../functions/aws/costs/contract";
import type { BudgetSettings } from "../config/budget";
import { emailSubscriptions } from "../shared/notifications";
import { createAlarms } from "../shared/alarms";
import { PlatformContext, platformOptions } from "../shared/context";
import { serviceTrustPolicy } from "../shared/iam";
import { awsContext, KeyContext, rotatingKey } from "../shared/kms";
import { NodeFunction } from "../shared/nodeFunction";
import { ociApiKeyIdentity } from "../shared/ociApiKeyIdentity";
import { accountBucketName, privateBucket } from "../shared/privateBucket";
import { kept } from "../shared/protection";

export interface CostIntelligenceArgs {
  /** Budgets (both clouds' limits, the AWS currency), the FinOps list, and the job's settings. */
  readonly settings: BudgetSettings;
  readonly ociRegion: string;
  readonly ociTenancyId: pulumi.Input<string>;
  /** The org's cost tag namespace (its cost_center tag groups the OCI costs). */
  readonly ociTagNamespace: pulumi.Input<string>;
  readonly secretsKeyArn: pulumi.Input<string>;
  /** The stack's costly resources, watched for idle spend: the inference endpoint, the node group (its Auto Scaling group), the databases. */
  readonly inventory: {
    readonly endpoint: {
      readonly name: pulumi.Input<string>;
      readonly instanceType: string;
      readonly instanceCount: number;
    };
    readonly nodes: {
      readonly autoScalingGroupName: pulumi.Input<string>;
      readonly instanceType: string;
      readonly count: number;
    };
    readonly databases: readonly {
      readonly id: pulumi.Input<string>;
      readonly label: string;
      readonly ecpus: number;
    }[];
  };
  /** Where the job's own failures alarm. */
  readonly alarmTopicArn: pulumi.Input<string>;
  readonly logRetentionDays: number;
  readonly context: PlatformContext;
}

export interface CostIntelligenceOutputs {
  readonly bucketName: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly reportTopicArn: pulumi.Output<string>;
  readonly scheduleName: pulumi.Output<string>;
}

/** The OCI rights of the cost job's group: the Usage API over the tenancy, the stack's metrics, and — when remediation acts — stopping its databases. */
export function costJobOciStatements(group: string, compartmentId: string, act: boolean): string[] {
  return [
    `Allow group ${group} to read usage-report in tenancy`,
    `Allow group ${group} to read metrics in compartment id ${compartmentId}`,
    ...(act ? [`Allow group ${group} to use autonomous-databases in compartment id ${compartmentId}`] : []),
  ];
}

/** The daily schedule: at hourUtc every day, UTC. */
export const costReportSchedule = (hourUtc: number) => `cron(0 ${hourUtc} * * ? *)`;

/**
 * The daily cost intelligence: a Lambda (EventBridge Scheduler, daily) collects both clouds'
 * costs — Cost Explorer with its role, the OCI Usage API with an API key Pulumi generates and keeps
 * in Secrets Manager — into a private bucket (one object per day, a re-run replaces it), finds
 * anomalies, forecasts the month end against the budgets and writes a report with a chart next to
 * the data, and mails its summary to the FinOps list through an encrypted topic. A Lambda rather
 * than an OCI Function: Cost Explorer needs AWS credentials and the report goes to AWS S3/SNS; OCI
 * needs only one signed HTTPS call, which an API key makes from anywhere.
 */
export class CostIntelligence extends pulumi.ComponentResource {
  readonly outputs: CostIntelligenceOutputs;

  constructor(name: string, args: CostIntelligenceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:finops:CostIntelligence", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { context, settings } = args;
    const { namePrefix, isProduction, keyAdministratorArns } = context;
    const ctx: pulumi.Output<KeyContext> = awsContext(child);

    // The cost table and reports: their own key, a private bucket; history kept 400 days (the longest history config allows).
    const dataKey = rotatingKey(
      `${name}-data-key`,
      `${namePrefix} cost data`,
      ctx,
      kept(this, context, "aws:kms/key:Key"),
      () => ({ administratorArns: keyAdministratorArns, viaServices: ["s3"] }),
    );
    const bucket = privateBucket(`${name}-data`, this, {
      bucketName: ctx.apply((c) => accountBucketName(namePrefix, "costs", c.accountId)),
      keyArn: dataKey.arn,
      forceDestroy: !isProduction,
      isProduction,
      lifecycleRules: [
        {
          id: "expire-days",
          status: "Enabled",
          filter: { prefix: "" },
          expiration: { days: 400 },
          noncurrentVersionExpiration: { noncurrentDays: 30 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
      ],
    });

    // The FinOps list: an encrypted topic of its own (reports are not alarms).
    const topicKey = rotatingKey(
      `${name}-topic-key`,
      `${namePrefix} cost reports`,
      ctx,
      kept(this, context, "aws:kms/key:Key"),
      () => ({ administratorArns: keyAdministratorArns, viaServices: ["sns"] }),
    );
    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: `${namePrefix}-cost-reports`, kmsMasterKeyId: topicKey.arn },
      kept(this, context, "aws:sns/topic:Topic"),
    );
    emailSubscriptions(`${name}-topic`, this, topic.arn, settings.alertEmails);

    const ociKey = ociApiKeyIdentity(this, {
      base: `${name}-oci`,
      tenancyId: args.ociTenancyId,
      name: `${namePrefix}-cost-report`,
      description: `${namePrefix}: the daily cost report reads OCI usage`,
      statements: (group) => costJobOciStatements(group, context.compartmentId, settings.report.remediation === "act"),
      calls: {
        declarations: [
          ...COSTS_OCI_CALLS.report,
          ...(settings.report.remediation === "act" ? COSTS_OCI_CALLS.remediate : []),
        ],
        targets: { compartment: context.compartmentId, databases: args.inventory.databases.map((d) => d.id) },
      },
      policyDescription: `${namePrefix}: the cost report reads the Usage API`,
      generation: settings.report.ociKeyGeneration,
      secretName: `${namePrefix}/finops/oci-api-key`,
      secretDescription: "API key of the daily cost report's OCI user (Usage API)",
      secretsKeyArn: args.secretsKeyArn,
      context,
    });

    const { endpoint, nodes, databases } = args.inventory;
    const inventory: pulumi.Output<InventoryItem[]> = pulumi
      .all([endpoint.name, nodes.autoScalingGroupName, pulumi.all(databases.map((d) => d.id))])
      .apply(([endpointName, asg, ids]) => [
        {
          kind: "sagemakerEndpoint" as const,
          id: endpointName,
          instanceType: endpoint.instanceType,
          instanceCount: endpoint.instanceCount,
        },
        { kind: "eksNodes" as const, id: asg, instanceType: nodes.instanceType, nodes: nodes.count },
        ...databases.map((d, i) => ({
          kind: "autonomousDatabase" as const,
          id: ids[i],
          label: d.label,
          ecpus: d.ecpus,
        })),
      ]);
    const budgets = JSON.stringify({
      aws: { limit: settings.awsMonthlyLimit, currency: settings.currency },
      oci: { limit: settings.ociMonthlyLimit, currency: settings.report.ociCurrency },
    });
    const fn = new NodeFunction(
      `${name}-job`,
      {
        entry: "functions/aws/costs/handler.ts",
        functionName: `${namePrefix}-cost-report`,
        description: "Collects both clouds' daily costs, finds anomalies, forecasts, writes and mails the report",
        timeoutSeconds: 300,
        memoryMb: 512,
        logRetentionDays: args.logRetentionDays,
        isProduction,
        keyAdministratorArns,
        environment: {
          [COSTS_ENV.bucket]: bucket.bucket,
          [COSTS_ENV.ociKeySecretArn]: ociKey.secretArn,
          [COSTS_ENV.ociUsageEndpoint]: ociUsageEndpoint(args.ociRegion),
          [COSTS_ENV.ociTagNamespace]: args.ociTagNamespace,
          [COSTS_ENV.reportTopicArn]: topic.arn,
          [COSTS_ENV.stack]: namePrefix,
          [COSTS_ENV.budgets]: budgets,
          [COSTS_ENV.historyDays]: String(settings.report.historyDays),
          [COSTS_ENV.anomalyDays]: String(settings.report.anomalyDays),
          [COSTS_ENV.inventory]: inventory.apply((items) => JSON.stringify(items)),
          [COSTS_ENV.remediation]: settings.report.remediation,
          [COSTS_ENV.production]: String(isProduction),
          [COSTS_ENV.ociCompartmentId]: context.compartmentId,
          [COSTS_ENV.ociTelemetryEndpoint]: ociTelemetryEndpoint(args.ociRegion),
          [COSTS_ENV.ociDatabaseEndpoint]: ociDatabaseEndpoint(args.ociRegion),
        },
        calls: {
          declarations: [
            ...COSTS_CALLS.report,
            ...(settings.report.remediation === "act" ? COSTS_CALLS.remediate : []),
          ],
          targets: {
            bucket,
            reportTopic: topic,
            ociKeySecret: ociKey.secretArn,
            nodeGroup: pulumi.interpolate`arn:${ctx.partition}:autoscaling:${ctx.region}:${ctx.accountId}:autoScalingGroup:*:autoScalingGroupName/${args.inventory.nodes.autoScalingGroupName}`,
          },
        },
        grants: [
          // WithResources: each watched resource's week, where the account enabled resource-level data.
          {
            actions: ["ce:GetCostAndUsage", "ce:GetCostAndUsageWithResources"],
            resources: ["*"],
            wildcardReason: "Cost Explorer's read actions have no resource-level permissions",
          },
          {
            actions: ["s3:GetObject", "s3:PutObject"],
            resources: [pulumi.interpolate`${bucket.arn}/costs/*`, pulumi.interpolate`${bucket.arn}/reports/*`],
          },
          // ListBucket lets a missing day answer NoSuchKey (without it S3 answers AccessDenied).
          { actions: ["s3:ListBucket"], resources: [bucket.arn] },
          { actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [dataKey.arn, topicKey.arn] },
          { actions: ["sns:Publish"], resources: [topic.arn] },
          { actions: ["secretsmanager:GetSecretValue"], resources: [ociKey.secretArn] },
          { actions: ["kms:Decrypt"], resources: [args.secretsKeyArn] },
          {
            actions: ["cloudwatch:GetMetricData"],
            resources: ["*"],
            wildcardReason: "CloudWatch GetMetricData has no resource-level permissions",
          },
          // The node group's instances now, to find their cost in Cost Explorer's resource-level data.
          {
            actions: ["autoscaling:DescribeAutoScalingGroups"],
            resources: ["*"],
            wildcardReason: "Auto Scaling's Describe actions have no resource-level permissions",
          },
          // Only when remediation acts: the node group's Auto Scaling groups, to zero.
          ...(settings.report.remediation === "act"
            ? [
                {
                  actions: ["autoscaling:UpdateAutoScalingGroup"],
                  resources: [
                    pulumi.interpolate`arn:${ctx.partition}:autoscaling:${ctx.region}:${ctx.accountId}:autoScalingGroup:*:autoScalingGroupName/${args.inventory.nodes.autoScalingGroupName}`,
                  ],
                },
              ]
            : []),
        ],
      },
      child,
    ).outputs;

    const account = ctx.apply((c) => c.accountId);
    const schedulerRole = new aws.iam.Role(
      `${name}-schedule-role`,
      {
        description: `${namePrefix}: EventBridge Scheduler runs the cost report`,
        assumeRolePolicy: account.apply((id) => serviceTrustPolicy("scheduler.amazonaws.com", id)),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-schedule-policy`,
      {
        role: schedulerRole.id,
        policy: fn.functionArn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Sid: "InvokeCostReport", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [arn] },
            ],
          }),
        ),
      },
      child,
    );
    declareCalls(`${name}-schedule`, { role: schedulerRole }, [{ target: "job", actions: ["lambda:InvokeFunction"] }], {
      job: fn.functionArn,
    });
    const schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: `${namePrefix}-cost-report`,
        description: `${namePrefix}: the daily cost report`,
        scheduleExpression: costReportSchedule(settings.report.hourUtc),
        scheduleExpressionTimezone: "UTC",
        flexibleTimeWindow: { mode: "OFF" },
        state: "ENABLED",
        // The scheduled time names the report's day: a retry reports the same day.
        target: {
          arn: fn.functionArn,
          roleArn: schedulerRole.arn,
          input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        },
      },
      child,
    );
    createAlarms(
      `${name}-alarm`,
      {
        failed: {
          description: `${namePrefix}: the daily cost report failed (Cost Explorer, the OCI Usage API or S3) — see its log group`,
          namespace: "AWS/Lambda",
          metricName: "Errors",
          dimensions: { FunctionName: fn.functionName },
          statistic: "Sum",
          periodSeconds: 3600,
          evaluationPeriods: 1,
          missingData: "notBreaching",
        },
      },
      args.alarmTopicArn,
      child,
    );
    this.outputs = {
      bucketName: bucket.bucket,
      functionName: fn.functionName,
      reportTopicArn: topic.arn,
      scheduleName: schedule.name,
    };
    this.registerOutputs(this.outputs);
  }
}
