/**
 * Declared AWS runtime calls evaluated as AWS would: for each call (and each KMS call it implies),
 * one request against the caller's identity policies, the target's resource policy, the VPC
 * endpoint policy on the path and the key policy, with the context keys AWS sets. The stack's
 * resources give the documents and ARNs; a value not known yet (a new resource in a real preview)
 * makes the call "undecidable", never allowed.
 *
 * Also the other direction: every granted action that no declared call uses, per policy.
 */
import { PolicyResource } from "@pulumi/policy";
import { AwsPolicies, AwsRequest, Caller, evaluateRequest, statementApplies } from "./iamEvaluate";
import { statementsOf } from "./iamDocuments";
import { list, obj, ofType, refersTo } from "./framework";
import { evaluateOciCalls, OciFinding, unusedOciStatements } from "./accessOci";

/** A declared call as the pack config carries it (components/shared/access.ts writes it). */
export interface CallRecord {
  readonly by: string;
  readonly caller:
    | { readonly role: string; readonly vpc?: string }
    | { readonly service: string; readonly sourceArn?: string; readonly context?: Readonly<Record<string, string>> }
    | OciCallerRecord;
  readonly action: string;
  readonly target: string;
  readonly kafka?: "topic" | "group";
  readonly object?: string;
}
/** An OCI principal as statements name it (`group x`, `dynamic-group x`, `service x`, `any-user`). */
export interface OciCallerRecord {
  readonly oci: string;
  readonly principalType?: string;
  readonly principalCompartmentId?: string;
}
/** Whether a declared call is made on OCI (evaluated by policy/accessOci.ts). */
export const isOciCall = (call: CallRecord): call is CallRecord & { caller: OciCallerRecord } => "oci" in call.caller;
export interface ExemptRecord {
  readonly role: string;
  readonly reason: string;
}
export interface AccessConfig {
  readonly calls: readonly CallRecord[];
  readonly exempt: readonly ExemptRecord[];
}

/**
 * The KMS calls a data call makes with the caller's identity when the target is encrypted with a
 * customer-managed key, the service that makes them (`kms:ViaService`) and the encryption context.
 */
export const KMS_FOR_ACTION: Readonly<
  Record<string, { readonly kms: readonly string[]; readonly context: string; readonly doc: string }>
> = {
  "sns:Publish": {
    kms: ["kms:GenerateDataKey", "kms:Decrypt"],
    context: "aws:sns:topicArn",
    doc: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html",
  },
  "sqs:SendMessage": {
    kms: ["kms:GenerateDataKey", "kms:Decrypt"],
    context: "aws:sqs:arn",
    doc: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
  },
  "sqs:ReceiveMessage": {
    kms: ["kms:Decrypt"],
    context: "aws:sqs:arn",
    doc: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
  },
  "kinesis:PutRecord": {
    kms: ["kms:GenerateDataKey"],
    context: "aws:kinesis:arn",
    doc: "https://docs.aws.amazon.com/streams/latest/dev/permissions-user-cmk.html",
  },
  "kinesis:PutRecords": {
    kms: ["kms:GenerateDataKey"],
    context: "aws:kinesis:arn",
    doc: "https://docs.aws.amazon.com/streams/latest/dev/permissions-user-cmk.html",
  },
  "kinesis:GetRecords": {
    kms: ["kms:Decrypt"],
    context: "aws:kinesis:arn",
    doc: "https://docs.aws.amazon.com/streams/latest/dev/permissions-user-cmk.html",
  },
  "s3:PutObject": {
    kms: ["kms:GenerateDataKey"],
    context: "aws:s3:arn",
    doc: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
  },
  "s3:GetObject": {
    kms: ["kms:Decrypt"],
    context: "aws:s3:arn",
    doc: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
  },
  "secretsmanager:GetSecretValue": {
    kms: ["kms:Decrypt"],
    context: "SecretARN",
    doc: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
  },
  "secretsmanager:PutSecretValue": {
    kms: ["kms:GenerateDataKey"],
    context: "SecretARN",
    doc: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
  },
  ...Object.fromEntries(
    ["GetItem", "BatchGetItem", "PutItem", "UpdateItem", "Query", "BatchWriteItem"].map((a) => [
      `dynamodb:${a}`,
      {
        kms: ["kms:Decrypt"],
        context: "aws:dynamodb:tableName",
        doc: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html",
      },
    ]),
  ),
};

