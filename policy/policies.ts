/**
 * The platform's CrossGuard policies, exported apart from the pack entry (policy/index.ts) so that
 * tests and the offline plan can evaluate them without starting the analyzer.
 *
 * Each policy has a default level (dev) and, where prod is stricter, a prod level; the per-stack
 * pack config files in policy/config/ are generated from these (npm run policy:generate).
 */
import { EnforcementLevel, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { tagFieldOf } from "./taggable";
import { AWS, OCI } from "./types";

/** What every policy here carries beyond CrossGuard's own fields. */
export interface PolicyMetadata {
  /** Which cloud's resources it checks. */
  readonly cloud: "aws" | "oci" | "both";
  /** What to change when it fires. */
  readonly remediation: string;
  /** Enforcement in the prod stack when it differs from the default `enforcementLevel`. */
  readonly prodEnforcementLevel?: EnforcementLevel;
}

export type MulticloudPolicy = (ResourceValidationPolicy | StackValidationPolicy) & PolicyMetadata;

type Props = Record<string, unknown>;
type Levels = { enforcementLevel: EnforcementLevel; prodEnforcementLevel?: EnforcementLevel };
interface Meta extends Levels {
  readonly name: string;
  readonly description: string;
  readonly cloud: PolicyMetadata["cloud"];
  readonly remediation: string;
}

const MANDATORY: Levels = { enforcementLevel: "mandatory" };
/** Advisory in dev, mandatory in prod. */
const PROD_MANDATORY: Levels = { enforcementLevel: "advisory", prodEnforcementLevel: "mandatory" };

/** A policy over resources of the given types; `check` returns the violation messages. */
function resourcePolicy(meta: Meta, types: readonly string[], check: (props: Props, args: ResourceValidationArgs) => string | string[] | undefined): MulticloudPolicy {
  return {
    ...meta,
    remediationSteps: meta.remediation,
    validateResource: (args, reportViolation) => {
      if (!types.includes(args.type)) return;
      const found = check(args.props, args);
      for (const message of found === undefined ? [] : Array.isArray(found) ? found : [found]) reportViolation(message);
    },
  };
}

interface StackFinding {
  readonly message: string;
  readonly urn?: string;
}

/** A policy over the whole stack (relations between resources). */
function stackPolicy(meta: Meta, check: (resources: readonly PolicyResource[]) => StackFinding[]): MulticloudPolicy {
  return {
    ...meta,
    remediationSteps: meta.remediation,
    validateStack: (args, reportViolation) => {
      for (const finding of check(args.resources)) reportViolation(finding.message, finding.urn);
    },
  };
}

const obj = (value: unknown): Props => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Props) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const set = (value: unknown) => typeof value === "string" ? value.length > 0 : value !== undefined && value !== null;
const ofType = (resources: readonly PolicyResource[], type: string) => resources.filter((r) => r.type === type);

/** Whether `resource`'s `property` was computed from `target` (the link that survives preview's unknowns). */
export function refersTo(resource: PolicyResource, property: string, target: PolicyResource): boolean {
  return (resource.propertyDependencies[property] ?? []).some((dep) => dep.urn === target.urn);
}

