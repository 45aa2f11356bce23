/**
 * Each policy's decision called directly with the props the analyzer would pass: the edges of every
 * rule (defaults when a field is absent, each accepted alternative, each boundary), without running
 * a program. The fixtures in policies.test.ts prove the same policies against real SDK resources.
 */
import { EnforcementLevel, PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { expect } from "chai";
import { list, obj, record, set } from "../../policy/framework";
import {
  adminStatements,
  effectiveTags,
  enforcementFor,
  MulticloudPolicy,
  policies,
  protectedPortsOpened,
  refersTo,
} from "../../policy/policies";
import { AWS, K8S, OCI } from "../../policy/types";
import { KEPT_IN_PRODUCTION } from "../../components/shared/environments";

const policy = (name: string): MulticloudPolicy => {
  const found = policies.find((p) => p.name === name);
  if (!found) throw new Error(`no policy ${name}`);
  return found;
};

interface Options {
  readonly protect?: boolean;
  readonly providerProps?: Record<string, unknown>;
}

/** The messages a resource policy reports for one resource. */
function onResource(name: string, type: string, props: Record<string, unknown>, options: Options = {}): string[] {
  const p = policy(name);
  if (!("validateResource" in p) || typeof p.validateResource !== "function")
    throw new Error(`${name} is not a resource policy`);
  const messages: string[] = [];
  const args = {
    type,
    props,
    urn: `urn:pulumi:t::p::${type}::r`,
    name: "r",
    opts: { protect: options.protect ?? false },
    provider: options.providerProps
      ? { type: "pulumi:providers:aws", props: options.providerProps, urn: "urn:provider", name: "aws" }
      : undefined,
  } as unknown as ResourceValidationArgs;
  void p.validateResource(args, (message) => messages.push(message));
  return messages;
}

interface Fake {
  readonly type: string;
  readonly name: string;
  readonly props?: Record<string, unknown>;
  /** property → the fakes it was computed from */
  readonly from?: Record<string, Fake[]>;
}

function asResources(fakes: readonly Fake[]): PolicyResource[] {
  return fakes.map(
    (f) =>
      ({
        type: f.type,
        name: f.name,
        urn: `urn:${f.type}::${f.name}`,
        props: f.props ?? {},
        propertyDependencies: Object.fromEntries(
          Object.entries(f.from ?? {}).map(([k, deps]) => [k, deps.map((d) => ({ urn: `urn:${d.type}::${d.name}` }))]),
        ),
      }) as unknown as PolicyResource,
  );
}

/** The findings (`name: message`, or `(stack): message`) a stack policy reports over the fakes. */
function onStack(name: string, fakes: readonly Fake[]): string[] {
  const p = policy(name);
  if (!("validateStack" in p) || typeof p.validateStack !== "function")
    throw new Error(`${name} is not a stack policy`);
  const found: string[] = [];
  const byUrn = new Map(fakes.map((f) => [`urn:${f.type}::${f.name}`, f.name]));
  void p.validateStack({ resources: asResources(fakes) } as unknown as StackValidationArgs, (message, urn) =>
    found.push(`${urn === undefined ? "(stack)" : (byUrn.get(urn) ?? `unknown ${urn}`)}: ${message}`),
  );
  return found;
}

describe("policy levels per environment", () => {
  // [default (dev, staging), production (prod, org)]
  const LEVELS: Record<string, [EnforcementLevel, EnforcementLevel]> = {
    "required-tags": ["mandatory", "mandatory"],
    "prod-state-protected": ["disabled", "mandatory"],
    "budgets-with-alert-rules": ["advisory", "advisory"],
    "vpn-strong-crypto": ["mandatory", "mandatory"],
    "aws-s3-kms-encryption": ["mandatory", "mandatory"],
    "aws-s3-public-access-block": ["mandatory", "mandatory"],
    "aws-s3-versioning": ["advisory", "mandatory"],
    "aws-dynamodb-cmk-encryption": ["mandatory", "mandatory"],
    "aws-dynamodb-pitr": ["advisory", "mandatory"],
    "aws-kinesis-kms": ["mandatory", "mandatory"],
    "aws-sqs-kms": ["mandatory", "mandatory"],
    "aws-sns-kms": ["mandatory", "mandatory"],
    "aws-alarms-notify": ["mandatory", "mandatory"],
    "aws-kms-rotation": ["mandatory", "mandatory"],
    "aws-msk-tls-in-transit": ["mandatory", "mandatory"],
    "aws-msk-encryption-at-rest-cmk": ["mandatory", "mandatory"],
    "aws-msk-authenticated": ["mandatory", "mandatory"],
    "aws-msk-private": ["mandatory", "mandatory"],
    "aws-sfn-logging": ["mandatory", "mandatory"],
    "aws-sfn-tracing": ["mandatory", "mandatory"],
    "aws-lambda-log-retention": ["mandatory", "mandatory"],
    "aws-iam-no-admin-wildcards": ["mandatory", "mandatory"],
    "aws-iam-reference": ["mandatory", "mandatory"],
    "aws-saml-role-audience": ["mandatory", "mandatory"],
    "aws-no-iam-user-access-keys": ["mandatory", "mandatory"],
    "aws-grafana-scoped-access": ["mandatory", "mandatory"],
    "aws-grafana-no-stored-keys": ["mandatory", "mandatory"],
    "aws-esm-bounded-retries": ["mandatory", "mandatory"],
    "aws-eks-private-endpoint": ["mandatory", "mandatory"],
    "aws-eks-secrets-encryption": ["mandatory", "mandatory"],
    "aws-eks-control-plane-logs": ["advisory", "mandatory"],
    "aws-eks-access-entries": ["mandatory", "mandatory"],
    "aws-eks-nodes-imdsv2": ["mandatory", "mandatory"],
    "aws-ecr-immutable-scanned": ["mandatory", "mandatory"],
    "aws-sagemaker-endpoint-kms": ["mandatory", "mandatory"],
    "aws-secrets-cmk": ["mandatory", "mandatory"],
    "aws-sg-no-public-ingress": ["mandatory", "mandatory"],
    "aws-vpn-ikev2-only": ["mandatory", "mandatory"],
    "aws-vpc-flow-logs": ["mandatory", "mandatory"],
    "k8s-workload-hardened": ["mandatory", "mandatory"],
    "k8s-workload-resources": ["mandatory", "mandatory"],
    "k8s-workload-probes": ["mandatory", "mandatory"],
    "k8s-image-digest": ["mandatory", "mandatory"],
    "k8s-no-secret-env": ["mandatory", "mandatory"],
    "k8s-namespace-restricted": ["mandatory", "mandatory"],
    "k8s-load-balancer-internal": ["mandatory", "mandatory"],
    "k8s-load-balancer-tls": ["advisory", "mandatory"],
    "oci-defined-cost-tags": ["mandatory", "mandatory"],
    "oci-adb-not-public": ["mandatory", "mandatory"],
    "oci-bucket-no-public-access": ["mandatory", "mandatory"],
    "oci-bucket-versioning": ["advisory", "mandatory"],
    "oci-stream-pool-private-endpoint": ["mandatory", "mandatory"],
    "oci-stream-pool-cmk": ["advisory", "mandatory"],
    "oci-no-internet-ingress-admin-db-ports": ["mandatory", "mandatory"],
    "oci-functions-private-subnets": ["mandatory", "mandatory"],
    "oci-functions-logs": ["mandatory", "mandatory"],
    "oci-apigw-auth": ["mandatory", "mandatory"],
    "oci-apigw-private": ["advisory", "mandatory"],
    "oci-apigw-logs": ["mandatory", "mandatory"],
    "oci-alarms-notify": ["mandatory", "mandatory"],
    "oci-drg-managed-route-tables": ["mandatory", "mandatory"],
    "oci-vcn-flow-logs": ["mandatory", "mandatory"],
    "oci-policy-statements-documented": ["mandatory", "mandatory"],
    "aws-runtime-calls-permitted": ["mandatory", "mandatory"],
    "oci-runtime-calls-permitted": ["mandatory", "mandatory"],
    "runtime-calls-decidable": ["advisory", "advisory"],
  };

  it("runs each policy at its level in dev, staging, prod, org and an unnamed environment", () => {
    expect(policies.map((p) => p.name)).to.deep.equal(Object.keys(LEVELS));
    for (const p of policies) {
      const [usual, production] = LEVELS[p.name];
      expect(
        [
          enforcementFor(p, "dev"),
          enforcementFor(p, "staging"),
          enforcementFor(p, undefined),
          enforcementFor(p, "prod"),
          enforcementFor(p, "org"),
        ],
        p.name,
      ).to.deep.equal([usual, usual, usual, production, production]);
    }
  });

  it("falls back to advisory when a policy names no level", () => {
    const bare = { name: "x", description: "d", cloud: "aws", remediation: "r" } as MulticloudPolicy;
    expect(enforcementFor(bare, "prod")).to.equal("advisory");
    expect(enforcementFor(bare, "dev")).to.equal("advisory");
  });

  it("gives every policy its cloud and the remediation CrossGuard shows", () => {
    for (const p of policies) {
      expect(p.remediationSteps, p.name).to.equal(p.remediation);
      // Kubernetes workloads run on EKS: their policies count as AWS ones.
      expect(p.cloud, p.name).to.equal(
        p.name.startsWith("aws-") || p.name.startsWith("k8s-") ? "aws" : p.name.startsWith("oci-") ? "oci" : "both",
      );
    }
  });
});

describe("policy prop helpers", () => {
  it("obj keeps only plain objects", () => {
    expect(obj({ a: 1 })).to.deep.equal({ a: 1 });
    expect([obj([1]), obj(null), obj(undefined), obj("s"), obj(3)]).to.deep.equal([{}, {}, {}, {}, {}]);
  });
  it("list wraps a single value and drops null and undefined", () => {
    expect([list([1, 2]), list("a"), list(0), list(null), list(undefined)]).to.deep.equal([[1, 2], ["a"], [0], [], []]);
  });
  it("set: a non-empty string or any other defined value", () => {
    expect([set("x"), set(""), set(0), set(false), set(null), set(undefined)]).to.deep.equal([
      true,
      false,
      true,
      true,
      false,
      false,
    ]);
  });
  it("record reads objects and JSON strings, and nothing else", () => {
    expect(record({ a: "1" })).to.deep.equal({ a: "1" });
    expect(record('{"a":"1"}')).to.deep.equal({ a: "1" });
    expect(record("{broken")).to.deep.equal({});
    expect(record('"text"')).to.deep.equal({});
    expect(record(undefined)).to.deep.equal({});
  });
  it("refersTo follows the property's dependencies only", () => {
    const [bucket, other, config] = asResources([
      { type: AWS.s3Bucket, name: "b" },
      { type: AWS.s3Bucket, name: "o" },
      { type: AWS.s3Versioning, name: "v", from: { bucket: [{ type: AWS.s3Bucket, name: "b" }] } },
    ]);
    expect(refersTo(config, "bucket", bucket)).to.equal(true);
    expect(refersTo(config, "bucket", other)).to.equal(false);
    expect(refersTo(config, "expectedBucketOwner", bucket)).to.equal(false);
  });
});

describe("required-tags and effective tags", () => {
  it("merges provider default tags, tagsAll and the resource's tags, the resource winning", () => {
    const tags = effectiveTags(
      AWS.vpc,
      { tags: { a: "resource" }, tagsAll: { a: "all", b: "all" } },
      { defaultTags: { tags: { a: "default", b: "default", c: "default" } } },
    );
    expect(tags).to.deep.equal({ a: "resource", b: "all", c: "default" });
    expect(effectiveTags(AWS.vpc, {}, { defaultTags: '{"tags":{"c":"json"}}' })).to.deep.equal({ c: "json" });
  });
  it("reads OCI freeform tags only (no provider defaults on OCI)", () => {
    expect(
      effectiveTags(
        "oci:Core/vcn:Vcn",
        { freeformTags: { a: "1" }, tags: { b: "2" } },
        { defaultTags: { tags: { c: "3" } } },
      ),
    ).to.deep.equal({ a: "1" });
  });
  it("fires on an empty tag value and on each missing tag", () => {
    expect(onResource("required-tags", AWS.vpc, { tags: { cost_center: "", environment: "dev" } })).to.deep.equal([
      "missing tag(s) cost_center",
    ]);
    expect(onResource("required-tags", AWS.vpc, {})).to.deep.equal(["missing tag(s) cost_center, environment"]);
    expect(
      onResource(
        "required-tags",
        AWS.vpc,
        {},
        { providerProps: { defaultTags: { tags: { cost_center: "c", environment: "dev" } } } },
      ),
    ).to.deep.equal([]);
  });
  it("ignores types that take no tags", () => {
    expect(onResource("required-tags", "aws:ec2/route:Route", {})).to.deep.equal([]);
    expect(onResource("required-tags", "random:index/randomPassword:RandomPassword", {})).to.deep.equal([]);
  });
});

describe("prod-state-protected", () => {
  for (const type of Object.keys(KEPT_IN_PRODUCTION)) {
    it(`checks ${type}`, () => {
      expect(onResource("prod-state-protected", type, {})).to.deep.equal([
        "holds state but is not protected (opts.protect)",
      ]);
      expect(onResource("prod-state-protected", type, {}, { protect: true })).to.deep.equal([]);
    });
  }
  it("leaves stateless types alone", () => {
    expect(onResource("prod-state-protected", AWS.vpc, {})).to.deep.equal([]);
    expect(onResource("prod-state-protected", AWS.metricAlarm, {})).to.deep.equal([]);
  });
});

describe("budgets-with-alert-rules", () => {
  const AWS_MISSING = "(stack): no AWS budget alerts at 70 % and 90 % actual and 100 % forecast";
  const OCI_MISSING = "(stack): no OCI budget with alert rules at 70 % and 90 % actual and 100 % forecast";
  const note = (notificationType: string, threshold: number | string, thresholdType?: string) => ({
    notificationType,
    threshold,
    ...(thresholdType ? { thresholdType } : {}),
  });
  const awsBudget = (notifications: unknown[]): Fake => ({ type: AWS.budget, name: "b", props: { notifications } });
  const ociBudget: Fake = { type: OCI.budget, name: "ob" };
  const rule = (
    name: string,
    type: string,
    threshold: number | string,
    thresholdType = "PERCENTAGE",
    budget: Fake = ociBudget,
  ): Fake => ({
    type: OCI.budgetRule,
    name,
    props: { type, threshold, thresholdType },
    from: { budgetId: [budget] },
  });
  const ociRules = [rule("a70", "ACTUAL", 70), rule("a90", "ACTUAL", 90), rule("f100", "FORECAST", 100)];

  it("accepts the three alert points on each cloud (threshold type defaults to PERCENTAGE, numbers may be strings)", () => {
    expect(
      onStack("budgets-with-alert-rules", [
        awsBudget([note("ACTUAL", 70), note("ACTUAL", "90", "PERCENTAGE"), note("FORECASTED", 100)]),
        ociBudget,
        ...ociRules,
      ]),
    ).to.deep.equal([]);
  });
  it("fires per cloud when a point is missing, in absolute terms or of the wrong kind", () => {
    const cases: unknown[][] = [
      [note("ACTUAL", 70), note("ACTUAL", 90)],
      [note("ACTUAL", 70), note("ACTUAL", 90), note("FORECASTED", 100, "ABSOLUTE_VALUE")],
      [note("ACTUAL", 70), note("ACTUAL", 90), note("ACTUAL", 100)],
      [note("ACTUAL", 70), note("FORECASTED", 90), note("FORECASTED", 100)],
      [note("ACTUAL", 71), note("ACTUAL", 90), note("FORECASTED", 100)],
    ];
    for (const notifications of cases) {
      expect(
        onStack("budgets-with-alert-rules", [awsBudget(notifications), ociBudget, ...ociRules]),
        JSON.stringify(notifications),
      ).to.deep.equal([AWS_MISSING]);
    }
  });
  it("needs the OCI rules on the same budget, as percentages, of the right type", () => {
    const full = awsBudget([note("ACTUAL", 70), note("ACTUAL", 90), note("FORECASTED", 100)]);
    const elsewhere: Fake = { type: OCI.budget, name: "other" };
    const variants: Fake[][] = [
      [rule("a70", "ACTUAL", 70), rule("a90", "ACTUAL", 90)],
      [rule("a70", "ACTUAL", 70), rule("a90", "ACTUAL", 90), rule("f100", "FORECAST", 100, "ABSOLUTE")],
      [rule("a70", "ACTUAL", 70), rule("a90", "ACTUAL", 90), rule("f100", "ACTUAL", 100)],
      [rule("a70", "ACTUAL", 70), rule("a90", "ACTUAL", 90), rule("f100", "FORECAST", 100, "PERCENTAGE", elsewhere)],
      [rule("a70", "FORECAST", 70), rule("a90", "ACTUAL", 90), rule("f100", "FORECAST", 100)],
    ];
    for (const rules of variants) {
      expect(
        onStack("budgets-with-alert-rules", [full, ociBudget, elsewhere, ...rules]),
        rules.map((r) => JSON.stringify(r.props)).join(),
      ).to.deep.equal([OCI_MISSING]);
    }
    expect(onStack("budgets-with-alert-rules", [full, ...ociRules])).to.deep.equal([OCI_MISSING]);
  });
  it("is satisfied by one complete budget among incomplete ones", () => {
    const partial: Fake = { type: AWS.budget, name: "p", props: { notifications: [note("ACTUAL", 70)] } };
    expect(
      onStack("budgets-with-alert-rules", [
        partial,
        awsBudget([note("ACTUAL", 70), note("ACTUAL", 90), note("FORECASTED", 100)]),
        ociBudget,
        ...ociRules,
      ]),
    ).to.deep.equal([]);
  });
});

describe("S3 companion policies", () => {
  const bucket: Fake = { type: AWS.s3Bucket, name: "data" };
  const companion = (type: string, props: Record<string, unknown>, of: Fake = bucket): Fake => ({
    type,
    name: `${of.name}-${type.split(":")[2]}`,
    props,
    from: { bucket: [of] },
  });

  it("SSE-KMS needs aws:kms (or aws:kms:dsse) and a key in some rule", () => {
    const sse = (rules: unknown[]) =>
      onStack("aws-s3-kms-encryption", [bucket, companion(AWS.s3Encryption, { rules })]);
    expect(
      sse([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "k" } }]),
    ).to.deep.equal([]);
    expect(
      sse([{}, { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: "k" } }]),
    ).to.deep.equal([]);
    expect(sse([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }])).to.deep.equal([
      "data: bucket data has no SSE-KMS default encryption",
    ]);
    expect(sse([{ applyServerSideEncryptionByDefault: { kmsMasterKeyId: "k" } }])).to.deep.equal([
      "data: bucket data has no SSE-KMS default encryption",
    ]);
    expect(sse([])).to.deep.equal(["data: bucket data has no SSE-KMS default encryption"]);
  });
  it("a companion of another bucket does not count", () => {
    const other: Fake = { type: AWS.s3Bucket, name: "other" };
    const versioned = companion(AWS.s3Versioning, { versioningConfiguration: { status: "Enabled" } }, other);
    expect(onStack("aws-s3-versioning", [bucket, other, versioned])).to.deep.equal([
      "data: bucket data has no versioning enabled",
    ]);
  });
  it("the public access block needs each of the four flags", () => {
    const flags = {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    };
    expect(onStack("aws-s3-public-access-block", [bucket, companion(AWS.s3PublicAccessBlock, flags)])).to.deep.equal(
      [],
    );
    for (const flag of Object.keys(flags)) {
      expect(
        onStack("aws-s3-public-access-block", [
          bucket,
          companion(AWS.s3PublicAccessBlock, { ...flags, [flag]: undefined }),
        ]),
        flag,
      ).to.deep.equal(["data: bucket data has no public access block with all four flags"]);
    }
  });
});