/** The VPC endpoint service a call's action goes to (com.amazonaws.<region>.<name>), where it differs from the prefix. */
const ENDPOINT_SERVICE: Readonly<Record<string, string>> = {
  kinesis: "kinesis-streams",
  sagemaker: "sagemaker.runtime",
  ecr: "ecr.api",
};

export type Verdict = "allowed" | "denied" | "undecidable";

/** One evaluated request. */
export interface AccessFinding {
  readonly call: CallRecord;
  readonly action: string;
  readonly resource: string;
  /** The data call a KMS request is implied by. */
  readonly impliedBy?: string;
  readonly verdict: Verdict;
  readonly detail: string;
  /** The caller role's URN, for the least-privilege count. */
  readonly roleUrn?: string;
  readonly request?: AwsRequest;
}

class Undecidable extends Error {}

/** A string property, or Undecidable when it is not known yet (a preview's unknowns read as undefined or throw). */
function known(read: () => unknown, what: string): string {
  let value: unknown;
  try {
    value = read();
  } catch (err) {
    throw new Undecidable(`${what} is not known yet (${(err as Error).message})`);
  }
  if (typeof value !== "string" || value === "" || value.includes("04da6b54-80e4-46f7-96ec-b56ff0331ba9"))
    throw new Undecidable(`${what} is not known yet`);
  return value;
}

const arnParts = (arn: string) => {
  const [, partition, service, region, account] = arn.split(":");
  return { partition, service, region, account };
};

