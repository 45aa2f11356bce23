import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { adminStatements, policies, protectedPortsOpened } from "../../policy/policies";
import { runProgram } from "../../offline/engine";
import { evaluatePolicies, Verdict } from "../../offline/policyHarness";
import { runStack } from "../support/stacks";
import { declareCalls } from "../../components/shared/access";

const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaafixturefixturefixturefixture";
const TAGS = { cost_center: "CC-1", environment: "dev" };
const KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555";

/**
 * Runs a fixture program on the engine in an environment (dev unless given) and evaluates one
 * policy. The stack is named after no environment: levels follow `multicloud:environment` only.
 */
async function verdicts(
  policyName: string,
  program: () => Promise<unknown>,
  environment = "dev",
): Promise<readonly Verdict[]> {
  const chosen = policies.filter((p) => p.name === policyName);
  expect(chosen, `policy ${policyName} exists`).to.have.length(1);
  const run = await runProgram({
    stack: "fixture",
    config: { "multicloud:environment": environment },
    program,
    stackOutputs: {},
  });
  if (run.error) throw run.error;
  return (await evaluatePolicies(run, chosen)).violations;
}
/** Verdicts as `name: message`, sorted (the harness orders by URN, which is not what a reader expects). */
const messages = (vs: readonly Verdict[]) => vs.map((v) => `${v.resource?.name ?? "(stack)"}: ${v.message}`).sort();

const awsp = () => new aws.Provider("aws", { region: "eu-west-1", defaultTags: { tags: TAGS } });
const ocip = () => new oci.Provider("oci", { region: "eu-frankfurt-1" });
const code = new pulumi.asset.AssetArchive({
  "index.js": new pulumi.asset.StringAsset("exports.handler = async () => 1;"),
});

interface Case {
  readonly policy: string;
  readonly stack?: string;
  readonly violating: () => Promise<unknown>;
  readonly expected: string[];
  readonly compliant: () => Promise<unknown>;
}

/** A topic encrypted with a key whose policy delegates use to IAM through SNS, and a role that publishes to it. */
function publisherFixture(grantKey: boolean, managedOnly = false) {
  const provider = awsp();
  const key = new aws.kms.Key(
    "topic-key",
    {
      enableKeyRotation: true,
      policy: aws.getCallerIdentityOutput({}, { provider }).accountId.apply((account) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Admin",
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${account}:role/key-admin` },
              Action: ["kms:PutKeyPolicy", "kms:Describe*"],
              Resource: "*",
            },
            {
              Sid: "KeyUseThroughServices",
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${account}:root` },
              Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
              Resource: "*",
              Condition: { StringEquals: { "kms:ViaService": "sns.eu-west-1.amazonaws.com" } },
            },
          ],
        }),
      ),
    },
    { provider },
  );
  const topic = new aws.sns.Topic("alerts", { kmsMasterKeyId: key.arn }, { provider });
  const role = new aws.iam.Role(
    "publisher",
    { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) },
    { provider },
  );
  if (managedOnly)
    new aws.iam.RolePolicyAttachment(
      "publisher-managed",
      { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonSNSFullAccess" },
      { provider },
    );
  else
    new aws.iam.RolePolicy(
      "publisher",
      {
        role: role.id,
        policy: pulumi.all([topic.arn, key.arn]).apply(([topicArn, keyArn]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Sid: "Publish", Effect: "Allow", Action: "sns:Publish", Resource: topicArn },
              ...(grantKey
                ? [{ Sid: "Key", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: keyArn }]
                : []),
            ],
          }),
        ),
      },
      { provider },
    );
  declareCalls("publisher", { role }, [{ target: "topic", actions: ["sns:Publish"] }], { topic });
}

/** A notification topic, a statement for the database's dynamic group, and the publish it declares. */
function topicPublisherFixture(where: string) {
  const provider = ocip();
  const topic = new oci.ons.NotificationTopic(
    "alerts",
    { compartmentId: COMPARTMENT, name: "alerts", freeformTags: TAGS },
    { provider },
  );
  new oci.identity.Policy(
    "publish-policy",
    {
      compartmentId: COMPARTMENT,
      description: "d",
      statements: [`Allow dynamic-group db to use ons-topics in compartment id ${COMPARTMENT} where ${where}`],
      freeformTags: TAGS,
    },
    { provider },
  );
  declareCalls("database", { oci: "dynamic-group db" }, [{ target: "topic", actions: ["ons:PublishMessage"] }], {
    topic,
  });
}

const ACCESS_CASES: Case[] = [
  {
    policy: "oci-runtime-calls-permitted",
    violating: async () => topicPublisherFixture("request.operation = 'ListTopics'"),
    expected: [
      `(stack): database (dynamic-group db) → ons:PublishMessage on alerts: no statement lets dynamic-group db use ons-topics (ONS_TOPIC_PUBLISH) in ${COMPARTMENT} with the request's variables (https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/notificationpolicyreference.htm)`,
    ],
    compliant: async () => topicPublisherFixture("request.permission = 'ONS_TOPIC_PUBLISH'"),
  },
  {
    policy: "aws-runtime-calls-permitted",
    violating: async () => publisherFixture(false),
    expected: [
      "publisher: publisher (role publisher) → kms:Decrypt (implied by sns:Publish on alerts; https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html): the key policy delegates kms:Decrypt to IAM (statement KeyUseThroughServices) but no identity statement allows kms:Decrypt on arn:aws:kms:eu-west-1:975271425049:key/e2991a98-e814-40bb-a50a-e0ddf69014fd",
      "publisher: publisher (role publisher) → kms:GenerateDataKey (implied by sns:Publish on alerts; https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html): the key policy delegates kms:GenerateDataKey to IAM (statement KeyUseThroughServices) but no identity statement allows kms:GenerateDataKey on arn:aws:kms:eu-west-1:975271425049:key/e2991a98-e814-40bb-a50a-e0ddf69014fd",
    ],
    compliant: async () => publisherFixture(true),
  },
  {
    policy: "runtime-calls-decidable",
    violating: async () => publisherFixture(false, true),
    expected: [
      "(stack): publisher (role publisher) → kms:Decrypt (implied by sns:Publish on alerts; https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html): the key policy delegates kms:Decrypt to IAM (statement KeyUseThroughServices) but no identity statement allows kms:Decrypt on arn:aws:kms:eu-west-1:975271425049:key/e2991a98-e814-40bb-a50a-e0ddf69014fd; the role also has AWS-managed arn:aws:iam::aws:policy/AmazonSNSFullAccess, not read here",
      "(stack): publisher (role publisher) → kms:GenerateDataKey (implied by sns:Publish on alerts; https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html): the key policy delegates kms:GenerateDataKey to IAM (statement KeyUseThroughServices) but no identity statement allows kms:GenerateDataKey on arn:aws:kms:eu-west-1:975271425049:key/e2991a98-e814-40bb-a50a-e0ddf69014fd; the role also has AWS-managed arn:aws:iam::aws:policy/AmazonSNSFullAccess, not read here",
      "(stack): publisher (role publisher) → sns:Publish on alerts: no identity statement allows sns:Publish on arn:aws:sns:eu-west-1:975271425049:alerts-29e4f55; the role also has AWS-managed arn:aws:iam::aws:policy/AmazonSNSFullAccess, not read here",
    ],
    compliant: async () => publisherFixture(true),
  },
  {
    policy: "oci-policy-statements-documented",
    violating: async () => {
      new oci.identity.Policy(
        "topic-policy",
        {
          compartmentId: COMPARTMENT,
          description: "d",
          statements: [
            `Allow dynamic-group g to use ons-topics in compartment id ${COMPARTMENT} where target.topic.id = 'x'`,
          ],
          freeformTags: TAGS,
        },
        { provider: ocip() },
      );
    },
    expected: [
      "topic-policy: target.topic.id is not a variable OCI documents for ons-topics (https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/notificationpolicyreference.htm; general variables: https://docs.oracle.com/en-us/iaas/Content/Identity/policyreference/policyreference_topic-General_Variables_for_All_Requests.htm): the statement would silently grant nothing",
    ],
    compliant: async () => {
      new oci.identity.Policy(
        "topic-policy",
        {
          compartmentId: COMPARTMENT,
          description: "d",
          statements: [
            `Allow dynamic-group g to use ons-topics in compartment id ${COMPARTMENT} where request.permission = 'ONS_TOPIC_PUBLISH'`,
          ],
          freeformTags: TAGS,
        },
        { provider: ocip() },
      );
    },
  },
];