describe("encryption and switch policies", () => {
  it("DynamoDB needs encryption enabled and a key", () => {
    expect(
      onResource("aws-dynamodb-cmk-encryption", AWS.dynamoTable, {
        serverSideEncryption: { enabled: true, kmsKeyArn: "k" },
      }),
    ).to.deep.equal([]);
    expect(
      onResource("aws-dynamodb-cmk-encryption", AWS.dynamoTable, { serverSideEncryption: { enabled: true } }),
    ).to.have.length(1);
    expect(
      onResource("aws-dynamodb-cmk-encryption", AWS.dynamoTable, {
        serverSideEncryption: { enabled: false, kmsKeyArn: "k" },
      }),
    ).to.have.length(1);
    expect(onResource("aws-dynamodb-pitr", AWS.dynamoTable, { pointInTimeRecovery: { enabled: false } })).to.deep.equal(
      ["point-in-time recovery is off"],
    );
  });
  it("Kinesis needs KMS and a key", () => {
    expect(onResource("aws-kinesis-kms", AWS.kinesisStream, { encryptionType: "KMS", kmsKeyId: "k" })).to.deep.equal(
      [],
    );
    expect(onResource("aws-kinesis-kms", AWS.kinesisStream, { encryptionType: "NONE", kmsKeyId: "k" })).to.deep.equal([
      "stream is not KMS-encrypted",
    ]);
    expect(onResource("aws-kinesis-kms", AWS.kinesisStream, { encryptionType: "KMS", kmsKeyId: "" })).to.deep.equal([
      "stream is not KMS-encrypted",
    ]);
  });
  it("KMS rotation applies to symmetric keys only", () => {
    expect(onResource("aws-kms-rotation", AWS.kmsKey, { customerMasterKeySpec: "SYMMETRIC_DEFAULT" })).to.deep.equal([
      "key rotation is off",
    ]);
    expect(onResource("aws-kms-rotation", AWS.kmsKey, { enableKeyRotation: false })).to.deep.equal([
      "key rotation is off",
    ]);
    expect(onResource("aws-kms-rotation", AWS.kmsKey, { customerMasterKeySpec: "ECC_NIST_P256" })).to.deep.equal([]);
  });
  it("alarms need at least one action", () => {
    expect(onResource("aws-alarms-notify", AWS.metricAlarm, { alarmActions: [] })).to.deep.equal([
      "alarm has no alarmActions; nobody would hear it fire",
    ]);
    expect(onResource("aws-alarms-notify", AWS.metricAlarm, { alarmActions: "arn:aws:sns:x" })).to.deep.equal([]);
  });
});