/** The stack's resources indexed for the lookups an evaluation needs. */
class Stack {
  readonly byUrn: Map<string, PolicyResource>;
  constructor(readonly resources: readonly PolicyResource[]) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
  }

  resource(urn: string, what: string): PolicyResource {
    const found = this.byUrn.get(urn);
    if (!found) throw new Undecidable(`${what} ${urn} is not in the stack`);
    return found;
  }

  /** Resources of `type` whose `property` was computed from `target`. */
  referring(type: string, property: string, target: PolicyResource): PolicyResource[] {
    return ofType(this.resources, type).filter((r) => refersTo(r, property, target));
  }

  /** The inline and customer-managed identity policies of a role, and its AWS-managed ones (not readable here). */
  identityOf(role: PolicyResource): {
    documents: { urn: string; name: string; document: string }[];
    managed: string[];
  } {
    const documents = this.referring("aws:iam/rolePolicy:RolePolicy", "role", role).map((p) => ({
      urn: p.urn,
      name: p.name,
      document: known(() => p.props.policy, `the policy of ${p.name}`),
    }));
    const managed: string[] = [];
    for (const attachment of this.referring("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "role", role)) {
      const customer = this.resources.find(
        (r) => r.type === "aws:iam/policy:Policy" && refersTo(attachment, "policyArn", r),
      );
      if (customer)
        documents.push({
          urn: customer.urn,
          name: customer.name,
          document: known(() => customer.props.policy, `the policy of ${customer.name}`),
        });
      else managed.push(known(() => attachment.props.policyArn, `the policy ARN of ${attachment.name}`));
    }
    return { documents, managed };
  }

  /** The resource policy of a target, if its type has one and it is set. */
  resourcePolicyOf(target: PolicyResource): unknown {
    const attached = (type: string, property: string) =>
      this.referring(type, property, target).map((p) => known(() => p.props.policy, `the policy of ${p.name}`))[0];
    switch (target.type) {
      case "aws:sns/topic:Topic":
        return attached("aws:sns/topicPolicy:TopicPolicy", "arn") ?? target.props.policy;
      case "aws:sqs/queue:Queue":
        return attached("aws:sqs/queuePolicy:QueuePolicy", "queueUrl") ?? target.props.policy;
      case "aws:secretsmanager/secret:Secret":
        return attached("aws:secretsmanager/secretPolicy:SecretPolicy", "secretArn") ?? target.props.policy;
      case "aws:s3/bucket:Bucket":
      case "aws:s3/bucketV2:BucketV2":
        return attached("aws:s3/bucketPolicy:BucketPolicy", "bucket");
      case "aws:kms/key:Key":
        return known(() => target.props.policy, `the key policy of ${target.name}`);
      case "aws:lambda/function:Function": {
        const statements = this.referring("aws:lambda/permission:Permission", "function", target).map((p) => {
          const sourceArn = p.props.sourceArn;
          const sourceAccount = p.props.sourceAccount;
          return {
            Sid: p.name,
            Effect: "Allow",
            Principal: { Service: known(() => p.props.principal, `the principal of ${p.name}`) },
            Action: known(() => p.props.action, `the action of ${p.name}`),
            Resource: "*",
            Condition: {
              ...(sourceArn !== undefined
                ? { ArnLike: { "aws:SourceArn": known(() => sourceArn, `the source of ${p.name}`) } }
                : {}),
              ...(sourceAccount !== undefined ? { StringEquals: { "aws:SourceAccount": String(sourceAccount) } } : {}),
            },
          };
        });
        return statements.length ? { Version: "2012-10-17", Statement: statements } : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The customer-managed key a target's data is encrypted with, if any. */
  keyOf(target: PolicyResource): { key: PolicyResource; context?: string } | undefined {
    const byProperty = (resource: PolicyResource, property: string) =>
      ofType(this.resources, "aws:kms/key:Key").find((k) => refersTo(resource, property, k));
    switch (target.type) {
      case "aws:sns/topic:Topic":
      case "aws:sqs/queue:Queue": {
        const key = byProperty(target, "kmsMasterKeyId");
        return key && { key };
      }
      case "aws:secretsmanager/secret:Secret":
      case "aws:kinesis/stream:Stream": {
        const key = byProperty(target, "kmsKeyId");
        return key && { key };
      }
      case "aws:dynamodb/table:Table": {
        const key = byProperty(target, "serverSideEncryption");
        return key && { key };
      }
      case "aws:s3/bucket:Bucket":
      case "aws:s3/bucketV2:BucketV2": {
        const sse = [
          ...this.referring(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "bucket",
            target,
          ),
          ...this.referring(
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            "bucket",
            target,
          ),
        ][0];
        if (!sse) return undefined;
        const key = byProperty(sse, "rules");
        const bucketKey = list(sse.props.rules).some((rule) => obj(rule).bucketKeyEnabled === true);
        return key && { key, context: bucketKey ? "bucket" : "object" };
      }
      default:
        return undefined;
    }
  }

  /** The endpoint of `service` in the VPC and its policy (none: the default full-access policy). */
  endpointIn(vpc: PolicyResource, service: string): { id: string; policy: unknown } | undefined {
    const endpoint = ofType(this.resources, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => {
      if (!refersTo(e, "vpcId", vpc)) return false;
      const name = String(e.props.serviceName ?? "");
      return name.endsWith(`.${service}`);
    });
    if (!endpoint) return undefined;
    const separate = this.referring("aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", "vpcEndpointId", endpoint)[0];
    const policy = separate
      ? known(() => separate.props.policy, `the policy of ${separate.name}`)
      : endpoint.props.policy;
    if (policy === undefined) return undefined;
    return { id: known(() => endpoint.props.id ?? endpoint.name, `the id of ${endpoint.name}`), policy };
  }
}

function targetArn(stack: Stack, call: CallRecord): { arn: string; target?: PolicyResource } {
  if (call.target === "*") return { arn: "*" };
  // A target outside the program (an AWS-owned image repository) is named by its ARN.
  if (call.target.startsWith("arn:")) return { arn: `${call.target}${call.object ?? ""}` };
  const target = stack.resource(call.target, "the target");
  const arn = known(() => target.props.arn, `the ARN of ${target.name}`);
  const base = call.kafka ? arn.replace(":cluster/", `:${call.kafka}/`) : arn;
  return { arn: `${base}${call.object ?? ""}`, target: call.kafka ? undefined : target };
}

/** Every request a declared call makes, evaluated. */
export function evaluateCall(stack: Stack, call: CallRecord): AccessFinding[] {
  const fail = (verdict: Verdict, detail: string, extra: Partial<AccessFinding> = {}): AccessFinding[] => [
    { call, action: call.action, resource: call.target, verdict, detail, ...extra },
  ];
  try {
    const { arn, target } = targetArn(stack, call);
    let caller: Caller;
    let identity: { documents: { document: string }[]; managed: string[] } = { documents: [], managed: [] };
    let roleUrn: string | undefined;
    let vpc: PolicyResource | undefined;
    const context: Record<string, string> = {};
    if ("role" in call.caller) {
      const role = stack.resource(call.caller.role, "the caller role");
      roleUrn = role.urn;
      const roleArn = known(() => role.props.arn, `the ARN of ${role.name}`);
      caller = { kind: "role", arn: roleArn, accountId: arnParts(roleArn).account };
      // The global keys AWS sets on every request by an IAM principal (endpoint policies test them).
      context["aws:PrincipalArn"] = roleArn;
      context["aws:PrincipalAccount"] = caller.accountId;
      context["aws:PrincipalType"] = "AssumedRole";
      identity = stack.identityOf(role);
      vpc = call.caller.vpc ? stack.resource(call.caller.vpc, "the caller's VPC") : undefined;
    } else if ("service" in call.caller) {
      const accountId = arnParts(call.caller.sourceArn ?? arn).account;
      caller = { kind: "service", service: call.caller.service, accountId };
      context["aws:SourceAccount"] = accountId;
      if (call.caller.sourceArn) context["aws:SourceArn"] = call.caller.sourceArn;
      Object.assign(context, call.caller.context ?? {});
    } else throw new Error(`${call.by}: an OCI call reached the AWS evaluation`);
    // The owner of a resource in the program is this account (S3 ARNs do not carry it).
    if (arn !== "*") context["aws:ResourceAccount"] = arnParts(arn).account || caller.accountId;
    const service = call.action.split(":")[0];
    const endpoint = vpc ? stack.endpointIn(vpc, ENDPOINT_SERVICE[service] ?? service) : undefined;
    if (endpoint) context["aws:SourceVpce"] = endpoint.id;

    const decide = (request: AwsRequest, policies: AwsPolicies, impliedBy?: string): AccessFinding => {
      const decision = evaluateRequest(request, policies);
      const base = { call, action: request.action, resource: request.resource, impliedBy, roleUrn, request };
      if (decision.allowed) return { ...base, verdict: "allowed", detail: decision.by };
      if (identity.managed.length && caller.kind === "role")
        return {
          ...base,
          verdict: "undecidable",
          detail: `${decision.reason}; the role also has AWS-managed ${identity.managed.join(", ")}, not read here`,
        };
      return { ...base, verdict: "denied", detail: decision.reason };
    };

    const identityDocs = identity.documents.map((d) => d.document);
    const findings: AccessFinding[] = [
      decide(
        { caller, action: call.action, resource: arn, context },
        {
          identity: identityDocs,
          resource: target ? stack.resourcePolicyOf(target) : undefined,
          resourcePolicyRequired: target?.type === "aws:kms/key:Key",
          endpoint,
        },
      ),
    ];
    const implied = KMS_FOR_ACTION[call.action];
    const encrypted = target && implied ? stack.keyOf(target) : undefined;
    if (implied && encrypted) {
      const keyArn = known(() => encrypted.key.props.arn, `the ARN of ${encrypted.key.name}`);
      const parts = arnParts(keyArn);
      const bucketArn = call.object ? arn.slice(0, arn.length - call.object.length) : arn;
      const contextValue = encrypted.context === "bucket" ? bucketArn : arn;
      const kmsContext: Record<string, string> =
        caller.kind === "role"
          ? {
              "aws:PrincipalArn": caller.arn,
              "aws:PrincipalAccount": caller.accountId,
              "aws:ResourceAccount": parts.account,
              "kms:CallerAccount": caller.accountId,
              "kms:ViaService": `${service}.${parts.region}.amazonaws.com`,
              [`kms:EncryptionContext:${implied.context}`]: contextValue,
            }
          : { ...context, [`kms:EncryptionContext:${implied.context}`]: contextValue };
      const keyPolicy = stack.resourcePolicyOf(encrypted.key);
      for (const kmsAction of implied.kms) {
        findings.push(
          decide(
            { caller, action: kmsAction, resource: keyArn, context: kmsContext },
            // KMS calls made by the service on the caller's behalf do not pass the caller's VPC endpoint.
            { identity: identityDocs, resource: keyPolicy, resourcePolicyRequired: true },
            call.action,
          ),
        );
      }
    }
    return findings;
  } catch (err) {
    if (err instanceof Undecidable) return fail("undecidable", err.message);
    throw err;
  }
}

const label = (stack: Stack, urn: string) => stack.byUrn.get(urn)?.name ?? urn.split("::").pop() ?? urn;

/** One line per finding, naming caller, action, target and the reason. */
export function describeFinding(stack: Stack, f: AccessFinding): string {
  const caller =
    "role" in f.call.caller
      ? `role ${label(stack, f.call.caller.role)}`
      : "service" in f.call.caller
        ? `service ${f.call.caller.service}`
        : f.call.caller.oci;
  const target = f.call.target === "*" ? "*" : label(stack, f.call.target);
  const implied = f.impliedBy
    ? ` (implied by ${f.impliedBy} on ${target}; ${KMS_FOR_ACTION[f.impliedBy]?.doc})`
    : ` on ${target}`;
  return `${f.call.by} (${caller}) → ${f.action}${implied}: ${f.detail}`;
}

/** A granted action no declared call uses. */
export interface UnusedGrant {
  readonly role: string;
  readonly policy: string;
  readonly statement: string;
  readonly action: string;
  readonly resources: readonly string[];
}

/** The AWS evaluation of every declared call, and the grants of measured roles that no call uses. */
export function evaluateAwsAccess(
  resources: readonly PolicyResource[],
  config: AccessConfig,
): {
  stack: Stack;
  findings: AccessFinding[];
  oci: OciFinding[];
  unused: UnusedGrant[];
  unusedOci: { policy: string; statement: string }[];
  exempt: { role: string; reason: string }[];
  unmeasured: string[];
} {
  const stack = new Stack(resources);
  const findings = config.calls.filter((c) => !isOciCall(c)).flatMap((c) => evaluateCall(stack, c));
  const exemptUrns = new Map(config.exempt.map((e) => [e.role, e.reason]));
  const unused: UnusedGrant[] = [];
  const unmeasured: string[] = [];
  for (const role of ofType(resources, "aws:iam/role:Role")) {
    if (exemptUrns.has(role.urn)) continue;
    let identity;
    try {
      identity = stack.identityOf(role);
    } catch (err) {
      if (err instanceof Undecidable) {
        unmeasured.push(`${role.name}: ${err.message}`);
        continue;
      }
      throw err;
    }
    const requests = findings.filter((f) => f.roleUrn === role.urn && f.request).map((f) => f.request as AwsRequest);
    for (const managed of identity.managed)
      unmeasured.push(`${role.name}: AWS-managed ${managed} is not measured and not exempt`);
    for (const { name, document } of identity.documents) {
      for (const [index, s] of (statementsOf(document) ?? []).entries()) {
        if (s.Effect !== "Allow") continue;
        for (const action of list(s.Action).map(String)) {
          const narrowed = { ...s, Action: action };
          if (!requests.some((r) => statementApplies(narrowed, r)))
            unused.push({
              role: role.name,
              policy: name,
              statement: s.Sid ?? `#${index + 1}`,
              action,
              resources: list(s.Resource).map(String),
            });
        }
      }
    }
  }
  const exempt = config.exempt.map((e) => ({ role: label(stack, e.role), reason: e.reason }));
  const oci = evaluateOciCalls(resources, config.calls.filter(isOciCall));
  const unusedOci = unusedOciStatements(resources, oci, new Set(exemptUrns.keys()));
  return { stack, findings, oci, unused, unusedOci, exempt, unmeasured };
}
