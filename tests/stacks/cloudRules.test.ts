/**
 * The offline engine refuses what the clouds refuse: each row of offline/cloudRules.ts breaks a
 * registration the dev or prod program really makes and must refuse it, while the registration
 * as made passes. Computed values follow their inputs the way the clouds compute them.
 */
import { expect } from "chai";
import { IPv4CidrRange } from "ip-num";
import { CLOUD_RULES, CLOUD_RULES_SECTION, cloudRulesTable, refusals } from "../../offline/cloudRules";
import { documentedSection } from "../../offline/docSections";
import { RecordedResource, RunResult, runProgram } from "../../offline/engine";
import { KnownResource, ModelFacts, ModelInput, randomText, RESOURCE_MODELS } from "../../offline/models";
import { unwrapSecrets } from "../../offline/secrets";
import { named, ofType, runStack } from "../support/stacks";
import { loadStackConfig, withConfigValue } from "../../offline/stacks";

/** The facts a model saw for a recorded resource: every other resource of the run is known. */
function factsOf(run: RunResult, self: RecordedResource, region: { aws: string; oci: string }): ModelFacts {
  const known = run.resources
    .filter((r) => r.custom && r !== self && r.id)
    .map((r): [string, KnownResource] => [r.id as string, { type: r.type, inputs: r.inputs, state: r.state }]);
  const byId = new Map(known);
  return {
    aws: { region: region.aws, accountId: "123456789012", partition: "aws" },
    oci: { region: region.oci, regionKey: "fra", tenancyId: "ocid1.tenancy.oc1..x", namespace: "ns" },
    byId: (id) => (typeof id === "string" ? byId.get(id) : undefined),
    stackOutputs: {},
    registered: () => known.map(([, r]) => r),
    preview: false,
  };
}

const regionOf = (run: RunResult) => ({
  aws: String(run.resources.find((r) => r.type === "pulumi:providers:aws")?.inputs.region),
  oci: String(run.resources.find((r) => r.type === "pulumi:providers:oci")?.inputs.region),
});