describe("MSK", () => {
  it("defaults (no encryptionInTransit) are TLS both ways", () => {
    expect(onResource("aws-msk-tls-in-transit", AWS.mskCluster, {})).to.deep.equal([]);
    expect(
      onResource("aws-msk-tls-in-transit", AWS.mskCluster, {
        encryptionInfo: { encryptionInTransit: { clientBroker: "PLAINTEXT" } },
      }),
    ).to.deep.equal(["client-broker encryption is PLAINTEXT"]);
    expect(
      onResource("aws-msk-tls-in-transit", AWS.mskCluster, {
        encryptionInfo: { encryptionInTransit: { inCluster: false } },
      }),
    ).to.deep.equal(["in-cluster encryption is off"]);
  });
  it("any one of IAM, SCRAM or mTLS authenticates", () => {
    const auth = (clientAuthentication: unknown) =>
      onResource("aws-msk-authenticated", AWS.mskCluster, { clientAuthentication });
    expect(auth({ sasl: { scram: true } })).to.deep.equal([]);
    expect(auth({ tls: { certificateAuthorityArns: ["arn"] } })).to.deep.equal([]);
    expect(auth({ sasl: { iam: false, scram: false } })).to.deep.equal(["no client authentication method"]);
    expect(auth(undefined)).to.deep.equal(["no client authentication method"]);
    expect(auth({ unauthenticated: true, sasl: { iam: true } })).to.deep.equal(["unauthenticated access is on"]);
  });
});

