/**
 * The daily cost job's parts: Cost Explorer (aws-sdk-client-mock) and the OCI Usage API (a signed,
 * paged fake on loopback) into one normalised table; idempotent day replacement in S3 (s3rver); the
 * report with its SVG chart.
 */
import { ociTestSigner } from "./support/ociTestSigner";
import { checkedSigner } from "../support/sdkCalls";
import {
  CostExplorerClient,
  DataUnavailableException,
  GetCostAndUsageCommand,
  GetCostAndUsageWithResourcesCommand,
} from "@aws-sdk/client-cost-explorer";
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { generateKeyPairSync } from "node:crypto";
import { DefaultRequestSigner, SimpleAuthenticationDetailsProvider } from "oci-common";
import {
  collectAwsCosts,
  collectOciCosts,
  CostRow,
  daysBetween,
  normalise,
  UNTAGGED,
} from "../../functions/aws/costs/collect";
import { REMEDIATION_MODES } from "../../components/config/budget";
import { reportKeys } from "../../functions/aws/costs/contract";
import { dailyCost, findIdle, InventoryItem, remediationPlan } from "../../functions/aws/costs/idle";
import { collectRanges, JobSettings, jobSettings, reportDay, runCostJob } from "../../functions/aws/costs/job";
import { carryOut, dueActions } from "../../functions/aws/costs/remediate";
import { cloudWatchUtilisation, ociDatabaseUtilisation } from "../../functions/aws/costs/utilisation";
import { buildReport } from "../../functions/aws/costs/report";
import { ociRequestSigner } from "../../functions/aws/costs/ociSign";
import { dayKey, readDays, writeDays } from "../../functions/aws/costs/store";
import { syntheticCosts } from "../bench/support/costSeries";
import { SignedRequest, startSignedJsonServer } from "./support/ociSignature";
import { LocalS3, startLocalS3 } from "./support/s3local";

describe("cost collection: AWS Cost Explorer", () => {
  let ce: ReturnType<typeof mockClient>;
  before(() => (ce = mockClient(CostExplorerClient)));
  afterEach(() => ce.reset());
  after(() => ce.restore());

  it("asks for daily unblended cost by service and cost_center, follows every page, and parses tag values", async () => {
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce({
        ResultsByTime: [
          {
            TimePeriod: { Start: "2026-11-01", End: "2026-11-02" },
            Groups: [
              {
                Keys: ["Amazon Elastic Compute Cloud - Compute", "cost_center$CC-4410-PLATFORM"],
                Metrics: { UnblendedCost: { Amount: "12.5", Unit: "USD" } },
              },
              { Keys: ["AWS Lambda", "cost_center$"], Metrics: { UnblendedCost: { Amount: "0.75", Unit: "USD" } } },
            ],
          },
        ],
        NextPageToken: "p2",
      })
      .resolvesOnce({
        ResultsByTime: [
          {
            TimePeriod: { Start: "2026-11-02", End: "2026-11-03" },
            Groups: [
              {
                Keys: ["AWS Lambda", "cost_center$CC-4410-PLATFORM"],
                Metrics: { UnblendedCost: { Amount: "1", Unit: "USD" } },
              },
            ],
          },
        ],
      });
    const rows = await collectAwsCosts(new CostExplorerClient({ region: "us-east-1" }), "2026-11-01", "2026-11-03");
    expect(rows).to.deep.equal([
      {
        date: "2026-11-01",
        cloud: "aws",
        service: "Amazon Elastic Compute Cloud - Compute",
        costCenter: "CC-4410-PLATFORM",
        amount: 12.5,
        currency: "USD",
      },
      { date: "2026-11-01", cloud: "aws", service: "AWS Lambda", costCenter: UNTAGGED, amount: 0.75, currency: "USD" },
      {
        date: "2026-11-02",
        cloud: "aws",
        service: "AWS Lambda",
        costCenter: "CC-4410-PLATFORM",
        amount: 1,
        currency: "USD",
      },
    ]);
    const calls = ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input);
    expect(calls[0]).to.deep.equal({
      TimePeriod: { Start: "2026-11-01", End: "2026-11-03" },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost"],
      GroupBy: [
        { Type: "DIMENSION", Key: "SERVICE" },
        { Type: "TAG", Key: "cost_center" },
      ],
    });
    expect(calls[1].NextPageToken).to.equal("p2");
  });

  it("refuses an amount that is not a number, a group without a currency, and a day outside the range", async () => {
    const answer = (groups: object[], start = "2026-11-01") => ({
      ResultsByTime: [{ TimePeriod: { Start: start, End: "2026-11-02" }, Groups: groups }],
    });
    const refused = async (reply: object) => {
      ce.reset();
      ce.on(GetCostAndUsageCommand).resolves(reply);
      return collectAwsCosts(new CostExplorerClient({ region: "us-east-1" }), "2026-11-01", "2026-11-02").then(
        () => "accepted",
        (e: Error) => e.message,
      );
    };
    expect(
      await refused(
        answer([{ Keys: ["S3", "cost_center$A"], Metrics: { UnblendedCost: { Amount: "n/a", Unit: "USD" } } }]),
      ),
    ).to.equal('Cost Explorer 2026-11-01 S3: amount "n/a" is not a number');
    expect(
      await refused(answer([{ Keys: ["S3", "cost_center$A"], Metrics: { UnblendedCost: { Amount: "1" } } }])),
    ).to.equal("Cost Explorer 2026-11-01 S3: a group without a service or a currency");
    expect(await refused(answer([], "2026-10-31"))).to.equal(
      'Cost Explorer answered day "2026-10-31", outside 2026-11-01 … 2026-11-02',
    );
    expect(() => daysBetween("2026-11-03", "2026-11-01")).to.throw("start before end");
    expect(daysBetween("2026-10-30", "2026-11-02")).to.deep.equal(["2026-10-30", "2026-10-31", "2026-11-01"]);
  });
});