const CASES: Case[] = [
  {
    policy: "prod-state-protected",
    stack: "prod",
    violating: async () => {
      const provider = awsp();
      new aws.dynamodb.Table(
        "loose",
        { hashKey: "id", attributes: [{ name: "id", type: "S" }], billingMode: "PAY_PER_REQUEST" },
        { provider },
      );
      new aws.kms.Key("loose-key", { enableKeyRotation: true }, { provider });
      new aws.cloudwatch.LogGroup("loose-logs", { retentionInDays: 30 }, { provider });
      new oci.core.Drg("loose-drg", { compartmentId: COMPARTMENT, freeformTags: TAGS }, { provider: ocip() });
      // Stateless: needs no protection.
      new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" }, { provider });
    },
    expected: [
      "loose: holds state but is not protected (opts.protect)",
      "loose-drg: holds state but is not protected (opts.protect)",
      "loose-key: holds state but is not protected (opts.protect)",
      "loose-logs: holds state but is not protected (opts.protect)",
    ],
    compliant: async () => {
      const provider = awsp();
      new aws.dynamodb.Table(
        "kept",
        { hashKey: "id", attributes: [{ name: "id", type: "S" }], billingMode: "PAY_PER_REQUEST" },
        { provider, protect: true },
      );
      new aws.kms.Key("kept-key", { enableKeyRotation: true }, { provider, protect: true, retainOnDelete: true });
    },
  },
  {
    policy: "budgets-with-alert-rules",
    violating: async () => {
      new aws.budgets.Budget(
        "partial",
        {
          budgetType: "COST",
          limitAmount: "100",
          limitUnit: "USD",
          timeUnit: "MONTHLY",
          notifications: [
            {
              comparisonOperator: "GREATER_THAN",
              notificationType: "ACTUAL",
              threshold: 80,
              thresholdType: "PERCENTAGE",
              subscriberEmailAddresses: ["a@example.com"],
            },
          ],
        },
        { provider: awsp() },
      );
    },
    expected: [
      "(stack): no AWS budget alerts at 70 % and 90 % actual and 100 % forecast",
      "(stack): no OCI budget with alert rules at 70 % and 90 % actual and 100 % forecast",
    ],
    compliant: async () => {
      const notify = (notificationType: string, threshold: number) => ({
        comparisonOperator: "GREATER_THAN",
        notificationType,
        threshold,
        thresholdType: "PERCENTAGE",
        subscriberEmailAddresses: ["a@example.com"],
      });
      new aws.budgets.Budget(
        "full",
        {
          budgetType: "COST",
          limitAmount: "100",
          limitUnit: "USD",
          timeUnit: "MONTHLY",
          notifications: [notify("ACTUAL", 70), notify("ACTUAL", 90), notify("FORECASTED", 100)],
        },
        { provider: awsp() },
      );
      const provider = ocip();
      const budget = new oci.budget.Budget(
        "full",
        {
          compartmentId: COMPARTMENT,
          amount: 100,
          resetPeriod: "MONTHLY",
          targetType: "COMPARTMENT",
          targets: [COMPARTMENT],
          freeformTags: TAGS,
        },
        { provider },
      );
      for (const [type, threshold] of [
        ["ACTUAL", 70],
        ["ACTUAL", 90],
        ["FORECAST", 100],
      ] as const) {
        new oci.budget.Rule(
          `full-${type}-${threshold}`,
          {
            budgetId: budget.id,
            type,
            threshold,
            thresholdType: "PERCENTAGE",
            recipients: "a@example.com",
            freeformTags: TAGS,
          },
          { provider },
        );
      }
    },
  },
  {
    policy: "vpn-strong-crypto",
    violating: async () => {
      const provider = awsp();
      // Tunnel 1 strong except a weak DH group and SHA1; tunnel 2 left to AWS's defaults.
      new aws.ec2.VpnConnection(
        "weak",
        {
          type: "ipsec.1",
          customerGatewayId: "cgw-1",
          vpnGatewayId: "vgw-1",
          tunnel1Phase1EncryptionAlgorithms: ["AES256"],
          tunnel1Phase1IntegrityAlgorithms: ["SHA2-256", "SHA1"],
          tunnel1Phase1DhGroupNumbers: [2, 20],
          tunnel1Phase2EncryptionAlgorithms: ["AES256-GCM-16"],
          tunnel1Phase2IntegrityAlgorithms: ["SHA2-256"],
          tunnel1Phase2DhGroupNumbers: [20],
        },
        { provider },
      );
      new oci.core.IpsecConnectionTunnelManagement(
        "weak",
        {
          ipsecId: "ocid1.ipsecconnection.oc1.fra.x",
          tunnelId: "ocid1.ipsectunnel.oc1.fra.x",
          routing: "BGP",
          phaseOneDetails: {
            isCustomPhaseOneConfig: true,
            customEncryptionAlgorithm: "AES_128_CBC",
            customAuthenticationAlgorithm: "SHA1_96",
            customDhGroup: "GROUP5",
          },
          phaseTwoDetails: {
            isCustomPhaseTwoConfig: true,
            customEncryptionAlgorithm: "AES_256_GCM",
            isPfsEnabled: false,
          },
        },
        { provider: ocip() },
      );
    },
    expected: [
      "weak: phase one DH group is GROUP5",
      "weak: phase one authentication is SHA1_96",
      "weak: phase one encryption is AES_128_CBC",
      "weak: phase two has no perfect forward secrecy",
      "weak: tunnel 1 Phase1DhGroupNumbers allows 2",
      "weak: tunnel 1 Phase1IntegrityAlgorithms allows SHA1",
      ...["Phase1", "Phase2"].flatMap((phase) =>
        ["EncryptionAlgorithms", "IntegrityAlgorithms", "DhGroupNumbers"].map(
          (field) => `weak: tunnel 2 ${phase}${field} is unset (AWS's default admits weak choices)`,
        ),
      ),
    ],
    compliant: async () => {
      const strong = (n: 1 | 2) => ({
        [`tunnel${n}Phase1EncryptionAlgorithms`]: ["AES256"],
        [`tunnel${n}Phase1IntegrityAlgorithms`]: ["SHA2-384"],
        [`tunnel${n}Phase1DhGroupNumbers`]: [20],
        [`tunnel${n}Phase2EncryptionAlgorithms`]: ["AES256-GCM-16"],
        [`tunnel${n}Phase2IntegrityAlgorithms`]: ["SHA2-384"],
        [`tunnel${n}Phase2DhGroupNumbers`]: [20],
      });
      new aws.ec2.VpnConnection(
        "strong",
        { type: "ipsec.1", customerGatewayId: "cgw-1", vpnGatewayId: "vgw-1", ...strong(1), ...strong(2) },
        { provider: awsp() },
      );
      new oci.core.IpsecConnectionTunnelManagement(
        "strong",
        {
          ipsecId: "ocid1.ipsecconnection.oc1.fra.x",
          tunnelId: "ocid1.ipsectunnel.oc1.fra.x",
          routing: "BGP",
          phaseOneDetails: {
            isCustomPhaseOneConfig: true,
            customEncryptionAlgorithm: "AES_256_CBC",
            customAuthenticationAlgorithm: "SHA2_384",
            customDhGroup: "GROUP20",
          },
          phaseTwoDetails: {
            isCustomPhaseTwoConfig: true,
            customEncryptionAlgorithm: "AES_256_GCM",
            isPfsEnabled: true,
            dhGroup: "GROUP20",
          },
        },
        { provider: ocip() },
      );
    },
  },
  {
    policy: "aws-s3-kms-encryption",
    violating: async () => {
      const provider = awsp();
      new aws.s3.Bucket("plain", {}, { provider });
      const aes = new aws.s3.Bucket("aes", {}, { provider });
      new aws.s3.BucketServerSideEncryptionConfiguration(
        "aes",
        { bucket: aes.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        { provider },
      );
    },
    expected: [
      "aes: bucket aes has no SSE-KMS default encryption",
      "plain: bucket plain has no SSE-KMS default encryption",
    ],
    compliant: async () => {
      const provider = awsp();
      const bucket = new aws.s3.Bucket("kms", {}, { provider });
      new aws.s3.BucketServerSideEncryptionConfiguration(
        "kms",
        {
          bucket: bucket.id,
          rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } }],
        },
        { provider },
      );
    },
  },
  {
    policy: "aws-s3-public-access-block",
    violating: async () => {
      const provider = awsp();
      const bucket = new aws.s3.Bucket("leaky", {}, { provider });
      new aws.s3.BucketPublicAccessBlock(
        "leaky",
        {
          bucket: bucket.id,
          blockPublicAcls: true,
          blockPublicPolicy: false,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
        { provider },
      );
    },
    expected: ["leaky: bucket leaky has no public access block with all four flags"],
    compliant: async () => {
      const provider = awsp();
      const bucket = new aws.s3.Bucket("sealed", {}, { provider });
      new aws.s3.BucketPublicAccessBlock(
        "sealed",
        {
          bucket: bucket.id,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
        { provider },
      );
    },
  },
  {
    policy: "aws-s3-versioning",
    stack: "prod",
    violating: async () => {
      const provider = awsp();
      const bucket = new aws.s3.Bucket("suspended", {}, { provider });
      new aws.s3.BucketVersioning(
        "suspended",
        { bucket: bucket.id, versioningConfiguration: { status: "Suspended" } },
        { provider },
      );
    },
    expected: ["suspended: bucket suspended has no versioning enabled"],
    compliant: async () => {
      const provider = awsp();
      const bucket = new aws.s3.Bucket("versioned", {}, { provider });
      new aws.s3.BucketVersioning(
        "versioned",
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        { provider },
      );
    },
  },
  {
    policy: "aws-dynamodb-cmk-encryption",
    violating: async () => {
      new aws.dynamodb.Table(
        "default-key",
        { hashKey: "id", attributes: [{ name: "id", type: "S" }], billingMode: "PAY_PER_REQUEST" },
        { provider: awsp() },
      );
    },
    expected: ["default-key: table is not encrypted with a customer-managed KMS key"],
    compliant: async () => {
      new aws.dynamodb.Table(
        "cmk",
        {
          hashKey: "id",
          attributes: [{ name: "id", type: "S" }],
          billingMode: "PAY_PER_REQUEST",
          serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN },
        },
        { provider: awsp() },
      );
    },
  },
  {
    policy: "aws-dynamodb-pitr",
    stack: "prod",
    violating: async () => {
      new aws.dynamodb.Table(
        "no-pitr",
        { hashKey: "id", attributes: [{ name: "id", type: "S" }], billingMode: "PAY_PER_REQUEST" },
        { provider: awsp() },
      );
    },
    expected: ["no-pitr: point-in-time recovery is off"],
    compliant: async () => {
      new aws.dynamodb.Table(
        "pitr",
        {
          hashKey: "id",
          attributes: [{ name: "id", type: "S" }],
          billingMode: "PAY_PER_REQUEST",
          pointInTimeRecovery: { enabled: true },
        },
        { provider: awsp() },
      );
    },
  },
  {
    policy: "aws-kinesis-kms",
    violating: async () => {
      new aws.kinesis.Stream("clear", { shardCount: 1 }, { provider: awsp() });
    },
    expected: ["clear: stream is not KMS-encrypted"],
    compliant: async () => {
      new aws.kinesis.Stream("kms", { shardCount: 1, encryptionType: "KMS", kmsKeyId: KEY_ARN }, { provider: awsp() });
    },
  },
  {
    policy: "aws-sqs-kms",
    violating: async () => {
      new aws.sqs.Queue("clear", {}, { provider: awsp() });
    },
    expected: ["clear: queue is not KMS-encrypted"],
    compliant: async () => {
      new aws.sqs.Queue("kms", { kmsMasterKeyId: KEY_ARN }, { provider: awsp() });
    },
  },
  {
    policy: "aws-sns-kms",
    violating: async () => {
      new aws.sns.Topic("clear", {}, { provider: awsp() });
    },
    expected: ["clear: topic is not KMS-encrypted"],
    compliant: async () => {
      new aws.sns.Topic("kms", { kmsMasterKeyId: KEY_ARN }, { provider: awsp() });
    },
  },
  {
    policy: "aws-alarms-notify",
    violating: async () => {
      new aws.cloudwatch.MetricAlarm(
        "silent",
        {
          comparisonOperator: "GreaterThanThreshold",
          evaluationPeriods: 1,
          metricName: "Errors",
          namespace: "AWS/Lambda",
          period: 300,
          statistic: "Sum",
          threshold: 0,
        },
        { provider: awsp() },
      );
    },
    expected: ["silent: alarm has no alarmActions; nobody would hear it fire"],
    compliant: async () => {
      const alarm = {
        comparisonOperator: "GreaterThanThreshold",
        evaluationPeriods: 1,
        metricName: "Errors",
        namespace: "AWS/Lambda",
        period: 300,
        statistic: "Sum",
        threshold: 0,
      };
      new aws.cloudwatch.MetricAlarm(
        "heard",
        { ...alarm, alarmActions: ["arn:aws:sns:eu-west-1:111122223333:alarms"] },
        { provider: awsp() },
      );
    },
  },
  {
    policy: "aws-kms-rotation",
    violating: async () => {
      new aws.kms.Key("static", {}, { provider: awsp() });
    },
    expected: ["static: key rotation is off"],
    compliant: async () => {
      const provider = awsp();
      new aws.kms.Key("rotating", { enableKeyRotation: true }, { provider });
      new aws.kms.Key("signing", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }, { provider });
    },
  },
  ...mskCases(),
  ...sfnCases(),
  {
    policy: "aws-lambda-log-retention",
    violating: async () => {
      new aws.lambda.Function(
        "silent",
        { role: "arn:aws:iam::111111111111:role/x", runtime: "nodejs22.x", handler: "index.handler", code },
        { provider: awsp() },
      );
    },
    expected: ["silent: function silent has no log group with retention"],
    compliant: async () => {
      const provider = awsp();
      const fn = new aws.lambda.Function(
        "logged",
        { role: "arn:aws:iam::111111111111:role/x", runtime: "nodejs22.x", handler: "index.handler", code },
        { provider },
      );
      new aws.cloudwatch.LogGroup(
        "logged",
        { name: pulumi.interpolate`/aws/lambda/${fn.name}`, retentionInDays: 30 },
        { provider },
      );
    },
  },
  {
    policy: "aws-iam-no-admin-wildcards",
    violating: async () => {
      const provider = awsp();
      new aws.iam.RolePolicy(
        "admin",
        {
          role: "fn-role",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }],
          }),
        },
        { provider },
      );
      new aws.iam.Role(
        "inline-admin",
        {
          assumeRolePolicy: "{}",
          inlinePolicies: [
            { name: "x", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["*"], Resource: ["*"] }] }) },
          ],
        },
        { provider },
      );
      new aws.iam.Policy(
        "passer",
        {
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }],
          }),
        },
        { provider },
      );
      const keyPolicy = {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "Admins",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111111111111:root" },
            Action: "kms:*",
            Resource: "*",
          },
          {
            Sid: "Everyone",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111111111111:role/app" },
            Action: "kms:*",
            Resource: "*",
          },
        ],
      };
      new aws.kms.Key("key-for-all", { enableKeyRotation: true, policy: JSON.stringify(keyPolicy) }, { provider });
    },
    expected: [
      "admin: statement All allows * on *",
      "inline-admin: statement (no Sid) allows * on *",
      "key-for-all: statement Everyone allows kms:* to arn:aws:iam::111111111111:role/app",
      "passer: statement #1 allows iam:PassRole on *",
    ],
    compliant: async () => {
      new aws.iam.RolePolicy(
        "scoped",
        {
          role: "fn-role",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: "arn:aws:dynamodb:eu-west-1:1:table/t" },
              { Effect: "Deny", Action: "*", Resource: "*" },
            ],
          }),
        },
        { provider: awsp() },
      );
    },
  },
  {
    policy: "aws-saml-role-audience",
    violating: async () => {
      const provider = awsp();
      const trust = (condition?: object) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Saml",
              Effect: "Allow",
              Principal: { Federated: "arn:aws:iam::111122223333:saml-provider/idp" },
              Action: "sts:AssumeRoleWithSAML",
              ...(condition ? { Condition: condition } : {}),
            },
          ],
        });
      new aws.iam.Role("any-audience", { assumeRolePolicy: trust() }, { provider });
      new aws.iam.Role(
        "other-audience",
        { assumeRolePolicy: trust({ StringEquals: { "SAML:aud": "https://example.com/acs" } }) },
        { provider },
      );
    },
    expected: [
      "any-audience: statement Saml lets a SAML assertion for any audience assume the role",
      "other-audience: statement Saml lets a SAML assertion for any audience assume the role",
    ],
    compliant: async () => {
      const trust = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Federated: "arn:aws:iam::111122223333:saml-provider/idp" },
            Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
            Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
          },
        ],
      });
      const provider = awsp();
      new aws.iam.Role("console", { assumeRolePolicy: trust }, { provider });
      // A role no SAML provider assumes is not this policy's business.
      new aws.iam.Role(
        "lambda",
        {
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
          }),
        },
        { provider },
      );
    },
  },
  {
    policy: "aws-no-iam-user-access-keys",
    violating: async () => {
      new aws.iam.AccessKey("ci-key", { user: "ci" }, { provider: awsp() });
    },
    expected: ["ci-key: is a long-lived IAM user access key"],
    compliant: async () => {
      new aws.iam.Role(
        "workload",
        {
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
          }),
        },
        { provider: awsp() },
      );
    },
  },
  {
    policy: "aws-grafana-scoped-access",
    violating: async () => {
      const provider = awsp();
      new aws.grafana.Workspace(
        "org-wide",
        {
          accountAccessType: "ORGANIZATION",
          organizationalUnits: ["ou-abcd-12345678"],
          authenticationProviders: ["SAML"],
          permissionType: "SERVICE_MANAGED",
        },
        { provider },
      );
      new aws.grafana.Workspace(
        "broad-role",
        { accountAccessType: "CURRENT_ACCOUNT", authenticationProviders: ["SAML"], permissionType: "SERVICE_MANAGED" },
        { provider },
      );
    },
    expected: [
      "org-wide: permissionType SERVICE_MANAGED: AWS attaches its own broad read policies; use CUSTOMER_MANAGED with a scoped role",
      "org-wide: accountAccessType ORGANIZATION reaches other accounts of the organization",
      "broad-role: permissionType SERVICE_MANAGED: AWS attaches its own broad read policies; use CUSTOMER_MANAGED with a scoped role",
    ],
    compliant: async () => {
      new aws.grafana.Workspace(
        "scoped",
        {
          accountAccessType: "CURRENT_ACCOUNT",
          authenticationProviders: ["SAML"],
          permissionType: "CUSTOMER_MANAGED",
          roleArn: "arn:aws:iam::111122223333:role/grafana",
        },
        { provider: awsp() },
      );
    },
  },
  {
    policy: "aws-grafana-no-stored-keys",
    violating: async () => {
      const provider = awsp();
      new aws.grafana.WorkspaceApiKey(
        "admin-key",
        { workspaceId: "g-0123456789", keyName: "admin", keyRole: "ADMIN", secondsToLive: 2_592_000 },
        { provider },
      );
      new aws.grafana.WorkspaceServiceAccountToken(
        "ci-token",
        { workspaceId: "g-0123456789", serviceAccountId: "7", name: "ci", secondsToLive: 2_592_000 },
        { provider },
      );
    },
    expected: [
      "admin-key: is a long-lived Grafana key kept in the Pulumi state",
      "ci-token: is a long-lived Grafana key kept in the Pulumi state",
    ],
    compliant: async () => {
      new aws.grafana.WorkspaceServiceAccount(
        "provisioner",
        { workspaceId: "g-0123456789", name: "pulumi-provisioner", grafanaRole: "ADMIN" },
        { provider: awsp() },
      );
    },
  },
  {
    policy: "aws-esm-bounded-retries",
    violating: async () => {
      new aws.lambda.EventSourceMapping(
        "forever",
        { functionName: "fn", eventSourceArn: "arn:aws:kinesis:eu-west-1:1:stream/s", startingPosition: "LATEST" },
        { provider: awsp() },
      );
    },
    expected: [
      "forever: retries are unbounded",
      "forever: record age is unbounded",
      "forever: no on-failure destination",
    ],
    compliant: async () => {
      const provider = awsp();
      new aws.lambda.EventSourceMapping(
        "bounded",
        {
          functionName: "fn",
          eventSourceArn: "arn:aws:kinesis:eu-west-1:1:stream/s",
          startingPosition: "LATEST",
          maximumRetryAttempts: 5,
          maximumRecordAgeInSeconds: 3600,
          destinationConfig: { onFailure: { destinationArn: "arn:aws:sqs:eu-west-1:1:dlq" } },
        },
        { provider },
      );
      new aws.lambda.EventSourceMapping(
        "queue",
        { functionName: "fn", eventSourceArn: "arn:aws:sqs:eu-west-1:1:q" },
        { provider },
      );
    },
  },
  {
    policy: "aws-iam-reference",
    violating: async () => {
      const provider = awsp();
      const statement = (Action: string[], Resource: string[], Condition?: object) => ({
        Effect: "Allow",
        Action,
        Resource,
        ...(Condition ? { Condition } : {}),
      });
      new aws.iam.RolePolicy(
        "typos",
        {
          role: "fn-role",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "Read",
                ...statement(["kinesis:GetRecord"], ["arn:aws:kinesis:eu-west-1:111111111111:stream/events"]),
              },
              {
                Sid: "Table",
                ...statement(["dynamodb:GetItem"], ["arn:aws:kinesis:eu-west-1:111111111111:stream/events"]),
              },
              {
                Sid: "Cond",
                ...statement(["kms:Decrypt"], ["arn:aws:kms:eu-west-1:111111111111:key/1"], {
                  StringEquals: { "kms:ViaServices": "sqs.eu-west-1.amazonaws.com" },
                }),
              },
              { Sid: "Star", ...statement(["sts:GetCallerIdentity"], ["arn:aws:iam::111111111111:role/x"]) },
            ],
          }),
        },
        { provider },
      );
    },
    expected: [
      "typos: statement Cond: condition key kms:ViaServices does not exist",
      "typos: statement Read: kinesis:GetRecord is not an action of kinesis",
      'typos: statement Star: sts:GetCallerIdentity supports only Resource "*", not arn:aws:iam::111111111111:role/x',
      "typos: statement Table: dynamodb:GetItem does not act on arn:aws:kinesis:eu-west-1:111111111111:stream/events; it acts on table",
    ],
    compliant: async () => {
      new aws.iam.RolePolicy(
        "exact",
        {
          role: "fn-role",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["kinesis:GetRecords", "kinesis:GetShardIterator"],
                Resource: ["arn:aws:kinesis:eu-west-1:111111111111:stream/events"],
              },
              {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: ["arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/fn:*"],
              },
              {
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: ["arn:aws:kms:eu-west-1:111111111111:key/1"],
                Condition: {
                  StringEquals: {
                    "kms:ViaService": "sqs.eu-west-1.amazonaws.com",
                    "aws:PrincipalAccount": "111111111111",
                  },
                },
              },
              { Effect: "Allow", Action: ["sts:GetCallerIdentity", "s3:List*"], Resource: ["*"] },
            ],
          }),
        },
        { provider: awsp() },
      );
    },
  },
  ...eksCases(),
  ...kubernetesCases(),
  {
    policy: "aws-sagemaker-endpoint-kms",
    violating: async () => {
      new aws.sagemaker.EndpointConfiguration(
        "clear",
        {
          productionVariants: [
            { modelName: "m", variantName: "v", initialInstanceCount: 1, instanceType: "ml.m5.large" },
          ],
        },
        { provider: awsp() },
      );
    },
    expected: ["clear: no KMS key"],
    compliant: async () => {
      new aws.sagemaker.EndpointConfiguration(
        "kms",
        {
          kmsKeyArn: KEY_ARN,
          productionVariants: [
            { modelName: "m", variantName: "v", initialInstanceCount: 1, instanceType: "ml.m5.large" },
          ],
        },
        { provider: awsp() },
      );
    },
  },
  {
    policy: "aws-secrets-cmk",
    violating: async () => {
      new aws.secretsmanager.Secret("default-key", {}, { provider: awsp() });
    },
    expected: ["default-key: secret uses the AWS-managed key"],
    compliant: async () => {
      new aws.secretsmanager.Secret("cmk", { kmsKeyId: KEY_ARN }, { provider: awsp() });
    },
  },
  {
    policy: "aws-sg-no-public-ingress",
    violating: async () => {
      const provider = awsp();
      new aws.ec2.SecurityGroup(
        "ssh-world",
        { vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
        { provider },
      );
      const internal = new aws.ec2.SecurityGroup("internal", { vpcId: "vpc-1" }, { provider });
      new aws.vpc.SecurityGroupIngressRule(
        "https-world",
        { securityGroupId: internal.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
        { provider },
      );
    },
    expected: [
      "https-world: https-world admits the internet on tcp 443-443",
      "ssh-world: ssh-world admits the internet on tcp 22-22",
    ],
    compliant: async () => {
      const provider = awsp();
      const lbGroup = new aws.ec2.SecurityGroup(
        "alb",
        { vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] },
        { provider },
      );
      new aws.lb.LoadBalancer(
        "alb",
        { loadBalancerType: "application", securityGroups: [lbGroup.id], subnets: ["subnet-1", "subnet-2"] },
        { provider },
      );
      new aws.ec2.SecurityGroup(
        "app",
        { vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: [lbGroup.id] }] },
        { provider },
      );
    },
  },
  {
    policy: "aws-vpn-ikev2-only",
    violating: async () => {
      new aws.ec2.VpnConnection(
        "mixed",
        { type: "ipsec.1", customerGatewayId: "cgw-1", vpnGatewayId: "vgw-1", tunnel1IkeVersions: ["ikev1", "ikev2"] },
        { provider: awsp() },
      );
    },
    expected: ['mixed: tunnel 1 allows ["ikev1","ikev2"]', 'mixed: tunnel 2 allows "ikev1 and ikev2"'],
    compliant: async () => {
      new aws.ec2.VpnConnection(
        "v2",
        {
          type: "ipsec.1",
          customerGatewayId: "cgw-1",
          vpnGatewayId: "vgw-1",
          tunnel1IkeVersions: ["ikev2"],
          tunnel2IkeVersions: ["ikev2"],
        },
        { provider: awsp() },
      );
    },
  },
  {
    policy: "aws-vpc-flow-logs",
    violating: async () => {
      const provider = awsp();
      new aws.ec2.Vpc("bare", { cidrBlock: "10.0.0.0/16" }, { provider });
      const partial = new aws.ec2.Vpc("partial", { cidrBlock: "10.1.0.0/16" }, { provider });
      new aws.ec2.FlowLog(
        "rejects-only",
        { vpcId: partial.id, trafficType: "REJECT", logDestination: "arn:aws:logs:eu-west-1:1:log-group:x" },
        { provider },
      );
    },
    expected: [
      "bare: VPC bare has no flow log with trafficType ALL",
      "partial: VPC partial has no flow log with trafficType ALL",
    ],
    compliant: async () => {
      const provider = awsp();
      const vpc = new aws.ec2.Vpc("logged", { cidrBlock: "10.0.0.0/16" }, { provider });
      new aws.ec2.FlowLog(
        "all",
        { vpcId: vpc.id, trafficType: "ALL", logDestination: "arn:aws:logs:eu-west-1:1:log-group:x" },
        { provider },
      );
    },
  },
  {
    policy: "oci-adb-not-public",
    violating: async () => {
      const provider = ocip();
      new oci.database.AutonomousDatabase(
        "open",
        { compartmentId: COMPARTMENT, dbName: "open", freeformTags: TAGS },
        { provider },
      );
      new oci.database.AutonomousDatabase(
        "world-acl",
        { compartmentId: COMPARTMENT, dbName: "acl", whitelistedIps: ["0.0.0.0/0"], freeformTags: TAGS },
        { provider },
      );
    },
    expected: [
      "open: reachable from the internet: no private endpoint and no restrictive access list",
      "world-acl: reachable from the internet: no private endpoint and no restrictive access list",
    ],
    compliant: async () => {
      const provider = ocip();
      new oci.database.AutonomousDatabase(
        "private",
        {
          compartmentId: COMPARTMENT,
          dbName: "priv",
          subnetId: "ocid1.subnet.oc1.fra.x",
          isMtlsConnectionRequired: false,
          freeformTags: TAGS,
        },
        { provider },
      );
      new oci.database.AutonomousDatabase(
        "acl",
        { compartmentId: COMPARTMENT, dbName: "acl", whitelistedIps: ["10.10.0.0/16"], freeformTags: TAGS },
        { provider },
      );
    },
  },
  {
    policy: "oci-bucket-no-public-access",
    violating: async () => {
      new oci.objectstorage.Bucket(
        "public",
        { compartmentId: COMPARTMENT, name: "public", namespace: "ns", accessType: "ObjectRead" },
        { provider: ocip() },
      );
    },
    expected: ["public: accessType is ObjectRead"],
    compliant: async () => {
      new oci.objectstorage.Bucket(
        "private",
        { compartmentId: COMPARTMENT, name: "private", namespace: "ns", accessType: "NoPublicAccess" },
        { provider: ocip() },
      );
    },
  },
  {
    policy: "oci-bucket-versioning",
    stack: "prod",
    violating: async () => {
      new oci.objectstorage.Bucket(
        "unversioned",
        { compartmentId: COMPARTMENT, name: "u", namespace: "ns" },
        { provider: ocip() },
      );
    },
    expected: ["unversioned: versioning is off"],
    compliant: async () => {
      new oci.objectstorage.Bucket(
        "versioned",
        { compartmentId: COMPARTMENT, name: "v", namespace: "ns", versioning: "Enabled" },
        { provider: ocip() },
      );
    },
  },
  {
    policy: "oci-stream-pool-private-endpoint",
    violating: async () => {
      new oci.streaming.StreamPool("public", { compartmentId: COMPARTMENT, name: "public" }, { provider: ocip() });
    },
    expected: ["public: stream pool has a public endpoint"],
    compliant: async () => {
      new oci.streaming.StreamPool(
        "private",
        {
          compartmentId: COMPARTMENT,
          name: "private",
          privateEndpointSettings: { subnetId: "ocid1.subnet.oc1.fra.x" },
        },
        { provider: ocip() },
      );
    },
  },
  {
    policy: "oci-stream-pool-cmk",
    violating: async () => {
      new oci.streaming.StreamPool(
        "oracle-key",
        {
          compartmentId: COMPARTMENT,
          name: "oracle-key",
          privateEndpointSettings: { subnetId: "ocid1.subnet.oc1.fra.x" },
          freeformTags: TAGS,
        },
        { provider: ocip() },
      );
    },
    expected: ["oracle-key: stream pool data is encrypted with an Oracle-managed key"],
    compliant: async () => {
      new oci.streaming.StreamPool(
        "own-key",
        {
          compartmentId: COMPARTMENT,
          name: "own-key",
          privateEndpointSettings: { subnetId: "ocid1.subnet.oc1.fra.x" },
          customEncryptionKey: { kmsKeyId: "ocid1.key.oc1.fra.x" },
          freeformTags: TAGS,
        },
        { provider: ocip() },
      );
    },
  },
  {
    policy: "oci-no-internet-ingress-admin-db-ports",
    violating: async () => {
      const provider = ocip();
      new oci.core.SecurityList(
        "open",
        {
          compartmentId: COMPARTMENT,
          vcnId: "ocid1.vcn.oc1.fra.x",
          ingressSecurityRules: [
            { protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 22, max: 22 } },
            { protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 1500, max: 1600 } },
            { protocol: "all", source: "0.0.0.0/0" },
            { protocol: "6", source: "::/0", tcpOptions: { min: 3389, max: 3389 } },
          ],
        },
        { provider },
      );
      new oci.core.NetworkSecurityGroupSecurityRule(
        "nsg-open",
        {
          networkSecurityGroupId: "ocid1.networksecuritygroup.oc1.fra.x",
          direction: "INGRESS",
          protocol: "6",
          source: "0.0.0.0/0",
          sourceType: "CIDR_BLOCK",
          tcpOptions: { destinationPortRange: { min: 1521, max: 1522 } },
        },
        { provider },
      );
    },
    expected: [
      "nsg-open: ingress from 0.0.0.0/0 opens port(s) 1521, 1522",
      "open: ingress from ::/0 opens port(s) 3389",
      "open: ingress from 0.0.0.0/0 opens port(s) 1521, 1522",
      "open: ingress from 0.0.0.0/0 opens port(s) 22",
      "open: ingress from 0.0.0.0/0 opens port(s) 22, 1521, 1522, 3389",
    ],
    compliant: async () => {
      const provider = ocip();
      new oci.core.SecurityList(
        "closed",
        {
          compartmentId: COMPARTMENT,
          vcnId: "ocid1.vcn.oc1.fra.x",
          ingressSecurityRules: [
            { protocol: "6", source: "10.10.0.0/16", tcpOptions: { min: 1522, max: 1522 } },
            { protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 443, max: 443 } },
          ],
        },
        { provider },
      );
      new oci.core.NetworkSecurityGroupSecurityRule(
        "nsg-aws",
        {
          networkSecurityGroupId: "ocid1.networksecuritygroup.oc1.fra.x",
          direction: "INGRESS",
          protocol: "6",
          source: "10.10.0.0/16",
          sourceType: "CIDR_BLOCK",
          tcpOptions: { destinationPortRange: { min: 1522, max: 1522 } },
        },
        { provider },
      );
    },
  },
  {
    policy: "oci-functions-private-subnets",
    violating: async () => {
      const provider = ocip();
      const subnet = new oci.core.Subnet(
        "public",
        {
          compartmentId: COMPARTMENT,
          vcnId: "ocid1.vcn.oc1.fra.x",
          cidrBlock: "10.0.0.0/24",
          prohibitPublicIpOnVnic: false,
          freeformTags: TAGS,
        },
        { provider },
      );
      new oci.functions.Application(
        "exposed",
        { compartmentId: COMPARTMENT, displayName: "exposed", subnetIds: [subnet.id], freeformTags: TAGS },
        { provider },
      );
    },
    expected: ["exposed: application exposed uses a subnet that allows public IPs (or one outside this stack)"],
    compliant: async () => {
      const provider = ocip();
      const subnet = new oci.core.Subnet(
        "private",
        {
          compartmentId: COMPARTMENT,
          vcnId: "ocid1.vcn.oc1.fra.x",
          cidrBlock: "10.0.1.0/24",
          prohibitPublicIpOnVnic: true,
          freeformTags: TAGS,
        },
        { provider },
      );
      new oci.functions.Application(
        "inside",
        { compartmentId: COMPARTMENT, displayName: "inside", subnetIds: [subnet.id], freeformTags: TAGS },
        { provider },
      );
    },
  },
  {
    policy: "oci-functions-logs",
    violating: async () => {
      const provider = ocip();
      const app = new oci.functions.Application(
        "silent",
        {
          compartmentId: COMPARTMENT,
          displayName: "silent",
          subnetIds: ["ocid1.subnet.oc1.fra.x"],
          freeformTags: TAGS,
        },
        { provider },
      );
      // A log of another category does not count.
      new oci.logging.Log(
        "wrong-category",
        {
          displayName: "w",
          logGroupId: "ocid1.loggroup.oc1.fra.x",
          logType: "SERVICE",
          configuration: {
            source: { sourceType: "OCISERVICE", service: "functions", category: "other", resource: app.id },
          },
          freeformTags: TAGS,
        },
        { provider },
      );
    },
    expected: ["silent: application silent has no enabled invocation log"],
    compliant: async () => {
      const provider = ocip();
      const app = new oci.functions.Application(
        "logged",
        {
          compartmentId: COMPARTMENT,
          displayName: "logged",
          subnetIds: ["ocid1.subnet.oc1.fra.x"],
          freeformTags: TAGS,
        },
        { provider },
      );
      new oci.logging.Log(
        "invoke",
        {
          displayName: "i",
          logGroupId: "ocid1.loggroup.oc1.fra.x",
          logType: "SERVICE",
          isEnabled: true,
          configuration: {
            source: { sourceType: "OCISERVICE", service: "functions", category: "invoke", resource: app.id },
          },
          freeformTags: TAGS,
        },
        { provider },
      );
    },
  },
  {
    policy: "oci-apigw-auth",
    violating: async () => {
      const provider = ocip();
      const route = (path: string, authorization?: { type: string }) => ({
        path,
        methods: ["GET"],
        backend: { type: "ORACLE_FUNCTIONS_BACKEND", functionId: "ocid1.fnfunc.oc1.fra.x" },
        ...(authorization ? { requestPolicies: { authorization } } : {}),
      });
      new oci.apigateway.Deployment(
        "open",
        {
          compartmentId: COMPARTMENT,
          gatewayId: "ocid1.apigateway.oc1.fra.x",
          pathPrefix: "/open",
          specification: { routes: [route("/a")] },
          freeformTags: TAGS,
        },
        { provider },
      );
      new oci.apigateway.Deployment(
        "half",
        {
          compartmentId: COMPARTMENT,
          gatewayId: "ocid1.apigateway.oc1.fra.x",
          pathPrefix: "/half",
          specification: {
            requestPolicies: {
              authentication: {
                type: "JWT_AUTHENTICATION",
                tokenHeader: "Authorization",
                issuers: ["https://idp.example.com"],
                audiences: [],
                isAnonymousAccessAllowed: true,
              },
            },
            routes: [route("/b", { type: "ANONYMOUS" })],
          },
          freeformTags: TAGS,
        },
        { provider },
      );
    },
    expected: [
      "half: JWT authentication without issuers, audiences and public keys",
      "half: anonymous access is allowed",
      "half: route /b is anonymous",
      "open: no authentication policy: every request reaches the backend unauthenticated",
    ],
    compliant: async () => {
      const provider = ocip();
      new oci.apigateway.Deployment(
        "checked",
        {
          compartmentId: COMPARTMENT,
          gatewayId: "ocid1.apigateway.oc1.fra.x",
          pathPrefix: "/checked",
          specification: {
            requestPolicies: {
              authentication: {
                type: "JWT_AUTHENTICATION",
                tokenHeader: "Authorization",
                issuers: ["https://idp.example.com"],
                audiences: ["api://x"],
                publicKeys: { type: "REMOTE_JWKS", uri: "https://idp.example.com/keys" },
              },
            },
            routes: [
              {
                path: "/a",
                methods: ["GET"],
                backend: { type: "ORACLE_FUNCTIONS_BACKEND", functionId: "ocid1.fnfunc.oc1.fra.x" },
                requestPolicies: { authorization: { type: "AUTHENTICATION_ONLY" } },
              },
            ],
          },
          freeformTags: TAGS,
        },
        { provider },
      );
      new oci.apigateway.Deployment(
        "authorizer",
        {
          compartmentId: COMPARTMENT,
          gatewayId: "ocid1.apigateway.oc1.fra.x",
          pathPrefix: "/fn",
          specification: {
            requestPolicies: {
              authentication: { type: "CUSTOM_AUTHENTICATION", functionId: "ocid1.fnfunc.oc1.fra.authorizer" },
            },
            routes: [{ path: "/a", backend: { type: "STOCK_RESPONSE_BACKEND", status: 200 } }],
          },
          freeformTags: TAGS,
        },
        { provider },
      );
    },
  },
  {
    policy: "oci-apigw-private",
    stack: "prod",
    violating: async () => {
      new oci.apigateway.Gateway(
        "public",
        { compartmentId: COMPARTMENT, endpointType: "PUBLIC", subnetId: "ocid1.subnet.oc1.fra.x", freeformTags: TAGS },
        { provider: ocip() },
      );
    },
    expected: ["public: endpoint type is PUBLIC"],
    compliant: async () => {
      new oci.apigateway.Gateway(
        "private",
        { compartmentId: COMPARTMENT, endpointType: "PRIVATE", subnetId: "ocid1.subnet.oc1.fra.x", freeformTags: TAGS },
        { provider: ocip() },
      );
    },
  },
  {
    policy: "oci-apigw-logs",
    violating: async () => {
      const provider = ocip();
      const deployment = new oci.apigateway.Deployment(
        "half-logged",
        {
          compartmentId: COMPARTMENT,
          gatewayId: "ocid1.apigateway.oc1.fra.x",
          pathPrefix: "/h",
          specification: { routes: [] },
          freeformTags: TAGS,
        },
        { provider },
      );
      new oci.logging.Log(
        "access",
        {
          displayName: "a",
          logGroupId: "ocid1.loggroup.oc1.fra.x",
          logType: "SERVICE",
          configuration: {
            source: { sourceType: "OCISERVICE", service: "apigateway", category: "access", resource: deployment.id },
          },
          freeformTags: TAGS,
        },
        { provider },
      );
      // Disabled: does not count.
      new oci.logging.Log(
        "execution-off",
        {
          displayName: "e",
          logGroupId: "ocid1.loggroup.oc1.fra.x",
          logType: "SERVICE",
          isEnabled: false,
          configuration: {
            source: { sourceType: "OCISERVICE", service: "apigateway", category: "execution", resource: deployment.id },
          },
          freeformTags: TAGS,
        },
        { provider },
      );
    },
    expected: ["half-logged: deployment half-logged has no enabled execution log"],
    compliant: async () => {
      const provider = ocip();
      const deployment = new oci.apigateway.Deployment(
        "logged",
        {
          compartmentId: COMPARTMENT,
          gatewayId: "ocid1.apigateway.oc1.fra.x",
          pathPrefix: "/l",
          specification: { routes: [] },
          freeformTags: TAGS,
        },
        { provider },
      );
      for (const category of ["access", "execution"]) {
        new oci.logging.Log(
          category,
          {
            displayName: category,
            logGroupId: "ocid1.loggroup.oc1.fra.x",
            logType: "SERVICE",
            configuration: {
              source: { sourceType: "OCISERVICE", service: "apigateway", category, resource: deployment.id },
            },
            freeformTags: TAGS,
          },
          { provider },
        );
      }
    },
  },
  {
    policy: "oci-defined-cost-tags",
    violating: async () => {
      const provider = ocip();
      new oci.ons.NotificationTopic(
        "freeform-only",
        { compartmentId: COMPARTMENT, name: "freeform-only", freeformTags: TAGS },
        { provider },
      );
      new oci.ons.NotificationTopic(
        "no-environment",
        {
          compartmentId: COMPARTMENT,
          name: "no-environment",
          freeformTags: TAGS,
          definedTags: { "multicloud.cost_center": "CC-1", "multicloud.environment": "" },
        },
        { provider },
      );
    },
    expected: [
      "freeform-only: no defined tag <namespace>.cost_center, <namespace>.environment",
      "no-environment: no defined tag <namespace>.environment",
    ],
    compliant: async () => {
      const provider = ocip();
      new oci.ons.NotificationTopic(
        "tagged",
        {
          compartmentId: COMPARTMENT,
          name: "tagged",
          freeformTags: TAGS,
          definedTags: {
            "multicloud.cost_center": "CC-1",
            "multicloud.environment": "dev",
            "multicloud.owner": "team",
          },
        },
        { provider },
      );
      // The namespace itself, its tags, and types OCI does not tag are not this policy's business.
      const ns = new oci.identity.TagNamespace(
        "costs",
        { compartmentId: "ocid1.tenancy.oc1..aaaaaaaat", name: "multicloud", description: "costs", freeformTags: TAGS },
        { provider },
      );
      new oci.identity.Tag(
        "cc",
        { tagNamespaceId: ns.id, name: "cost_center", description: "cc", freeformTags: TAGS },
        { provider },
      );
      new oci.identity.UserGroupMembership(
        "member",
        { compartmentId: "ocid1.tenancy.oc1..aaaaaaaat", userId: "ocid1.user.oc1..u", groupId: "ocid1.group.oc1..g" },
        { provider },
      );
    },
  },
  {
    policy: "oci-alarms-notify",
    violating: async () => {
      const provider = ocip();
      const base = {
        compartmentId: COMPARTMENT,
        metricCompartmentId: COMPARTMENT,
        namespace: "oci_vpn",
        query: 'TunnelState[1m]{resourceId = "x"}.max() < 1',
        severity: "CRITICAL",
        freeformTags: TAGS,
      };
      new oci.monitoring.Alarm(
        "silent",
        { ...base, displayName: "silent", isEnabled: true, destinations: [] },
        { provider },
      );
      new oci.monitoring.Alarm(
        "off",
        { ...base, displayName: "off", isEnabled: false, destinations: ["ocid1.onstopic.oc1.fra.t"] },
        { provider },
      );
    },
    expected: ["off: is disabled", "silent: notifies no one"],
    compliant: async () => {
      new oci.monitoring.Alarm(
        "on-call",
        {
          compartmentId: COMPARTMENT,
          metricCompartmentId: COMPARTMENT,
          displayName: "on-call",
          namespace: "oci_vpn",
          query: 'TunnelState[1m]{resourceId = "x"}.max() < 1',
          severity: "CRITICAL",
          isEnabled: true,
          destinations: ["ocid1.onstopic.oc1.fra.t"],
          freeformTags: TAGS,
        },
        { provider: ocip() },
      );
    },
  },
  {
    policy: "oci-drg-managed-route-tables",
    violating: async () => {
      const provider = ocip();
      const drg = new oci.core.Drg("drg", { compartmentId: COMPARTMENT, freeformTags: TAGS }, { provider });
      new oci.core.DrgAttachment(
        "default-table",
        { drgId: drg.id, networkDetails: { id: "ocid1.vcn.oc1.fra.x", type: "VCN" }, freeformTags: TAGS },
        { provider },
      );
      new oci.core.VirtualCircuit(
        "circuit",
        {
          compartmentId: COMPARTMENT,
          type: "PRIVATE",
          gatewayId: drg.id,
          bandwidthShapeName: "1 Gbps",
          freeformTags: TAGS,
        },
        { provider },
      );
      const cpe = new oci.core.Cpe(
        "cpe",
        { compartmentId: COMPARTMENT, ipAddress: "198.51.100.7", freeformTags: TAGS },
        { provider },
      );
      const ipsec = new oci.core.Ipsec(
        "ipsec",
        {
          compartmentId: COMPARTMENT,
          cpeId: cpe.id,
          drgId: drg.id,
          staticRoutes: ["10.10.0.0/16"],
          freeformTags: TAGS,
        },
        { provider },
      );
      const distribution = new oci.core.DrgRouteDistribution(
        "imports",
        { drgId: drg.id, distributionType: "IMPORT", freeformTags: TAGS },
        { provider },
      );
      const table = new oci.core.DrgRouteTable(
        "edge",
        { drgId: drg.id, importDrgRouteDistributionId: distribution.id, freeformTags: TAGS },
        { provider },
      );
      // One of the two tunnels moved to the managed table, the other left where OCI put it.
      const tunnel = new oci.core.IpsecConnectionTunnelManagement(
        "t1",
        { ipsecId: ipsec.id, tunnelId: "ocid1.ipsectunnel.oc1.fra.t1", routing: "BGP" },
        { provider },
      );
      new oci.core.DrgAttachmentManagement(
        "t1",
        {
          attachmentType: "IPSEC_TUNNEL",
          compartmentId: COMPARTMENT,
          drgId: drg.id,
          networkId: tunnel.id,
          drgRouteTableId: table.id,
          freeformTags: TAGS,
        },
        { provider },
      );
    },
    expected: [
      "circuit: virtual circuit circuit's DRG attachment stays on the autogenerated route table",
      "default-table: attachment default-table uses the DRG's autogenerated route table",
      "ipsec: IPSec connection ipsec: 1 of its 2 tunnel attachments stay on the autogenerated route table",
    ],
    compliant: async () => {
      const provider = ocip();
      const drg = new oci.core.Drg("drg", { compartmentId: COMPARTMENT, freeformTags: TAGS }, { provider });
      const distribution = new oci.core.DrgRouteDistribution(
        "imports",
        { drgId: drg.id, distributionType: "IMPORT", freeformTags: TAGS },
        { provider },
      );
      const table = new oci.core.DrgRouteTable(
        "managed",
        { drgId: drg.id, importDrgRouteDistributionId: distribution.id, freeformTags: TAGS },
        { provider },
      );
      new oci.core.DrgAttachment(
        "vcn",
        {
          drgId: drg.id,
          drgRouteTableId: table.id,
          networkDetails: { id: "ocid1.vcn.oc1.fra.x", type: "VCN" },
          freeformTags: TAGS,
        },
        { provider },
      );
      const circuit = new oci.core.VirtualCircuit(
        "circuit",
        {
          compartmentId: COMPARTMENT,
          type: "PRIVATE",
          gatewayId: drg.id,
          bandwidthShapeName: "1 Gbps",
          freeformTags: TAGS,
        },
        { provider },
      );
      new oci.core.DrgAttachmentManagement(
        "circuit",
        {
          attachmentType: "VIRTUAL_CIRCUIT",
          compartmentId: COMPARTMENT,
          drgId: drg.id,
          networkId: circuit.id,
          drgRouteTableId: table.id,
          freeformTags: TAGS,
        },
        { provider },
      );
      const cpe = new oci.core.Cpe(
        "cpe",
        { compartmentId: COMPARTMENT, ipAddress: "198.51.100.7", freeformTags: TAGS },
        { provider },
      );
      const ipsec = new oci.core.Ipsec(
        "ipsec",
        {
          compartmentId: COMPARTMENT,
          cpeId: cpe.id,
          drgId: drg.id,
          staticRoutes: ["10.10.0.0/16"],
          freeformTags: TAGS,
        },
        { provider },
      );
      for (const n of [1, 2]) {
        const tunnel = new oci.core.IpsecConnectionTunnelManagement(
          `t${n}`,
          { ipsecId: ipsec.id, tunnelId: `ocid1.ipsectunnel.oc1.fra.t${n}`, routing: "BGP" },
          { provider },
        );
        new oci.core.DrgAttachmentManagement(
          `t${n}`,
          {
            attachmentType: "IPSEC_TUNNEL",
            compartmentId: COMPARTMENT,
            drgId: drg.id,
            networkId: tunnel.id,
            drgRouteTableId: table.id,
            freeformTags: TAGS,
          },
          { provider },
        );
      }
    },
  },
  {
    policy: "oci-vcn-flow-logs",
    violating: async () => {
      const provider = ocip();
      const subnet = (name: string) =>
        new oci.core.Subnet(
          name,
          {
            compartmentId: COMPARTMENT,
            vcnId: "ocid1.vcn.oc1.fra.x",
            cidrBlock: name === "quiet" ? "10.0.0.0/24" : "10.0.1.0/24",
            prohibitPublicIpOnVnic: true,
            freeformTags: TAGS,
          },
          { provider },
        );
      subnet("quiet");
      const disabled = subnet("disabled");
      const group = new oci.logging.LogGroup(
        "flow",
        { compartmentId: COMPARTMENT, displayName: "flow", freeformTags: TAGS },
        { provider },
      );
      new oci.logging.Log(
        "off",
        {
          displayName: "off",
          logGroupId: group.id,
          logType: "SERVICE",
          isEnabled: false,
          configuration: {
            source: { sourceType: "OCISERVICE", service: "flowlogs", category: "all", resource: disabled.id },
          },
          freeformTags: TAGS,
        },
        { provider },
      );
    },
    expected: [
      "disabled: subnet disabled has no enabled flow log of all traffic",
      "quiet: subnet quiet has no enabled flow log of all traffic",
    ],
    compliant: async () => {
      const provider = ocip();
      const subnet = new oci.core.Subnet(
        "logged",
        {
          compartmentId: COMPARTMENT,
          vcnId: "ocid1.vcn.oc1.fra.x",
          cidrBlock: "10.0.0.0/24",
          prohibitPublicIpOnVnic: true,
          freeformTags: TAGS,
        },
        { provider },
      );
      const group = new oci.logging.LogGroup(
        "flow",
        { compartmentId: COMPARTMENT, displayName: "flow", freeformTags: TAGS },
        { provider },
      );
      new oci.logging.Log(
        "all",
        {
          displayName: "all",
          logGroupId: group.id,
          logType: "SERVICE",
          retentionDuration: 90,
          configuration: {
            source: { sourceType: "OCISERVICE", service: "flowlogs", category: "all", resource: subnet.id },
          },
          freeformTags: TAGS,
        },
        { provider },
      );
    },
  },
  {
    policy: "required-tags",
    violating: async () => {
      new aws.ec2.Vpc(
        "untagged",
        { cidrBlock: "10.0.0.0/16", tags: { environment: "dev" } },
        { provider: new aws.Provider("aws", { region: "eu-west-1" }) },
      );
      new oci.core.Vcn("untagged", { compartmentId: COMPARTMENT, cidrBlocks: ["10.1.0.0/16"] }, { provider: ocip() });
    },
    expected: ["untagged: missing tag(s) cost_center", "untagged: missing tag(s) cost_center, environment"],
    compliant: async () => {
      const provider = awsp();
      new aws.ec2.Vpc("tagged", { cidrBlock: "10.0.0.0/16" }, { provider });
      new aws.ec2.Route(
        "untaggable",
        { routeTableId: "rtb-1", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-1" },
        { provider },
      );
      new oci.core.Vcn(
        "tagged",
        { compartmentId: COMPARTMENT, cidrBlocks: ["10.1.0.0/16"], freeformTags: TAGS },
        { provider: ocip() },
      );
    },
  },
];