describe("aws-lambda-log-retention", () => {
  const fn: Fake = { type: AWS.lambdaFunction, name: "fn" };
  const FINDING = ["fn: function fn has no log group with retention"];
  it("accepts a group named after the function or passed in loggingConfig, with retention", () => {
    expect(
      onStack("aws-lambda-log-retention", [
        fn,
        { type: AWS.logGroup, name: "g", props: { retentionInDays: 14 }, from: { name: [fn] } },
      ]),
    ).to.deep.equal([]);
    const group: Fake = { type: AWS.logGroup, name: "g", props: { retentionInDays: 1 } };
    expect(onStack("aws-lambda-log-retention", [group, { ...fn, from: { loggingConfig: [group] } }])).to.deep.equal([]);
  });
  it("fires without retention (0 = never expire) or with another function's group", () => {
    expect(
      onStack("aws-lambda-log-retention", [
        fn,
        { type: AWS.logGroup, name: "g", props: { retentionInDays: 0 }, from: { name: [fn] } },
      ]),
    ).to.deep.equal(FINDING);
    expect(
      onStack("aws-lambda-log-retention", [fn, { type: AWS.logGroup, name: "g", props: {}, from: { name: [fn] } }]),
    ).to.deep.equal(FINDING);
    const other: Fake = { type: AWS.lambdaFunction, name: "other" };
    expect(
      onStack("aws-lambda-log-retention", [
        fn,
        other,
        { type: AWS.logGroup, name: "g", props: { retentionInDays: 7 }, from: { name: [other] } },
      ]),
    ).to.deep.equal(FINDING);
  });
});