describe("the offline engine refuses what the clouds refuse (offline/cloudRules.ts)", () => {
  let runs: RunResult[];
  before(async () => {
    // The org stack with its cost-allocation tags on (off in the committed file until billing has the keys).
    const org = loadStackConfig("org");
    const orgTagsOn = await runProgram({
      stack: "org",
      config: withConfigValue(org.config, "multicloud:aws.activateCostAllocationTags", true),
      secretKeys: org.secretKeys,
    });
    runs = [await runStack("dev"), await runStack("prod"), await runStack("org"), orgTagsOn];
  });

  for (const [i, rule] of CLOUD_RULES.entries()) {
    it(`${rule.type}: ${rule.rule}`, () => {
      expect(rule.source, "each rule names its source").to.match(/^https:\/\//);
      // The first stack whose registration can be broken shows the rule (a rule about two connections
      // needs a stack with two: prod has two VPN connections, dev one).
      const candidates = runs.filter((r) => r.resources.some((x) => x.type === rule.type));
      if (candidates.length === 0) throw new Error(`no stack registers a ${rule.type}; the rule cannot be shown`);
      const breakable = candidates.find((r) => {
        const x = r.resources.find((y) => y.type === rule.type) as RecordedResource;
        const f = factsOf(r, x, regionOf(r));
        return rule.check({ type: rule.type, name: x.name, inputs: rule.violate(x.inputs, f), ...f }) !== undefined;
      });
      const run = breakable ?? candidates[0];
      const resource = run.resources.find((x) => x.type === rule.type) as RecordedResource;
      const facts = factsOf(run, resource, regionOf(run));
      const input = (inputs: Record<string, unknown>): ModelInput => ({
        type: rule.type,
        name: resource.name,
        inputs,
        ...facts,
      });
      expect(rule.check(input(resource.inputs)), "the program's own registration is accepted").to.equal(undefined);
      const broken = rule.violate(resource.inputs, facts);
      const problem = rule.check(input(broken));
      expect(problem, "the broken registration is refused").to.be.a("string");
      // The engine reports it with the rule and its source.
      expect(refusals(input(broken))).to.include(`${problem} (${rule.rule}; ${rule.source})`);
      expect(CLOUD_RULES.indexOf(rule)).to.equal(i);
    });
  }

  it("a TAG budget (the org stack's per cost centre) is accepted on a cost-tracking tag's listed value, refused otherwise", () => {
    const org = runs[2];
    const budget = ofType(org, "oci:Budget/budget:Budget").find((b) => b.inputs.targetType === "TAG");
    if (!budget) throw new Error("the org stack registers no TAG budget");
    const facts = factsOf(org, budget, regionOf(org));
    const refusedFor = (target: string) =>
      refusals({ type: budget.type, name: budget.name, inputs: { ...budget.inputs, targets: [target] }, ...facts });
    expect(refusedFor(String((budget.inputs.targets as string[])[0]))).to.deep.equal([]);
    expect(refusedFor("multicloud.owner.platform-team")[0]).to.match(
      /^target multicloud\.owner\.platform-team: tag multicloud\.owner is not cost-tracking/,
    );
    expect(refusedFor("multicloud.cost_center.CC-0000")[0]).to.match(
      /^target multicloud\.cost_center\.CC-0000: CC-0000 is not a value of multicloud\.cost_center/,
    );
    expect(refusedFor("multicloud.team.x")[0]).to.match(
      /^target multicloud\.team\.x: namespace multicloud has no tag team/,
    );
    expect(refusedFor("cost_center")[0]).to.match(/^target cost_center is not namespace\.key\.value/);
  });

  it("counts a user's credentials: a third auth token or customer secret key, a fourth API key, is refused", () => {
    const run = runs[0];
    for (const [type, limit, what] of [
      ["oci:Identity/authToken:AuthToken", 2, "auth tokens"],
      ["oci:Identity/customerSecretKey:CustomerSecretKey", 2, "customer secret keys"],
      ["oci:Identity/apiKey:ApiKey", 3, "API keys"],
    ] as const) {
      const resource = run.resources.find((r) => r.type === type);
      if (!resource) throw new Error(`dev registers no ${type}`);
      const facts = factsOf(run, resource, regionOf(run));
      const held = (n: number): KnownResource[] =>
        Array.from({ length: n }, () => ({ type, inputs: { ...resource.inputs }, state: {} }));
      const input = (n: number): ModelInput => ({
        type,
        name: resource.name,
        inputs: resource.inputs,
        ...facts,
        registered: () => [...facts.registered().filter((r) => r.type !== type), ...held(n)],
      });
      expect(refusals(input(limit - 1)), `${type} below the limit`).to.deep.equal([]);
      expect(refusals(input(limit))[0]).to.match(
        new RegExp(`^user ${String(resource.inputs.userId).replace(/\./g, "\\.")} already holds ${limit} ${what} `),
      );
    }
  });

  it("docs/verification.md lists every rule with its source; regenerate with npm run docs:generate", () => {
    expect(documentedSection(CLOUD_RULES_SECTION)).to.equal(cloudRulesTable());
  });

  it("a refused registration fails the run, naming the resource, the rule and its source", async () => {
    const run = await runProgram({
      stack: "rules",
      program: async () => {
        const aws = await import("@pulumi/aws");
        const provider = new aws.Provider("aws", { region: "eu-west-1" });
        const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" }, { provider });
        new aws.ec2.Subnet(
          "a",
          { vpcId: vpc.id, cidrBlock: "10.0.0.0/24", availabilityZone: "eu-west-1a" },
          { provider },
        );
        new aws.ec2.Subnet(
          "b",
          { vpcId: vpc.id, cidrBlock: "10.0.0.128/25", availabilityZone: "eu-west-1b" },
          { provider },
        );
      },
      config: {},
      stackOutputs: {},
    });
    const message = run.error?.message ?? "";
    expect(message).to.match(
      /aws:ec2\/subnet:Subnet "(b|a)": the cloud would refuse it:\n {2}- cidrBlock 10\.0\.0\.(128\/25|0\/24) overlaps 10\.0\.0\.(0\/24|128\/25), another subnet of the same network \(Subnets of one VPC do not overlap; https:/,
    );
  });
});

describe("computed values follow their inputs", () => {
  let dev: RunResult;
  let prod: RunResult;
  before(async () => {
    [dev, prod] = [await runStack("dev"), await runStack("prod")];
  });

  it("OCI's virtual router takes the first host of each subnet", () => {
    for (const subnet of ofType(prod, "oci:Core/subnet:Subnet")) {
      const first = IPv4CidrRange.fromCidr(String(subnet.inputs.cidrBlock)).getFirst().nextIPNumber().toString();
      expect(subnet.state.virtualRouterIp, subnet.name).to.equal(first);
    }
  });

  it("an AWS NAT gateway's private address lies in its subnet, outside the five addresses AWS reserves", () => {
    const nats = ofType(prod, "aws:ec2/natGateway:NatGateway");
    expect(nats).to.have.length(3);
    for (const nat of nats) {
      const subnet = prod.resources.find((r) => r.id === nat.inputs.subnetId);
      const range = IPv4CidrRange.fromCidr(String(subnet?.inputs.cidrBlock));
      const ip = IPv4CidrRange.fromCidr(`${String(nat.state.privateIp)}/32`);
      expect(ip.inside(range), `${String(nat.state.privateIp)} in ${range.toCidrString()}`).to.equal(true);
      const offset = Number(ip.getFirst().getValue() - range.getFirst().getValue());
      expect(offset).to.be.within(4, Number(range.getSize()) - 2);
    }
  });

  it("VPN tunnels report the virtual private gateway's Amazon-side ASN, not the customer gateway's", () => {
    const vgw = ofType(dev, "aws:ec2/vpnGateway:VpnGateway")[0];
    const vpn = ofType(dev, "aws:ec2/vpnConnection:VpnConnection")[0];
    const cgw = dev.resources.find((r) => r.id === vpn.inputs.customerGatewayId);
    expect([vpn.state.tunnel1BgpAsn, vpn.state.tunnel2BgpAsn]).to.deep.equal([
      vgw.inputs.amazonSideAsn,
      vgw.inputs.amazonSideAsn,
    ]);
    expect(vpn.state.tunnel1BgpAsn).to.not.equal(cgw?.inputs.bgpAsn);
    const model = RESOURCE_MODELS["aws:ec2/vpnConnection:VpnConnection"];
    const facts = factsOf(dev, vpn, regionOf(dev));
    const withDefault = model({
      ...facts,
      type: vpn.type,
      name: vpn.name,
      inputs: { ...vpn.inputs, vpnGatewayId: "vgw-unknown" },
    });
    expect(withDefault.state.tunnel1BgpAsn, "a gateway without amazonSideAsn gets 64512").to.equal("64512");
  });

  it("an Autonomous Database offers one-way TLS strings only when mTLS is not required", () => {
    const adb = named(dev, "oci:Database/autonomousDatabase:AutonomousDatabase", "database-atp");
    expect(adb.inputs.isMtlsConnectionRequired).to.equal(false);
    const tls = (state: Record<string, unknown>) =>
      [
        ...new Set(
          (state.connectionStrings as { profiles: { tlsAuthentication: string }[] }[])[0].profiles.map(
            (p) => p.tlsAuthentication,
          ),
        ),
      ].sort();
    expect(tls(adb.state)).to.deep.equal(["MUTUAL", "SERVER"]);
    const model = RESOURCE_MODELS["oci:Database/autonomousDatabase:AutonomousDatabase"];
    const facts = factsOf(dev, adb, regionOf(dev));
    const mtls = model({
      ...facts,
      type: adb.type,
      name: adb.name,
      inputs: { ...adb.inputs, isMtlsConnectionRequired: true },
    });
    expect(tls(mtls.state)).to.deep.equal(["MUTUAL"]);
  });
});

describe("RandomPassword honours its options", () => {
  const pw = (inputs: Record<string, unknown>, name = "p") =>
    randomText({ type: "random:index/randomPassword:RandomPassword", name, inputs });
  const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

  it("uses the provider's default classes, special characters included, at the length asked", () => {
    const defaults = Array.from({ length: 20 }, (_, i) => pw({ length: 32 }, `p${i}`)).join("");
    expect(pw({ length: 32 })).to.have.length(32);
    for (const re of [/[A-Z]/, /[a-z]/, /[0-9]/, /[!@#$%&*()\-_=+[\]{}<>:?]/]) expect(defaults).to.match(re);
    expect(
      new Set(defaults.replace(/[A-Za-z0-9]/g, "")).size,
      "the special set is the provider's, not two characters",
    ).to.be.greaterThan(10);
  });

  it("honours special false, overrideSpecial, classes turned off and every minimum", () => {
    expect(pw({ length: 200, special: false })).to.match(/^[A-Za-z0-9]{200}$/);
    expect(pw({ length: 200, overrideSpecial: "#_", upper: false, numeric: false })).to.match(/^[a-z#_]{200}$/);
    for (let i = 0; i < 30; i++) {
      const p = pw(
        { length: 12, minUpper: 3, minLower: 2, minNumeric: 4, minSpecial: 2, overrideSpecial: "#" },
        `m${i}`,
      );
      expect(count(p, /[A-Z]/g), p).to.be.at.least(3);
      expect(count(p, /[a-z]/g), p).to.be.at.least(2);
      expect(count(p, /[0-9]/g), p).to.be.at.least(4);
      expect(count(p, /#/g), p).to.be.at.least(2);
    }
    expect(() => pw({ upper: false, lower: false, numeric: false, special: false })).to.throw(
      /every character class is off/,
    );
  });

  it("the generated database service password passes V001's check", async () => {
    const { readFileSync } = await import("node:fs");
    const v001 = readFileSync("sql/V001__schema_users.sql", "utf8");
    const pattern = /REGEXP_LIKE\(:service_password, '([^']+)'\)/.exec(v001)?.[1];
    expect(pattern).to.equal("^[A-Za-z0-9_#]{12,30}$");
    const run = await runStack("dev");
    const generator = named(run, "random:index/randomPassword:RandomPassword", "database-service-password");
    const generated = unwrapSecrets(generator.state.result);
    expect(generated.secretPaths, "the provider marks the result secret").to.deep.equal([""]);
    expect(String(generated.value)).to.match(new RegExp(pattern as string));
    // And whatever the random draw: the options alone guarantee it.
    for (let i = 0; i < 50; i++) expect(pw(generator.inputs, `s${i}`)).to.match(new RegExp(pattern as string));
  });
});
