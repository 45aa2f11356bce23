/**
 * Loaded by mocha before every test file (.mocharc.json): wraps the AWS SDK v3 clients' `send` so
 * that a call from a function's code that its contract does not declare fails the test making it.
 * The caller is found from the stack (functions/aws/<name>/…); the command maps to IAM actions by
 * SDK_ACTIONS. A client pointed at another cloud's S3 API (the batch copy writing to OCI) is not AWS
 * and is not checked here.
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { BATCH_CALLS } from "../../functions/aws/batch/contract";
import { COSTS_CALLS, COSTS_OCI_CALLS } from "../../functions/aws/costs/contract";
import { FEATURES_CALLS } from "../../functions/aws/features/contract";
import { GRAFANA_CALLS } from "../../functions/aws/grafana/contract";
import { INFERENCE_CALLS } from "../../functions/aws/inference/contract";
import { MIGRATE_CALLS } from "../../functions/aws/migrate/contract";
import { ORDERS_CALLS } from "../../functions/aws/orders/contract";
import { PROBE_CALLS } from "../../functions/aws/probe/contract";
import { ROTATE_CALLS } from "../../functions/aws/rotate/contract";

/** SDK command → the IAM actions AWS authorizes it as (service authorization reference). */
export const SDK_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  GetSecretValueCommand: ["secretsmanager:GetSecretValue"],
  PutSecretValueCommand: ["secretsmanager:PutSecretValue"],
  DescribeSecretCommand: ["secretsmanager:DescribeSecret"],
  UpdateSecretVersionStageCommand: ["secretsmanager:UpdateSecretVersionStage"],
  PutObjectCommand: ["s3:PutObject"],
  GetObjectCommand: ["s3:GetObject"],
  HeadObjectCommand: ["s3:GetObject"],
  ListObjectsV2Command: ["s3:ListBucket"],
  // A multipart upload is authorized as s3:PutObject throughout.
  CreateMultipartUploadCommand: ["s3:PutObject"],
  UploadPartCommand: ["s3:PutObject"],
  CompleteMultipartUploadCommand: ["s3:PutObject"],
  AbortMultipartUploadCommand: ["s3:AbortMultipartUpload"],
  GetItemCommand: ["dynamodb:GetItem"],
  BatchGetItemCommand: ["dynamodb:BatchGetItem"],
  PutItemCommand: ["dynamodb:PutItem"],
  PutRecordsCommand: ["kinesis:PutRecords"],
  PublishCommand: ["sns:Publish"],
  InvokeEndpointCommand: ["sagemaker:InvokeEndpoint"],
  GetMetricDataCommand: ["cloudwatch:GetMetricData"],
  GetCostAndUsageCommand: ["ce:GetCostAndUsage"],
  GetCostAndUsageWithResourcesCommand: ["ce:GetCostAndUsageWithResources"],
  DescribeAutoScalingGroupsCommand: ["autoscaling:DescribeAutoScalingGroups"],
  UpdateAutoScalingGroupCommand: ["autoscaling:UpdateAutoScalingGroup"],
  CreateWorkspaceServiceAccountTokenCommand: ["grafana:CreateWorkspaceServiceAccountToken"],
  DeleteWorkspaceServiceAccountTokenCommand: ["grafana:DeleteWorkspaceServiceAccountToken"],
};

type Declarations = readonly { readonly actions: readonly string[] }[];
const actionsOf = (...lists: Declarations[]) => new Set(lists.flat().flatMap((d) => d.actions));

/** Per function folder: every action its contract declares. `producer` is a developer tool, not deployed. */
export const DECLARED: Readonly<Record<string, ReadonlySet<string>>> = {
  batch: actionsOf(BATCH_CALLS.export, BATCH_CALLS.copy, BATCH_CALLS.load),
  costs: actionsOf(COSTS_CALLS.report, COSTS_CALLS.remediate),
  features: actionsOf(FEATURES_CALLS),
  grafana: actionsOf(GRAFANA_CALLS),
  inference: actionsOf(INFERENCE_CALLS),
  migrate: actionsOf(MIGRATE_CALLS),
  orders: actionsOf(ORDERS_CALLS.api, ORDERS_CALLS.sync),
  probe: actionsOf(PROBE_CALLS),
  rotate: actionsOf(ROTATE_CALLS),
};