describe("cost collection: the OCI Usage API (signed, paged, on loopback)", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const signer = checkedSigner(
    new DefaultRequestSigner(
      new SimpleAuthenticationDetailsProvider("ocid1.tenancy.oc1..t", "ocid1.user.oc1..u", "aa:bb", privateKey, null),
    ),
  );
  let endpoint: string;
  let requests: SignedRequest<Record<string, unknown>>[];
  let close: () => void;
  let failWith: number | undefined;
  const item = (day: string, service: string, amount: number | string, tag?: string) => ({
    timeUsageStarted: `${day}T00:00:00.000Z`,
    timeUsageEnded: "x",
    service,
    computedAmount: amount,
    currency: "EUR",
    tags: tag ? [{ namespace: "multicloud", key: "cost_center", value: tag }] : [],
  });
  const pages: Record<string, { items: object[]; next?: string }> = {
    "": {
      items: [item("2026-11-01", "Database", 40, "CC-4420-DATA"), item("2026-11-01", "Networking", 3.5)],
      next: "page-2",
    },
    "page-2": {
      items: [item("2026-11-02", "Database", 41, "CC-4420-DATA"), item("2026-11-01", "Database", 2, "CC-4420-DATA")],
    },
  };

  before(async () => {
    ({
      url: endpoint,
      requests,
      close,
    } = await startSignedJsonServer<Record<string, unknown>>(publicKey, (request) => {
      if (failWith) return { status: failWith, json: { code: "TooManyRequests", message: "slow down" } };
      const page = pages[new URL(request.url, "http://x").searchParams.get("page") ?? ""];
      return {
        status: 200,
        headers: page.next ? { "opc-next-page": page.next } : undefined,
        json: { groupBy: ["service", "tagNamespace", "tagKey", "tagValue"], items: page.items },
      };
    }));
  });
  after(() => close());

  it("posts a signed DAILY COST query by service and the cost_center defined tag, follows opc-next-page, keeps the currency", async () => {
    requests.length = 0;
    const rows = await collectOciCosts(
      {
        endpoint,
        tenancyId: "ocid1.tenancy.oc1..t",
        tagNamespace: "multicloud",
        start: "2026-11-01",
        end: "2026-11-03",
      },
      signer,
    );
    expect(requests.map((r) => r.url)).to.deep.equal(["/20200107/usage", "/20200107/usage?page=page-2"]);
    expect(requests[0].body).to.deep.equal({
      tenantId: "ocid1.tenancy.oc1..t",
      timeUsageStarted: "2026-11-01T00:00:00.000Z",
      timeUsageEnded: "2026-11-03T00:00:00.000Z",
      granularity: "DAILY",
      queryType: "COST",
      groupBy: ["service", "tagNamespace", "tagKey", "tagValue"],
      groupByTag: [{ namespace: "multicloud", key: "cost_center" }],
      compartmentDepth: 1,
    });
    for (const r of requests)
      expect(r.signature).to.deep.include({
        keyId: "ocid1.tenancy.oc1..t/ocid1.user.oc1..u/aa:bb",
        algorithm: "rsa-sha256",
        digestOk: true,
        signatureOk: true,
      });
    // Two pages split one key: normalising sums it.
    expect(normalise(rows)).to.deep.equal([
      {
        date: "2026-11-01",
        cloud: "oci",
        service: "Database",
        costCenter: "CC-4420-DATA",
        amount: 42,
        currency: "EUR",
      },
      { date: "2026-11-01", cloud: "oci", service: "Networking", costCenter: UNTAGGED, amount: 3.5, currency: "EUR" },
      {
        date: "2026-11-02",
        cloud: "oci",
        service: "Database",
        costCenter: "CC-4420-DATA",
        amount: 41,
        currency: "EUR",
      },
    ]);
  });

  it("signs as OCI verifies with our own node:crypto signer too (the Lambda's: oci-common's would add 700 KiB)", async () => {
    requests.length = 0;
    const own = ociRequestSigner(
      {
        tenancyOcid: "ocid1.tenancy.oc1..t",
        userOcid: "ocid1.user.oc1..u",
        fingerprint: "aa:bb",
        privateKeyPem: privateKey,
      },
      () => new Date("2026-11-29T06:00:00Z"),
    );
    const rows = await collectOciCosts(
      {
        endpoint,
        tenancyId: "ocid1.tenancy.oc1..t",
        tagNamespace: "multicloud",
        start: "2026-11-01",
        end: "2026-11-03",
      },
      own,
    );
    expect(rows).to.have.length(4);
    for (const r of requests) {
      expect(r.signature).to.deep.equal({
        keyId: "ocid1.tenancy.oc1..t/ocid1.user.oc1..u/aa:bb",
        algorithm: "rsa-sha256",
        headers: ["date", "(request-target)", "host", "content-length", "content-type", "x-content-sha256"],
        digestOk: true,
        signatureOk: true,
      });
    }
    // A different key does not verify: the check can fail.
    const other = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    requests.length = 0;
    await collectOciCosts(
      {
        endpoint,
        tenancyId: "ocid1.tenancy.oc1..t",
        tagNamespace: "multicloud",
        start: "2026-11-01",
        end: "2026-11-03",
      },
      ociRequestSigner({ tenancyOcid: "t", userOcid: "u", fingerprint: "f", privateKeyPem: other.privateKey }),
    );
    expect(requests[0].signature.signatureOk).to.equal(false);
    expect(() =>
      ociRequestSigner({
        tenancyOcid: "t",
        userOcid: "u",
        fingerprint: "f",
        privateKeyPem: "-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----",
      }),
    ).to.throw("the OCI API key's private key is not a PEM private key");
  });

  it("reports the Usage API's error status and refuses items outside the range", async () => {
    failWith = 429;
    const error = await collectOciCosts(
      {
        endpoint,
        tenancyId: "ocid1.tenancy.oc1..t",
        tagNamespace: "multicloud",
        start: "2026-11-01",
        end: "2026-11-03",
      },
      signer,
    ).catch((e: Error) => e.message);
    failWith = undefined;
    expect(error).to.match(/^the OCI Usage API answered HTTP 429: \{"code":"TooManyRequests"/);
    const outside = await collectOciCosts(
      {
        endpoint,
        tenancyId: "ocid1.tenancy.oc1..t",
        tagNamespace: "multicloud",
        start: "2026-11-02",
        end: "2026-11-03",
      },
      signer,
    ).catch((e: Error) => e.message);
    expect(outside).to.equal("OCI usage 2026-11-01 Database: day outside 2026-11-02 … 2026-11-03");
  });
});

describe("cost table in S3 (s3rver): one object per day, a re-run replaces the day", () => {
  let s3: LocalS3;
  before(async () => (s3 = await startLocalS3(["costs"])));
  after(async () => s3.stop());

  it("writes days, replaces a re-run day without duplicating, and names missing days", async () => {
    const row = (date: string, amount: number): CostRow => ({
      date,
      cloud: "aws",
      service: "S3",
      costCenter: "CC-1",
      amount,
      currency: "USD",
    });
    await writeDays(
      s3.client(),
      "costs",
      ["2026-11-01", "2026-11-02"],
      [row("2026-11-01", 1), row("2026-11-02", 2), { ...row("2026-11-02", 3), service: "EC2" }],
    );
    await writeDays(s3.client(), "costs", ["2026-11-02"], [row("2026-11-02", 5)]);
    const { rows, missing } = await readDays(s3.client(), "costs", ["2026-11-01", "2026-11-02", "2026-11-03"]);
    expect(rows).to.deep.equal([row("2026-11-01", 1), row("2026-11-02", 5)]);
    expect(missing).to.deep.equal(["2026-11-03"]);
    expect(dayKey("2026-11-02")).to.equal("costs/date=2026-11-02/costs.jsonl");
    await writeDays(s3.client(), "costs", ["2026-11-03"], []);
    expect(
      (await readDays(s3.client(), "costs", ["2026-11-03"])).missing,
      "a day without spend is written, not missing",
    ).to.deep.equal([]);
    let refused = "";
    await writeDays(s3.client(), "costs", ["2026-11-01"], [row("2026-11-05", 1)]).catch(
      (e: Error) => (refused = e.message),
    );
    expect(refused).to.equal("row of 2026-11-05 is outside the days written (2026-11-01 … 2026-11-01)");
  });
});