function sfnCases(): Case[] {
  const machine = (name: string, extra: Partial<aws.sfn.StateMachineArgs>) => async () =>
    void new aws.sfn.StateMachine(
      name,
      {
        roleArn: "arn:aws:iam::111111111111:role/sfn",
        definition: JSON.stringify({ StartAt: "Done", States: { Done: { Type: "Succeed" } } }),
        ...extra,
      },
      { provider: awsp() },
    );
  const good = {
    loggingConfiguration: {
      level: "ALL",
      includeExecutionData: true,
      logDestination: "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/vendedlogs/states/x:*",
    },
    tracingConfiguration: { enabled: true },
  };
  return [
    {
      policy: "aws-sfn-logging",
      violating: async () => {
        const provider = awsp();
        const definition = JSON.stringify({ StartAt: "Done", States: { Done: { Type: "Succeed" } } });
        new aws.sfn.StateMachine(
          "silent",
          { roleArn: "arn:aws:iam::111111111111:role/sfn", definition, tracingConfiguration: { enabled: true } },
          { provider },
        );
        new aws.sfn.StateMachine(
          "errors-only",
          {
            roleArn: "arn:aws:iam::111111111111:role/sfn",
            definition,
            ...good,
            loggingConfiguration: {
              level: "ERROR",
              includeExecutionData: false,
              logDestination: good.loggingConfiguration.logDestination,
            },
          },
          { provider },
        );
      },
      expected: [
        "silent: logging level is OFF, not ALL",
        "silent: execution data is not logged",
        "silent: no log destination",
        "errors-only: logging level is ERROR, not ALL",
        "errors-only: execution data is not logged",
      ],
      compliant: machine("logged", good),
    },
    {
      policy: "aws-sfn-tracing",
      violating: machine("untraced", { ...good, tracingConfiguration: { enabled: false } }),
      expected: ["untraced: X-Ray tracing is off"],
      compliant: machine("traced", good),
    },
  ];
}

