/**
 * `npm run bench:costjob`: what one run of the daily cost job asks of the clouds and how long its own
 * work takes — the first run (empty table, the whole history backfilled) and the next day's run —
 * with the stack's three watched resources. Cost Explorer, CloudWatch, Auto Scaling and SNS are
 * aws-sdk-client-mock answering at once, the OCI APIs an in-process fetch, S3 is s3rver on loopback
 * with 20 ms added to each request (an in-region S3 round trip);
 * each cloud answers 12 services × 3 cost centres a day. Cost Explorer bills 0.01 USD a request (a
 * page counts as one). Prints figures only.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostAndUsageWithResourcesCommand,
} from "@aws-sdk/client-cost-explorer";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { generateKeyPairSync } from "node:crypto";
import { performance } from "node:perf_hooks";
import { daysBetween } from "../../functions/aws/costs/collect";
import { JobSettings, runCostJob } from "../../functions/aws/costs/job";
import { ociRequestSigner } from "../../functions/aws/costs/ociSign";
import { startLocalS3 } from "../functions/support/s3local";

const HISTORY_DAYS = 400;
const SERVICES = 12;
const COST_CENTRES = ["CC-4410-PLATFORM", "CC-4420-DATA", "CC-4430-COMMERCE"];
const S3_LATENCY_MS = 20;

async function main(): Promise<void> {
  const s3 = await startLocalS3(["costs"]);
  const ce = mockClient(CostExplorerClient);
  const cw = mockClient(CloudWatchClient);
  const asg = mockClient(AutoScalingClient);
  const sns = mockClient(SNSClient);
  const groups = Array.from({ length: SERVICES }, (_, s) =>
    COST_CENTRES.map((cc) => ({
      Keys: [`Service ${s}`, `cost_center$${cc}`],
      Metrics: { UnblendedCost: { Amount: String(10 + s), Unit: "USD" } },
    })),
  ).flat();
  ce.on(GetCostAndUsageCommand).callsFake((input: { TimePeriod: { Start: string; End: string } }) => ({
    ResultsByTime: daysBetween(input.TimePeriod.Start, input.TimePeriod.End).map((d) => ({
      TimePeriod: { Start: d, End: d },
      Groups: groups,
    })),
  }));
  ce.on(GetCostAndUsageWithResourcesCommand).callsFake((input: { TimePeriod: { Start: string; End: string } }) => ({
    ResultsByTime: daysBetween(input.TimePeriod.Start, input.TimePeriod.End).map((d) => ({
      TimePeriod: { Start: d, End: d },
      Groups: [{ Keys: ["i-0aaa"], Metrics: { UnblendedCost: { Amount: "2.8", Unit: "USD" } } }],
    })),
  }));
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [{ AutoScalingGroupName: "eks-nodes", Instances: [{ InstanceId: "i-0aaa" }] }] as never,
  });
  cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  sns.on(PublishCommand).resolves({});
  const ociCalls = { usage: 0, monitoring: 0 };
  const fetchFn = (async (url: string, init: RequestInit) => {
    if (url.includes("summarizeMetricsData")) {
      ociCalls.monitoring++;
      return new Response("[]", { status: 200 });
    }
    ociCalls.usage++;
    const body = JSON.parse(String(init.body)) as {
      timeUsageStarted: string;
      timeUsageEnded: string;
      groupBy: string[];
    };
    const days = daysBetween(body.timeUsageStarted.slice(0, 10), body.timeUsageEnded.slice(0, 10));
    const items = body.groupBy.includes("resourceId")
      ? days.map((d) => ({
          timeUsageStarted: `${d}T00:00:00.000Z`,
          resourceId: "ocid1.autonomousdatabase.oc1.fra.db",
          computedAmount: 30,
          currency: "USD",
        }))
      : days.flatMap((d) =>
          Array.from({ length: SERVICES }, (_, s) =>
            COST_CENTRES.map((cc) => ({
              timeUsageStarted: `${d}T00:00:00.000Z`,
              service: `OCI ${s}`,
              computedAmount: 5 + s,
              currency: "USD",
              tags: [{ namespace: "multicloud", key: "cost_center", value: cc }],
            })),
          ).flat(),
        );
    return new Response(JSON.stringify({ items }), { status: 200 });
  }) as typeof fetch;
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const settings: JobSettings = {
    bucket: "costs",
    ociUsageEndpoint: "https://usageapi.eu-frankfurt-1.oci.oraclecloud.com",
    ociTagNamespace: "multicloud",
    ociKeySecretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:k",
    reportTopicArn: "arn:aws:sns:eu-west-1:111122223333:t",
    stack: "multicloud-prod",
    budgets: { aws: { limit: 200_000, currency: "USD" }, oci: { limit: 150_000, currency: "USD" } },
    historyDays: HISTORY_DAYS,
    anomalyDays: 3,
    inventory: [
      { kind: "sagemakerEndpoint", id: "multicloud-prod-feature-model", instanceType: "ml.m5.large", instanceCount: 2 },
      { kind: "eksNodes", id: "eks-nodes", instanceType: "m7i.large", nodes: 3 },
      { kind: "autonomousDatabase", id: "ocid1.autonomousdatabase.oc1.fra.db", label: "multicloud-prod-atp", ecpus: 4 },
    ],
    remediation: "off",
    isProduction: true,
    ociCompartmentId: "ocid1.compartment.oc1..c",
    ociTelemetryEndpoint: "https://telemetry.eu-frankfurt-1.oraclecloud.com",
    ociDatabaseEndpoint: "https://database.eu-frankfurt-1.oraclecloud.com",
  };
  const s3Client = s3.client();
  let gets = 0;
  let puts = 0;
  // Each S3 request also waits S3_LATENCY_MS first, as an in-region request does: the table is read and written 16 objects at a time.
  const countingS3 = {
    send: (async (command: unknown) => {
      if (command instanceof GetObjectCommand) gets++;
      if (command instanceof PutObjectCommand) puts++;
      await new Promise((resolve) => setTimeout(resolve, S3_LATENCY_MS));
      return s3Client.send(command as never);
    }) as typeof s3Client.send,
  };
  const signer = ociRequestSigner({
    tenancyOcid: "ocid1.tenancy.oc1..t",
    userOcid: "ocid1.user.oc1..u",
    fingerprint: "aa:bb",
    privateKeyPem: privateKey,
  });
  const clients = {
    costExplorer: new CostExplorerClient({ region: "us-east-1" }),
    cloudWatch: new CloudWatchClient({ region: "eu-west-1" }),
    autoScaling: new AutoScalingClient({ region: "eu-west-1" }),
    s3: countingS3,
    sns: new SNSClient({ region: "eu-west-1" }),
    oci: { signer, tenancyId: "ocid1.tenancy.oc1..t", fetchFn },
  };

  console.log(
    `Daily cost job, ${HISTORY_DAYS}-day history, ${SERVICES} services × ${COST_CENTRES.length} cost centres per cloud, 3 watched resources; clouds answer at once, S3 = s3rver on loopback + ${S3_LATENCY_MS} ms a request`,
  );
  console.log(
    "run                      CE requests (USD)   CE with resources  OCI usage  OCI monitoring  CloudWatch  S3 GET / PUT  rows written  ms",
  );
  for (const [label, day] of [
    ["first (empty table)", "2026-11-29"],
    ["next day", "2026-11-30"],
  ] as const) {
    ce.resetHistory();
    cw.resetHistory();
    ociCalls.usage = 0;
    ociCalls.monitoring = 0;
    gets = 0;
    puts = 0;
    const started = performance.now();
    const result = await runCostJob(day, settings, clients);
    const ms = performance.now() - started;
    const ceCalls = ce.commandCalls(GetCostAndUsageCommand).length;
    console.log(
      `${label.padEnd(24)} ${`${ceCalls} (${(ceCalls * 0.01).toFixed(2)})`.padStart(17)} ${String(ce.commandCalls(GetCostAndUsageWithResourcesCommand).length).padStart(19)} ${String(ociCalls.usage).padStart(10)} ${String(ociCalls.monitoring).padStart(15)} ${String(cw.commandCalls(GetMetricDataCommand).length).padStart(11)} ${`${gets} / ${puts}`.padStart(13)} ${String(result.rowsWritten).padStart(13)} ${ms.toFixed(0).padStart(4)}`,
    );
  }
  for (const m of [ce, cw, asg, sns]) m.restore();
  await s3.stop();
}

void main();