/** The function folder whose code made a call, from the stack at the call; undefined for test code or a tool. */
export function callingFunction(stack: string): string | undefined {
  for (const match of stack.matchAll(/functions\/aws\/([a-z]+)\//g)) if (match[1] !== "producer") return match[1];
  return undefined;
}

/** Why a call is not declared, or undefined when it is (or is not a function's call to AWS). */
export function undeclaredCall(command: string, stack: string, endpoint: string | undefined): string | undefined {
  const fn = callingFunction(stack);
  if (!fn) return undefined;
  // Object Storage's S3 API on OCI (the batch copy's target) is not an AWS call.
  if (endpoint?.includes("oraclecloud.com")) return undefined;
  const actions = SDK_ACTIONS[command];
  if (!actions)
    return `functions/aws/${fn} sends ${command}, which tests/support/sdkCalls.ts cannot map to IAM actions; add it to SDK_ACTIONS`;
  const missing = actions.filter((a) => !DECLARED[fn]?.has(a));
  return missing.length
    ? `functions/aws/${fn} calls ${missing.join(", ")} (${command}) but its contract does not declare it: add it to the contract's calls (and the grant)`
    : undefined;
}

// Every v3 client extends the same smithy Client: wrapping its send covers them all.
type Send = (
  this: { config?: { endpoint?: unknown } },
  command: { constructor: { name: string } },
  ...rest: unknown[]
) => unknown;
const base = Object.getPrototypeOf(SecretsManagerClient.prototype) as { send: Send; __declaredCallsWrapped?: boolean };
if (!base.__declaredCallsWrapped) {
  const send = base.send;
  base.send = function (this: { config?: { endpoint?: unknown } }, command, ...rest) {
    const endpoint = typeof this.config?.endpoint === "string" ? this.config.endpoint : undefined;
    const problem = undeclaredCall(command.constructor.name, new Error().stack ?? "", endpoint);
    if (problem) return Promise.reject(new Error(problem));
    return send.call(this, command, ...rest);
  };
  base.__declaredCallsWrapped = true;
}

/** The OCI API paths the functions sign requests for (ociSign.ts) → the operation their contracts declare. */
export const OCI_SIGNED_OPERATIONS: readonly {
  readonly method: string;
  readonly path: RegExp;
  readonly operation: string;
}[] = [
  { method: "POST", path: /^\/20200107\/usage$/, operation: "usage:RequestSummarizedUsages" },
  {
    method: "POST",
    path: /^\/20180401\/metrics\/actions\/summarizeMetricsData$/,
    operation: "monitoring:SummarizeMetricsData",
  },
  {
    method: "POST",
    path: /^\/20160918\/autonomousDatabases\/[^/]+\/actions\/stop$/,
    operation: "database:StopAutonomousDatabase",
  },
];

/** Per function folder: the OCI operations its contract declares. */
export const DECLARED_OCI: Readonly<Record<string, ReadonlySet<string>>> = {
  costs: actionsOf(COSTS_OCI_CALLS.report, COSTS_OCI_CALLS.remediate),
};

/** Why a signed OCI request is not declared by the calling function's contract, or undefined. */
export function undeclaredOciRequest(method: string, uri: string, stack: string): string | undefined {
  const fn = callingFunction(stack);
  if (!fn) return undefined;
  const { pathname } = new URL(uri);
  const known = OCI_SIGNED_OPERATIONS.find((o) => o.method === method.toUpperCase() && o.path.test(pathname));
  if (!known)
    return `functions/aws/${fn} signs ${method} ${pathname}, which tests/support/sdkCalls.ts cannot map to an OCI operation; add it to OCI_SIGNED_OPERATIONS`;
  return DECLARED_OCI[fn]?.has(known.operation)
    ? undefined
    : `functions/aws/${fn} calls OCI ${known.operation} (${method} ${pathname}) but its contract does not declare it`;
}

/**
 * An OCI request signer (ociSign.ts's, or oci-common's) that refuses to sign a request its calling
 * function's contract does not declare: the function tests sign with it.
 */
export function checkedSigner<T extends { signHttpRequest(request: { method: string; uri: string }): Promise<void> }>(
  signer: T,
): T {
  return {
    ...signer,
    async signHttpRequest(request: { method: string; uri: string }) {
      const problem = undeclaredOciRequest(request.method, request.uri, new Error().stack ?? "");
      if (problem) throw new Error(problem);
      return signer.signHttpRequest(request as never);
    },
  };
}