function mskCases(): Case[] {
  const cluster = (name: string, extra: Partial<aws.msk.ClusterArgs>) => async () => {
    new aws.msk.Cluster(
      name,
      {
        clusterName: name,
        kafkaVersion: "3.7.x",
        numberOfBrokerNodes: 3,
        brokerNodeGroupInfo: {
          instanceType: "kafka.m7g.large",
          clientSubnets: ["subnet-1", "subnet-2", "subnet-3"],
          securityGroups: ["sg-1"],
        },
        ...extra,
      },
      { provider: awsp() },
    );
  };
  const good = {
    encryptionInfo: {
      encryptionAtRestKmsKeyArn: KEY_ARN,
      encryptionInTransit: { clientBroker: "TLS", inCluster: true },
    },
    clientAuthentication: { unauthenticated: false, sasl: { iam: true } },
  };
  return [
    {
      policy: "aws-msk-tls-in-transit",
      violating: cluster("plaintext", {
        encryptionInfo: { encryptionInTransit: { clientBroker: "TLS_PLAINTEXT", inCluster: false } },
      }),
      expected: ["plaintext: client-broker encryption is TLS_PLAINTEXT", "plaintext: in-cluster encryption is off"],
      compliant: cluster("tls", good),
    },
    {
      policy: "aws-msk-encryption-at-rest-cmk",
      violating: cluster("aws-key", {}),
      expected: ["aws-key: no customer-managed key for data at rest"],
      compliant: cluster("cmk", good),
    },
    {
      policy: "aws-msk-authenticated",
      violating: cluster("anonymous", { clientAuthentication: { unauthenticated: true } }),
      expected: ["anonymous: unauthenticated access is on"],
      compliant: cluster("iam", good),
    },
    {
      policy: "aws-msk-private",
      violating: async () => {
        const provider = awsp();
        new aws.msk.Configuration(
          "autocreate",
          { kafkaVersions: ["3.8.x"], serverProperties: "auto.create.topics.enable=true\nmin.insync.replicas=2" },
          { provider },
        );
        new aws.msk.Cluster(
          "public",
          {
            clusterName: "public",
            kafkaVersion: "3.8.x",
            numberOfBrokerNodes: 3,
            brokerNodeGroupInfo: {
              clientSubnets: ["subnet-1", "subnet-2", "subnet-3"],
              instanceType: "kafka.m7g.large",
              securityGroups: ["sg-1"],
              connectivityInfo: { publicAccess: { type: "SERVICE_PROVIDED_EIPS" } },
            },
            ...good,
          },
          { provider },
        );
      },
      expected: [
        "autocreate: topics are created automatically (auto.create.topics.enable is not false)",
        "public: public access is SERVICE_PROVIDED_EIPS",
      ],
      compliant: async () => {
        const provider = awsp();
        new aws.msk.Configuration(
          "declared",
          { kafkaVersions: ["3.8.x"], serverProperties: "min.insync.replicas=2\nauto.create.topics.enable=false" },
          { provider },
        );
        new aws.msk.Cluster(
          "private",
          {
            clusterName: "private",
            kafkaVersion: "3.8.x",
            numberOfBrokerNodes: 3,
            brokerNodeGroupInfo: {
              clientSubnets: ["subnet-1", "subnet-2", "subnet-3"],
              instanceType: "kafka.m7g.large",
              securityGroups: ["sg-1"],
              connectivityInfo: { publicAccess: { type: "DISABLED" } },
            },
            ...good,
          },
          { provider },
        );
      },
    },
  ];
}