describe("the daily cost report", () => {
  // 120 days of two clouds from the synthetic series; an AWS spike planted on the report's last complete day.
  const days = daysBetween("2026-08-01", "2026-11-29");
  const { series } = syntheticCosts(2);
  const rows: CostRow[] = [];
  days.forEach((date, i) => {
    rows.push({
      date,
      cloud: "aws",
      service: "Amazon EC2",
      costCenter: "CC-4410-PLATFORM",
      amount: series[0][i] * (i === days.length - 1 ? 1.8 : 1),
      currency: "USD",
    });
    rows.push({
      date,
      cloud: "aws",
      service: "AWS Lambda",
      costCenter: UNTAGGED,
      amount: series[1][i],
      currency: "USD",
    });
    rows.push({
      date,
      cloud: "oci",
      service: "Database",
      costCenter: "CC-4420-DATA",
      amount: series[2][i],
      currency: "EUR",
    });
  });
  const report = buildReport({
    rows,
    fromDay: "2026-08-01",
    today: "2026-11-29",
    budgets: { aws: { limit: 30_000, currency: "USD" }, oci: { limit: 20_000, currency: "EUR" } },
    anomalyDays: 3,
    stack: "multicloud-prod",
  });

  it("gives month to date against budget per cloud and currency, and a month-end forecast with its band", () => {
    const mtd = (cloud: string) =>
      rows.filter((r) => r.cloud === cloud && r.date >= "2026-11-01").reduce((a, r) => a + r.amount, 0);
    const aws = report.clouds.find((c) => c.cloud === "aws")!;
    expect(aws.monthToDate).to.be.closeTo(mtd("aws"), 1e-6);
    expect(aws.currency).to.equal("USD");
    expect(aws.monthEnd!.lower).to.be.below(aws.monthEnd!.mean);
    expect(aws.monthEnd!.mean).to.be.below(aws.monthEnd!.upper);
    // Two days left in November (29th and 30th): month end = MTD + two forecast days.
    expect(aws.monthEnd!.mean - aws.monthToDate).to.be.closeTo(aws.forecast[0].mean + aws.forecast[1].mean, 1e-6);
    // The next 30 days: the sum of the 30 forecast days, with the band of their sums.
    expect(aws.next30Days!.mean).to.be.closeTo(
      aws.forecast.slice(0, 30).reduce((a, p) => a + p.mean, 0),
      1e-6,
    );
    expect(aws.forecast).to.have.length(30);
    expect(aws.next30Days!.lower).to.be.below(aws.next30Days!.mean);
    expect(aws.next30Days!.upper).to.be.above(aws.next30Days!.mean);
    const fmt = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(report.markdown).to.contain(
      `| ${fmt(aws.next30Days!.mean)} USD (${fmt(aws.next30Days!.lower)} USD – ${fmt(aws.next30Days!.upper)} USD) |`,
    );
    expect(report.summary).to.contain(`next 30 days ${fmt(aws.next30Days!.mean)} USD`);
    expect(report.markdown).to.contain(
      `| OCI | ${mtd("oci").toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} EUR | 20,000.00 EUR |`,
    );
    expect(report.summary).to.contain("AWS month to date").and.contain("EUR");
  });

  it("reports the planted anomaly, with its excess, and no other", () => {
    expect(report.anomalies.map((a) => [a.cloud, a.service, a.startDay])).to.deep.equal([
      ["aws", "Amazon EC2", "2026-11-28"],
    ]);
    expect(report.anomalies[0].excess).to.be.above(0.5 * series[0][days.length - 1]);
    expect(report.markdown).to.contain("| AWS | Amazon EC2 | CC-4410-PLATFORM | 2026-11-28 | 1 |");
    expect(report.movers[0]).to.deep.include({ cloud: "aws", service: "Amazon EC2" });
  });

  it("draws a valid SVG: one panel per cloud with labelled axes, the forecast band, and the anomaly marked", () => {
    expect(XMLValidator.validate(report.svg)).to.equal(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(report.svg) as {
      svg: { g: Array<Record<string, unknown>>; xmlns: string };
    };
    expect(doc.svg.xmlns).to.equal("http://www.w3.org/2000/svg");
    expect(doc.svg.g.map((g) => g["data-cloud"])).to.deep.equal(["aws", "oci"]);
    const texts = (g: Record<string, unknown>) =>
      ([] as Array<Record<string, unknown>>)
        .concat(g.text as never)
        .filter((t) => t.class === "axis-label")
        .map((t) => t["#text"]);
    expect(texts(doc.svg.g[0])).to.deep.equal(["day (UTC)", "spend per day (USD)"]);
    expect(texts(doc.svg.g[1])).to.deep.equal(["day (UTC)", "spend per day (EUR)"]);
    expect((doc.svg.g[0].polygon as Record<string, unknown>).class).to.equal("forecast-band");
    expect(([] as unknown[]).concat(doc.svg.g[0].circle ?? [])).to.have.length(1);
    expect(doc.svg.g[1].circle).to.equal(undefined);
  });

  it("refuses a cloud reporting two currencies or a budget in another currency", () => {
    expect(() =>
      buildReport({
        rows: [...rows, { ...rows[0], currency: "EUR" }],
        fromDay: "2026-08-01",
        today: "2026-11-29",
        budgets: { aws: { limit: 1, currency: "USD" }, oci: { limit: 1, currency: "EUR" } },
        anomalyDays: 3,
        stack: "s",
      }),
    ).to.throw("aws reports costs in USD and EUR");
    expect(() =>
      buildReport({
        rows,
        fromDay: "2026-08-01",
        today: "2026-11-29",
        budgets: { aws: { limit: 1, currency: "USD" }, oci: { limit: 1, currency: "USD" } },
        anomalyDays: 3,
        stack: "s",
      }),
    ).to.throw("oci costs are in EUR but its budget is in USD");
  });
});

describe("the daily cost job, end to end (Cost Explorer mocked, OCI answered in-process, s3rver, SNS mocked)", () => {
  let s3: LocalS3;
  let ce: ReturnType<typeof mockClient>;
  let sns: ReturnType<typeof mockClient>;
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const signer = ociTestSigner(privateKey);
  const settings: JobSettings = {
    bucket: "costs",
    ociUsageEndpoint: "https://usageapi.eu-frankfurt-1.oci.oraclecloud.com",
    ociTagNamespace: "multicloud",
    ociKeySecretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:k",
    reportTopicArn: "arn:aws:sns:eu-west-1:111122223333:multicloud-prod-finops",
    stack: "multicloud-prod",
    budgets: { aws: { limit: 25_000, currency: "USD" }, oci: { limit: 18_000, currency: "USD" } },
    historyDays: 40,
    anomalyDays: 3,
    inventory: [],
    remediation: "off",
    isProduction: false,
    ociCompartmentId: "ocid1.compartment.oc1..c",
    ociTelemetryEndpoint: "https://telemetry.eu-frankfurt-1.oraclecloud.com",
    ociDatabaseEndpoint: "https://database.eu-frankfurt-1.oraclecloud.com",
  };
  // Cost Explorer: one EC2 row per asked day, 100 USD; OCI: one Database row per asked day, 80 USD.
  const ociFetch = (async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as { timeUsageStarted: string; timeUsageEnded: string };
    const days = daysBetween(body.timeUsageStarted.slice(0, 10), body.timeUsageEnded.slice(0, 10));
    expect(new Headers(init.headers).get("authorization")).to.match(
      /^Signature version="1",keyId="ocid1\.tenancy\.oc1\.\.t\/ocid1\.user\.oc1\.\.u\/aa:bb"/,
    );
    expect(url).to.equal("https://usageapi.eu-frankfurt-1.oci.oraclecloud.com/20200107/usage");
    return new Response(
      JSON.stringify({
        items: days.map((d) => ({
          timeUsageStarted: `${d}T00:00:00.000Z`,
          service: "Database",
          computedAmount: 80,
          currency: "USD",
          tags: [{ namespace: "multicloud", key: "cost_center", value: "CC-4420-DATA" }],
        })),
      }),
      { status: 200, headers: { "content-type": "application/json" } },
    );
  }) as typeof fetch;

  before(async () => {
    s3 = await startLocalS3(["costs"]);
    ce = mockClient(CostExplorerClient);
    sns = mockClient(SNSClient);
  });
  after(async () => {
    ce.restore();
    sns.restore();
    await s3.stop();
  });

  it("collects the history it lacks, then re-collects the last 3 days; writes the report and chart next to the data and mails the summary; a re-run of the day doubles nothing", async () => {
    ce.on(GetCostAndUsageCommand).callsFake((input: { TimePeriod: { Start: string; End: string } }) => ({
      ResultsByTime: daysBetween(input.TimePeriod.Start, input.TimePeriod.End).map((d) => ({
        TimePeriod: { Start: d, End: d },
        Groups: [
          {
            Keys: ["Amazon EC2", "cost_center$CC-4410-PLATFORM"],
            Metrics: { UnblendedCost: { Amount: "100", Unit: "USD" } },
          },
        ],
      })),
    }));
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const clients = {
      costExplorer: new CostExplorerClient({ region: "us-east-1" }),
      cloudWatch: new CloudWatchClient({ region: "eu-west-1" }),
      autoScaling: new AutoScalingClient({ region: "eu-west-1" }),
      s3: s3.client(),
      sns: new SNSClient({ region: "eu-west-1" }),
      oci: { signer, tenancyId: "ocid1.tenancy.oc1..t", fetchFn: ociFetch },
    };
    // The first run: the table is empty, so the whole history (40 days) is collected, in runs of at most 31 days.
    const first = await runCostJob("2026-11-29", settings, clients);
    expect(first).to.deep.include({
      day: "2026-11-29",
      rowsWritten: 80,
      backfilledDays: 40,
      anomalies: 0,
      idle: 0,
      remediation: [],
      reportKey: "reports/date=2026-11-29/report.md",
    });
    const asked = () => ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input.TimePeriod);
    expect(asked()).to.deep.equal([
      { Start: "2026-10-20", End: "2026-11-20" },
      { Start: "2026-11-20", End: "2026-11-29" },
    ]);
    const firstMarkdown = await (
      await s3.client().send(new GetObjectCommand({ Bucket: "costs", Key: "reports/date=2026-11-29/report.md" }))
    ).Body!.transformToString();
    expect(firstMarkdown).to.contain(
      "40 day(s) of the history had no data yet and were collected by this run (2026-10-20 … 2026-11-28)",
    );
    // The re-run of the day: only the last 3 days again, replacing them.
    ce.resetHistory();
    const again = await runCostJob("2026-11-29", settings, clients);
    expect(again).to.deep.include({ rowsWritten: 6, backfilledDays: 0 });
    expect(asked()).to.deep.equal([{ Start: "2026-11-26", End: "2026-11-29" }]);
    const { rows, missing } = await readDays(s3.client(), "costs", daysBetween("2026-10-20", "2026-11-29"));
    expect(missing).to.deep.equal([]);
    expect(rows).to.have.length(80);
    expect(rows.filter((r) => r.cloud === "oci" && r.date >= "2026-11-26").map((r) => r.amount)).to.deep.equal([
      80, 80, 80,
    ]);
    const markdown = await (
      await s3.client().send(new GetObjectCommand({ Bucket: "costs", Key: "reports/date=2026-11-29/report.md" }))
    ).Body!.transformToString();
    expect(markdown).to.contain("| AWS | 2,800.00 USD | 25,000.00 USD |");
    expect(markdown).not.to.contain("had no data yet");
    expect(markdown).to.contain("## Remediation (off)");
    const svg = await (
      await s3.client().send(new GetObjectCommand({ Bucket: "costs", Key: "reports/date=2026-11-29/chart.svg" }))
    ).Body!.transformToString();
    expect(XMLValidator.validate(svg)).to.equal(true);
    const published = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(published).to.have.length(2);
    expect(published[0]).to.deep.include({
      TopicArn: settings.reportTopicArn,
      Subject: "multicloud-prod costs 2026-11-29",
    });
    expect(published[0].Message)
      .to.contain("AWS month to date 2,800.00 USD of 25,000.00 USD")
      .and.contain("s3://costs/reports/date=2026-11-29/report.md");
    expect(published[0].Message).to.match(
      /\n0 idle resource\(s\)\.\n\nReport: s3:\/\/costs\/reports\/date=2026-11-29\/report\.md$/,
    );
    // Each object with its content type; the plan (what tomorrow may act on) is a JSON list.
    const typeOf = async (Key: string) =>
      (await s3.client().send(new GetObjectCommand({ Bucket: "costs", Key }))).ContentType;
    const keys = reportKeys("2026-11-29");
    expect(await typeOf(keys.markdown)).to.equal("text/markdown; charset=utf-8");
    expect(await typeOf(keys.svg)).to.equal("image/svg+xml");
    expect(await typeOf(keys.plan)).to.equal("application/json");
    const plan = await (
      await s3.client().send(new GetObjectCommand({ Bucket: "costs", Key: keys.plan }))
    ).Body!.transformToString();
    expect(JSON.parse(plan)).to.deep.equal([]);
  });

  it("takes its day from the schedule and its settings from the environment, naming what is wrong", () => {
    expect(reportDay("2026-11-29T06:00:00Z")).to.equal("2026-11-29");
    expect(() => reportDay(undefined)).to.throw("the event's scheduledTime undefined is not an ISO time");
    const env = {
      COSTS_BUCKET: "b",
      COSTS_OCI_KEY_SECRET_ARN: "arn",
      COSTS_OCI_USAGE_ENDPOINT: "https://u",
      COSTS_OCI_TAG_NAMESPACE: "multicloud",
      COSTS_REPORT_TOPIC_ARN: "t",
      COSTS_STACK: "s",
      COSTS_BUDGETS: JSON.stringify(settings.budgets),
      COSTS_HISTORY_DAYS: "120",
      COSTS_ANOMALY_DAYS: "3",
      COSTS_INVENTORY: "[]",
      COSTS_REMEDIATION: "dryRun",
      COSTS_PRODUCTION: "false",
      COSTS_OCI_COMPARTMENT_ID: "c",
      COSTS_OCI_TELEMETRY_ENDPOINT: "https://t",
      COSTS_OCI_DATABASE_ENDPOINT: "https://d",
    };
    expect(jobSettings(env)).to.deep.include({ bucket: "b", historyDays: 120, anomalyDays: 3 });
    expect(() => jobSettings({ ...env, COSTS_BUCKET: undefined })).to.throw("COSTS_BUCKET is not set");
    expect(() => jobSettings({ ...env, COSTS_REMEDIATION: "yes" })).to.throw(
      "COSTS_REMEDIATION yes is not off, dryRun or act",
    );
    // The job takes exactly the modes config allows.
    for (const mode of REMEDIATION_MODES)
      expect(jobSettings({ ...env, COSTS_REMEDIATION: mode }).remediation).to.equal(mode);
    expect(() => jobSettings({ ...env, COSTS_INVENTORY: '[{"kind":"vm","id":"x"}]' })).to.throw(
      "COSTS_INVENTORY must be a list of",
    );
    expect(() => jobSettings({ ...env, COSTS_HISTORY_DAYS: "many" })).to.throw(
      "COSTS_HISTORY_DAYS is not a positive integer",
    );
    expect(() => jobSettings({ ...env, COSTS_BUDGETS: "{" })).to.throw("COSTS_BUDGETS is not JSON");
    expect(() =>
      jobSettings({ ...env, COSTS_BUDGETS: JSON.stringify({ aws: { limit: 1, currency: "USD" } }) }),
    ).to.throw("COSTS_BUDGETS.oci must be {limit: number, currency: string}");
  });

  it("reads every setting exactly, and names each missing or malformed one (never a TypeError)", () => {
    const env: Record<string, string | undefined> = {
      COSTS_BUCKET: "b",
      COSTS_OCI_KEY_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:1:secret:k",
      COSTS_OCI_USAGE_ENDPOINT: "https://u",
      COSTS_OCI_TAG_NAMESPACE: "multicloud",
      COSTS_REPORT_TOPIC_ARN: "arn:aws:sns:eu-west-1:1:t",
      COSTS_STACK: "multicloud-dev",
      COSTS_BUDGETS: JSON.stringify(settings.budgets),
      COSTS_HISTORY_DAYS: "120",
      COSTS_ANOMALY_DAYS: "1",
      COSTS_INVENTORY: JSON.stringify([{ kind: "autonomousDatabase", id: "ocid1.db", ecpus: 2 }]),
      COSTS_REMEDIATION: "act",
      COSTS_PRODUCTION: "true",
      COSTS_OCI_COMPARTMENT_ID: "ocid1.compartment",
      COSTS_OCI_TELEMETRY_ENDPOINT: "https://t",
      COSTS_OCI_DATABASE_ENDPOINT: "https://d",
    };
    expect(jobSettings(env)).to.deep.equal({
      inventory: [{ kind: "autonomousDatabase", id: "ocid1.db", ecpus: 2 }],
      remediation: "act",
      isProduction: true,
      ociCompartmentId: "ocid1.compartment",
      ociTelemetryEndpoint: "https://t",
      ociDatabaseEndpoint: "https://d",
      bucket: "b",
      ociUsageEndpoint: "https://u",
      ociTagNamespace: "multicloud",
      ociKeySecretArn: "arn:aws:secretsmanager:eu-west-1:1:secret:k",
      reportTopicArn: "arn:aws:sns:eu-west-1:1:t",
      stack: "multicloud-dev",
      budgets: settings.budgets,
      historyDays: 120,
      anomalyDays: 1,
    });
    // Only the word true is production.
    for (const production of ["false", "TRUE", "yes", "1"])
      expect(jobSettings({ ...env, COSTS_PRODUCTION: production }).isProduction, production).to.equal(false);
    for (const name of Object.keys(env)) {
      expect(() => jobSettings({ ...env, [name]: undefined }), name).to.throw(`${name} is not set`);
      expect(() => jobSettings({ ...env, [name]: "" }), name).to.throw(`${name} is not set`);
    }
    for (const days of ["0", "-3", "1.5", "x"])
      expect(() => jobSettings({ ...env, COSTS_ANOMALY_DAYS: days }), days).to.throw(
        "COSTS_ANOMALY_DAYS is not a positive integer",
      );
    for (const budgets of ["null", "[]", "7", '"x"'])
      expect(() => jobSettings({ ...env, COSTS_BUDGETS: budgets }), budgets).to.throw(
        "COSTS_BUDGETS must be {aws: {limit, currency}, oci: {limit, currency}}",
      );
    const oci = settings.budgets.oci;
    for (const aws of [{ limit: "1", currency: "USD" }, { limit: 1 }, { currency: "USD" }, null])
      expect(() => jobSettings({ ...env, COSTS_BUDGETS: JSON.stringify({ aws, oci }) }), JSON.stringify(aws)).to.throw(
        "COSTS_BUDGETS.aws must be {limit: number, currency: string}",
      );
    for (const inventory of ["{}", "[null]", '[{"kind":"eksNodes"}]', '[{"kind":"eksNodes","id":7}]', '[{"id":"x"}]'])
      expect(() => jobSettings({ ...env, COSTS_INVENTORY: inventory }), inventory).to.throw(
        "COSTS_INVENTORY must be a list of {kind: sagemakerEndpoint|eksNodes|autonomousDatabase, id, …}",
      );
    expect(() => jobSettings({ ...env, COSTS_INVENTORY: "[" })).to.throw("COSTS_INVENTORY is not JSON (");
    for (const kind of ["sagemakerEndpoint", "eksNodes", "autonomousDatabase"])
      expect(jobSettings({ ...env, COSTS_INVENTORY: JSON.stringify([{ kind, id: "i" }]) }).inventory).to.have.length(1);
  });
});

