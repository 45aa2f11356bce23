import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CallDeclaration, declareCalls, Target } from "./access";
import { failAs } from "./context";
import { bundleFunction, LAMBDA_RUNTIME } from "./functionBundle";
import { awsContext, encryptedLogGroup } from "./kms";

/** One IAM statement: exact actions on exact resources. */
export interface Grant {
  readonly actions: readonly string[];
  readonly resources: readonly pulumi.Input<string>[];
  /** Why AWS needs "*" here, when it does; required for a "*" resource. */
  readonly wildcardReason?: string;
}

export interface NodeFunctionArgs {
  /** Handler entry, repository-relative (functions/aws/<name>/handler.ts), exporting `handler`. */
  readonly entry: string;
  /** Function name, also the log group's suffix. */
  readonly functionName: string;
  readonly description: string;
  /** What the function may do besides writing its own logs. */
  readonly grants: readonly Grant[];
  /**
   * What the code calls at runtime: its contract's declarations, each target name bound to the
   * resource it means (the log writes and, in a VPC, the network-interface calls are added here).
   */
  readonly calls: {
    readonly declarations: readonly CallDeclaration[];
    readonly targets: Readonly<Record<string, Target | readonly Target[]>>;
  };
  readonly environment?: Record<string, pulumi.Input<string>>;
  readonly memoryMb?: number;
  /** Concurrent executions reserved (and capped) for the function; unset reserves none. */
  readonly reservedConcurrency?: number;
  readonly timeoutSeconds: number;
  readonly logRetentionDays: number;
  /** Production rules: the log group and its key are protected and retained when the function goes. */
  readonly isProduction: boolean;
  /** The roles that administer the log group's key (multicloud:aws.keyAdministratorArns). */
  readonly keyAdministratorArns: readonly string[];
  /** Files shipped next to the code (archive path → text), e.g. SQL the function applies. */
  readonly files?: Readonly<Record<string, string>>;
  /** Private subnets and security groups, for functions that reach private endpoints. */
  readonly vpc?: {
    readonly subnetIds: pulumi.Input<string>[];
    readonly securityGroupIds: pulumi.Input<string>[];
    /** The VPC's URN (AwsNetworkOutputs.vpcUrn): the function's calls pass its endpoints. */
    readonly vpcUrn: pulumi.Input<string>;
  };
}

/** What Lambda itself calls with a VPC function's role to attach it to its subnets. */
export const VPC_FUNCTION_ACTIONS = [
  "ec2:CreateNetworkInterface",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DeleteNetworkInterface",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
] as const;

/** What callers use of a function: names and ARNs to grant and wire, and the bundle's size and hash. */
export interface NodeFunctionOutputs {
  readonly functionName: pulumi.Output<string>;
  readonly functionArn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly bundle: { readonly bytes: number; readonly sha256: string };
}

/** The role's policy document; refuses a "*" resource without a stated reason. */
export function grantsPolicy(
  grants: readonly { actions: readonly string[]; resources: readonly string[]; wildcardReason?: string }[],
): string {
  for (const g of grants) {
    if (g.actions.some((a) => a === "*" || a.endsWith(":*")))
      throw new Error(`wildcard action in ${g.actions.join(", ")}; list the actions`);
    if (g.resources.includes("*") && !g.wildcardReason)
      throw new Error(`"*" resource for ${g.actions.join(", ")} needs a wildcardReason`);
  }
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: grants.map((g, i) => ({
      Sid: `Grant${i}`,
      Effect: "Allow",
      Action: [...g.actions],
      Resource: [...g.resources],
    })),
  });
}

/**
 * A Lambda function from this repository's code: bundled at program run (functionBundle.ts),
 * Node 22 on arm64, JSON logs into its own log group with retention, and a role that may do only
 * what `grants` lists plus write that log group.
 */
export class NodeFunction extends pulumi.ComponentResource {
  readonly outputs: NodeFunctionOutputs;

  constructor(name: string, args: NodeFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:shared:NodeFunction", name, {}, opts);
    const child = { parent: this };
    const bundle = failAs(this, () => bundleFunction(args.entry, args.files));

    // The function's own log group, encrypted with a key only CloudWatch Logs may use, for this group only.
    const logGroupName = `/aws/lambda/${args.functionName}`;
    const logGroup = encryptedLogGroup(`${name}-logs`, this, {
      logGroupName,
      description: `${args.functionName} logs`,
      retentionDays: args.logRetentionDays,
      keyAdministratorArns: args.keyAdministratorArns,
      isProduction: args.isProduction,
      ctx: awsContext(child),
    });
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `${args.functionName} execution role`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      },
      child,
    );
    const logArn = logGroup.arn;
    const grants: Grant[] = [
      { actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [pulumi.interpolate`${logArn}:*`] },
      ...args.grants,
    ];
    if (args.vpc) {
      grants.push({
        actions: [...VPC_FUNCTION_ACTIONS],
        resources: ["*"],
        wildcardReason: "EC2 network-interface actions for VPC functions do not support resource-level permissions",
      });
    }
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi.all(grants.map((g) => pulumi.all(g.resources as pulumi.Input<string>[]))).apply((resolved) =>
          failAs(this, () =>
            grantsPolicy(
              grants.map((g, i) => ({
                actions: g.actions,
                resources: resolved[i],
                wildcardReason: g.wildcardReason,
              })),
            ),
          ),
        ),
      },
      child,
    );

    const fn = new aws.lambda.Function(
      `${name}-function`,
      {
        name: args.functionName,
        description: `${args.description} (bundle ${(bundle.sizeBytes / 1024).toFixed(0)} KiB, sha256 ${bundle.sha256.slice(0, 12)})`,
        runtime: LAMBDA_RUNTIME,
        architectures: ["arm64"],
        handler: "index.handler",
        code: bundle.code,
        role: role.arn,
        memorySize: args.memoryMb ?? 256,
        reservedConcurrentExecutions: args.reservedConcurrency,
        timeout: args.timeoutSeconds,
        environment: args.environment ? { variables: args.environment } : undefined,
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        vpcConfig: args.vpc
          ? { subnetIds: args.vpc.subnetIds, securityGroupIds: args.vpc.securityGroupIds }
          : undefined,
      },
      // The role must be able to write logs before the first invocation.
      { parent: this, dependsOn: [policy] },
    );
    // Lambda itself writes the logs and attaches the interfaces with the role, outside the function's VPC.
    declareCalls(
      `${name}-lambda`,
      { role },
      [
        { target: "logs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], object: ":log-stream:2026/01/01/x" },
        ...(args.vpc ? [{ target: "*", actions: [...VPC_FUNCTION_ACTIONS] }] : []),
      ],
      { logs: logGroup },
    );
    declareCalls(name, { role, vpcUrn: args.vpc?.vpcUrn }, args.calls.declarations, args.calls.targets);
    this.outputs = {
      functionName: fn.name,
      functionArn: fn.arn,
      roleArn: role.arn,
      logGroupName: logGroup.name,
      bundle: { bytes: bundle.sizeBytes, sha256: bundle.sha256 },
    };
    this.registerOutputs(this.outputs);
  }
}