function record(value: unknown): Record<string, string> {
  if (typeof value === "string") {
    try {
      return record(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return obj(value) as Record<string, string>;
}

// ---------------------------------------------------------------------------------------- both

/** Tags the FinOps reports group by; the program adds `project` and `owner` too. */
export const POLICY_REQUIRED_TAGS = ["cost_center", "environment"] as const;

/** Tags a resource ends up with: its own, the provider-computed tagsAll, and the provider's default tags. */
export function effectiveTags(type: string, props: Props, providerProps?: Props): Record<string, string> {
  if (tagFieldOf(type) === "freeformTags") return record(props.freeformTags);
  return { ...record(record(providerProps?.defaultTags).tags), ...record(props.tagsAll), ...record(props.tags) };
}

const requiredTags: MulticloudPolicy = {
  name: "required-tags",
  description: `Every taggable AWS and OCI resource carries ${POLICY_REQUIRED_TAGS.join(" and ")} (cost allocation, budgets).`,
  cloud: "both",
  ...MANDATORY,
  remediation: "Tag through the AWS provider's defaultTags or the resource's freeformTags (components/shared/tags.ts).",
  remediationSteps: "Tag through the AWS provider's defaultTags or the resource's freeformTags (components/shared/tags.ts).",
  validateResource: (args, reportViolation) => {
    if (!tagFieldOf(args.type)) return;
    const tags = effectiveTags(args.type, args.props, args.provider?.props);
    const missing = POLICY_REQUIRED_TAGS.filter((key) => !tags[key]);
    if (missing.length > 0) reportViolation(`missing tag(s) ${missing.join(", ")}`);
  },
};

const DATABASE_TYPES = [OCI.autonomousDatabase, AWS.dynamoTable, AWS.rdsInstance, AWS.rdsCluster];
const prodDatabasesProtected = resourcePolicy(
  {
    name: "prod-databases-protected",
    description: "Databases (Autonomous Database, DynamoDB, RDS) are protected from deletion by Pulumi in prod.",
    cloud: "both",
    enforcementLevel: "disabled",
    prodEnforcementLevel: "mandatory",
    remediation: "Pass { protect: true } for databases when the stack is production.",
  },
  DATABASE_TYPES,
  (_props, args) => (args.opts.protect ? undefined : "database is not protected (opts.protect)"),
);

/** Alert points every budget needs: actual spend at 70 % and 90 %, forecast at 100 %. */
export const BUDGET_ALERTS = [
  { kind: "ACTUAL", percent: 70 },
  { kind: "ACTUAL", percent: 90 },
  { kind: "FORECASTED", percent: 100 },
] as const;

const budgetsWithAlerts = stackPolicy(
  {
    name: "budgets-with-alert-rules",
    description: "Each cloud has a budget alerting at 70 % and 90 % of actual and 100 % of forecast spend.",
    cloud: "both",
    enforcementLevel: "advisory",
    remediation: "Add aws.budgets.Budget notifications and oci.budget.Rule alerts at those thresholds (budgets component).",
  },
  (resources) => {
    const findings: StackFinding[] = [];
    const awsBudgets = ofType(resources, AWS.budget);
    const awsCovered = awsBudgets.some((b) => {
      const notes = list(b.props.notifications).map(obj);
      return BUDGET_ALERTS.every((a) =>
        notes.some((n) => n.notificationType === a.kind && Number(n.threshold) === a.percent && (n.thresholdType ?? "PERCENTAGE") === "PERCENTAGE"),
      );
    });
    if (!awsCovered) findings.push({ message: "no AWS budget alerts at 70 % and 90 % actual and 100 % forecast" });
    const ociBudgets = ofType(resources, OCI.budget);
    const rules = ofType(resources, OCI.budgetRule);
    const ociCovered = ociBudgets.some((b) =>
      BUDGET_ALERTS.every((a) =>
        rules.some(
          (r) =>
            refersTo(r, "budgetId", b) &&
            r.props.type === (a.kind === "ACTUAL" ? "ACTUAL" : "FORECAST") &&
            Number(r.props.threshold) === a.percent &&
            r.props.thresholdType === "PERCENTAGE",
        ),
      ),
    );
    if (!ociCovered) findings.push({ message: "no OCI budget with alert rules at 70 % and 90 % actual and 100 % forecast" });
    return findings;
  },
);

// ----------------------------------------------------------------------------------------- AWS

/** Buckets without a companion resource of `type` satisfying `ok`, linked through its `bucket` input. */
function bucketsLacking(resources: readonly PolicyResource[], type: string, ok: (companion: PolicyResource) => boolean, what: string): StackFinding[] {
  const companions = ofType(resources, type);
  return ofType(resources, AWS.s3Bucket)
    .filter((bucket) => !companions.some((c) => refersTo(c, "bucket", bucket) && ok(c)))
    .map((bucket) => ({ message: `bucket ${bucket.name} has no ${what}`, urn: bucket.urn }));
}

const s3KmsEncryption = stackPolicy(
  {
    name: "aws-s3-kms-encryption",
    description: "Every S3 bucket has default encryption with a KMS key (SSE-KMS).",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Add aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms and a customer-managed key.",
  },
  (resources) =>
    bucketsLacking(
      resources,
      AWS.s3Encryption,
      (c) =>
        list(c.props.rules).some((rule) => {
          const sse = obj(obj(rule).applyServerSideEncryptionByDefault);
          return String(sse.sseAlgorithm ?? "").startsWith("aws:kms") && set(sse.kmsMasterKeyId);
        }),
      "SSE-KMS default encryption",
    ),
);

const s3PublicAccessBlock = stackPolicy(
  {
    name: "aws-s3-public-access-block",
    description: "Every S3 bucket blocks public ACLs and policies (all four public-access-block settings).",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Add aws.s3.BucketPublicAccessBlock with all four flags true.",
  },
  (resources) =>
    bucketsLacking(
      resources,
      AWS.s3PublicAccessBlock,
      (c) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((flag) => c.props[flag] === true),
      "public access block with all four flags",
    ),
);

const s3Versioning = stackPolicy(
  {
    name: "aws-s3-versioning",
    description: "Every S3 bucket has versioning enabled (mandatory in prod).",
    cloud: "aws",
    ...PROD_MANDATORY,
    remediation: "Add aws.s3.BucketVersioning with status Enabled.",
  },
  (resources) => bucketsLacking(resources, AWS.s3Versioning, (c) => obj(c.props.versioningConfiguration).status === "Enabled", "versioning enabled"),
);

const dynamoCmk = resourcePolicy(
  {
    name: "aws-dynamodb-cmk-encryption",
    description: "DynamoDB tables are encrypted with a customer-managed KMS key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set serverSideEncryption { enabled: true, kmsKeyArn }.",
  },
  [AWS.dynamoTable],
  (props) => {
    const sse = obj(props.serverSideEncryption);
    return sse.enabled === true && set(sse.kmsKeyArn) ? undefined : "table is not encrypted with a customer-managed KMS key";
  },
);

const dynamoPitr = resourcePolicy(
  {
    name: "aws-dynamodb-pitr",
    description: "DynamoDB tables have point-in-time recovery (mandatory in prod).",
    cloud: "aws",
    ...PROD_MANDATORY,
    remediation: "Set pointInTimeRecovery { enabled: true }.",
  },
  [AWS.dynamoTable],
  (props) => (obj(props.pointInTimeRecovery).enabled === true ? undefined : "point-in-time recovery is off"),
);

const kinesisKms = resourcePolicy(
  {
    name: "aws-kinesis-kms",
    description: "Kinesis streams are encrypted with KMS.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set encryptionType KMS and kmsKeyId.",
  },
  [AWS.kinesisStream],
  (props) => (props.encryptionType === "KMS" && set(props.kmsKeyId) ? undefined : "stream is not KMS-encrypted"),
);

const sqsKms = resourcePolicy(
  {
    name: "aws-sqs-kms",
    description: "SQS queues are encrypted with a KMS key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set kmsMasterKeyId to a customer-managed key.",
  },
  [AWS.sqsQueue],
  (props) => (set(props.kmsMasterKeyId) ? undefined : "queue is not KMS-encrypted"),
);

const snsKms = resourcePolicy(
  {
    name: "aws-sns-kms",
    description: "SNS topics are encrypted with a KMS key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set kmsMasterKeyId to a customer-managed key whose policy lets the publishing service use it.",
  },
  [AWS.snsTopic],
  (props) => (set(props.kmsMasterKeyId) ? undefined : "topic is not KMS-encrypted"),
);

const alarmsNotify = resourcePolicy(
  {
    name: "aws-alarms-notify",
    description: "Every CloudWatch alarm notifies someone when it fires.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Create alarms with components/shared/alarms.ts (createAlarms), which sends them to the stack's alarm topic.",
  },
  [AWS.metricAlarm],
  (props) => (list(props.alarmActions).length > 0 ? undefined : "alarm has no alarmActions; nobody would hear it fire"),
);

const kmsRotation = resourcePolicy(
  {
    name: "aws-kms-rotation",
    description: "Symmetric KMS keys rotate automatically.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set enableKeyRotation: true.",
  },
  [AWS.kmsKey],
  (props) => {
    const spec = props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
    return spec !== "SYMMETRIC_DEFAULT" || props.enableKeyRotation === true ? undefined : "key rotation is off";
  },
);

const mskTls = resourcePolicy(
  {
    name: "aws-msk-tls-in-transit",
    description: "MSK clusters encrypt client-broker and in-cluster traffic with TLS.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set encryptionInfo.encryptionInTransit { clientBroker: TLS, inCluster: true }.",
  },
  [AWS.mskCluster],
  (props) => {
    const transit = obj(obj(props.encryptionInfo).encryptionInTransit);
    const problems: string[] = [];
    if ((transit.clientBroker ?? "TLS") !== "TLS") problems.push(`client-broker encryption is ${String(transit.clientBroker)}`);
    if (transit.inCluster === false) problems.push("in-cluster encryption is off");
    return problems;
  },
);

const mskAtRest = resourcePolicy(
  {
    name: "aws-msk-encryption-at-rest-cmk",
    description: "MSK clusters encrypt data at rest with a customer-managed key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set encryptionInfo.encryptionAtRestKmsKeyArn.",
  },
  [AWS.mskCluster],
  (props) => (set(obj(props.encryptionInfo).encryptionAtRestKmsKeyArn) ? undefined : "no customer-managed key for data at rest"),
);

const mskAuthenticated = resourcePolicy(
  {
    name: "aws-msk-authenticated",
    description: "MSK clusters allow no unauthenticated clients and require IAM, SCRAM or mTLS.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set clientAuthentication { unauthenticated: false, sasl: { iam: true } } (or scram/tls).",
  },
  [AWS.mskCluster],
  (props) => {
    const auth = obj(props.clientAuthentication);
    const sasl = obj(auth.sasl);
    if (auth.unauthenticated === true) return "unauthenticated access is on";
    return sasl.iam === true || sasl.scram === true || set(auth.tls) ? undefined : "no client authentication method";
  },
);

const lambdaLogRetention = stackPolicy(
  {
    name: "aws-lambda-log-retention",
    description: "Every Lambda function logs to a log group with a retention period.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Create the function's log group (loggingConfig.logGroup or /aws/lambda/<name>) with retentionInDays.",
  },
  (resources) => {
    const groups = ofType(resources, AWS.logGroup).filter((g) => Number(g.props.retentionInDays) > 0);
    return ofType(resources, AWS.lambdaFunction)
      .filter((fn) => !groups.some((g) => refersTo(fn, "loggingConfig", g) || refersTo(g, "name", fn)))
      .map((fn) => ({ message: `function ${fn.name} has no log group with retention`, urn: fn.urn }));
  },
);

/** Allow statements granting every action on every resource. */
export function adminStatements(policyJson: unknown): string[] {
  let document: Props;
  try {
    document = typeof policyJson === "string" ? (JSON.parse(policyJson) as Props) : obj(policyJson);
  } catch {
    return [];
  }
  return list(document.Statement)
    .map(obj)
    .filter((s) => s.Effect === "Allow" && list(s.Action).some((a) => a === "*" || a === "*:*") && list(s.Resource).includes("*"))
    .map((s) => String(s.Sid ?? "(no Sid)"));
}

const iamNoAdminWildcards = resourcePolicy(
  {
    name: "aws-iam-no-admin-wildcards",
    description: 'No IAM policy allows Action "*" on Resource "*" (roles of functions included).',
    cloud: "aws",
    ...MANDATORY,
    remediation: "Grant the specific actions on the specific ARNs the function needs.",
  },
  [AWS.iamRole, AWS.iamRolePolicy, AWS.iamPolicy],
  (props, args) => {
    const documents = args.type === AWS.iamRole ? list(props.inlinePolicies).map((p) => obj(p).policy) : [props.policy];
    return documents.flatMap((doc) => adminStatements(doc)).map((sid) => `statement ${sid} allows * on *`);
  },
);

const esmBounded = resourcePolicy(
  {
    name: "aws-esm-bounded-retries",
    description: "Stream event source mappings bound retries and record age and send failures to a destination.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set maximumRetryAttempts, maximumRecordAgeInSeconds and destinationConfig.onFailure.destinationArn.",
  },
  [AWS.eventSourceMapping],
  (props) => {
    const source = String(props.eventSourceArn ?? "");
    if (!/:(kinesis|dynamodb):/.test(source) && !set(props.startingPosition)) return undefined;
    const problems: string[] = [];
    const retries = props.maximumRetryAttempts;
    if (retries === undefined || Number(retries) < 0) problems.push("retries are unbounded");
    const age = props.maximumRecordAgeInSeconds;
    if (age === undefined || Number(age) < 0) problems.push("record age is unbounded");
    if (!set(obj(obj(props.destinationConfig).onFailure).destinationArn)) problems.push("no on-failure destination");
    return problems;
  },
);

const eksEndpoint = resourcePolicy(
  {
    name: "aws-eks-private-endpoint",
    description: "EKS API endpoints are private, or public only to listed ranges (never 0.0.0.0/0).",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set vpcConfig.endpointPublicAccess false, or publicAccessCidrs to your admin ranges.",
  },
  [AWS.eksCluster],
  (props) => {
    const vpc = obj(props.vpcConfig);
    if (vpc.endpointPublicAccess === false) return undefined;
    const cidrs = list(vpc.publicAccessCidrs);
    return cidrs.length > 0 && !cidrs.includes("0.0.0.0/0") ? undefined : "public API endpoint open to 0.0.0.0/0";
  },
);

const eksSecrets = resourcePolicy(
  {
    name: "aws-eks-secrets-encryption",
    description: "EKS encrypts Kubernetes secrets with a KMS key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set encryptionConfig { resources: [secrets], provider: { keyArn } }.",
  },
  [AWS.eksCluster],
  (props) => {
    const config = obj(props.encryptionConfig);
    return list(config.resources).includes("secrets") && set(obj(config.provider).keyArn) ? undefined : "secrets are not KMS-encrypted";
  },
);

export const EKS_REQUIRED_LOGS = ["api", "audit", "authenticator"] as const;
const eksLogs = resourcePolicy(
  {
    name: "aws-eks-control-plane-logs",
    description: `EKS sends ${EKS_REQUIRED_LOGS.join(", ")} control-plane logs (mandatory in prod).`,
    cloud: "aws",
    ...PROD_MANDATORY,
    remediation: `Set enabledClusterLogTypes to include ${EKS_REQUIRED_LOGS.join(", ")}.`,
  },
  [AWS.eksCluster],
  (props) => {
    const missing = EKS_REQUIRED_LOGS.filter((log) => !list(props.enabledClusterLogTypes).includes(log));
    return missing.length ? `control-plane logs missing: ${missing.join(", ")}` : undefined;
  },
);

const sagemakerKms = resourcePolicy(
  {
    name: "aws-sagemaker-endpoint-kms",
    description: "SageMaker endpoint configurations encrypt their storage with a KMS key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set kmsKeyArn on the endpoint configuration.",
  },
  [AWS.sagemakerEndpointConfig],
  (props) => (set(props.kmsKeyArn) ? undefined : "no KMS key"),
);

const secretsCmk = resourcePolicy(
  {
    name: "aws-secrets-cmk",
    description: "Secrets Manager secrets use a customer-managed KMS key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set kmsKeyId to a customer-managed key.",
  },
  [AWS.secret],
  (props) => (set(props.kmsKeyId) ? undefined : "secret uses the AWS-managed key"),
);

const OPEN = ["0.0.0.0/0", "::/0"];
interface OpenIngress {
  readonly from: number;
  readonly to: number;
  readonly protocol: string;
}

/** Ingress from anywhere that a security-group-ish resource opens. */
function openIngress(resource: PolicyResource): OpenIngress[] {
  const p = resource.props;
  const asRule = (r: Props, cidrs: unknown[]): OpenIngress[] =>
    cidrs.some((c) => OPEN.includes(String(c))) ? [{ from: Number(r.fromPort ?? 0), to: Number(r.toPort ?? 65535), protocol: String(r.protocol ?? r.ipProtocol ?? "-1") }] : [];
  if (resource.type === AWS.securityGroup) return list(p.ingress).flatMap((r) => asRule(obj(r), [...list(obj(r).cidrBlocks), ...list(obj(r).ipv6CidrBlocks)]));
  if (resource.type === AWS.securityGroupRule) return p.type === "ingress" ? asRule(p, [...list(p.cidrBlocks), ...list(p.ipv6CidrBlocks)]) : [];
  if (resource.type === AWS.securityGroupIngressRule) return asRule(p, [p.cidrIpv4, p.cidrIpv6]);
  return [];
}

const sgNoPublicIngress = stackPolicy(
  {
    name: "aws-sg-no-public-ingress",
    description: "No security group admits 0.0.0.0/0 or ::/0, except HTTPS (443) on a load balancer's group.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Admit the caller's security group or prefix list (e.g. the OCI ranges list) instead of the internet.",
  },
  (resources) => {
    const balancers = ofType(resources, AWS.loadBalancer);
    const groupOf = (r: PolicyResource) =>
      r.type === AWS.securityGroup ? r : resources.find((g) => g.type === AWS.securityGroup && refersTo(r, "securityGroupId", g));
    const findings: StackFinding[] = [];
    for (const r of resources) {
      for (const rule of openIngress(r)) {
        const group = groupOf(r);
        const onBalancer = group !== undefined && balancers.some((lb) => refersTo(lb, "securityGroups", group));
        const httpsOnly = rule.from === 443 && rule.to === 443 && (rule.protocol === "tcp" || rule.protocol === "6");
        if (!(onBalancer && httpsOnly)) findings.push({ message: `${r.name} admits the internet on ${rule.protocol} ${rule.from}-${rule.to}`, urn: r.urn });
      }
    }
    return findings;
  },
);

const vpnIkev2 = resourcePolicy(
  {
    name: "aws-vpn-ikev2-only",
    description: "Both tunnels of every VPN connection allow IKEv2 only.",
    cloud: "aws",
    ...MANDATORY,
    remediation: 'Set tunnel1IkeVersions and tunnel2IkeVersions to ["ikev2"].',
  },
  [AWS.vpnConnection],
  (props) =>
    [1, 2]
      .filter((n) => JSON.stringify(list(props[`tunnel${n}IkeVersions`])) !== JSON.stringify(["ikev2"]))
      .map((n) => `tunnel ${n} allows ${JSON.stringify(props[`tunnel${n}IkeVersions`] ?? "ikev1 and ikev2")}`),
);

const vpcFlowLogs = stackPolicy(
  {
    name: "aws-vpc-flow-logs",
    description: "Every AWS VPC has a flow log capturing all traffic.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Create an aws.ec2.FlowLog with trafficType ALL for the VPC (AwsNetwork does).",
  },
  (resources) => {
    const flowLogs = ofType(resources, AWS.flowLog).filter((log) => log.props.trafficType === "ALL");
    return ofType(resources, AWS.vpc)
      .filter((vpc) => !flowLogs.some((log) => refersTo(log, "vpcId", vpc)))
      .map((vpc) => ({ message: `VPC ${vpc.name} has no flow log with trafficType ALL`, urn: vpc.urn }));
  },
);

// ----------------------------------------------------------------------------------------- OCI

const adbNotPublic = resourcePolicy(
  {
    name: "oci-adb-not-public",
    description: "Autonomous Databases are reachable only through a private endpoint or an access list without 0.0.0.0/0 (then one-way TLS is safe).",
    cloud: "oci",
    ...MANDATORY,
    remediation: "Set subnetId (private endpoint) and nsgIds, or whitelistedIps with specific ranges.",
  },
  [OCI.autonomousDatabase],
  (props) => {
    const privateEndpoint = set(props.subnetId);
    const acl = list(props.whitelistedIps).map(String);
    const restricted = privateEndpoint || (acl.length > 0 && !acl.includes("0.0.0.0/0"));
    if (!restricted) return "reachable from the internet: no private endpoint and no restrictive access list";
    return undefined;
  },
);

const ociBucketNotPublic = resourcePolicy(
  {
    name: "oci-bucket-no-public-access",
    description: "Object Storage buckets allow no public access.",
    cloud: "oci",
    ...MANDATORY,
    remediation: "Set accessType NoPublicAccess; share objects with pre-authenticated requests.",
  },
  [OCI.bucket],
  (props) => ((props.accessType ?? "NoPublicAccess") === "NoPublicAccess" ? undefined : `accessType is ${String(props.accessType)}`),
);

const ociBucketVersioning = resourcePolicy(
  {
    name: "oci-bucket-versioning",
    description: "Object Storage buckets keep object versions (mandatory in prod).",
    cloud: "oci",
    ...PROD_MANDATORY,
    remediation: "Set versioning: Enabled.",
  },
  [OCI.bucket],
  (props) => (props.versioning === "Enabled" ? undefined : "versioning is off"),
);

const streamPoolPrivate = resourcePolicy(
  {
    name: "oci-stream-pool-private-endpoint",
    description: "Stream pools are reachable only on a private endpoint in a VCN subnet.",
    cloud: "oci",
    ...MANDATORY,
    remediation: "Set privateEndpointSettings.subnetId (and nsgIds).",
  },
  [OCI.streamPool],
  (props) => (set(obj(props.privateEndpointSettings).subnetId) ? undefined : "stream pool has a public endpoint"),
);

/** Ports that must never be open to the internet on OCI: SSH and the Oracle listeners. */
export const OCI_PROTECTED_PORTS = [22, 1521, 1522] as const;

/** The protected ports a TCP range opens (no range = every port). */
function protectedIn(protocol: unknown, range: Props | undefined): number[] {
  if (protocol !== "all" && protocol !== "6") return [];
  const min = Number(range?.min ?? 1);
  const max = Number(range?.max ?? 65535);
  return OCI_PROTECTED_PORTS.filter((port) => port >= min && port <= max);
}

/** The protected ports a security-list ingress rule opens. */
export function protectedPortsOpened(rule: { protocol?: string; tcpOptions?: { min?: number; max?: number } }): number[] {
  return protectedIn(rule.protocol, rule.tcpOptions);
}

const ociNoInternetIngress = resourcePolicy(
  {
    name: "oci-no-internet-ingress-admin-db-ports",
    description: `OCI security lists and NSG rules admit nothing from 0.0.0.0/0 on ${OCI_PROTECTED_PORTS.join(", ")} (SSH, Oracle listeners).`,
    cloud: "oci",
    ...MANDATORY,
    remediation: "Admit the AWS VPC range or a bastion's range instead of 0.0.0.0/0 (components/network/ociRules.ts).",
  },
  [OCI.securityList, OCI.defaultSecurityList, OCI.nsgRule],
  (props, args) => {
    if (args.type === OCI.nsgRule) {
      if (props.direction !== "INGRESS" || props.source !== "0.0.0.0/0") return undefined;
      const ports = protectedIn(props.protocol, obj(obj(props.tcpOptions).destinationPortRange));
      return ports.length ? `ingress from 0.0.0.0/0 opens port(s) ${ports.join(", ")}` : undefined;
    }
    return list(props.ingressSecurityRules)
      .map(obj)
      .filter((rule) => rule.source === "0.0.0.0/0")
      .map((rule) => protectedPortsOpened(rule as { protocol?: string; tcpOptions?: { min?: number; max?: number } }))
      .filter((ports) => ports.length > 0)
      .map((ports) => `ingress from 0.0.0.0/0 opens port(s) ${ports.join(", ")}`);
  },
);

const functionsPrivate = stackPolicy(
  {
    name: "oci-functions-private-subnets",
    description: "OCI Functions applications run only in subnets that prohibit public IPs.",
    cloud: "oci",
    ...MANDATORY,
    remediation: "Use the platform's functions subnet (prohibitPublicIpOnVnic: true).",
  },
  (resources) => {
    const privateSubnets = ofType(resources, OCI.subnet).filter((s) => s.props.prohibitPublicIpOnVnic === true);
    return ofType(resources, OCI.functionsApplication)
      .filter((app) => {
        const used = app.propertyDependencies.subnetIds ?? [];
        return used.length === 0 || !used.every((dep) => privateSubnets.some((s) => s.urn === dep.urn));
      })
      .map((app) => ({ message: `application ${app.name} uses a subnet that allows public IPs (or one outside this stack)`, urn: app.urn }));
  },
);

export const policies: readonly MulticloudPolicy[] = [
  requiredTags,
  prodDatabasesProtected,
  budgetsWithAlerts,
  s3KmsEncryption,
  s3PublicAccessBlock,
  s3Versioning,
  dynamoCmk,
  dynamoPitr,
  kinesisKms,
  sqsKms,
  snsKms,
  alarmsNotify,
  kmsRotation,
  mskTls,
  mskAtRest,
  mskAuthenticated,
  lambdaLogRetention,
  iamNoAdminWildcards,
  esmBounded,
  eksEndpoint,
  eksSecrets,
  eksLogs,
  sagemakerKms,
  secretsCmk,
  sgNoPublicIngress,
  vpnIkev2,
  vpcFlowLogs,
  adbNotPublic,
  ociBucketNotPublic,
  ociBucketVersioning,
  streamPoolPrivate,
  ociNoInternetIngress,
  functionsPrivate,
];

/** The enforcement level of a policy in a stack: prod may be stricter than the default. */
export function enforcementFor(policy: MulticloudPolicy, stack: string): EnforcementLevel {
  return (stack === "prod" ? policy.prodEnforcementLevel : undefined) ?? policy.enforcementLevel ?? "advisory";
}
