import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { declareCalls } from "./access";
import { kept } from "./protection";

/** Who and where the deployment is: what key policies and resource policies are built from. */
export interface KeyContext {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
}

/** Who administers a key and what may use it. */
export interface KeyAccess {
  /** IAM roles that administer the key; they get no cryptographic use of it. */
  readonly administratorArns: readonly string[];
  /**
   * Services through which this account's principals may use the key (`kms:ViaService`, e.g.
   * `secretsmanager`): an IAM grant of kms:Decrypt then works only through these services.
   */
  readonly viaServices?: readonly string[];
  /** Statements for service principals that use the key on their own (CloudWatch Logs, alarms). */
  readonly serviceStatements?: readonly object[];
}

/** What a key administrator may do: manage, never encrypt or decrypt. */
export const KEY_ADMIN_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
] as const;

/** What a principal using the key through a service needs (CreateGrant: DynamoDB and others hold grants). */
export const KEY_USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
  "kms:CreateGrant",
] as const;

/**
 * A key policy that separates administrators (the roles listed) from users (this account's
 * principals, only through the listed services), plus service-principal statements. Nobody gets
 * `kms:*`, and the account root is not a blanket administrator.
 */
export function keyPolicy(ctx: KeyContext, access: KeyAccess): string {
  if (access.administratorArns.length === 0)
    throw new Error(
      "a customer-managed key needs at least one administrator role (multicloud:aws.keyAdministratorArns)",
    );
  const services = access.viaServices ?? [];
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "KeyAdministration",
        Effect: "Allow",
        Principal: { AWS: [...access.administratorArns] },
        Action: [...KEY_ADMIN_ACTIONS],
        Resource: "*",
      },
      ...(services.length
        ? [
            {
              Sid: "KeyUseThroughServices",
              Effect: "Allow",
              Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
              Action: [...KEY_USE_ACTIONS],
              Resource: "*",
              Condition: {
                StringEquals: {
                  "kms:CallerAccount": ctx.accountId,
                  "kms:ViaService": services.map((s) => `${s}.${ctx.region}.amazonaws.com`),
                },
              },
            },
          ]
        : []),
      ...(access.serviceStatements ?? []),
    ],
  });
}

/** A log group's ARN: CloudWatch Logs' encryption context for the group's key. */
export const logGroupArn = (ctx: KeyContext, logGroupName: string) =>
  `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${logGroupName}`;

/** The statement that lets CloudWatch Logs use a key for exactly one log group (its ARN is the encryption context). */
export function logGroupKeyStatement(ctx: KeyContext, logGroupName: string): object {
  return {
    Sid: "CloudWatchLogsUsesForThisLogGroup",
    Effect: "Allow",
    Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: {
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": logGroupArn(ctx, logGroupName),
      },
    },
  };
}

/** The account, partition and region of the provider in `opts`: looked up once per component. */
export function awsContext(opts: pulumi.InvokeOutputOptions): pulumi.Output<KeyContext> {
  return pulumi
    .all([
      aws.getCallerIdentityOutput({}, opts).accountId,
      aws.getPartitionOutput({}, opts).partition,
      aws.getRegionOutput({}, opts).region,
    ])
    .apply(([accountId, partition, region]) => ({ accountId, partition, region }));
}

/**
 * A customer-managed symmetric key that rotates yearly and waits 30 days before deletion, with the
 * policy `keyPolicy(ctx, access(ctx))`.
 */
export function rotatingKey(
  name: string,
  description: pulumi.Input<string>,
  ctx: pulumi.Output<KeyContext>,
  opts: pulumi.CustomResourceOptions,
  access: (ctx: KeyContext) => KeyAccess,
): aws.kms.Key {
  return new aws.kms.Key(
    name,
    {
      description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: ctx.apply((c) => keyPolicy(c, access(c))),
    },
    opts,
  );
}

export interface EncryptedLogGroupArgs {
  /** The log group's name; its key admits CloudWatch Logs for this group only. */
  readonly logGroupName: string;
  /** What the logs are, for the key's description. */
  readonly description: string;
  readonly retentionDays: number;
  /** The roles that administer the key (multicloud:aws.keyAdministratorArns). */
  readonly keyAdministratorArns: readonly string[];
  /** Production rules: the group and its key are protected and retained. */
  readonly isProduction: boolean;
  /** The account, partition and region (awsContext), where the caller has it already. */
  readonly ctx: pulumi.Output<KeyContext>;
}

/**
 * A CloudWatch log group with retention, encrypted with its own rotating key that only CloudWatch
 * Logs may use, and only for this group. Key and group share the logical name `name`.
 */
export function encryptedLogGroup(
  name: string,
  parent: pulumi.Resource,
  args: EncryptedLogGroupArgs,
): aws.cloudwatch.LogGroup {
  const key = rotatingKey(name, args.description, args.ctx, kept(parent, args, "aws:kms/key:Key"), (c) => ({
    administratorArns: args.keyAdministratorArns,
    serviceStatements: [logGroupKeyStatement(c, args.logGroupName)],
  }));
  // CloudWatch Logs encrypts and decrypts the group's events with the key, under the group's ARN as context.
  const groupArn = args.ctx.apply((c) => logGroupArn(c, args.logGroupName));
  declareCalls(
    `${name}-logs-service`,
    {
      service: args.ctx.apply((c) => `logs.${c.region}.amazonaws.com`),
      sourceArn: groupArn,
      context: { "kms:EncryptionContext:aws:logs:arn": groupArn },
    },
    [{ target: "key", actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"] }],
    { key },
  );
  return new aws.cloudwatch.LogGroup(
    name,
    { name: args.logGroupName, retentionInDays: args.retentionDays, kmsKeyId: key.arn },
    kept(parent, args, "aws:cloudwatch/logGroup:LogGroup"),
  );
}