describe("idle spend and remediation", () => {
  const endpoint: InventoryItem = {
    kind: "sagemakerEndpoint",
    id: "multicloud-dev-feature-model",
    instanceType: "ml.m5.large",
    instanceCount: 1,
  };
  const nodes: InventoryItem = { kind: "eksNodes", id: "eks-eks-nodes-1", instanceType: "m7i.large", nodes: 2 };
  const database: InventoryItem = {
    kind: "autonomousDatabase",
    id: "ocid1.autonomousdatabase.oc1.fra.db",
    label: "multicloud-dev-atp",
    ecpus: 2,
  };

  it("prices by unit price × size, and flags only what was under its threshold every day of a full week and costs enough", () => {
    expect(dailyCost(nodes)).to.be.closeTo(24 * 0.1176 * 2, 1e-9);
    expect(dailyCost(database)).to.be.closeTo(24 * 0.336 * 2, 1e-9);
    expect(() => dailyCost({ ...endpoint, instanceType: "ml.p5.48xlarge" })).to.throw(
      "no unit price for ml.p5.48xlarge (sagemakerEndpoint multicloud-dev-feature-model); add it to UNIT_PRICES_PER_HOUR",
    );
    const use = new Map<string, number[]>([
      [endpoint.id, [0, 0, 3, 0, 0, 1, 0]],
      [nodes.id, [4, 5, 3, 12, 4, 4, 3]], // one busy day: not idle
      [database.id, [1, 2, 1, 1]], // not a full week: not judged
    ]);
    expect(findIdle([endpoint, nodes, database], use).map((f) => [f.id, f.costSource])).to.deep.equal([
      [endpoint.id, "unit price × size"],
    ]);
    use.set(nodes.id, [4, 5, 3, 2, 4, 4, 3]);
    use.set(database.id, [1, 2, 1, 1, 1, 0.5, 1]);
    // Costliest first: the database (2 ECPUs), the two nodes, the endpoint.
    expect(findIdle([endpoint, nodes, database], use).map((f) => f.id)).to.deep.equal([
      database.id,
      nodes.id,
      endpoint.id,
    ]);
  });

  it("plans nothing when off, in production, or with no cloud over budget; otherwise stops the database and the nodes and leaves the endpoint to a person", () => {
    const idle = findIdle(
      [endpoint, nodes, database],
      new Map([
        [endpoint.id, [0, 0, 0, 0, 0, 0, 0]],
        [nodes.id, [1, 1, 1, 1, 1, 1, 1]],
        [database.id, [1, 1, 1, 1, 1, 1, 1]],
      ]),
    );
    expect(
      remediationPlan({ mode: "off", isProduction: false, idle, overBudget: { aws: true, oci: true } }),
    ).to.deep.equal([]);
    expect(
      remediationPlan({ mode: "act", isProduction: true, idle, overBudget: { aws: true, oci: true } }),
    ).to.deep.equal([]);
    expect(
      remediationPlan({ mode: "dryRun", isProduction: false, idle, overBudget: { aws: false, oci: false } }),
    ).to.deep.equal([]);
    const plan = remediationPlan({ mode: "dryRun", isProduction: false, idle, overBudget: { aws: true, oci: false } });
    expect(plan.map((a) => [a.id, a.action])).to.deep.equal([
      [nodes.id, "scale nodes to zero"],
      [endpoint.id, "none: a real-time endpoint cannot be stopped, only deleted — listed for a person to decide"],
    ]);
    expect(plan[0].reason).to.match(
      /^idle for 7 days \(average CPU % under 10\), \d+\.\d{2}\/week, AWS forecast over budget$/,
    );
  });

  it("acts only in act mode: stops the database with a signed OCI call and the node group through Auto Scaling, reporting each outcome", async () => {
    const asg = mockClient(AutoScalingClient);
    try {
      asg.on(UpdateAutoScalingGroupCommand).resolves({});
      const stopped: string[] = [];
      const fetchFn = (async (url: string, init: RequestInit) => {
        expect(new Headers(init.headers).get("authorization")).to.match(/^Signature version="1"/);
        stopped.push(url);
        return new Response(url.includes("fails") ? "{}" : "{}", { status: url.includes("fails") ? 409 : 200 });
      }) as typeof fetch;
      const { privateKey } = generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
      const signer = checkedSigner(
        ociRequestSigner({ tenancyOcid: "t", userOcid: "u", fingerprint: "f", privateKeyPem: privateKey }),
      );
      const outcomes = await carryOut(
        [
          { id: database.id, label: "atp", action: "stop database", reason: "r" },
          { id: "ocid1.autonomousdatabase.oc1.fra.fails", label: "adw", action: "stop database", reason: "r" },
          { id: nodes.id, label: nodes.id, action: "scale nodes to zero", reason: "r" },
          {
            id: endpoint.id,
            label: endpoint.id,
            action: "none: a real-time endpoint cannot be stopped, only deleted — listed for a person to decide",
            reason: "r",
          },
        ],
        {
          autoScaling: new AutoScalingClient({ region: "eu-west-1" }),
          oci: { signer, databaseEndpoint: "https://database.eu-frankfurt-1.oraclecloud.com", fetchFn },
        },
      );
      expect(outcomes.map((o) => o.outcome)).to.deep.equal([
        "done",
        "failed: OCI answered HTTP 409",
        "done",
        "skipped",
      ]);
      expect(stopped[0]).to.equal(
        "https://database.eu-frankfurt-1.oraclecloud.com/20160918/autonomousDatabases/ocid1.autonomousdatabase.oc1.fra.db/actions/stop",
      );
      expect(asg.commandCalls(UpdateAutoScalingGroupCommand)[0].args[0].input).to.deep.equal({
        AutoScalingGroupName: nodes.id,
        MinSize: 0,
        DesiredCapacity: 0,
        MaxSize: 0,
      });
    } finally {
      asg.restore();
    }
  });

  it("reads the week's utilisation: SageMaker invocations (no datapoint = 0), node CPU (no datapoint = not running), database CPU from OCI Monitoring", async () => {
    const cw = mockClient(CloudWatchClient);
    try {
      const day = (d: string) => new Date(`${d}T00:00:00Z`);
      cw.on(GetMetricDataCommand).resolves({
        MetricDataResults: [
          { Id: "m0", Timestamps: [day("2026-11-25"), day("2026-11-23")], Values: [5, 2] },
          {
            Id: "m1",
            Timestamps: [
              day("2026-11-22"),
              day("2026-11-23"),
              day("2026-11-24"),
              day("2026-11-25"),
              day("2026-11-26"),
              day("2026-11-27"),
              day("2026-11-28"),
            ],
            Values: [3, 3, 3, 3, 3, 3, 3],
          },
        ],
      });
      const use = await cloudWatchUtilisation(
        new CloudWatchClient({ region: "eu-west-1" }),
        [endpoint, nodes, database],
        "2026-11-29",
      );
      expect(use.get(endpoint.id)).to.deep.equal([0, 2, 0, 5, 0, 0, 0]);
      expect(use.get(nodes.id)).to.have.length(7);
      const query = cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
      expect(
        query.MetricDataQueries?.map((q) => [
          q.MetricStat?.Metric?.Namespace,
          q.MetricStat?.Metric?.MetricName,
          q.MetricStat?.Stat,
        ]),
      ).to.deep.equal([
        ["AWS/SageMaker", "Invocations", "Sum"],
        ["AWS/EC2", "CPUUtilization", "Average"],
      ]);
      const asked: { url: string; body: Record<string, string> }[] = [];
      const fetchFn = (async (url: string, init: RequestInit) => {
        asked.push({ url, body: JSON.parse(String(init.body)) as Record<string, string> });
        return new Response(
          JSON.stringify([
            {
              aggregatedDatapoints: ["2026-11-24", "2026-11-22", "2026-11-23"].map((d, i) => ({
                timestamp: `${d}T00:00:00.000Z`,
                value: i + 1,
              })),
            },
          ]),
          { status: 200 },
        );
      }) as typeof fetch;
      const { privateKey } = generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
      const db = await ociDatabaseUtilisation(
        {
          endpoint: "https://telemetry.eu-frankfurt-1.oraclecloud.com",
          compartmentId: "ocid1.compartment.oc1..c",
          today: "2026-11-29",
        },
        [endpoint, database],
        checkedSigner(
          ociRequestSigner({ tenancyOcid: "t", userOcid: "u", fingerprint: "f", privateKeyPem: privateKey }),
        ),
        fetchFn,
      );
      expect(db.get(database.id)).to.deep.equal([2, 3, 1]);
      expect(asked[0].url).to.equal(
        "https://telemetry.eu-frankfurt-1.oraclecloud.com/20180401/metrics/actions/summarizeMetricsData?compartmentId=ocid1.compartment.oc1..c",
      );
      expect(asked[0].body).to.deep.include({
        namespace: "oci_autonomous_database",
        query: `CpuUtilization[1d]{resourceId = "${database.id}"}.mean()`,
      });
    } finally {
      cw.restore();
    }
  });
});

