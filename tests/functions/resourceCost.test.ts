/**
 * Per-resource cost for idle spend: Cost Explorer's resource-level data (aws-sdk-client-mock: the
 * query, paging, the node group's instances, the opt-in missing) and the OCI Usage API grouped by
 * resource (a signed fake on loopback that applies the query's filter and pages), then findIdle and
 * the report saying which source each figure came from.
 */
import { ociTestSigner } from "./support/ociTestSigner";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import {
  CostExplorerClient,
  DataUnavailableException,
  GetCostAndUsageWithResourcesCommand,
} from "@aws-sdk/client-cost-explorer";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import { daysBetween } from "../../functions/aws/costs/collect";
import { findIdle, InventoryItem } from "../../functions/aws/costs/idle";
import { idleSection } from "../../functions/aws/costs/report";
import { awsResourceCosts, ociResourceCosts, resourceIdMatches } from "../../functions/aws/costs/resourceCost";
import { SignedRequest, startSignedJsonServer } from "./support/ociSignature";

const endpoint: InventoryItem = {
  kind: "sagemakerEndpoint",
  id: "multicloud-dev-Feature-Model",
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
const week = daysBetween("2026-11-22", "2026-11-29");
const group = (resourceId: string, amount: string, unit = "USD") => ({
  Keys: [resourceId],
  Metrics: { UnblendedCost: { Amount: amount, Unit: unit } },
});

describe("per-resource cost: Cost Explorer resource-level data", () => {
  let ce: ReturnType<typeof mockClient>;
  let asg: ReturnType<typeof mockClient>;
  const clients = () => ({
    costExplorer: new CostExplorerClient({ region: "us-east-1" }),
    autoScaling: new AutoScalingClient({ region: "eu-west-1" }),
  });
  beforeEach(() => {
    ce = mockClient(CostExplorerClient);
    asg = mockClient(AutoScalingClient);
    asg.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        { AutoScalingGroupName: nodes.id, Instances: [{ InstanceId: "i-0aaa" }, { InstanceId: "i-0bbb" }] },
      ] as never,
    });
  });
  afterEach(() => {
    ce.restore();
    asg.restore();
  });

  it("asks for the week's daily cost by RESOURCE_ID of the items' services, follows pages, and sums the endpoint's ARN and the node group's instances", async () => {
    ce.on(GetCostAndUsageWithResourcesCommand)
      .resolvesOnce({
        ResultsByTime: week.map((d) => ({
          TimePeriod: { Start: d, End: d },
          Groups: [
            group("i-0aaa", "2.5"),
            group("arn:aws:sagemaker:eu-west-1:111122223333:endpoint/multicloud-dev-feature-model", "3"),
            group("i-0zzz", "99"),
          ],
        })),
        NextPageToken: "p2",
      })
      .resolvesOnce({
        ResultsByTime: week.map((d) => ({ TimePeriod: { Start: d, End: d }, Groups: [group("i-0bbb", "2.5")] })),
      });
    const costs = await awsResourceCosts(clients(), [endpoint, nodes, database], "2026-11-29", 7);
    const input = ce.commandCalls(GetCostAndUsageWithResourcesCommand).map((c) => c.args[0].input);
    expect(input[0]).to.deep.equal({
      TimePeriod: { Start: "2026-11-22", End: "2026-11-29" },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost"],
      Filter: {
        Dimensions: { Key: "SERVICE", Values: ["Amazon SageMaker", "Amazon Elastic Compute Cloud - Compute"] },
      },
      GroupBy: [{ Type: "DIMENSION", Key: "RESOURCE_ID" }],
    });
    expect(input[1].NextPageToken).to.equal("p2");
    expect(asg.commandCalls(DescribeAutoScalingGroupsCommand)[0].args[0].input).to.deep.equal({
      AutoScalingGroupNames: [nodes.id],
    });
    expect(Object.fromEntries(costs.measured)).to.deep.equal({
      [endpoint.id]: { amount: 21, currency: "USD", source: "Cost Explorer resource-level" },
      // Both instances, seven days each; another instance (i-0zzz) is not the node group's.
      [nodes.id]: { amount: 35, currency: "USD", source: "Cost Explorer resource-level" },
    });
    expect(costs.fallbacks.size).to.equal(0);
  });

  it("falls back for every AWS item, with the reason, when the account has not enabled resource-level data", async () => {
    ce.on(GetCostAndUsageWithResourcesCommand).rejects(
      new DataUnavailableException({ message: "Resource-level data is not available", $metadata: {} }),
    );
    const costs = await awsResourceCosts(clients(), [endpoint, nodes, database], "2026-11-29", 7);
    expect(costs.measured.size).to.equal(0);
    expect(Object.fromEntries(costs.fallbacks)).to.deep.equal({
      [endpoint.id]:
        "Cost Explorer resource-level data is not enabled for this account (Cost Explorer settings) or not there yet",
      [nodes.id]:
        "Cost Explorer resource-level data is not enabled for this account (Cost Explorer settings) or not there yet",
    });
  });

  it("falls back for an item the data does not cover, and refuses a day outside the week or an amount that is not a number", async () => {
    ce.on(GetCostAndUsageWithResourcesCommand).resolves({
      ResultsByTime: [{ TimePeriod: { Start: "2026-11-28", End: "2026-11-29" }, Groups: [group("i-0aaa", "4")] }],
    });
    const costs = await awsResourceCosts(clients(), [endpoint, nodes], "2026-11-29", 7);
    expect(Object.fromEntries(costs.measured)).to.deep.equal({
      [nodes.id]: { amount: 4, currency: "USD", source: "Cost Explorer resource-level" },
    });
    expect(costs.fallbacks.get(endpoint.id)).to.equal("not in Cost Explorer's resource-level data for the week");
    ce.on(GetCostAndUsageWithResourcesCommand).resolves({
      ResultsByTime: [{ TimePeriod: { Start: "2026-11-29", End: "2026-11-30" }, Groups: [] }],
    });
    expect((await awsResourceCosts(clients(), [nodes], "2026-11-29", 7)).fallbacks.get(nodes.id)).to.equal(
      'Cost Explorer resource-level data could not be read (Error: Cost Explorer resource-level data answered day "2026-11-29", outside 2026-11-22 … 2026-11-29)',
    );
    ce.on(GetCostAndUsageWithResourcesCommand).resolves({
      ResultsByTime: [{ TimePeriod: { Start: "2026-11-28", End: "2026-11-29" }, Groups: [group("i-0aaa", "n/a")] }],
    });
    expect((await awsResourceCosts(clients(), [nodes], "2026-11-29", 7)).fallbacks.get(nodes.id)).to.match(
      /a group without a resource id, a currency or a numeric amount\)$/,
    );
  });

  it("matches an endpoint by its ARN's name whatever the case, and a node group by its instances only", () => {
    expect(
      resourceIdMatches(endpoint, "arn:aws:sagemaker:eu-west-1:1:endpoint/multicloud-dev-feature-model", new Set()),
    ).to.equal(true);
    expect(
      resourceIdMatches(
        endpoint,
        "arn:aws:sagemaker:eu-west-1:1:endpoint/other-multicloud-dev-feature-model",
        new Set(),
      ),
    ).to.equal(false);
    expect(
      resourceIdMatches(
        endpoint,
        "arn:aws:sagemaker:eu-west-1:1:endpoint-config/multicloud-dev-feature-model",
        new Set(),
      ),
    ).to.equal(false);
    expect(resourceIdMatches(nodes, "i-1", new Set(["i-1"]))).to.equal(true);
    expect(resourceIdMatches(nodes, "i-2", new Set(["i-1"]))).to.equal(false);
  });
});

