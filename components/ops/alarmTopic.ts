import { declareCalls } from "../shared/access";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { kept } from "../shared/protection";
import { emailSubscriptions } from "../shared/notifications";
import { PlatformContext, platformOptions } from "../shared/context";
import { awsContext, KeyAccess, KeyContext, rotatingKey } from "../shared/kms";

export interface AlarmTopicArgs {
  /** Who is told: each address gets an e-mail subscription (confirmed by its owner). */
  readonly emails: readonly string[];
  /** Name prefix and providers of the stack. */
  readonly context: PlatformContext;
}

export interface AlarmTopicOutputs {
  /** Where every CloudWatch alarm of the stack notifies. */
  readonly topicArn: pulumi.Output<string>;
  /** The topic's key (publishers other than CloudWatch need a grant on it). */
  readonly keyArn: pulumi.Output<string>;
}

/**
 * The services that publish to the alarm topic, each only for this account's own sources: without
 * their key grant, publishing to the encrypted topic fails silently.
 */
const ALARM_PUBLISHERS: readonly {
  sid: string;
  service: string;
  sourceArn: (partition: string, region: string, accountId: string) => string;
}[] = [
  {
    sid: "CloudWatchAlarmsPublish",
    service: "cloudwatch.amazonaws.com",
    sourceArn: (p, r, a) => `arn:${p}:cloudwatch:${r}:${a}:alarm:*`,
  },
  {
    sid: "BudgetsPublish",
    service: "budgets.amazonaws.com",
    sourceArn: (p, _r, a) => `arn:${p}:budgets::${a}:budget/*`,
  },
  {
    sid: "CostAnomalyDetectionPublish",
    service: "costalerts.amazonaws.com",
    sourceArn: (p, _r, a) => `arn:${p}:ce::${a}:anomalysubscription/*`,
  },
];

/** Who uses the alarm key: SNS (through which this account's principals publish and deliver), and this account's CloudWatch alarms, AWS Budgets and Cost Anomaly Detection. */
export function alarmKeyAccess(ctx: KeyContext, administratorArns: readonly string[]): KeyAccess {
  return {
    administratorArns,
    viaServices: ["sns"],
    serviceStatements: ALARM_PUBLISHERS.map((p) => ({
      Sid: p.sid,
      Effect: "Allow",
      Principal: { Service: p.service },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
    })),
  };
}

/** The topic policy: only this account's CloudWatch alarms, budgets and cost anomaly subscriptions may publish. */
export function alarmTopicPolicy(topicArn: string, accountId: string, region: string, partition: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: ALARM_PUBLISHERS.map((p) => ({
      Sid: p.sid,
      Effect: "Allow",
      Principal: { Service: p.service },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": p.sourceArn(partition, region, accountId) },
      },
    })),
  });
}

/** Where every CloudWatch alarm of the stack notifies: a KMS-encrypted SNS topic with e-mail subscriptions. */
export class AlarmTopic extends pulumi.ComponentResource {
  readonly outputs: AlarmTopicOutputs;

  constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:ops:AlarmTopic", name, {}, platformOptions(args.context, opts));
    const { namePrefix } = args.context;
    const child = { parent: this };
    const ctx = awsContext(child);

    const key = rotatingKey(
      `${name}-key`,
      `${namePrefix} alarm notifications`,
      ctx,
      kept(this, args.context, "aws:kms/key:Key"),
      (c) => alarmKeyAccess(c, args.context.keyAdministratorArns),
    );
    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: `${namePrefix}-alarms`, kmsMasterKeyId: key.arn },
      kept(this, args.context, "aws:sns/topic:Topic"),
    );
    const topicPolicy = new aws.sns.TopicPolicy(
      `${name}-policy`,
      {
        arn: topic.arn,
        policy: pulumi
          .all([topic.arn, ctx])
          .apply(([topicArn, { accountId, region, partition }]) =>
            alarmTopicPolicy(topicArn, accountId, region, partition),
          ),
      },
      child,
    );
    for (const publisher of ALARM_PUBLISHERS)
      declareCalls(
        `${name}-${publisher.service.split(".")[0]}`,
        {
          service: publisher.service,
          sourceArn: ctx.apply(({ partition, region, accountId }) =>
            publisher.sourceArn(partition, region, accountId).replace(/\*$/, "example"),
          ),
        },
        [{ target: "topic", actions: ["sns:Publish"] }],
        { topic },
      );
    emailSubscriptions(name, this, topic.arn, args.emails);
    // Consumers get the ARN through the policy: a budget or anomaly subscription created before the
    // policy admits its service would be refused (or, for cost anomalies, never deliver).
    this.outputs = {
      topicArn: pulumi.all([topic.arn, topicPolicy.id]).apply(([arn]) => arn),
      keyArn: key.arn,
    };
    this.registerOutputs(this.outputs);
  }
}