describe("aws-iam-no-admin-wildcards", () => {
  it("finds Allow * on * in every spelling, and nothing narrower", () => {
    const doc = (statement: Record<string, unknown>) => ({ Statement: [statement] });
    expect(adminStatements(doc({ Sid: "S", Effect: "Allow", Action: "*:*", Resource: ["*"] }))).to.deep.equal(["S"]);
    expect(adminStatements(doc({ Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: "*" }))).to.deep.equal([
      "(no Sid)",
    ]);
    expect(adminStatements(doc({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b" }))).to.deep.equal([]);
    expect(adminStatements(doc({ Effect: "Deny", Action: "*", Resource: "*" }))).to.deep.equal([]);
    expect(adminStatements({ Statement: { Effect: "Allow", Action: "*", Resource: "*" } })).to.deep.equal(["(no Sid)"]);
    expect(adminStatements(undefined)).to.deep.equal([]);
  });
  it("reads standalone and inline policies", () => {
    const admin = JSON.stringify({ Statement: [{ Sid: "A", Effect: "Allow", Action: "*", Resource: "*" }] });
    expect(onResource("aws-iam-no-admin-wildcards", AWS.iamPolicy, { policy: admin })).to.deep.equal([
      "statement A allows * on *",
    ]);
    expect(
      onResource("aws-iam-no-admin-wildcards", AWS.iamRole, {
        inlinePolicies: [
          { name: "ok", policy: "{}" },
          { name: "bad", policy: admin },
        ],
      }),
    ).to.deep.equal(["statement A allows * on *"]);
    expect(onResource("aws-iam-no-admin-wildcards", AWS.iamRole, { policy: admin })).to.deep.equal([]);
  });
});

describe("aws-esm-bounded-retries", () => {
  const bounded = {
    maximumRetryAttempts: 0,
    maximumRecordAgeInSeconds: 60,
    destinationConfig: { onFailure: { destinationArn: "arn:aws:sqs:x" } },
  };
  const esm = (props: Record<string, unknown>) => onResource("aws-esm-bounded-retries", AWS.eventSourceMapping, props);
  it("applies to Kinesis and DynamoDB streams (by ARN or starting position), not to queues", () => {
    expect(esm({ eventSourceArn: "arn:aws:dynamodb:eu-west-1:1:table/t/stream/s" })).to.deep.equal([
      "retries are unbounded",
      "record age is unbounded",
      "no on-failure destination",
    ]);
    expect(esm({ startingPosition: "TRIM_HORIZON" })).to.have.length(3);
    expect(esm({ eventSourceArn: "arn:aws:sqs:eu-west-1:1:q" })).to.deep.equal([]);
  });
  it("-1 means unbounded; 0 retries is bounded", () => {
    expect(esm({ eventSourceArn: "arn:aws:kinesis:eu-west-1:1:stream/s", ...bounded })).to.deep.equal([]);
    expect(
      esm({
        eventSourceArn: "arn:aws:kinesis:eu-west-1:1:stream/s",
        ...bounded,
        maximumRetryAttempts: -1,
        maximumRecordAgeInSeconds: -1,
      }),
    ).to.deep.equal(["retries are unbounded", "record age is unbounded"]);
  });
});

describe("EKS", () => {
  const eks = (name: string, props: Record<string, unknown>) => onResource(name, AWS.eksCluster, props);
  it("a public endpoint is fine only with listed ranges, none of them the internet", () => {
    expect(
      eks("aws-eks-private-endpoint", {
        vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
      }),
    ).to.deep.equal([]);
    expect(
      eks("aws-eks-private-endpoint", { vpcConfig: { publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] } }),
    ).to.deep.equal(["public API endpoint open to 0.0.0.0/0"]);
  });
  it("secrets encryption needs the secrets resource and a key", () => {
    expect(eks("aws-eks-secrets-encryption", { encryptionConfig: { resources: ["secrets"] } })).to.deep.equal([
      "secrets are not KMS-encrypted",
    ]);
    expect(
      eks("aws-eks-secrets-encryption", { encryptionConfig: { resources: [], provider: { keyArn: "k" } } }),
    ).to.deep.equal(["secrets are not KMS-encrypted"]);
  });
  it("control-plane logs: each missing one is named", () => {
    expect(eks("aws-eks-control-plane-logs", {})).to.deep.equal([
      "control-plane logs missing: api, audit, authenticator",
    ]);
  });
});

describe("aws-sg-no-public-ingress", () => {
  const group = (name: string, ingress: unknown[] = []): Fake => ({
    type: AWS.securityGroup,
    name,
    props: { ingress },
  });
  const balancerOn = (g: Fake): Fake => ({ type: AWS.loadBalancer, name: "lb", from: { securityGroups: [g] } });
  it("names the protocol and port range opened to IPv4 or IPv6 anywhere", () => {
    expect(
      onStack("aws-sg-no-public-ingress", [group("g", [{ protocol: "-1", ipv6CidrBlocks: ["::/0"] }])]),
    ).to.deep.equal(["g: g admits the internet on -1 0-65535"]);
    expect(
      onStack("aws-sg-no-public-ingress", [
        group("g", [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["10.0.0.0/8"] }]),
      ]),
    ).to.deep.equal([]);
  });
  it("reads standalone rules: ingress only, attached to their group", () => {
    const g = group("g");
    const rule = (type: string): Fake => ({
      type: AWS.securityGroupRule,
      name: `r-${type}`,
      props: { type, protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
      from: { securityGroupId: [g] },
    });
    expect(onStack("aws-sg-no-public-ingress", [g, rule("egress")])).to.deep.equal([]);
    expect(onStack("aws-sg-no-public-ingress", [g, rule("ingress")])).to.deep.equal([
      "r-ingress: r-ingress admits the internet on tcp 443-443",
    ]);
    expect(onStack("aws-sg-no-public-ingress", [g, balancerOn(g), rule("ingress")])).to.deep.equal([]);
    const v6: Fake = {
      type: AWS.securityGroupIngressRule,
      name: "v6",
      props: { ipProtocol: "6", fromPort: 443, toPort: 443, cidrIpv6: "::/0" },
      from: { securityGroupId: [g] },
    };
    expect(onStack("aws-sg-no-public-ingress", [g, balancerOn(g), v6])).to.deep.equal([]);
  });
  it("on a balancer's group only HTTPS is allowed, and only exactly 443", () => {
    const lbGroup = (rule: Record<string, unknown>) => group("lb-sg", [{ cidrBlocks: ["0.0.0.0/0"], ...rule }]);
    for (const rule of [
      { protocol: "tcp", fromPort: 80, toPort: 80 },
      { protocol: "tcp", fromPort: 443, toPort: 444 },
      { protocol: "tcp", fromPort: 442, toPort: 443 },
      { protocol: "udp", fromPort: 443, toPort: 443 },
    ]) {
      const g = lbGroup(rule);
      expect(onStack("aws-sg-no-public-ingress", [g, balancerOn(g)]), JSON.stringify(rule)).to.have.length(1);
    }
    const https = lbGroup({ protocol: "tcp", fromPort: 443, toPort: 443 });
    expect(onStack("aws-sg-no-public-ingress", [https])).to.deep.equal([
      "lb-sg: lb-sg admits the internet on tcp 443-443",
    ]);
  });
});

describe("aws-vpn-ikev2-only", () => {
  it("checks each tunnel on its own", () => {
    expect(
      onResource("aws-vpn-ikev2-only", AWS.vpnConnection, {
        tunnel1IkeVersions: ["ikev2"],
        tunnel2IkeVersions: ["ikev1"],
      }),
    ).to.deep.equal(['tunnel 2 allows ["ikev1"]']);
    expect(
      onResource("aws-vpn-ikev2-only", AWS.vpnConnection, {
        tunnel1IkeVersions: ["ikev2", "ikev2"],
        tunnel2IkeVersions: ["ikev2"],
      }),
    ).to.deep.equal(['tunnel 1 allows ["ikev2","ikev2"]']);
  });
});

describe("aws-vpc-flow-logs", () => {
  it("the flow log must capture ALL traffic of that VPC", () => {
    const vpc: Fake = { type: AWS.vpc, name: "v" };
    const other: Fake = { type: AWS.vpc, name: "o" };
    const log = (of: Fake, trafficType: string): Fake => ({
      type: AWS.flowLog,
      name: `log-${of.name}-${trafficType}`,
      props: { trafficType },
      from: { vpcId: [of] },
    });
    expect(onStack("aws-vpc-flow-logs", [vpc, log(vpc, "ALL")])).to.deep.equal([]);
    expect(onStack("aws-vpc-flow-logs", [vpc, other, log(other, "ALL"), log(vpc, "ACCEPT")])).to.deep.equal([
      "v: VPC v has no flow log with trafficType ALL",
    ]);
  });
});

describe("OCI policies", () => {
  it("ADB: a private endpoint, or a non-empty access list without the internet", () => {
    const adb = (props: Record<string, unknown>) => onResource("oci-adb-not-public", OCI.autonomousDatabase, props);
    expect(adb({ subnetId: "ocid1.subnet.oc1..x", whitelistedIps: ["0.0.0.0/0"] })).to.deep.equal([]);
    expect(adb({ whitelistedIps: [] })).to.have.length(1);
    expect(adb({ subnetId: "" })).to.have.length(1);
  });
  it("buckets: no accessType means private; versioning must be Enabled", () => {
    expect(onResource("oci-bucket-no-public-access", OCI.bucket, {})).to.deep.equal([]);
    expect(
      onResource("oci-bucket-no-public-access", OCI.bucket, { accessType: "ObjectReadWithoutList" }),
    ).to.deep.equal(["accessType is ObjectReadWithoutList"]);
    expect(onResource("oci-bucket-versioning", OCI.bucket, { versioning: "Suspended" })).to.deep.equal([
      "versioning is off",
    ]);
  });
  it("protected ports: protocol 6 or all, within the range's ends, every port when no range", () => {
    expect(protectedPortsOpened({ protocol: "all" })).to.deep.equal([22, 1521, 1522, 3389]);
    expect(protectedPortsOpened({ protocol: "6", tcpOptions: { min: 3389, max: 3389 } })).to.deep.equal([3389]);
    expect(protectedPortsOpened({ protocol: "6", tcpOptions: { min: 22, max: 1521 } })).to.deep.equal([22, 1521]);
    expect(protectedPortsOpened({ protocol: "6", tcpOptions: { min: 23, max: 1520 } })).to.deep.equal([]);
    expect(protectedPortsOpened({ protocol: "6", tcpOptions: { min: 1522 } })).to.deep.equal([1522, 3389]);
    expect(protectedPortsOpened({ protocol: "6", tcpOptions: { min: 1523, max: 3388 } })).to.deep.equal([]);
    expect(protectedPortsOpened({ protocol: "6", tcpOptions: { max: 22 } })).to.deep.equal([22]);
    expect(protectedPortsOpened({ protocol: "1" })).to.deep.equal([]);
  });
  it("NSG rules: only internet ingress counts", () => {
    const nsg = (props: Record<string, unknown>) =>
      onResource("oci-no-internet-ingress-admin-db-ports", OCI.nsgRule, {
        direction: "INGRESS",
        source: "0.0.0.0/0",
        protocol: "6",
        ...props,
      });
    expect(nsg({})).to.deep.equal(["ingress from 0.0.0.0/0 opens port(s) 22, 1521, 1522, 3389"]);
    expect(nsg({ source: "::/0", tcpOptions: { destinationPortRange: { min: 22, max: 22 } } })).to.deep.equal([
      "ingress from ::/0 opens port(s) 22",
    ]);
    expect(nsg({ direction: "EGRESS" })).to.deep.equal([]);
    expect(nsg({ source: "10.0.0.0/8" })).to.deep.equal([]);
    expect(nsg({ tcpOptions: { destinationPortRange: { min: 443, max: 443 } } })).to.deep.equal([]);
    expect(nsg({ protocol: "17" })).to.deep.equal([]);
  });
  it("security lists: the default list is checked too, and only rules from the internet", () => {
    const rules = [
      { protocol: "6", source: "10.0.0.0/8" },
      { protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 22, max: 22 } },
    ];
    expect(
      onResource("oci-no-internet-ingress-admin-db-ports", OCI.defaultSecurityList, { ingressSecurityRules: rules }),
    ).to.deep.equal(["ingress from 0.0.0.0/0 opens port(s) 22"]);
    expect(onResource("oci-no-internet-ingress-admin-db-ports", OCI.securityList, {})).to.deep.equal([]);
  });
  it("functions: every subnet of the application must prohibit public IPs and be in the stack", () => {
    const privateSubnet: Fake = { type: OCI.subnet, name: "p", props: { prohibitPublicIpOnVnic: true } };
    const publicSubnet: Fake = { type: OCI.subnet, name: "q", props: { prohibitPublicIpOnVnic: false } };
    const app = (subnets: Fake[] | undefined): Fake => ({
      type: OCI.functionsApplication,
      name: "app",
      from: subnets ? { subnetIds: subnets } : {},
    });
    const FINDING = ["app: application app uses a subnet that allows public IPs (or one outside this stack)"];
    expect(onStack("oci-functions-private-subnets", [privateSubnet, app([privateSubnet])])).to.deep.equal([]);
    expect(
      onStack("oci-functions-private-subnets", [privateSubnet, publicSubnet, app([privateSubnet, publicSubnet])]),
    ).to.deep.equal(FINDING);
    expect(onStack("oci-functions-private-subnets", [privateSubnet, app(undefined)])).to.deep.equal(FINDING);
    expect(onStack("oci-functions-private-subnets", [privateSubnet, app([])])).to.deep.equal(FINDING);
  });
});

describe("Kubernetes workloads", () => {
  const digest = `r.dkr.ecr.eu-west-1.amazonaws.com/x@sha256:${"c".repeat(64)}`;
  const hardenedContainer = {
    name: "app",
    image: digest,
    securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
  };
  const deployment = (pod: Record<string, unknown>) => ({ spec: { template: { spec: pod } } });
  const on = (name: string, type: string, props: Record<string, unknown>) => onResource(name, type, props);

  it("accepts runAsNonRoot and seccomp from the pod, and checks init containers too", () => {
    const pod = {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containers: [hardenedContainer],
    };
    expect(on("k8s-workload-hardened", K8S.deployment, deployment(pod))).to.deep.equal([]);
    expect(
      on(
        "k8s-workload-hardened",
        K8S.deployment,
        deployment({ ...pod, initContainers: [{ name: "init", image: digest }] }),
      ),
    ).to.deep.equal([
      "container init has a writable root filesystem",
      "container init allows privilege escalation",
      "container init keeps capabilities (drop ALL)",
    ]);
    // A container may not undo the pod's setting.
    expect(
      on(
        "k8s-workload-hardened",
        K8S.deployment,
        deployment({
          ...pod,
          containers: [
            { ...hardenedContainer, securityContext: { ...hardenedContainer.securityContext, runAsNonRoot: false } },
          ],
        }),
      ),
    ).to.deep.equal(["container app may run as root"]);
    expect(
      on("k8s-workload-hardened", K8S.statefulSet, deployment({ hostPID: true, hostIPC: true, containers: [] })),
    ).to.deep.equal(["the pod uses hostPID", "the pod uses hostIPC"]);
  });

  it("asks jobs for resources and digests but not for probes", () => {
    const job = deployment({ containers: [{ name: "run", image: "busybox:1" }] });
    expect(on("k8s-workload-probes", K8S.job, job)).to.deep.equal([]);
    expect(on("k8s-image-digest", K8S.job, job)).to.deep.equal(["container run runs busybox:1, not pinned by digest"]);
    expect(on("k8s-workload-resources", K8S.job, job)).to.deep.equal([
      "container run has no requests.cpu, requests.memory, limits.memory",
    ]);
  });

  it("tells probes on different endpoints from probes on one, and names a missing one", () => {
    const probe = (path: string) => ({ httpGet: { path, port: 8080 } });
    expect(
      on(
        "k8s-workload-probes",
        K8S.daemonSet,
        deployment({ containers: [{ name: "a", readinessProbe: probe("/readyz") }] }),
      ),
    ).to.deep.equal(["container a has no liveness probe"]);
    // Exec probes have no path: different kinds are not "the same endpoint".
    expect(
      on(
        "k8s-workload-probes",
        K8S.deployment,
        deployment({
          containers: [
            {
              name: "a",
              readinessProbe: { exec: { command: ["true"] } },
              livenessProbe: { exec: { command: ["true"] } },
            },
          ],
        }),
      ),
    ).to.deep.equal([]);
  });

  it("lets secret references through by name (ARN, ID, NAME) and refuses secret values", () => {
    const env = (name: string, value: string) => deployment({ containers: [{ name: "a", env: [{ name, value }] }] });
    expect(on("k8s-no-secret-env", K8S.deployment, env("DB_SECRET_ARN", "arn:aws:secretsmanager:x"))).to.deep.equal([]);
    expect(on("k8s-no-secret-env", K8S.deployment, env("API_TOKEN_NAME", "orders"))).to.deep.equal([]);
    expect(on("k8s-no-secret-env", K8S.deployment, env("api_key", "k"))).to.deep.equal([
      "container a sets api_key in plain text",
    ]);
    expect(on("k8s-no-secret-env", K8S.deployment, env("LOG_LEVEL", "info"))).to.deep.equal([]);
  });

  it("applies the internal-load-balancer rule to LoadBalancer Services only", () => {
    expect(on("k8s-load-balancer-internal", K8S.service, { spec: { type: "NodePort" } })).to.deep.equal([]);
    expect(
      on("k8s-load-balancer-internal", K8S.service, {
        spec: { type: "LoadBalancer" },
        metadata: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" } },
      }),
    ).to.deep.equal(["the load balancer is not internal"]);
  });

  it("requires TLS on every port of a LoadBalancer Service, a TLS 1.3/1.2 policy and named source ranges", () => {
    const tls = {
      "service.beta.kubernetes.io/aws-load-balancer-ssl-cert":
        "arn:aws:acm:eu-west-1:111122223333:certificate/3f1c2a4e-8b7d-4e52-9a61-0c5d7e9f2b13",
      "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "https",
      "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    };
    const service = (annotations: object, spec: object) => ({
      metadata: { annotations },
      spec: {
        type: "LoadBalancer",
        ports: [{ name: "https", port: 443 }],
        loadBalancerSourceRanges: ["10.0.0.0/16"],
        ...spec,
      },
    });
    expect(on("k8s-load-balancer-tls", K8S.service, service(tls, {}))).to.deep.equal([]);
    expect(on("k8s-load-balancer-tls", K8S.service, { spec: { type: "ClusterIP" } })).to.deep.equal([]);
    expect(
      on(
        "k8s-load-balancer-tls",
        K8S.service,
        service(tls, {
          ports: [
            { name: "https", port: 443 },
            { name: "http", port: 80 },
          ],
        }),
      ),
    ).to.deep.equal(["port 80 is not TLS"]);
    expect(
      on("k8s-load-balancer-tls", K8S.service, service({}, { loadBalancerSourceRanges: ["0.0.0.0/0"] })),
    ).to.deep.equal([
      "no ACM certificate on the listener",
      "port 443 is not TLS",
      "the TLS policy is not a TLS 1.3/1.2 one",
      "loadBalancerSourceRanges admits 0.0.0.0/0",
    ]);
    expect(
      on(
        "k8s-load-balancer-tls",
        K8S.service,
        service(
          {
            ...tls,
            "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-2016-08",
          },
          { loadBalancerSourceRanges: [] },
        ),
      ),
    ).to.deep.equal([
      "the TLS policy is not a TLS 1.3/1.2 one",
      "no loadBalancerSourceRanges: any address may connect",
    ]);
  });

  it("checks ECR repositories, node groups and launch templates field by field", () => {
    expect(
      on("aws-ecr-immutable-scanned", AWS.ecrRepository, {
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "AES256" }],
      }),
    ).to.deep.equal(["no customer-managed key"]);
    expect(
      on("aws-eks-nodes-imdsv2", AWS.launchTemplate, { metadataOptions: { httpTokens: "required" } }),
    ).to.deep.equal([]);
    expect(on("aws-eks-nodes-imdsv2", AWS.eksNodeGroup, { launchTemplate: { name: "lt" } })).to.deep.equal([]);
    expect(
      on("aws-eks-access-entries", AWS.eksCluster, {
        accessConfig: { authenticationMode: "API_AND_CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: false },
      }),
    ).to.deep.equal(["authentication mode is API_AND_CONFIG_MAP, not API"]);
  });
});