describe("per-resource cost: the OCI Usage API by resource (signed fake on loopback)", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const signer = ociTestSigner(privateKey);
  let url: string;
  let requests: SignedRequest<
    { groupBy: string[]; filter: { operator: string; dimensions: { key: string; value: string }[] } } & Record<
      string,
      unknown
    >
  >[];
  let close: () => void;
  let failWith: number | undefined;
  // The tenancy's usage: the database's ECPU and storage SKUs every day, and another database.
  const usage = week.flatMap((d) => [
    { timeUsageStarted: `${d}T00:00:00.000Z`, resourceId: database.id, computedAmount: 16, currency: "EUR" },
    { timeUsageStarted: `${d}T00:00:00.000Z`, resourceId: database.id, computedAmount: 1.5, currency: "EUR" },
    {
      timeUsageStarted: `${d}T00:00:00.000Z`,
      resourceId: "ocid1.autonomousdatabase.oc1.fra.other",
      computedAmount: 50,
      currency: "EUR",
    },
  ]);

  before(async () => {
    ({ url, requests, close } = await startSignedJsonServer(
      publicKey,
      ({ url: path, body }: (typeof requests)[number]) => {
        if (failWith) return { status: failWith, json: { code: "NotAuthorizedOrNotFound" } };
        // As the API does: only what the filter's dimensions name, ten items a page.
        const wanted = new Set(body.filter.dimensions.filter((d) => d.key === "resourceId").map((d) => d.value));
        const items = usage.filter((u) => wanted.has(u.resourceId));
        const from = Number(new URL(path, "http://x").searchParams.get("page") ?? "0");
        return {
          status: 200,
          headers: from + 10 < items.length ? { "opc-next-page": String(from + 10) } : undefined,
          json: { groupBy: body.groupBy, items: items.slice(from, from + 10) },
        };
      },
    ));
  });
  after(() => close());

  it("posts a signed DAILY COST query by resourceId filtered to the databases, sums every SKU over every page", async () => {
    requests.length = 0;
    const absent: InventoryItem = { ...database, id: "ocid1.autonomousdatabase.oc1.fra.gone", label: "gone" };
    const costs = await ociResourceCosts(
      { endpoint: url, tenancyId: "ocid1.tenancy.oc1..t", today: "2026-11-29", days: 7 },
      [endpoint, database, absent],
      signer,
    );
    expect(requests.map((r) => r.url)).to.deep.equal(["/20200107/usage", "/20200107/usage?page=10"]);
    expect(requests[0].body).to.deep.equal({
      tenantId: "ocid1.tenancy.oc1..t",
      timeUsageStarted: "2026-11-22T00:00:00.000Z",
      timeUsageEnded: "2026-11-29T00:00:00.000Z",
      granularity: "DAILY",
      queryType: "COST",
      groupBy: ["resourceId"],
      filter: {
        operator: "OR",
        dimensions: [
          { key: "resourceId", value: database.id },
          { key: "resourceId", value: absent.id },
        ],
      },
    });
    for (const r of requests) expect(r.signature).to.deep.include({ digestOk: true, signatureOk: true });
    expect(Object.fromEntries(costs.measured)).to.deep.equal({
      [database.id]: { amount: 7 * 17.5, currency: "EUR", source: "OCI Usage API by resource" },
    });
    expect(Object.fromEntries(costs.fallbacks)).to.deep.equal({
      [absent.id]: "no usage items for the database in the week",
    });
  });

  it("makes no call without a database, and reports the API's error status", async () => {
    requests.length = 0;
    expect(
      (
        await ociResourceCosts(
          { endpoint: url, tenancyId: "t", today: "2026-11-29", days: 7 },
          [endpoint, nodes],
          signer,
        )
      ).measured.size,
    ).to.equal(0);
    expect(requests).to.have.length(0);
    failWith = 404;
    const error = await ociResourceCosts(
      { endpoint: url, tenancyId: "t", today: "2026-11-29", days: 7 },
      [database],
      signer,
    ).catch((e: Error) => e.message);
    failWith = undefined;
    expect(error).to.equal(
      'the OCI Usage API answered HTTP 404 to the per-resource query: {"code":"NotAuthorizedOrNotFound"}',
    );
  });
});

