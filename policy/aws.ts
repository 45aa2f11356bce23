/** AWS policies: encryption with customer-managed keys, logging, least privilege, network exposure, bounded retries. */
import { PolicyResource } from "@pulumi/policy";
import {
  encryptedWithKey,
  list,
  MANDATORY,
  MulticloudPolicy,
  obj,
  ofType,
  PROD_MANDATORY,
  Props,
  refersTo,
  resourcePolicy,
  set,
  StackFinding,
  stackPolicy,
} from "./framework";
import { adminEquivalentGrants, iamReferenceProblems, statementsOf } from "./iamDocuments";
import { AWS } from "./types";

/** Buckets without a companion resource of `type` satisfying `ok`, linked through its `bucket` input. */
function bucketsLacking(
  resources: readonly PolicyResource[],
  type: string,
  ok: (companion: PolicyResource) => boolean,
  what: string,
): StackFinding[] {
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
    remediation:
      "Add aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms and a customer-managed key.",
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
      (c) =>
        ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every(
          (flag) => c.props[flag] === true,
        ),
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
  (resources) =>
    bucketsLacking(
      resources,
      AWS.s3Versioning,
      (c) => obj(c.props.versioningConfiguration).status === "Enabled",
      "versioning enabled",
    ),
);

const dynamoCmk = encryptedWithKey(
  {
    name: "aws-dynamodb-cmk-encryption",
    description: "DynamoDB tables are encrypted with a customer-managed KMS key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set serverSideEncryption { enabled: true, kmsKeyArn }.",
  },
  AWS.dynamoTable,
  {
    key: (props) => obj(props.serverSideEncryption).kmsKeyArn,
    enabled: (props) => obj(props.serverSideEncryption).enabled === true,
    message: "table is not encrypted with a customer-managed KMS key",
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

const kinesisKms = encryptedWithKey(
  {
    name: "aws-kinesis-kms",
    description: "Kinesis streams are encrypted with KMS.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set encryptionType KMS and kmsKeyId.",
  },
  AWS.kinesisStream,
  {
    key: (props) => props.kmsKeyId,
    enabled: (props) => props.encryptionType === "KMS",
    message: "stream is not KMS-encrypted",
  },
);

const sqsKms = encryptedWithKey(
  {
    name: "aws-sqs-kms",
    description: "SQS queues are encrypted with a KMS key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set kmsMasterKeyId to a customer-managed key.",
  },
  AWS.sqsQueue,
  { key: (props) => props.kmsMasterKeyId, message: "queue is not KMS-encrypted" },
);

const snsKms = encryptedWithKey(
  {
    name: "aws-sns-kms",
    description: "SNS topics are encrypted with a KMS key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set kmsMasterKeyId to a customer-managed key whose policy lets the publishing service use it.",
  },
  AWS.snsTopic,
  { key: (props) => props.kmsMasterKeyId, message: "topic is not KMS-encrypted" },
);

const alarmsNotify = resourcePolicy(
  {
    name: "aws-alarms-notify",
    description: "Every CloudWatch alarm notifies someone when it fires.",
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Create alarms with components/shared/alarms.ts (createAlarms), which sends them to the stack's alarm topic.",
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
    if ((transit.clientBroker ?? "TLS") !== "TLS")
      problems.push(`client-broker encryption is ${String(transit.clientBroker)}`);
    if (transit.inCluster === false) problems.push("in-cluster encryption is off");
    return problems;
  },
);

const mskAtRest = encryptedWithKey(
  {
    name: "aws-msk-encryption-at-rest-cmk",
    description: "MSK clusters encrypt data at rest with a customer-managed key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set encryptionInfo.encryptionAtRestKmsKeyArn.",
  },
  AWS.mskCluster,
  {
    key: (props) => obj(props.encryptionInfo).encryptionAtRestKmsKeyArn,
    message: "no customer-managed key for data at rest",
  },
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

const mskPrivate = resourcePolicy(
  {
    name: "aws-msk-private",
    description: "MSK brokers have no public access and no automatic topic creation (topics are declared as code).",
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Leave brokerNodeGroupInfo.connectivityInfo.publicAccess DISABLED, and set auto.create.topics.enable=false in the cluster's configuration.",
  },
  [AWS.mskCluster, AWS.mskConfiguration],
  (props, args) => {
    if (args.type === AWS.mskConfiguration) {
      return /^\s*auto\.create\.topics\.enable\s*=\s*false\s*$/m.test(String(props.serverProperties ?? ""))
        ? undefined
        : "topics are created automatically (auto.create.topics.enable is not false)";
    }
    const access = obj(obj(obj(props.brokerNodeGroupInfo).connectivityInfo).publicAccess).type;
    return access === undefined || access === "DISABLED" ? undefined : `public access is ${String(access)}`;
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
    .filter(
      (s) =>
        s.Effect === "Allow" && list(s.Action).some((a) => a === "*" || a === "*:*") && list(s.Resource).includes("*"),
    )
    .map((s) => String(s.Sid ?? "(no Sid)"));
}

/** The policy documents a resource carries: inline and standalone policies, trust policies, key, topic and endpoint policies. */
function documentsOf(type: string, props: Props): unknown[] {
  if (type === AWS.iamRole) return [...list(props.inlinePolicies).map((p) => obj(p).policy), props.assumeRolePolicy];
  return [props.policy];
}

const iamNoAdminWildcards = resourcePolicy(
  {
    name: "aws-iam-no-admin-wildcards",
    description:
      'No IAM or key policy grants administrator power: Action "*" on Resource "*", iam:PassRole or iam:* on "*", or kms:* to anyone but the account root.',
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Grant the specific actions on the specific ARNs the function needs; pass only the roles it launches; keep key administration to the listed roles (components/shared/kms.ts).",
  },
  [AWS.iamRole, AWS.iamRolePolicy, AWS.iamPolicy, AWS.kmsKey],
  (props, args) =>
    documentsOf(args.type, props).flatMap((doc) => [
      ...adminStatements(doc).map((sid) => `statement ${sid} allows * on *`),
      ...adminEquivalentGrants(doc),
    ]),
);

const iamReference = {
  name: "aws-iam-reference",
  description:
    "Every IAM action and condition key in a policy document exists, and every resource a grant names is of a type the action acts on (AWS's service authorization reference).",
  cloud: "aws",
  ...MANDATORY,
  remediation:
    "Fix the action, condition key or resource ARN the message names (see the Service Authorization Reference for the service).",
  remediationSteps:
    "Fix the action, condition key or resource ARN the message names (see the Service Authorization Reference for the service).",
  validateResource: async (args, reportViolation) => {
    if (
      ![AWS.iamRole, AWS.iamRolePolicy, AWS.iamPolicy, AWS.kmsKey, AWS.snsTopicPolicy, AWS.vpcEndpointPolicy].includes(
        args.type as never,
      )
    )
      return;
    for (const doc of documentsOf(args.type, args.props))
      for (const problem of await iamReferenceProblems(doc)) reportViolation(problem);
  },
} satisfies MulticloudPolicy;

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
    return list(config.resources).includes("secrets") && set(obj(config.provider).keyArn)
      ? undefined
      : "secrets are not KMS-encrypted";
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

const eksAccessEntries = resourcePolicy(
  {
    name: "aws-eks-access-entries",
    description:
      "EKS authenticates the Kubernetes API by access entries only (no aws-auth ConfigMap), and the cluster's creator gets no implicit admin.",
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Set accessConfig { authenticationMode: API, bootstrapClusterCreatorAdminPermissions: false } and grant admins by aws.eks.AccessEntry.",
  },
  [AWS.eksCluster],
  (props) => {
    const access = obj(props.accessConfig);
    const problems: string[] = [];
    if (access.authenticationMode !== "API")
      problems.push(
        `authentication mode is ${String(access.authenticationMode ?? "CONFIG_MAP (the default)")}, not API`,
      );
    if (access.bootstrapClusterCreatorAdminPermissions !== false)
      problems.push("the creator gets implicit cluster-admin");
    return problems;
  },
);

const nodesImdsv2 = resourcePolicy(
  {
    name: "aws-eks-nodes-imdsv2",
    description:
      "EKS nodes come from a launch template that requires IMDSv2 with hop limit 1, so pods cannot reach the node role's credentials.",
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Give the node group a launchTemplate with metadataOptions { httpTokens: required, httpPutResponseHopLimit: 1 }.",
  },
  [AWS.launchTemplate, AWS.eksNodeGroup],
  (props, args) => {
    if (args.type === AWS.eksNodeGroup)
      return set(obj(props.launchTemplate).id) || set(obj(props.launchTemplate).name)
        ? undefined
        : "the node group has no launch template (its instances default to IMDSv1 and hop limit 2)";
    const metadata = obj(props.metadataOptions);
    const problems: string[] = [];
    if (metadata.httpTokens !== "required") problems.push("IMDSv1 is allowed (httpTokens is not required)");
    if (Number(metadata.httpPutResponseHopLimit ?? 1) !== 1)
      problems.push(
        `hop limit is ${String(metadata.httpPutResponseHopLimit)}: containers reach the instance's credentials`,
      );
    return problems;
  },
);

const ecrRepository = resourcePolicy(
  {
    name: "aws-ecr-immutable-scanned",
    description: "ECR repositories have immutable tags, scan on push and encrypt with a customer-managed KMS key.",
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Set imageTagMutability IMMUTABLE, imageScanningConfiguration.scanOnPush true and encryptionConfigurations [{ encryptionType: KMS, kmsKey }].",
  },
  [AWS.ecrRepository],
  (props) => {
    const problems: string[] = [];
    if (props.imageTagMutability !== "IMMUTABLE") problems.push("tags are mutable");
    if (obj(props.imageScanningConfiguration).scanOnPush !== true) problems.push("images are not scanned on push");
    const encryption = obj(list(props.encryptionConfigurations)[0]);
    if (encryption.encryptionType !== "KMS" || !set(encryption.kmsKey)) problems.push("no customer-managed key");
    return problems;
  },
);

const sagemakerKms = encryptedWithKey(
  {
    name: "aws-sagemaker-endpoint-kms",
    description: "SageMaker endpoint configurations encrypt their storage with a KMS key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set kmsKeyArn on the endpoint configuration.",
  },
  AWS.sagemakerEndpointConfig,
  { key: (props) => props.kmsKeyArn, message: "no KMS key" },
);

const secretsCmk = encryptedWithKey(
  {
    name: "aws-secrets-cmk",
    description: "Secrets Manager secrets use a customer-managed KMS key.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set kmsKeyId to a customer-managed key.",
  },
  AWS.secret,
  { key: (props) => props.kmsKeyId, message: "secret uses the AWS-managed key" },
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
    cidrs.some((c) => OPEN.includes(String(c)))
      ? [
          {
            from: Number(r.fromPort ?? 0),
            to: Number(r.toPort ?? 65535),
            protocol: String(r.protocol ?? r.ipProtocol ?? "-1"),
          },
        ]
      : [];
  if (resource.type === AWS.securityGroup)
    return list(p.ingress).flatMap((r) => asRule(obj(r), [...list(obj(r).cidrBlocks), ...list(obj(r).ipv6CidrBlocks)]));
  if (resource.type === AWS.securityGroupRule)
    return p.type === "ingress" ? asRule(p, [...list(p.cidrBlocks), ...list(p.ipv6CidrBlocks)]) : [];
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
      r.type === AWS.securityGroup
        ? r
        : resources.find((g) => g.type === AWS.securityGroup && refersTo(r, "securityGroupId", g));
    const findings: StackFinding[] = [];
    for (const r of resources) {
      for (const rule of openIngress(r)) {
        const group = groupOf(r);
        const onBalancer = group !== undefined && balancers.some((lb) => refersTo(lb, "securityGroups", group));
        const httpsOnly = rule.from === 443 && rule.to === 443 && (rule.protocol === "tcp" || rule.protocol === "6");
        if (!(onBalancer && httpsOnly))
          findings.push({
            message: `${r.name} admits the internet on ${rule.protocol} ${rule.from}-${rule.to}`,
            urn: r.urn,
          });
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

/** In the order the pack lists them. */
const sfnLogging = resourcePolicy(
  {
    name: "aws-sfn-logging",
    description: "Step Functions state machines log executions (ALL, with execution data) to a CloudWatch log group.",
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Set loggingConfiguration { level: ALL, includeExecutionData: true, logDestination: <log group ARN>:* }.",
  },
  [AWS.stateMachine],
  (props) => {
    const logging = obj(props.loggingConfiguration);
    const problems: string[] = [];
    if (logging.level !== "ALL") problems.push(`logging level is ${String(logging.level ?? "OFF")}, not ALL`);
    if (logging.includeExecutionData !== true) problems.push("execution data is not logged");
    if (!set(logging.logDestination)) problems.push("no log destination");
    return problems;
  },
);

const sfnTracing = resourcePolicy(
  {
    name: "aws-sfn-tracing",
    description: "Step Functions state machines trace executions with X-Ray.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set tracingConfiguration { enabled: true } (and grant the role xray:PutTraceSegments).",
  },
  [AWS.stateMachine],
  (props) => (obj(props.tracingConfiguration).enabled === true ? undefined : "X-Ray tracing is off"),
);

/** The audience of AWS's sign-in endpoint (what a SAML assertion for the console carries). */
const AWS_SAML_AUDIENCE = "https://signin.aws.amazon.com/saml";

const samlRoleAudience = resourcePolicy(
  {
    name: "aws-saml-role-audience",
    description: `Every role a SAML provider may assume requires the AWS sign-in audience (StringEquals SAML:aud ${AWS_SAML_AUDIENCE}).`,
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Add Condition StringEquals SAML:aud to the trust policy's statement (components/federation/awsSamlFederation.ts, samlTrustPolicy).",
  },
  [AWS.iamRole],
  (props) => {
    const statements = statementsOf(props.assumeRolePolicy) ?? [];
    return statements
      .filter(
        (st) =>
          st.Effect === "Allow" &&
          ([] as unknown[]).concat(st.Action ?? []).some((a) => /^sts:AssumeRoleWithSAML$/i.test(String(a))),
      )
      .filter((st) => {
        const equals = Object.entries(st.Condition ?? {}).find(([op]) => op === "StringEquals")?.[1] ?? {};
        const aud = Object.entries(equals).find(([key]) => key.toLowerCase() === "saml:aud")?.[1];
        return !([] as unknown[]).concat(aud ?? []).includes(AWS_SAML_AUDIENCE);
      })
      .map((st) => `statement ${st.Sid ?? "(no Sid)"} lets a SAML assertion for any audience assume the role`);
  },
);

const noIamUserKeys = resourcePolicy(
  {
    name: "aws-no-iam-user-access-keys",
    description: "No IAM user access keys: people sign in through the company IdP (SAML), workloads use roles.",
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Remove the aws.iam.AccessKey; give the workload a role (pod identity, Lambda execution role) or the person a federated role.",
  },
  [AWS.iamAccessKey],
  () => "is a long-lived IAM user access key",
);

const grafanaScoped = resourcePolicy(
  {
    name: "aws-grafana-scoped-access",
    description:
      "Managed Grafana workspaces read with a role the program scopes (CUSTOMER_MANAGED, not AWS's broad service-managed policies) and see this account only.",
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Set permissionType CUSTOMER_MANAGED with a role granting the reads the dashboards need, and accountAccessType CURRENT_ACCOUNT (components/monitoring/managedGrafana.ts).",
  },
  [AWS.grafanaWorkspace],
  (props) => {
    const problems: string[] = [];
    if (props.permissionType !== "CUSTOMER_MANAGED")
      problems.push(
        `permissionType ${String(props.permissionType)}: AWS attaches its own broad read policies; use CUSTOMER_MANAGED with a scoped role`,
      );
    if (props.accountAccessType !== "CURRENT_ACCOUNT")
      problems.push(`accountAccessType ${String(props.accountAccessType)} reaches other accounts of the organization`);
    return problems;
  },
);

const grafanaNoStoredKeys = resourcePolicy(
  {
    name: "aws-grafana-no-stored-keys",
    description:
      "No Grafana API key or service-account token is a resource: they would live in the state for up to 30 days. Provisioning makes a short-lived token at run time and deletes it.",
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Remove the aws.grafana.WorkspaceApiKey / WorkspaceServiceAccountToken; let a function create a token for its run (functions/aws/grafana/handler.ts) or use SAML sign-in.",
  },
  [AWS.grafanaApiKey, AWS.grafanaServiceAccountToken],
  () => "is a long-lived Grafana key kept in the Pulumi state",
);

export const awsPolicies: readonly MulticloudPolicy[] = [
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
  mskPrivate,
  sfnLogging,
  sfnTracing,
  lambdaLogRetention,
  iamNoAdminWildcards,
  iamReference,
  samlRoleAudience,
  noIamUserKeys,
  grafanaScoped,
  grafanaNoStoredKeys,
  esmBounded,
  eksEndpoint,
  eksSecrets,
  eksLogs,
  eksAccessEntries,
  nodesImdsv2,
  ecrRepository,
  sagemakerKms,
  secretsCmk,
  sgNoPublicIngress,
  vpnIkev2,
  vpcFlowLogs,
];