describe("the daily cost job with idle resources over budget (dry run, then act)", () => {
  let s3: LocalS3;
  let ce: ReturnType<typeof mockClient>;
  let sns: ReturnType<typeof mockClient>;
  let cw: ReturnType<typeof mockClient>;
  let asg: ReturnType<typeof mockClient>;
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const signer = ociTestSigner(privateKey);
  const calls: string[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push(url);
    if (url.includes("/usage")) {
      const body = JSON.parse(String(init.body)) as {
        timeUsageStarted: string;
        timeUsageEnded: string;
        groupBy: string[];
      };
      const days = daysBetween(body.timeUsageStarted.slice(0, 10), body.timeUsageEnded.slice(0, 10));
      // The per-resource query (idle spend): the database cost 30 a day.
      if (body.groupBy.includes("resourceId"))
        return new Response(
          JSON.stringify({
            items: days.map((d) => ({
              timeUsageStarted: `${d}T00:00:00.000Z`,
              resourceId: "ocid1.autonomousdatabase.oc1.fra.db",
              computedAmount: 30,
              currency: "USD",
            })),
          }),
          { status: 200 },
        );
      return new Response(
        JSON.stringify({
          items: days.map((d) => ({
            timeUsageStarted: `${d}T00:00:00.000Z`,
            service: "Database",
            computedAmount: 200,
            currency: "USD",
            tags: [],
          })),
        }),
        { status: 200 },
      );
    }
    if (url.includes("summarizeMetricsData"))
      return new Response(
        JSON.stringify([
          {
            aggregatedDatapoints: daysBetween("2026-11-22", "2026-11-29").map((d) => ({
              timestamp: `${d}T00:00:00.000Z`,
              value: 1,
            })),
          },
        ]),
        { status: 200 },
      );
    return new Response("{}", { status: 200 });
  }) as typeof fetch;
  const settings = (remediation: "dryRun" | "act"): JobSettings => ({
    bucket: "costs",
    ociUsageEndpoint: "https://usageapi.eu-frankfurt-1.oci.oraclecloud.com",
    ociTagNamespace: "multicloud",
    ociKeySecretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:k",
    reportTopicArn: "arn:aws:sns:eu-west-1:111122223333:t",
    stack: "multicloud-dev",
    budgets: { aws: { limit: 100, currency: "USD" }, oci: { limit: 100, currency: "USD" } },
    historyDays: 40,
    anomalyDays: 3,
    inventory: [
      { kind: "eksNodes", id: "eks-eks-nodes-1", instanceType: "m7i.large", nodes: 2 },
      { kind: "autonomousDatabase", id: "ocid1.autonomousdatabase.oc1.fra.db", label: "multicloud-dev-atp", ecpus: 2 },
    ],
    remediation,
    isProduction: false,
    ociCompartmentId: "ocid1.compartment.oc1..c",
    ociTelemetryEndpoint: "https://telemetry.eu-frankfurt-1.oraclecloud.com",
    ociDatabaseEndpoint: "https://database.eu-frankfurt-1.oraclecloud.com",
  });

  before(async () => {
    s3 = await startLocalS3(["costs"]);
    ce = mockClient(CostExplorerClient);
    sns = mockClient(SNSClient);
    cw = mockClient(CloudWatchClient);
    asg = mockClient(AutoScalingClient);
    ce.on(GetCostAndUsageCommand).callsFake((input: { TimePeriod: { Start: string; End: string } }) => ({
      ResultsByTime: daysBetween(input.TimePeriod.Start, input.TimePeriod.End).map((d) => ({
        TimePeriod: { Start: d, End: d },
        Groups: [
          { Keys: ["Amazon EC2", "cost_center$CC-1"], Metrics: { UnblendedCost: { Amount: "90", Unit: "USD" } } },
        ],
      })),
    }));
    // This account has not enabled Cost Explorer's resource-level data: the nodes are priced by unit price.
    ce.on(GetCostAndUsageWithResourcesCommand).rejects(
      new DataUnavailableException({ message: "Resource-level data is not enabled", $metadata: {} }),
    );
    sns.on(PublishCommand).resolves({});
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        {
          Id: "m0",
          Timestamps: daysBetween("2026-11-22", "2026-11-29").map((d) => new Date(`${d}T00:00:00Z`)),
          Values: [2, 2, 2, 2, 2, 2, 2],
        },
      ],
    });
    asg.on(UpdateAutoScalingGroupCommand).resolves({});
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
  });
  after(async () => {
    for (const m of [ce, sns, cw, asg]) m.restore();
    await s3.stop();
  });
  const clients = () => ({
    costExplorer: new CostExplorerClient({ region: "us-east-1" }),
    cloudWatch: new CloudWatchClient({ region: "eu-west-1" }),
    autoScaling: new AutoScalingClient({ region: "eu-west-1" }),
    s3: s3.client(),
    sns: new SNSClient({ region: "eu-west-1" }),
    oci: { signer, tenancyId: "ocid1.tenancy.oc1..t", fetchFn },
  });

  it("dry run: lists stopping the database and the nodes in the report, and changes nothing", async () => {
    calls.length = 0;
    const result = await runCostJob("2026-11-29", settings("dryRun"), clients());
    expect(result.idle).to.equal(2);
    expect((result.remediation as readonly { action: string }[]).map((a) => a.action)).to.deep.equal([
      "stop database",
      "scale nodes to zero",
    ]);
    expect(asg.commandCalls(UpdateAutoScalingGroupCommand)).to.have.length(0);
    expect(calls.filter((u) => u.includes("/actions/stop"))).to.deep.equal([]);
    const markdown = await (
      await s3.client().send(new GetObjectCommand({ Bucket: "costs", Key: "reports/date=2026-11-29/report.md" }))
    ).Body!.transformToString();
    expect(markdown)
      .to.contain("## Remediation (dry run: nothing was changed)")
      .and.contain("| multicloud-dev-atp | stop database |")
      .and.contain("would be done (dry run)");
    expect(markdown).to.contain(
      "| eks-eks-nodes-1 | eksNodes | average CPU %: 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0 | 39.51 USD | unit price × size (Cost Explorer resource-level data is not enabled for this account (Cost Explorer settings) or not there yet) |",
    );
    expect(markdown).to.contain(
      "| multicloud-dev-atp | autonomousDatabase | average CPU %: 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 | 210.00 USD | OCI Usage API by resource |",
    );
  });

  it("act: announces what it has not listed before, and acts only on what the previous day's run listed", async () => {
    calls.length = 0;
    // No list from 2026-11-28: everything is announced, nothing is touched.
    const first = await runCostJob("2026-11-29", settings("act"), clients());
    expect((first.remediation as readonly { outcome: string }[]).map((o) => o.outcome)).to.deep.equal([
      "announced: acted on at the next run if still idle",
      "announced: acted on at the next run if still idle",
    ]);
    expect(calls.filter((u) => u.includes("/actions/stop"))).to.deep.equal([]);
    expect(asg.commandCalls(UpdateAutoScalingGroupCommand)).to.have.length(0);
    // 2026-11-28's run had listed the database only: today the database is stopped, the nodes announced.
    await s3.client().send(
      new PutObjectCommand({
        Bucket: "costs",
        Key: "reports/date=2026-11-28/remediation.json",
        Body: JSON.stringify([{ id: "ocid1.autonomousdatabase.oc1.fra.db", action: "stop database" }]),
      }),
    );
    const second = await runCostJob("2026-11-29", settings("act"), clients());
    expect((second.remediation as readonly { outcome: string }[]).map((o) => o.outcome)).to.deep.equal([
      "done",
      "announced: acted on at the next run if still idle",
    ]);
    expect(calls.filter((u) => u.includes("/actions/stop"))).to.deep.equal([
      "https://database.eu-frankfurt-1.oraclecloud.com/20160918/autonomousDatabases/ocid1.autonomousdatabase.oc1.fra.db/actions/stop",
    ]);
    expect(asg.commandCalls(UpdateAutoScalingGroupCommand)).to.have.length(0);
    const markdown = await (
      await s3.client().send(new GetObjectCommand({ Bucket: "costs", Key: "reports/date=2026-11-29/report.md" }))
    ).Body!.transformToString();
    expect(markdown)
      .to.contain("## Remediation (act: only what the previous run listed)")
      .and.contain("| multicloud-dev-atp | stop database |");
    expect(
      JSON.parse(
        await (
          await s3
            .client()
            .send(new GetObjectCommand({ Bucket: "costs", Key: "reports/date=2026-11-29/remediation.json" }))
        ).Body!.transformToString(),
      ).map((a: { id: string }) => a.id),
    ).to.deep.equal(["ocid1.autonomousdatabase.oc1.fra.db", "eks-eks-nodes-1"]);
  });

  it("lists as due only the same resource with the same action", () => {
    const a = { id: "x", label: "x", action: "stop database" as const, reason: "r" };
    const b = { id: "y", label: "y", action: "scale nodes to zero" as const, reason: "r" };
    expect(
      dueActions(
        [a, b],
        [
          { id: "x", action: "stop database" },
          { id: "y", action: "stop database" },
        ],
      ),
    ).to.deep.equal({ due: [a], announced: [b] });
  });
});

