/** The first-up order (offline/upOrder.ts) and the generated sections of docs/architecture.md. */
import { expect } from "chai";
import { documentedSection } from "../../offline/docSections";
import { upOrderSection } from "../../offline/docsGenerate";
import type { RecordedResource } from "../../offline/recorded";
import { REPLACEMENTS_SECTION, replacementsMarkdown, UP_ORDER_SECTION, upOrder } from "../../offline/upOrder";
import { runStack } from "../support/stacks";

const resource = (name: string, type: string, over: Partial<RecordedResource> = {}): RecordedResource => ({
  urn: `urn:${name}`,
  type,
  name,
  custom: true,
  dependencies: [],
  propertyDependencies: {},
  protect: false,
  retainOnDelete: false,
  deleteBeforeReplace: false,
  ignoreChanges: [],
  aliases: [],
  read: false,
  inputs: {},
  rawInputs: {},
  secretInputPaths: [],
  state: {},
  ...over,
});

describe("first-up order (offline/upOrder.ts)", () => {
  it("puts each resource one wave after the last thing it waits for; a component stands for what is under it", () => {
    const vpc = resource("vpc", "aws:ec2/vpc:Vpc");
    const network = resource("network", "multicloud:network:AwsNetwork", { custom: false });
    const subnet = resource("subnet", "aws:ec2/subnet:Subnet", { parent: network.urn, dependencies: [vpc.urn] });
    const cluster = resource("cluster", "aws:msk/cluster:Cluster", { propertyDependencies: { subnets: [subnet.urn] } });
    const fn = resource("fn", "aws:lambda/function:Function", { dependencies: [network.urn] });
    const gate = resource("gate", "pulumi-nodejs:dynamic/multicloud:LinkReadiness", { dependencies: [fn.urn] });
    const order = upOrder([vpc, network, subnet, cluster, fn, gate]);
    expect(order.waves.map((w) => w.map((r) => r.name))).to.deep.equal([["vpc"], ["subnet"], ["cluster", "fn"], ["gate"]]);
    // The slow chain follows the create times: the MSK cluster's 30 minutes, not the function's.
    expect(order.slowChain.map((s) => [s.resource.name, Number(s.minutes.toFixed(1))])).to.deep.equal([
      ["vpc", 0.1],
      ["subnet", 0.2],
      ["cluster", 30.2],
    ]);
    expect(order.gateChain.map((s) => s.resource.name)).to.deep.equal(["vpc", "subnet", "fn", "gate"]);
  });

  it("refuses a cycle, naming a resource on it", () => {
    const a = resource("a", "aws:ec2/vpc:Vpc", { dependencies: ["urn:b"] });
    const b = resource("b", "aws:ec2/vpc:Vpc", { dependencies: ["urn:a"] });
    expect(() => upOrder([a, b])).to.throw(/dependency cycle through urn:/);
  });

  it("docs/architecture.md holds the generated order of the three stacks and the replacement table (npm run docs:generate)", async () => {
    expect(documentedSection(REPLACEMENTS_SECTION)).to.equal(replacementsMarkdown());
    expect(documentedSection(UP_ORDER_SECTION)).to.equal(await upOrderSection(runStack));
  });
});