describe("idle spend priced by measured cost where there is some", () => {
  const idleWeek = [1, 1, 1, 1, 1, 1, 1];
  const use = new Map([
    [nodes.id, idleWeek],
    [database.id, idleWeek],
    [endpoint.id, [0, 0, 0, 0, 0, 0, 0]],
  ]);

  it("uses the measured week and its currency, else unit price × size with the reason, and the report says which", () => {
    const findings = findIdle([endpoint, nodes, database], use, {
      measured: new Map([
        [database.id, { amount: 122.5, currency: "EUR", source: "OCI Usage API by resource" as const }],
      ]),
      fallbacks: new Map([[nodes.id, "the node group has no instances now"]]),
    });
    expect(
      findings.map((f) => [f.id, f.weeklyCost.toFixed(2), f.currency, f.costSource, f.fallbackReason]),
    ).to.deep.equal([
      [database.id, "122.50", "EUR", "OCI Usage API by resource", undefined],
      [
        nodes.id,
        (7 * 24 * 0.1176 * 2).toFixed(2),
        undefined,
        "unit price × size",
        "the node group has no instances now",
      ],
      [endpoint.id, (7 * 24 * 0.134).toFixed(2), undefined, "unit price × size", undefined],
    ]);
    const markdown = idleSection({ idle: findings, mode: "off", actions: [], currencyOf: () => "USD" });
    expect(markdown).to.contain(
      "| multicloud-dev-atp | autonomousDatabase | average CPU %: 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 | 122.50 EUR | OCI Usage API by resource |",
    );
    expect(markdown).to.contain(
      `| ${nodes.id} | eksNodes | average CPU %: 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 | ${(7 * 24 * 0.1176 * 2).toFixed(2)} USD | unit price × size (the node group has no instances now) |`,
    );
  });

  it("does not flag a measured resource that cost less than the minimum, whatever its unit price", () => {
    const findings = findIdle([database], use, {
      measured: new Map([[database.id, { amount: 3, currency: "EUR", source: "OCI Usage API by resource" as const }]]),
      fallbacks: new Map(),
    });
    expect(findings).to.deep.equal([]);
  });
});