describe("what a run collects (collectRanges)", () => {
  const history = daysBetween("2026-08-01", "2026-11-29");

  it("is every missing history day and the last 3 days, in sorted, disjoint runs of at most 31 days that could not be longer", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: history.length - 1 }), { maxLength: history.length }),
        (picked) => {
          const missing = new Set(picked.map((i) => history[i]));
          const ranges = collectRanges(history, missing, "2026-11-29");
          const covered = ranges.flatMap((r) => daysBetween(r.start, r.end));
          const expected = [...new Set([...missing, "2026-11-26", "2026-11-27", "2026-11-28"])].sort();
          expect(covered).to.deep.equal(expected);
          for (const [i, r] of ranges.entries()) {
            expect(daysBetween(r.start, r.end).length).to.be.at.most(31);
            const next = ranges[i + 1];
            if (next && next.start === r.end)
              expect(daysBetween(r.start, r.end).length, "a run continues only past 31 days").to.equal(31);
          }
        },
      ),
    );
  });

  it("asks only the last 3 days when nothing is missing, and the whole history in 31-day runs when everything is", () => {
    expect(collectRanges(history, new Set(), "2026-11-29")).to.deep.equal([{ start: "2026-11-26", end: "2026-11-29" }]);
    expect(collectRanges(history, new Set(history), "2026-11-29").map((r) => [r.start, r.end])).to.deep.equal([
      ["2026-08-01", "2026-09-01"],
      ["2026-09-01", "2026-10-02"],
      ["2026-10-02", "2026-11-02"],
      ["2026-11-02", "2026-11-29"],
    ]);
  });
});