function eksCases(): Case[] {
  const cluster = (name: string, extra: Partial<aws.eks.ClusterArgs>) => async () => {
    new aws.eks.Cluster(
      name,
      { roleArn: "arn:aws:iam::111111111111:role/eks", vpcConfig: { subnetIds: ["subnet-1", "subnet-2"] }, ...extra },
      { provider: awsp() },
    );
  };
  return [
    {
      policy: "aws-eks-private-endpoint",
      violating: cluster("public", {}),
      expected: ["public: public API endpoint open to 0.0.0.0/0"],
      compliant: cluster("private", {
        vpcConfig: { subnetIds: ["subnet-1", "subnet-2"], endpointPublicAccess: false, endpointPrivateAccess: true },
      }),
    },
    {
      policy: "aws-eks-secrets-encryption",
      violating: cluster("clear-secrets", {}),
      expected: ["clear-secrets: secrets are not KMS-encrypted"],
      compliant: cluster("kms-secrets", {
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: KEY_ARN } },
      }),
    },
    {
      policy: "aws-eks-control-plane-logs",
      stack: "prod",
      violating: cluster("quiet", { enabledClusterLogTypes: ["api"] }),
      expected: ["quiet: control-plane logs missing: audit, authenticator"],
      compliant: cluster("logged", { enabledClusterLogTypes: ["api", "audit", "authenticator", "scheduler"] }),
    },
    {
      policy: "aws-eks-access-entries",
      violating: cluster("config-map", {}),
      expected: [
        "config-map: authentication mode is CONFIG_MAP (the default), not API",
        "config-map: the creator gets implicit cluster-admin",
      ],
      compliant: cluster("entries", {
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      }),
    },
    {
      policy: "aws-eks-nodes-imdsv2",
      violating: async () => {
        const provider = awsp();
        new aws.ec2.LaunchTemplate(
          "imdsv1",
          { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 } },
          { provider },
        );
        new aws.eks.NodeGroup(
          "bare",
          {
            clusterName: "c",
            nodeRoleArn: "arn:aws:iam::111111111111:role/n",
            subnetIds: ["subnet-1"],
            scalingConfig: { minSize: 1, maxSize: 1, desiredSize: 1 },
          },
          { provider },
        );
      },
      expected: [
        "bare: the node group has no launch template (its instances default to IMDSv1 and hop limit 2)",
        "imdsv1: IMDSv1 is allowed (httpTokens is not required)",
        "imdsv1: hop limit is 2: containers reach the instance's credentials",
      ],
      compliant: async () => {
        const provider = awsp();
        const template = new aws.ec2.LaunchTemplate(
          "imdsv2",
          { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } },
          { provider },
        );
        new aws.eks.NodeGroup(
          "templated",
          {
            clusterName: "c",
            nodeRoleArn: "arn:aws:iam::111111111111:role/n",
            subnetIds: ["subnet-1"],
            scalingConfig: { minSize: 1, maxSize: 1, desiredSize: 1 },
            launchTemplate: { id: template.id, version: "1" },
          },
          { provider },
        );
      },
    },
    {
      policy: "aws-ecr-immutable-scanned",
      violating: async () => void new aws.ecr.Repository("loose", {}, { provider: awsp() }),
      expected: ["loose: tags are mutable", "loose: images are not scanned on push", "loose: no customer-managed key"],
      compliant: async () =>
        void new aws.ecr.Repository(
          "tight",
          {
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY_ARN }],
          },
          { provider: awsp() },
        ),
    },
  ];
}

function kubernetesCases(): Case[] {
  const DIGEST = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@sha256:${"a".repeat(64)}`;
  /** A hardened container, as the order service runs; fixtures break one thing at a time. */
  const goodContainer = {
    name: "api",
    image: DIGEST,
    resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    readinessProbe: { httpGet: { path: "/readyz", port: 8080 } },
    livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
    securityContext: {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
  const k8sp = () => new k8s.Provider("k8s", { kubeconfig: "{}" });
  const deployment =
    (name: string, container: k8s.types.input.core.v1.Container, pod: Partial<k8s.types.input.core.v1.PodSpec> = {}) =>
    async () =>
      void new k8s.apps.v1.Deployment(
        name,
        {
          metadata: { name, namespace: "apps" },
          spec: {
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name } }, spec: { containers: [container], ...pod } },
          },
        },
        { provider: k8sp() },
      );
  const good = deployment("good", goodContainer);
  return [
    {
      policy: "k8s-workload-hardened",
      violating: deployment("root", { ...goodContainer, securityContext: { privileged: true } }, { hostNetwork: true }),
      expected: [
        "root: the pod uses hostNetwork",
        "root: container api may run as root",
        "root: container api is privileged",
        "root: container api has a writable root filesystem",
        "root: container api allows privilege escalation",
        "root: container api keeps capabilities (drop ALL)",
        "root: container api has no RuntimeDefault seccomp profile",
      ],
      compliant: good,
    },
    {
      policy: "k8s-workload-resources",
      violating: deployment("unbounded", { ...goodContainer, resources: { requests: { cpu: "100m" } } }),
      expected: ["unbounded: container api has no requests.memory, limits.memory"],
      compliant: good,
    },
    {
      policy: "k8s-workload-probes",
      violating: deployment("blind", {
        ...goodContainer,
        readinessProbe: { httpGet: { path: "/healthz", port: 8080 } },
      }),
      expected: ["blind: container api probes readiness and liveness on the same endpoint"],
      compliant: good,
    },
    {
      policy: "k8s-image-digest",
      violating: deployment("floating", { ...goodContainer, image: "nginx:latest" }),
      expected: ["floating: container api runs nginx:latest, not pinned by digest"],
      compliant: good,
    },
    {
      policy: "k8s-no-secret-env",
      violating: deployment("leaky", {
        ...goodContainer,
        env: [
          { name: "DB_PASSWORD", value: "hunter2" },
          { name: "TOKEN", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } },
        ],
        envFrom: [{ secretRef: { name: "creds" } }],
      }),
      expected: [
        "leaky: container api sets DB_PASSWORD in plain text",
        "leaky: container api takes TOKEN from a Kubernetes Secret",
        "leaky: container api loads its environment from a Kubernetes Secret",
      ],
      compliant: deployment("clean", {
        ...goodContainer,
        env: [{ name: "ORDERS_DB_SECRET_ARN", value: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:x" }],
        envFrom: [{ configMapRef: { name: "settings" } }],
      }),
    },
    {
      policy: "k8s-namespace-restricted",
      violating: async () =>
        void new k8s.core.v1.Namespace(
          "open",
          { metadata: { name: "open", labels: { "pod-security.kubernetes.io/enforce": "baseline" } } },
          { provider: k8sp() },
        ),
      expected: ["open: does not enforce the restricted Pod Security Standard"],
      compliant: async () =>
        void new k8s.core.v1.Namespace(
          "restricted",
          { metadata: { name: "restricted", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
          { provider: k8sp() },
        ),
    },
    {
      policy: "k8s-load-balancer-internal",
      violating: async () =>
        void new k8s.core.v1.Service(
          "public",
          {
            metadata: { name: "public", namespace: "apps" },
            spec: { type: "LoadBalancer", selector: { app: "a" }, ports: [{ port: 80 }] },
          },
          { provider: k8sp() },
        ),
      expected: ["public: the load balancer is not internal"],
      compliant: async () => {
        const provider = k8sp();
        new k8s.core.v1.Service(
          "internal",
          {
            metadata: {
              name: "internal",
              namespace: "apps",
              annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" },
            },
            spec: { type: "LoadBalancer", ports: [{ port: 80 }] },
          },
          { provider },
        );
        new k8s.core.v1.Service(
          "cluster-ip",
          { metadata: { name: "cluster-ip", namespace: "apps" }, spec: { type: "ClusterIP", ports: [{ port: 80 }] } },
          { provider },
        );
      },
    },
    {
      policy: "k8s-load-balancer-tls",
      violating: async () =>
        void new k8s.core.v1.Service(
          "plain",
          {
            metadata: {
              name: "plain",
              namespace: "apps",
              annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" },
            },
            spec: { type: "LoadBalancer", selector: { app: "a" }, ports: [{ name: "http", port: 80 }] },
          },
          { provider: k8sp() },
        ),
      expected: [
        "plain: no ACM certificate on the listener",
        "plain: port 80 is not TLS",
        "plain: the TLS policy is not a TLS 1.3/1.2 one",
        "plain: no loadBalancerSourceRanges: any address may connect",
      ],
      compliant: async () =>
        void new k8s.core.v1.Service(
          "tls",
          {
            metadata: {
              name: "tls",
              namespace: "apps",
              annotations: {
                "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
                "service.beta.kubernetes.io/aws-load-balancer-ssl-cert":
                  "arn:aws:acm:eu-west-1:111122223333:certificate/3f1c2a4e-8b7d-4e52-9a61-0c5d7e9f2b13",
                "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "https",
                "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy":
                  "ELBSecurityPolicy-TLS13-1-2-2021-06",
              },
            },
            spec: {
              type: "LoadBalancer",
              selector: { app: "a" },
              ports: [{ name: "https", port: 443 }],
              loadBalancerSourceRanges: ["10.250.0.0/16"],
            },
          },
          { provider: k8sp() },
        ),
    },
  ];
}

describe("policy pack: every policy has a violating and a compliant fixture", () => {
  it("covers all policies, each with a description and a remediation", () => {
    expect(policies.length).to.be.at.least(25);
    expect([...CASES, ...ACCESS_CASES].map((c) => c.policy).sort()).to.deep.equal(policies.map((p) => p.name).sort());
    for (const p of policies) {
      expect(p.description, p.name).to.have.length.greaterThan(20);
      expect(p.remediation, p.name).to.have.length.greaterThan(10);
    }
  });

  for (const c of [...CASES, ...ACCESS_CASES]) {
    describe(c.policy, () => {
      it("reports the violation with its message", async () => {
        const found = await verdicts(c.policy, c.violating, c.stack);
        expect(messages(found)).to.deep.equal([...c.expected].sort());
        expect(found.every((v) => v.policy === c.policy)).to.equal(true);
      });
      it("reports nothing for the compliant fixture", async () => {
        expect(messages(await verdicts(c.policy, c.compliant, c.stack))).to.deep.equal([]);
      });
    });
  }
});

describe("policy helpers", () => {
  it("knows which protected ports a rule opens", () => {
    expect(protectedPortsOpened({ protocol: "6" })).to.deep.equal([22, 1521, 1522, 3389]);
    expect(protectedPortsOpened({ protocol: "17", tcpOptions: { min: 22, max: 22 } })).to.deep.equal([]);
    expect(protectedPortsOpened({ protocol: "6", tcpOptions: { min: 1522, max: 1522 } })).to.deep.equal([1522]);
  });

  it("finds admin statements in a policy document, tolerating bad JSON", () => {
    expect(adminStatements('{"Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"}]}')).to.deep.equal([
      "A",
    ]);
    expect(adminStatements('{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}')).to.deep.equal([]);
    expect(adminStatements("not json")).to.deep.equal([]);
  });
});

for (const stack of ["dev", "prod"] as const) {
  describe(`policies over the ${stack} stack`, () => {
    it("evaluates every policy at the stack's level: no mandatory violation, advisory ones listed", async () => {
      const run = await runStack(stack);
      if (run.error) throw run.error;
      const report = await evaluatePolicies(run);
      expect(report.evaluated.map((p) => p.name)).to.deep.equal(policies.map((p) => p.name));
      expect(report.mandatoryViolations).to.equal(0);
      // Every advisory policy holds too (the budgets landed with the FinOps work).
      expect(report.violations.map((v) => `${v.policy} [${v.level}]: ${v.message}`)).to.deep.equal([]);
    });
  });
}
