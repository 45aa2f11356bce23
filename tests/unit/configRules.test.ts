/** The config model and its rules, called directly (no engine): fast enough to run against every mutant. */
import { expect } from "chai";
import { CONFIG_ERRORS_SECTION, configErrorTable } from "../../offline/configReference";
import { documentedSection } from "../../offline/docSections";
import { ConfigError } from "../../components/config/errors";
import {
  asnProblem,
  insideCidrProblem,
  ORACLE_BGP_ASN,
  peeringNetwork,
  peeringPairProblem,
} from "../../components/config/interconnect";
import { orgStackReference, orgStackSchema } from "../../components/config/org";
import { buildPlatformConfig, EnvironmentConfig } from "../../components/config/platform";
import { syncReplication } from "../../components/config/sync";
import {
  bandwidthShapeIssue,
  PlatformLookups,
  ProviderServiceSummary,
  resolveEnvironment,
  selectProviderService,
} from "../../components/config/resolve";
import { loadStackConfig, withConfigChange, withConfigValue } from "../../offline/stacks";
import { addressRangeIssues, describe as describeValue } from "../../components/config/fields";
import { BAD_CASES, namespaced } from "../support/badConfig";

/** The model of an environment stack; fails when the values describe the org stack. */
function environmentConfig(stack: string, values: Record<string, string>): EnvironmentConfig {
  const cfg = buildPlatformConfig("multicloud", stack, values);
  if (cfg.kind !== "environment") throw new Error(`${stack} is not an environment stack`);
  return cfg;
}

/** The aws key without its optional fields, so their defaults apply. */
function withoutAwsOptions(awsJson: string): string {
  const aws = JSON.parse(awsJson) as Record<string, unknown>;
  for (const key of ["azCount", "natGateways", "logRetentionDays", "subnetPrefixLengths"]) delete aws[key];
  return JSON.stringify(aws);
}

describe("stack config model", () => {
  it("builds dev from Pulumi.dev.yaml with its address plan", () => {
    const cfg = environmentConfig("dev", namespaced("dev"));
    expect(cfg.environment).to.equal("dev");
    expect(cfg.isProduction).to.equal(false);
    expect(cfg.tags).to.deep.equal({
      environment: "dev",
      cost_center: "CC-4410-PLATFORM",
      project: "multicloud",
      owner: "platform-team@example.com",
    });
    expect(cfg.aws.privateSubnetCidrs).to.deep.equal(["10.10.0.0/20", "10.10.16.0/20"]);
    expect(cfg.aws.publicSubnetCidrs).to.deep.equal(["10.10.255.0/24", "10.10.254.0/24"]);
    expect(cfg.aws.natGateways).to.equal("single");
    expect(cfg.oci.subnetCidrs).to.deep.equal({
      database: "10.20.0.0/24",
      functions: "10.20.1.0/24",
      streaming: "10.20.2.0/24",
    });
    expect(cfg.interconnect).to.deep.equal({
      mode: "ipsec",
      awsSideAsn: 64512,
      ipsec: { tunnelPairs: 1, insideCidrs: ["169.254.20.0/30", "169.254.20.4/30"] },
      readinessTimeoutMinutes: 15,
    });
  });

  it("builds prod from Pulumi.prod.yaml: 3 AZs, NAT per AZ, FastConnect with IPSec backup", () => {
    const cfg = environmentConfig("prod", namespaced("prod"));
    expect(cfg.isProduction).to.equal(true);
    expect(cfg.aws.azCount).to.equal(3);
    expect(cfg.aws.natGateways).to.equal("perAz");
    expect(cfg.aws.privateSubnetCidrs).to.deep.equal(["10.100.0.0/19", "10.100.32.0/19", "10.100.64.0/19"]);
    expect(cfg.aws.logRetentionDays).to.equal(365);
    expect(cfg.oci.subnetCidrs.functions).to.equal("10.200.2.0/23");
    expect(cfg.interconnect).to.deep.include({ mode: "fastconnect", awsSideAsn: 64513, customerAsn: 65010 });
    expect(cfg.interconnect.ipsec).to.deep.equal({
      tunnelPairs: 2,
      insideCidrs: ["169.254.21.0/30", "169.254.21.4/30", "169.254.21.8/30", "169.254.21.12/30"],
    });
    expect(cfg.interconnect.mode === "fastconnect" && cfg.interconnect.directConnect).to.deep.equal({
      connectionType: "hosted",
      connectionId: "dxcon-fgq8x2k1",
      vlan: 2001,
      amazonAddress: "169.254.100.5/30",
      customerAddress: "169.254.100.6/30",
    });
  });

  it("applies environment defaults when optional keys are absent", () => {
    const values = namespaced("prod");
    const cfg = environmentConfig("prod", { ...values, aws: withoutAwsOptions(values.aws) });
    expect([cfg.aws.azCount, cfg.aws.natGateways, cfg.aws.logRetentionDays]).to.deep.equal([3, "perAz", 365]);
    expect(cfg.aws.privateSubnetCidrs).to.deep.equal(["10.100.0.0/20", "10.100.16.0/20", "10.100.32.0/20"]);
  });

  it("collects every problem into one error, one line per key", () => {
    const values = {
      ...namespaced("dev"),
      environment: "qa",
      budget: JSON.stringify({
        awsMonthlyLimit: 0,
        ociMonthlyLimit: 5,
        alertEmails: [],
        report: JSON.parse(namespaced("dev").budget).report,
      }),
    };
    let caught: unknown;
    try {
      buildPlatformConfig("multicloud", "dev", values);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(ConfigError);
    const keys = (caught as ConfigError).issues.map((i) => i.key);
    expect(keys).to.deep.equal([
      "multicloud:environment",
      "multicloud:budget.awsMonthlyLimit",
      "multicloud:budget.alertEmails",
    ]);
    expect((caught as ConfigError).message).to.contain("Fix the keys above in Pulumi.dev.yaml");
  });

  it("checks ASNs by role", () => {
    expect(asnProblem("awsSide", 64512)).to.equal(undefined);
    expect(asnProblem("awsSide", 4200000000)).to.equal(undefined);
    expect(asnProblem("awsSide", 65000 + 535)).to.match(/private ASN/);
    expect(asnProblem("customer", 65010, 64512)).to.equal(undefined);
    expect(asnProblem("customer", ORACLE_BGP_ASN, 64512)).to.match(/Oracle/);
    expect(asnProblem("customer", 64512, 64512)).to.match(/awsSideAsn/);
    expect(asnProblem("customer", 23456)).to.match(/reserved/);
  });
});

describe("bad stack config: every problem named by its key", () => {
  for (const c of BAD_CASES) {
    it(`${c.title} → names ${c.names}`, () => {
      const values = namespaced(c.stack, withConfigChange(loadStackConfig(c.stack).config, c.key, c.path, c.value));
      let error: unknown;
      try {
        buildPlatformConfig("multicloud", c.stack, values);
      } catch (err) {
        error = err;
      }
      expect(error, "the config must be refused").to.be.instanceOf(ConfigError);
      const issue = (error as ConfigError).issues.find((i) => i.key === c.names);
      expect(issue, `an issue naming ${c.names} in:\n${(error as Error).message}`).to.not.equal(undefined);
      // Matched as the error shows it, the same line the whole-program test reads.
      expect(`  - ${issue?.key}: ${issue?.message}`).to.match(c.says);
    });
  }
});

describe("config error reference (docs/configuration.md)", () => {
  it("shows, for every key, what a wrong value is told; regenerate with npm run docs:generate", () => {
    expect(documentedSection(CONFIG_ERRORS_SECTION), "the markers are in docs/configuration.md").to.equal(
      configErrorTable(),
    );
  });
});

describe("resolve step (look-ups injected)", () => {
  const services: ProviderServiceSummary[] = [
    {
      id: "eq",
      providerName: "Equinix",
      providerServiceName: "Equinix Fabric",
      supportedVirtualCircuitTypes: ["PRIVATE", "PUBLIC"],
    },
    {
      id: "mcr",
      providerName: "Megaport",
      providerServiceName: "Megaport Cloud Router",
      supportedVirtualCircuitTypes: ["PRIVATE"],
    },
    {
      id: "mp",
      providerName: "Megaport",
      providerServiceName: "Megaport Port",
      supportedVirtualCircuitTypes: ["PRIVATE", "PUBLIC"],
    },
    {
      id: "colt",
      providerName: "Colt",
      providerServiceName: "Colt Internet",
      supportedVirtualCircuitTypes: ["PUBLIC"],
    },
  ];
  const settings = (providerName: string, providerServiceName?: string, bandwidthShapeName = "1 Gbps") => ({
    providerName,
    providerServiceName,
    bandwidthShapeName,
    customerBgpPeeringIp: "169.254.100.1/30",
    oracleBgpPeeringIp: "169.254.100.2/30",
  });
  const lookups = (shapes: string[] = ["1 Gbps", "10 Gbps"]): PlatformLookups => ({
    fastConnectServices: async (compartmentId) => (compartmentId.startsWith("ocid1.") ? services : []),
    bandwidthShapes: async (id) => (id === "eq" || id === "mcr" ? shapes : []),
  });

  it("selects the one private-peering service, matching names without case or spaces", () => {
    expect(selectProviderService(services, settings(" equinix "))).to.equal(services[0]);
    expect(selectProviderService(services, settings("Megaport", " megaport cloud router"))).to.equal(services[1]);
  });

  it("names the key to fix and what is offered when no single service fits", () => {
    expect(selectProviderService(services, settings("Equinox"))).to.deep.equal({
      key: "multicloud:interconnect.fastConnect.providerName",
      message: '"Equinox" is not a FastConnect partner in this region; partners offered: Colt, Equinix, Megaport',
    });
    expect(selectProviderService(services, settings("Megaport"))).to.deep.equal({
      key: "multicloud:interconnect.fastConnect.providerServiceName",
      message:
        "is required: Megaport offers several private-peering services (Megaport Cloud Router, Megaport Port); name one",
    });
    expect(selectProviderService(services, settings("Megaport", "Megaport Internet"))).to.deep.equal({
      key: "multicloud:interconnect.fastConnect.providerServiceName",
      message:
        '"Megaport Internet" is not a private-peering service of Megaport; services offered: Megaport Cloud Router, Megaport Port',
    });
    expect(selectProviderService(services, settings("Colt"))).to.deep.equal({
      key: "multicloud:interconnect.fastConnect.providerName",
      message: "Colt offers no service with private virtual circuits here",
    });
    expect(selectProviderService(services, settings("Colt", "Colt Internet"))).to.deep.equal({
      key: "multicloud:interconnect.fastConnect.providerServiceName",
      message: '"Colt Internet" is not a private-peering service of Colt; services offered: none with private peering',
    });
  });

  it("checks the shape against the service's list", () => {
    expect(bandwidthShapeIssue(["1 Gbps"], settings("Equinix"), "Equinix Equinix Fabric")).to.equal(undefined);
    expect(
      bandwidthShapeIssue(["1 Gbps", "10 Gbps"], settings("Equinix", undefined, "3 Gbps"), "Equinix Equinix Fabric"),
    ).to.deep.equal({
      key: "multicloud:interconnect.fastConnect.bandwidthShapeName",
      message: '"3 Gbps" is not offered by Equinix Equinix Fabric; shapes offered: 1 Gbps, 10 Gbps',
    });
  });

  it("resolves prod's FastConnect with the service's id and canonical names; dev's IPSec passes through", async () => {
    const prod = buildPlatformConfig("multicloud", "prod", namespaced("prod"));
    const dev = buildPlatformConfig("multicloud", "dev", namespaced("dev"));
    if (prod.kind !== "environment" || dev.kind !== "environment") throw new Error("environment stacks expected");
    const resolved = await resolveEnvironment(prod, lookups());
    expect(resolved.interconnect.mode === "fastconnect" && resolved.interconnect.fastConnect).to.deep.include({
      providerServiceId: "eq",
      providerName: "Equinix",
      providerServiceName: "Equinix Fabric",
      bandwidthShapeName: "1 Gbps",
    });
    expect(resolved.aws).to.deep.equal(prod.aws);
    expect((await resolveEnvironment(dev, lookups())).interconnect).to.equal(dev.interconnect);
    let error: unknown;
    await resolveEnvironment(prod, lookups(["10 Gbps"])).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.key)).to.deep.equal([
      "multicloud:interconnect.fastConnect.bandwidthShapeName",
    ]);
    expect((error as Error).message).to.contain('Invalid configuration for stack "prod" (1 problem)');
  });
});

describe("config rules called directly", () => {
  it("completes the org stack's reference name with the organization and project it leaves out", () => {
    expect(orgStackReference(undefined, "acme", "multicloud")).to.equal("acme/multicloud/org");
    expect(orgStackReference("shared", "acme", "multicloud")).to.equal("acme/multicloud/shared");
    expect(orgStackReference("platform/org", "acme", "multicloud")).to.equal("acme/platform/org");
    expect(orgStackReference("other/platform/org", "acme", "multicloud")).to.equal("other/platform/org");
  });

  it("accepts a stack reference name of one to three parts, and nothing around or beyond it", () => {
    for (const name of ["org", "platform/org", "acme/multicloud/org", "a.b_c-d/x"])
      expect(orgStackSchema.safeParse(name).success, name).to.equal(true);
    for (const name of [
      "",
      "a/b/c/d",
      "/org",
      "org/",
      "acme//org",
      "org stack",
      " org",
      "org\n",
      "acme/multi cloud/org",
    ]) {
      expect(orgStackSchema.safeParse(name).success, JSON.stringify(name)).to.equal(false);
    }
  });

  it("builds the org stack's model from Pulumi.org.yaml, tenancy included", () => {
    const cfg = buildPlatformConfig("multicloud", "org", namespaced("org"));
    expect(cfg).to.deep.include({
      kind: "org",
      project: "multicloud",
      stack: "org",
      environment: "org",
      isProduction: true,
    });
    if (cfg.kind !== "org") throw new Error("org expected");
    expect(cfg.oci.tenancyId).to.match(/^ocid1\.tenancy\.oc1\.\./);
    expect(cfg.tags).to.deep.equal({
      environment: "org",
      cost_center: "CC-4410-PLATFORM",
      project: "multicloud",
      owner: "platform-team@example.com",
    });
    let error: unknown;
    try {
      buildPlatformConfig("multicloud", "org", {
        ...namespaced("org"),
        oci: JSON.stringify({ region: "eu-frankfurt-1" }),
      });
    } catch (err) {
      error = err;
    }
    expect((error as ConfigError).issues).to.deep.equal([
      { key: "multicloud:oci.tenancyId", message: "is required; the tenancy OCID, ocid1.tenancy.oc1..<id>" },
    ]);
  });

  it("accepts ASNs exactly at the edges of AWS's private ranges, and refuses just outside", () => {
    for (const ok of [64512, 65534, 4_200_000_000, 4_294_967_294])
      expect(asnProblem("awsSide", ok), String(ok)).to.equal(undefined);
    for (const bad of [64511, 65535, 4_199_999_999, 4_294_967_295])
      expect(asnProblem("awsSide", bad), String(bad)).to.match(/is not allowed; AWS accepts a private ASN/);
    expect(asnProblem("customer", 65535)).to.equal("65535 is reserved (RFC 6793 / RFC 7300); pick another ASN");
    expect(asnProblem("customer", 64512)).to.equal(undefined);
  });

  it("tunnel inside CIDRs: a /30 in 169.254.0.0/16 outside AWS's reserved blocks", () => {
    expect(insideCidrProblem("169.254.6.0/30")).to.equal(undefined);
    expect(insideCidrProblem("169.254.169.248/30")).to.equal(undefined);
    expect(insideCidrProblem("169.254.5.252/30")).to.equal(
      '"169.254.5.252/30" is reserved by AWS (169.254.0.0–169.254.5.255 and 169.254.169.252/30); pick another /30',
    );
    expect(insideCidrProblem("169.254.0.0/30")).to.match(/reserved by AWS/);
    expect(insideCidrProblem("169.254.4.0/30")).to.match(/reserved by AWS/);
    expect(insideCidrProblem("169.254.169.252/30")).to.match(/reserved by AWS/);
    expect(insideCidrProblem("169.254.20.1/30")).to.equal(
      '"169.254.20.1/30" has host bits set; its network address is 169.254.20.0/30; a /30 in 169.254.0.0/16, e.g. 169.254.20.0/30',
    );
    expect(insideCidrProblem("10.0.0.0/30")).to.equal(
      '"10.0.0.0/30" is outside 169.254.0.0/16; AWS takes tunnel inside /30s from the link-local block only',
    );
  });

  it("peering pairs: same /30 or /31, two different host addresses", () => {
    expect(peeringPairProblem("169.254.100.1/30", "169.254.100.2/30")).to.equal(undefined);
    expect(
      peeringPairProblem("169.254.100.0/31", "169.254.100.1/31"),
      "a /31 has no network or broadcast address",
    ).to.equal(undefined);
    expect(peeringPairProblem("169.254.100.1/30", "169.254.100.1/30")).to.deep.equal({
      field: "theirs",
      message: "both ends use 169.254.100.1; each end needs its own address",
    });
    expect(peeringPairProblem("169.254.100.0/30", "169.254.100.1/30")).to.deep.equal({
      field: "theirs",
      message: "169.254.100.0 is the network or broadcast address of 169.254.100.0/30; use the two host addresses",
    });
    expect(peeringPairProblem("169.254.100.1/30", "169.254.100.5/30")).to.deep.equal({
      field: "theirs",
      message: "169.254.100.1/30 and 169.254.100.5/30 are not in the same /30 or /31",
    });
    expect(peeringPairProblem("169.254.100.1/30", "x")).to.deep.equal({
      field: "theirs",
      message: '"x" is not an address with a /30 or /31 prefix, e.g. 169.254.100.1/30',
    });
    expect(peeringNetwork("169.254.100.6/30")).to.equal("169.254.100.4/30");
  });

  it("applies each environment's defaults once, and reads the optional keys when set", () => {
    const values = namespaced("dev");
    const dev = environmentConfig("dev", {
      ...values,
      aws: withoutAwsOptions(values.aws),
      budget: JSON.stringify({ ...JSON.parse(values.budget), currency: undefined }),
    });
    expect(dev.aws).to.deep.include({
      azCount: 2,
      natGateways: "single",
      logRetentionDays: 30,
      privateSubnetCidrs: ["10.10.0.0/20", "10.10.16.0/20"],
      publicSubnetCidrs: ["10.10.255.0/24", "10.10.254.0/24"],
    });
    expect(dev.budget.currency).to.equal("USD");
    expect(dev.ml.allowedLatenessMinutes).to.equal(15);
    const prodValues = namespaced("prod");
    const prodAws = JSON.parse(prodValues.aws) as Record<string, unknown>;
    delete prodAws.azCount;
    delete prodAws.natGateways;
    delete prodAws.logRetentionDays;
    const prod = environmentConfig("prod", {
      ...prodValues,
      aws: JSON.stringify({ ...prodAws, allowedAccountIds: ["127590287683"] }),
      budget: JSON.stringify({ ...JSON.parse(prodValues.budget), currency: "EUR" }),
      ml: JSON.stringify({ ...JSON.parse(prodValues.ml), allowedLatenessMinutes: 0 }),
    });
    expect(prod.aws).to.deep.include({
      azCount: 3,
      natGateways: "perAz",
      logRetentionDays: 365,
      allowedAccountIds: ["127590287683"],
    });
    expect([prod.budget.currency, prod.ml.allowedLatenessMinutes, prod.orgStack]).to.deep.equal(["EUR", 0, undefined]);
    expect(environmentConfig("dev", { ...values, orgStack: "acme/multicloud/shared" }).orgStack).to.equal(
      "acme/multicloud/shared",
    );
    // OCI flow logs: OCI's longest retention in production, a month elsewhere, or what the stack says.
    expect([dev.oci.flowLogRetentionDays, prod.oci.flowLogRetentionDays]).to.deep.equal([30, 180]);
    const ociWith = (days: number) => JSON.stringify({ ...JSON.parse(values.oci), flowLogRetentionDays: days });
    expect(environmentConfig("dev", { ...values, oci: ociWith(120) }).oci.flowLogRetentionDays).to.equal(120);
  });
});

describe("every format rule holds at both ends of the value", () => {
  /** The issue for one key after changing one value of a stack file, or undefined when accepted. */
  const issueFor = (stack: string, keyPath: string, value: unknown) => {
    try {
      buildPlatformConfig(
        "multicloud",
        stack,
        namespaced(stack, withConfigValue(loadStackConfig(stack).config, keyPath, value)),
      );
      return undefined;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return (
        err.issues.find((i) => i.key === keyPath || i.key.startsWith(`${keyPath}[`))?.message ??
        `(other keys: ${err.issues.map((i) => i.key).join(", ")})`
      );
    }
  };
  const cases: Array<[string, string, readonly unknown[], readonly unknown[]]> = [
    // stack, key, accepted, refused (junk before, junk after, too few digits, …)
    [
      "dev",
      "multicloud:oci.region",
      ["eu-frankfurt-1", "us-ashburn-12", "sa-saopaulo-1"],
      ["-eu-frankfurt-1", "eu-frankfurt-1x", "eu-frankfurt-", "e-frankfurt-1"],
    ],
    [
      "dev",
      "multicloud:oci.compartmentId",
      [
        "ocid1.compartment.oc1..aaaaaaaa7ke2wq5x3nprodplatformz4dfm6hvt2lc8rsa3jb",
        "ocid1.tenancy.oc19..aaaaaaaa7ke2wq5x3nprodplatformz4dfm",
      ],
      [
        "xocid1.compartment.oc1..aaaaaaaa7ke2wq5x3nprodplatformz4dfm",
        "ocid1.compartment.oc1..aaaaaaaa7ke2wq5x3nprodplatformz4dfm!",
        "ocid1.compartment.oc1..short",
      ],
    ],
    [
      "org",
      "multicloud:oci.tenancyId",
      [
        "ocid1.tenancy.oc1..aaaaaaaa3xk7pq2mplatformtenancy5rdx4wz6ybn2cjq7hva",
        "ocid1.tenancy.oc12..aaaaaaaa3xk7pq2mplatformtenancy",
      ],
      [
        "xocid1.tenancy.oc1..aaaaaaaa3xk7pq2mplatformtenancy",
        "ocid1.tenancy.oc1..aaaaaaaa3xk7pq2mplatformtenancy.",
        "ocid1.compartment.oc1..aaaaaaaa3xk7pq2mplatformtenancy",
      ],
    ],
    ["org", "multicloud:federation.certificateWarningDays", [1, 365], [0, 366]],
    ["org", "multicloud:aws.activateCostAllocationTags", [true, false, undefined], ["yes", 1]],
    ["org", "multicloud:federation.aws.maxSessionHours", [1, 12], [0, 13]],
    [
      "org",
      "multicloud:federation.oci.identityDomainUrl",
      ["https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com"],
      [
        "https://idcs-0123.identity.oraclecloud.com",
        "http://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com",
        "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com/",
      ],
    ],
    ["org", "multicloud:federation.oci.identityDomainName", ["Default", "corp-domain"], ["", "Default Domain", "-x"]],
    [
      "org",
      "multicloud:federation.idpMetadata.file",
      ["federation/idp-metadata.xml"],
      ["/etc/idp.xml", "../idp.xml", "federation/idp.json"],
    ],
    [
      "org",
      "multicloud:federation.mappings",
      [
        [{ group: "g", aws: "admin", grafana: "admin" }],
        [{ group: "6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b", oci: "readers", grafana: "admin" }],
        [
          { group: "g", grafana: "admin" },
          { group: "h", grafana: "editor" },
        ],
      ],
      [
        [],
        [{ group: "g" }],
        [{ group: "g", aws: "root" }],
        [{ group: "g", oci: "dbas" }],
        [
          { group: "g", aws: "admin", grafana: "admin" },
          { group: "G", oci: "readers" },
        ],
        [{ group: "g", aws: "admin" }],
        [{ group: "g", grafana: "viewer" }],
      ],
    ],
    [
      "org",
      "multicloud:costCenters",
      [["CC-4410-PLATFORM"], ["CC-4410-PLATFORM", "CC-4420-DATA"]],
      [
        [],
        ["CC-4420-DATA", "CC-4420-DATA", "CC-4410-PLATFORM"],
        ["cc 1;drop"],
        Array.from({ length: 101 }, (_, i) => `CC-${i}`),
      ],
    ],
    ["dev", "multicloud:budget.report.hourUtc", [0, 23], [-1, 24, 6.5]],
    ["dev", "multicloud:budget.afterHours.startUtc", ["06:00", "07:30"], ["7:00", "24:00", "19:00", "20:00"]],
    ["prod", "multicloud:budget.afterHours", [undefined], [{ startUtc: "07:00", stopUtc: "19:00" }]],
    ["prod", "multicloud:budget.report.remediation", ["off", "dryRun"], ["act", "yes", ""]],
    ["dev", "multicloud:budget.report.remediation", ["off", "dryRun", "act"], ["on", ""]],
    ["dev", "multicloud:budget.report.historyDays", [35, 400], [34, 401]],
    ["dev", "multicloud:budget.report.anomalyDays", [1, 14], [0, 15]],
    ["dev", "multicloud:budget.report.ociCurrency", ["USD", "EUR"], ["usd", "DOLLAR", ""]],
    ["dev", "multicloud:budget.report.ociKeyGeneration", [1, 7], [0, 2.5]],
    ["prod", "multicloud:budget.anomalyAlerts.minImpact", [0.01, 200, 1e6], [0, -5, "200"]],
    ["prod", "multicloud:budget.anomalyAlerts.minImpactPercent", [1, 20, 1000], [0, 1001, "20"]],
    [
      "org",
      "multicloud:aws.existingServiceMonitorArn",
      [undefined, "arn:aws:ce::414910048482:anomalymonitor/0c6e2a4f-3b1d-4e5f-8a6b-7c8d9e0f1a2b"],
      [
        "arn:aws:ce::4149:anomalymonitor/x",
        "arn:aws:ce:eu-west-1:414910048482:anomalymonitor/0c6e2a4f-3b1d-4e5f-8a6b-7c8d9e0f1a2b",
        "",
      ],
    ],
    ["dev", "multicloud:monitoring.grafana.ociKeyGeneration", [1, 1_000_000], [0, 1.5, "2", 1_000_001]],
    ["dev", "multicloud:costCenter", ["CC-1", "a", "x".repeat(128)], [" CC-1", "CC-1!", "x".repeat(129), ""]],
    // The stack's key administrators are roles of account 414910048482.
    [
      "dev",
      "multicloud:aws.allowedAccountIds",
      [["414910048482"], ["123456789012", "414910048482"]],
      [["x123456789012"], ["1234567890123"], ["12345678901"], []],
    ],
    [
      "dev",
      "multicloud:aws.keyAdministratorArns",
      [["arn:aws:iam::414910048482:role/a"], ["arn:aws-us-gov:iam::414910048482:role/path/b.c@d"]],
      [
        ["xarn:aws:iam::414910048482:role/a"],
        ["arn:aws:iam::414910048482:user/a"],
        ["arn:aws:iam::41491004848:role/a"],
        ["arn:aws:iam::414910048482:role/"],
        [],
        ["arn:aws:iam::414910048482:role/a", "arn:aws:iam::414910048482:role/a"],
      ],
    ],
    [
      "prod",
      "multicloud:interconnect.fastConnect.bandwidthShapeName",
      ["1 Gbps", "10 Gbps", "500 Mbps"],
      ["x1 Gbps", "1 Gbpsx", "1Gbps"],
    ],
    [
      "prod",
      "multicloud:interconnect.directConnect.connectionId",
      ["dxcon-fgq8x2k1", "dxcon-abcdefgh12"],
      ["xdxcon-fgq8x2k1", "dxcon-fgq8x2k1!", "dxcon-short"],
    ],
    [
      "dev",
      "multicloud:ml.sagemaker.image",
      [
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/model:1.4.0",
        `123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/model@sha256:${"a".repeat(64)}`,
      ],
      [
        "x123456789012.dkr.ecr.eu-west-1.amazonaws.com/model:1.4.0",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/model:1.4.0 ",
        "12345678901.dkr.ecr.eu-west-1.amazonaws.com/model:1",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/model",
      ],
    ],
    [
      "dev",
      "multicloud:ml.sagemaker.modelDataUrl",
      ["s3://models-bucket/a/model.tar.gz"],
      ["xs3://models-bucket/a/model.tar.gz", "s3://models-bucket/a/model.tar.gzx", "s3://models-bucket/a/model.zip"],
    ],
    [
      "dev",
      "multicloud:ml.sagemaker.instanceType",
      ["ml.m5.large", "ml.g5.12xlarge"],
      ["xml.m5.large", "ml.m5.large!", "ml.m5"],
    ],
    ["dev", "multicloud:database.dbName", ["mcdev", "a", "abcdefghijkl"], ["1mcdev", "mc_dev", "abcdefghijklm"]],
    ["dev", "multicloud:database.backupRetentionDays", [1, 60], [0, 61]],
    ["dev", "multicloud:database.credentialGeneration", [1, 100_000], [0, 100_001, 1.5, "2"]],
    ["prod", "multicloud:database.backupRetentionDays", [30, 60], [29]],
    ["dev", "multicloud:aws.alarmEmails", [["a@example.com", "b@example.com"]], [["a@example.com", "A@EXAMPLE.COM"]]],
    ["dev", "multicloud:aws.subnetPrefixLengths", [{ private: 20, public: 28 }], [{ private: 20, public: 16 }]],
    ["dev", "multicloud:aws.vpcCidr", ["10.10.0.0/16"], ["10.10.0.0/29", "10.10.0.0/15"]],
    [
      "dev",
      "multicloud:oci.subnetPrefixLengths",
      [{ database: 24, functions: 24, streaming: 24 }],
      [{ database: 17, functions: 17, streaming: 17 }],
    ],
    // The cluster, the order service, the event path.
    [
      "dev",
      "multicloud:eks.adminRoleArns",
      [["arn:aws:iam::414910048482:role/a"], ["arn:aws-cn:iam::414910048482:role/p/b"]],
      [["xarn:aws:iam::414910048482:role/a"], ["arn:aws:iam::414910048482:role/a b"], []],
    ],
    [
      "dev",
      "multicloud:eks.nodes.instanceTypes",
      [["m7i.large"], ["c7gn.16xlarge", "t3.micro"]],
      [["Xm7i.large"], ["m7i.large!"], ["m7i"], []],
    ],
    [
      "dev",
      "multicloud:eks.endpoint.deployerCidrs",
      [["198.51.0.0/16"], Array.from({ length: 40 }, (_, i) => `198.51.${i}.0/24`)],
      [["198.50.0.0/15"], Array.from({ length: 41 }, (_, i) => `198.51.${i}.0/24`)],
    ],
    [
      "prod",
      "multicloud:eks.endpoint.deployerCidrs",
      [Array.from({ length: 5 }, (_, i) => `10.25${i}.0.0/24`)],
      [Array.from({ length: 6 }, (_, i) => `10.24${i}.0.0/24`)],
    ],
    ["dev", "multicloud:eks.nodes.desiredSize", [2, 3], [1, 4]],
    ["prod", "multicloud:eks.nodes.minSize", [2, 3], [1]],
    ["dev", "multicloud:orders.replicas.min", [1, 3], [4]],
    ["prod", "multicloud:orders.replicas.min", [2], [1]],
    ["dev", "multicloud:orders.pool.queueTimeoutMs", [4999, 10], [5000, 9]],
    [
      "dev",
      "multicloud:sync.kafka.brokerInstanceType",
      ["kafka.m7g.large", "kafka.t3.small"],
      ["xkafka.m7g.large", "kafka.m7g.large!", "m7g.large"],
    ],
    ["dev", "multicloud:sync.kafka.maxStorageGb", [20, 100], [19]],
    ["dev", "multicloud:sync.consumer.replicas", [6, 1], [7]],
    [
      "dev",
      "multicloud:sync.batch.schedule",
      ["cron(30 1 * * ? *)", "cron(0 2 ? * MON-FRI *)", "cron(15 */6 * * ? *)"],
      ["cron(30 1 * * *)", "rate(1 day)", "cron(30 1 * * * *)", "cron(30 1 ? * ? *)", " cron(30 1 * * ? *)"],
    ],
    ["dev", "multicloud:sync.batch.retentionDays", [1, 365], [0, 366, 7.5]],
    // The OCI streaming plumbing.
    ["dev", "multicloud:streaming.streams.anomalyEvents.retentionHours", [24, 168], [23, 169, 720]],
    ["dev", "multicloud:streaming.streams.userEvents.partitions", [1, 50], [0, 51]],
    [
      "dev",
      "multicloud:streaming.alertEmails",
      [[], ["a@b.co"], Array.from({ length: 20 }, (_, i) => `p${i}@example.com`)],
      [["not-an-address"], ["a@b.co", "A@B.CO"], Array.from({ length: 21 }, (_, i) => `p${i}@example.com`)],
    ],
    ["prod", "multicloud:streaming.alertEmails", [["oncall@example.com"]], [[]]],
    ["dev", "multicloud:streaming.anomalyFunction.memoryMb", [128, 3072], [100, 4096, "256"]],
    ["dev", "multicloud:streaming.anomalyFunction.timeoutSeconds", [5, 300], [4, 301]],
    ["dev", "multicloud:streaming.anomalyFunction.batchSize", [1, 500], [0, 501]],
    ["dev", "multicloud:streaming.anomalyFunction.batchSeconds", [1, 60], [0, 61]],
    ["dev", "multicloud:streaming.anomalyDetection.threshold", [0.5, 3.5, 100], [0, -1, 101, "3.5"]],
    ["dev", "multicloud:streaming.anomalyDetection.windowSize", [10, 1000], [4, 1001]],
    // The recommendation engine.
    ["dev", "multicloud:monitoring.probe.timeoutMs", [100, 30_000], [99, 30_001]],
    ["dev", "multicloud:monitoring.probe.failuresToAlarm", [1, 60], [0, 61]],
    ["dev", "multicloud:monitoring.alarms.linkDownMinutes", [5, 15, 60], [0, 7, 65, 61]],
    ["dev", "multicloud:monitoring.alarms.databaseCpuPercent", [50, 100], [49, 101]],
    ["dev", "multicloud:monitoring.alarms.databaseStoragePercent", [50, 99], [49, 100]],
    ["dev", "multicloud:recommendations.consumer.batchSize", [1, 500], [0, 501]],
    ["dev", "multicloud:recommendations.api.memoryMb", [128, 3072], [100, "512"]],
    ["dev", "multicloud:recommendations.api.timeoutSeconds", [5, 60], [4, 61]],
    ["dev", "multicloud:recommendations.api.deadlineMs", [100, 4999], [99, 10_001, 10_000]],
    ["dev", "multicloud:recommendations.historyDays", [1, 365], [0, 366]],
    ["dev", "multicloud:recommendations.refreshMinutes", [1, 1440], [0, 1441]],
    [
      "dev",
      "multicloud:recommendations.auth.issuer",
      ["https://login.example.com/oauth2/default"],
      ["http://login.example.com", "login.example.com", ""],
    ],
    [
      "dev",
      "multicloud:recommendations.auth.audiences",
      [["api://x"], ["a", "b"]],
      [[], [""], Array.from({ length: 11 }, (_, i) => `a${i}`)],
    ],
    ["dev", "multicloud:recommendations.auth.catalogScope", ["catalog:write"], ["", "catalog write", undefined]],
    [
      "dev",
      "multicloud:recommendations.embeddingModelUri",
      [
        "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/ns1/b/models/o/all_MiniLM_L12_v2.onnx",
        "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/ns1/b/models/o/dir/m.onnx",
      ],
      [
        "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/ns1/b/models/o/model.zip",
        "http://objectstorage.eu-frankfurt-1.oraclecloud.com/n/ns1/b/models/o/m.onnx",
        "s3://models/m.onnx",
        "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/NS/b/models/o/m.onnx",
      ],
    ],
    ["dev", "multicloud:recommendations.gateway.access", ["private"], ["open", "PRIVATE", ""]],
    ["dev", "multicloud:recommendations.scorer.kind", ["sql"], ["python", "DataScience", ""]],
    [
      "dev",
      "multicloud:recommendations.scorer.modelDeploymentId",
      [undefined],
      ["ocid1.datasciencemodeldeployment.oc1.eu-frankfurt-1.amaaaamd", "md-1"],
    ],
    [
      "dev",
      "multicloud:recommendations.gateway.publicSubnetId",
      [undefined],
      ["subnet-1", "ocid1.vcn.oc1.eu-frankfurt-1.aaaa", "ocid1.subnet.oc1.eu-frankfurt-1.aaaapublic"],
    ],
    ["dev", "multicloud:recommendations.gateway.allowedCidrs", [undefined], [[], ["203.0.113.0/24"]]],
  ];
  for (const [stack, key, accepted, refused] of cases) {
    it(`${key} (${stack})`, () => {
      for (const value of accepted) expect(issueFor(stack, key, value), JSON.stringify(value)).to.equal(undefined);
      for (const value of refused)
        expect(issueFor(stack, key, value), JSON.stringify(value))
          .to.be.a("string")
          .and.not.match(/^\(other keys/);
    });
  }
});

describe("cluster, order service and event path rules: exact messages", () => {
  const issuesOf = (stack: string, key: string, path: readonly string[], value: unknown) => {
    try {
      buildPlatformConfig(
        "multicloud",
        stack,
        namespaced(stack, withConfigChange(loadStackConfig(stack).config, key, path, value)),
      );
      return [];
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return err.issues.map((i) => `${i.key}: ${i.message}`);
    }
  };

  it("says what a missing or malformed cluster field takes", () => {
    expect(issuesOf("dev", "multicloud:eks", ["kubernetesVersion"], undefined)).to.deep.equal([
      "multicloud:eks.kubernetesVersion: is required; one of 1.35 (the versions whose add-ons this program pins)",
    ]);
    expect(issuesOf("dev", "multicloud:eks", ["endpoint", "access"], undefined)).to.deep.equal([
      "multicloud:eks.endpoint.access: is required; private (pulumi up runs inside the network) or public (the public endpoint, limited to deployerCidrs)",
    ]);
    expect(issuesOf("dev", "multicloud:eks", ["endpoint"], "open")).to.deep.equal([
      'multicloud:eks.endpoint: "open" is not allowed; a map with access and deployerCidrs',
    ]);
    expect(issuesOf("dev", "multicloud:eks", ["adminRoleArns"], undefined)).to.deep.equal([
      "multicloud:eks.adminRoleArns: is required; a non-empty list of IAM role ARNs that administer the cluster, including the role `pulumi up` runs as",
    ]);
    expect(issuesOf("dev", "multicloud:eks", ["nodes"], 3)).to.deep.equal([
      "multicloud:eks.nodes: 3 is not allowed; a map with instanceTypes, minSize, desiredSize, maxSize and diskGb",
    ]);
    expect(issuesOf("dev", "multicloud:eks", [], "x")).to.deep.equal([
      'multicloud:eks: "x" is not allowed; a map with kubernetesVersion, endpoint, adminRoleArns and nodes',
    ]);
    expect(issuesOf("dev", "multicloud:eks", ["endpoint", "deployerCidrs"], ["198.50.0.0/15"])).to.deep.equal([
      "multicloud:eks.endpoint.deployerCidrs[0]: 198.50.0.0/15 opens the public Kubernetes API to 131072 addresses; list the deploy runner's egress (a /16 or narrower), or use access: private",
    ]);
    expect(
      issuesOf(
        "dev",
        "multicloud:eks",
        ["endpoint", "deployerCidrs"],
        Array.from({ length: 41 }, (_, i) => `198.51.${i}.0/24`),
      ),
    ).to.deep.equal(["multicloud:eks.endpoint.deployerCidrs: lists 41 blocks; EKS takes at most 40"]);
    expect(issuesOf("dev", "multicloud:eks", ["nodes", "maxSize"], 1)).to.deep.equal([
      "multicloud:eks.nodes.desiredSize: 2 must lie within minSize 2 and maxSize 1",
    ]);
  });

  it("says what a missing or malformed order service field takes", () => {
    expect(issuesOf("dev", "multicloud:orders", ["replicas"], 2)).to.deep.equal([
      "multicloud:orders.replicas: 2 is not allowed; a map with min and max",
    ]);
    expect(issuesOf("dev", "multicloud:orders", ["pool"], "big")).to.deep.equal([
      'multicloud:orders.pool: "big" is not allowed; a map with size, queueTimeoutMs and callTimeoutMs',
    ]);
    expect(issuesOf("dev", "multicloud:orders", [], 1)).to.deep.equal([
      'multicloud:orders: "1" is not allowed; a map with replicas, targetCpuPercent, pool, auth and optional currencies, minimumAmount, tls, callerCidrs',
    ]);
  });

  it("says what a missing or malformed federation field takes", () => {
    expect(
      issuesOf("org", "multicloud:federation", ["idpMetadata"], {
        file: "federation/idp-metadata.xml",
        url: "https://idp.example.com/metadata",
      }),
    ).to.deep.equal(["multicloud:federation.idpMetadata: names both file and url; give exactly one"]);
    expect(issuesOf("org", "multicloud:federation", ["idpMetadata"], {})).to.deep.equal([
      "multicloud:federation.idpMetadata: names neither file and url; give exactly one",
    ]);
    expect(
      issuesOf("org", "multicloud:federation", ["mappings"], [{ group: "ops" }, { group: "admins", grafana: "admin" }]),
    ).to.deep.equal([
      "multicloud:federation.mappings[0]: maps group ops to no role; give aws, oci, grafana or several",
    ]);
    expect(
      issuesOf(
        "org",
        "multicloud:federation",
        ["mappings"],
        [
          { group: "ops", aws: "admin", grafana: "admin" },
          { group: "OPS", oci: "readers" },
        ],
      ),
    ).to.deep.equal(["multicloud:federation.mappings[1].group: OPS is mapped twice; give each group one mapping"]);
    expect(
      issuesOf("org", "multicloud:federation", ["mappings"], [{ group: "ops", aws: "root", grafana: "admin" }]),
    ).to.deep.equal(['multicloud:federation.mappings[0].aws: "root" is not allowed; one of admin, readOnly']);
    expect(issuesOf("org", "multicloud:costCenters", [], ["CC-4420-DATA"])).to.deep.equal([
      "multicloud:costCenter: CC-4410-PLATFORM is not in multicloud:costCenters; add it there or use a listed code",
      "multicloud:costCenterBudgets[0].costCenter: CC-4410-PLATFORM is not in multicloud:costCenters; budget a listed code",
    ]);
    expect(issuesOf("org", "multicloud:costCenters", [], ["CC-4410-PLATFORM", "CC-4410-PLATFORM"])).to.deep.equal([
      "multicloud:costCenters[1]: CC-4410-PLATFORM is listed twice; list each code once",
    ]);
    const budget = (costCenter: string) => ({ costCenter, ociMonthlyLimit: 100, alertEmails: ["f@example.com"] });
    expect(issuesOf("org", "multicloud:costCenterBudgets", [], [budget("CC-9")])).to.deep.equal([
      "multicloud:costCenterBudgets[0].costCenter: CC-9 is not in multicloud:costCenters; budget a listed code",
    ]);
    expect(
      issuesOf("org", "multicloud:costCenterBudgets", [], [budget("CC-4420-DATA"), budget("CC-4420-DATA")]),
    ).to.deep.equal([
      "multicloud:costCenterBudgets[1].costCenter: CC-4420-DATA has two budgets; OCI allows one budget per target",
    ]);
    const codes = ["CC-4410-PLATFORM", "CC 7", "CC/7"];
    expect(issuesOf("org", "multicloud:costCenters", [], codes), "the listed codes themselves are fine").to.deep.equal(
      [],
    );
    const twins = withConfigChange(
      withConfigChange(loadStackConfig("org").config, "multicloud:costCenters", [], codes),
      "multicloud:costCenterBudgets",
      [],
      [budget("CC 7"), budget("CC/7")],
    );
    expect(() => buildPlatformConfig("multicloud", "org", namespaced("org", twins))).to.throw(
      ConfigError,
      "multicloud:costCenterBudgets[1].costCenter: CC/7 and CC 7 both name a budget CC-7; budget one of them",
    );
    expect(issuesOf("org", "multicloud:federation", ["mappings"], [{ group: "ops", aws: "admin" }])).to.deep.equal([
      "multicloud:federation.mappings: maps no group to grafana: admin; give the platform administrators' group `grafana: admin`",
    ]);
    expect(issuesOf("org", "multicloud:federation", ["mappings"], [{ group: "ops", grafana: "owner" }])).to.deep.equal([
      'multicloud:federation.mappings[0].grafana: "owner" is not allowed; one of admin, editor',
    ]);
    expect(issuesOf("org", "multicloud:federation", [], undefined)).to.deep.equal([
      "multicloud:federation: is required; a map with idpMetadata, certificateWarningDays, groupAttribute, aws, oci and mappings",
    ]);
  });

  it("says what a missing or malformed recommendation engine field takes", () => {
    expect(issuesOf("dev", "multicloud:recommendations", ["scorer"], { kind: "dataScience" })).to.deep.equal([
      "multicloud:recommendations.scorer.modelDeploymentId: is required when kind is dataScience; the OCID of the model deployment that scores the candidates",
    ]);
    expect(
      issuesOf("dev", "multicloud:recommendations", ["scorer"], {
        kind: "dataScience",
        modelDeploymentId: "ocid1.datasciencemodeldeployment.oc1.eu-frankfurt-1.amaaaamd",
      }),
    ).to.deep.equal([]);
    expect(
      issuesOf("dev", "multicloud:recommendations", ["scorer"], {
        kind: "sql",
        modelDeploymentId: "ocid1.datasciencemodeldeployment.oc1.eu-frankfurt-1.amaaaamd",
      }),
    ).to.deep.equal([
      "multicloud:recommendations.scorer.modelDeploymentId: is set, but kind is sql; remove it, or set kind: dataScience",
    ]);
    expect(issuesOf("dev", "multicloud:recommendations", [], 1)).to.deep.equal([
      'multicloud:recommendations: "1" is not allowed; a map with consumer, api, gateway, auth, scorer, historyDays, refreshMinutes and embeddingModelUri',
    ]);
    expect(issuesOf("dev", "multicloud:recommendations", ["api", "deadlineMs"], 10_000)).to.deep.equal([
      "multicloud:recommendations.api.deadlineMs: 10000 ms is not below the function's timeout (10 s); the fallback must answer before the platform cuts the call",
    ]);
    expect(
      issuesOf("dev", "multicloud:recommendations", ["gateway"], {
        access: "public",
        publicSubnetId: "ocid1.subnet.oc1.eu-frankfurt-1.aaaapublic",
        allowedCidrs: ["0.0.0.0/0", "10.1.0.0/16"],
      }),
    ).to.deep.equal([
      "multicloud:recommendations.gateway.allowedCidrs[0]: 0.0.0.0/0 admits the whole internet; list the callers' ranges",
      "multicloud:recommendations.gateway.allowedCidrs[1]: 10.1.0.0/16 is private address space; a public gateway is called from public addresses (private callers use access: private)",
    ]);
    expect(
      issuesOf("prod", "multicloud:recommendations", ["gateway"], {
        access: "public",
        publicSubnetId: "ocid1.subnet.oc1.eu-frankfurt-1.aaaapublic",
        allowedCidrs: ["203.0.113.0/24"],
      }),
    ).to.deep.equal([
      "multicloud:recommendations.gateway.access: is public in production; production serves recommendations on the private gateway only (callers reach it over the interconnect)",
    ]);
    expect(issuesOf("dev", "multicloud:recommendations", ["gateway"], { access: "public" })).to.deep.equal([
      "multicloud:recommendations.gateway.publicSubnetId: is required when access is public; the OCID of a public regional subnet, ocid1.subnet.oc1.<region>.<id>",
      "multicloud:recommendations.gateway.allowedCidrs: is required when access is public; the public CIDR blocks that may call the gateway",
    ]);
    expect(
      issuesOf("dev", "multicloud:recommendations", ["gateway"], {
        access: "public",
        publicSubnetId: "ocid1.subnet.oc1.eu-frankfurt-1.aaaapublic",
        allowedCidrs: ["203.0.113.0/24"],
      }),
    ).to.deep.equal([]);
    expect(
      issuesOf("dev", "multicloud:recommendations", ["gateway"], {
        access: "private",
        allowedCidrs: ["203.0.113.0/24"],
      }),
    ).to.deep.equal([
      "multicloud:recommendations.gateway.allowedCidrs: is set, but access is private; a private gateway runs in the functions subnet and admits the AWS private subnets (remove it, or set access: public)",
    ]);
  });

  it("says what a missing or malformed event path field takes, and derives brokers from the zones", () => {
    expect(issuesOf("dev", "multicloud:sync", ["kafka"], 1)).to.deep.equal([
      "multicloud:sync.kafka: 1 is not allowed; a map with version, brokerInstanceType, brokersPerZone, storageGb and maxStorageGb",
    ]);
    expect(issuesOf("dev", "multicloud:sync", ["topics"], 1)).to.deep.equal([
      "multicloud:sync.topics: 1 is not allowed; a map with orders and deadLetters",
    ]);
    expect(issuesOf("dev", "multicloud:sync", ["topics", "orders"], 1)).to.deep.equal([
      "multicloud:sync.topics.orders: 1 is not allowed; a map with partitions and retentionHours",
    ]);
    expect(issuesOf("dev", "multicloud:sync", ["consumer"], 1)).to.deep.equal([
      "multicloud:sync.consumer: 1 is not allowed; a map with replicas, batchSize and poolSize",
    ]);
    expect(issuesOf("dev", "multicloud:sync", [], 1)).to.deep.equal([
      'multicloud:sync: "1" is not allowed; a map with kafka, topics, consumer and batch',
    ]);
    expect(issuesOf("dev", "multicloud:sync", ["kafka", "brokerInstanceType"], undefined)).to.deep.equal([
      "multicloud:sync.kafka.brokerInstanceType: is required; an MSK broker instance type",
    ]);
    expect(issuesOf("dev", "multicloud:sync", ["topics", "orders", "partitions"], 0)).to.deep.equal([
      "multicloud:sync.topics.orders.partitions: 0 is not allowed; partitions of the orders topic (an integer from 1 to 200)",
    ]);
    expect(issuesOf("dev", "multicloud:sync", ["consumer", "replicas"], 7)).to.deep.equal([
      "multicloud:sync.consumer.replicas: 7 consumers for 6 partitions: the extra ones would idle; add partitions or lower replicas",
    ]);
    // prod has 3 zones: one broker per zone is three brokers; a /17 subnet plan with 2 zones would be two.
    expect(issuesOf("prod", "multicloud:sync", ["kafka", "brokersPerZone"], 1)).to.deep.equal([]);
    expect(
      issuesOf("prod", "multicloud:aws", ["azCount"], 2).filter((i) => i.startsWith("multicloud:sync")),
    ).to.deep.equal([
      "multicloud:sync.kafka.brokersPerZone: 2 broker(s) in prod; three or more keep writes acknowledged by two while one is down",
    ]);
    expect(issuesOf("prod", "multicloud:sync", ["kafka", "brokersPerZone"], 2)).to.deep.equal([]);
    expect(issuesOf("dev", "multicloud:sync", ["batch"], 1)).to.deep.equal([
      "multicloud:sync.batch: 1 is not allowed; a map with schedule, retentionDays and optional rejectLimit",
    ]);
    expect(issuesOf("dev", "multicloud:sync", ["batch", "schedule"], "cron(30 1 * * * *)")).to.deep.equal([
      "multicloud:sync.batch.schedule: cron(30 1 * * * *): exactly one of day-of-month and day-of-week must be ?",
    ]);
    expect(issuesOf("dev", "multicloud:sync", ["batch", "schedule"], "rate(1 day)")).to.deep.equal([
      'multicloud:sync.batch.schedule: "rate(1 day)" is not allowed; an EventBridge Scheduler cron expression with six fields, e.g. cron(30 1 * * ? *) (01:30 UTC daily)',
    ]);
    expect(issuesOf("dev", "multicloud:sync", ["topics", "orders", "retentionHours"], 47)).to.deep.equal([
      "multicloud:sync.topics.orders.retentionHours: 47 hours: the batch export reads the day before from the topic; keep at least 48 hours",
    ]);
    expect(issuesOf("prod", "multicloud:streaming", ["alertEmails"], [])).to.deep.equal([
      "multicloud:streaming.alertEmails: is empty; production anomaly alerts need at least one subscriber",
    ]);
    expect(issuesOf("dev", "multicloud:streaming", ["alertEmails"], ["a@b.co", "A@B.co"])).to.deep.equal([
      "multicloud:streaming.alertEmails: lists an address twice; list each once",
    ]);
    expect(issuesOf("dev", "multicloud:streaming", ["streams", "anomalyEvents", "retentionHours"], 720)).to.deep.equal([
      "multicloud:streaming.streams.anomalyEvents.retentionHours: 720 is not allowed; hours the anomaly events stream keeps a message (OCI Streaming: 24 to 168) (an integer from 24 to 168)",
    ]);
    expect(issuesOf("dev", "multicloud:streaming", [], 1)).to.deep.equal([
      'multicloud:streaming: "1" is not allowed; a map with streams, anomalyFunction, anomalyDetection and alertEmails',
    ]);
    expect(issuesOf("dev", "multicloud:streaming", ["anomalyDetection", "minHistory"], 31)).to.deep.equal([
      "multicloud:streaming.anomalyDetection.minHistory: 31 is above windowSize 30; a series can never have more history than its window",
    ]);
    expect(syncReplication(2)).to.deep.equal({ replicationFactor: 2, minInsyncReplicas: 1 });
    expect(syncReplication(4)).to.deep.equal({ replicationFactor: 3, minInsyncReplicas: 2 });
  });
});

describe("Direct Connect: a dedicated port instead of a hosted connection", () => {
  const dx = (directConnect: Record<string, unknown>) => {
    const values = namespaced("prod");
    const interconnect = {
      ...JSON.parse(values.interconnect),
      directConnect: {
        vlan: 2001,
        amazonAddress: "169.254.100.5/30",
        customerAddress: "169.254.100.6/30",
        ...directConnect,
      },
    };
    try {
      const cfg = buildPlatformConfig("multicloud", "prod", { ...values, interconnect: JSON.stringify(interconnect) });
      return cfg.kind === "environment" && cfg.interconnect.mode === "fastconnect"
        ? cfg.interconnect.directConnect
        : cfg;
    } catch (err) {
      return (err as ConfigError).issues;
    }
  };

  it("takes a location and a bandwidth", () => {
    expect(dx({ connectionType: "dedicated", location: "EqFA5", bandwidth: "10Gbps" })).to.deep.equal({
      connectionType: "dedicated",
      location: "EqFA5",
      bandwidth: "10Gbps",
      vlan: 2001,
      amazonAddress: "169.254.100.5/30",
      customerAddress: "169.254.100.6/30",
    });
  });

  it("names each missing or misplaced field", () => {
    expect(dx({ connectionType: "dedicated", connectionId: "dxcon-fgq8x2k1" })).to.deep.equal([
      {
        key: "multicloud:interconnect.directConnect.location",
        message: "is required for a dedicated connection; a Direct Connect location code such as EqFA5",
      },
      {
        key: "multicloud:interconnect.directConnect.bandwidth",
        message: "is required for a dedicated connection; one of 1Gbps, 10Gbps, 100Gbps, 400Gbps",
      },
      {
        key: "multicloud:interconnect.directConnect.connectionId",
        message: "only applies to a hosted connection; remove it for a dedicated one",
      },
    ]);
    expect(dx({ connectionType: "hosted", connectionId: "dxcon-fgq8x2k1", bandwidth: "1Gbps" })).to.deep.equal([
      {
        key: "multicloud:interconnect.directConnect.bandwidth",
        message: "only applies to a dedicated connection; the partner sets it for a hosted one",
      },
    ]);
  });

  it("without the IPSec backup, the tunnel settings must go and the circuit stands alone", () => {
    const values = namespaced("prod");
    const withoutBackup = (ipsec: unknown) => {
      const interconnect = { ...JSON.parse(values.interconnect), ipsecBackup: false, ipsec };
      try {
        const cfg = buildPlatformConfig("multicloud", "prod", {
          ...values,
          interconnect: JSON.stringify(interconnect),
        });
        return cfg.kind === "environment" ? cfg.interconnect : cfg;
      } catch (err) {
        return (err as ConfigError).issues;
      }
    };
    expect(withoutBackup(undefined)).to.deep.include({ mode: "fastconnect", ipsec: undefined });
    expect(withoutBackup({ tunnelPairs: 1, insideCidrs: ["169.254.21.0/30", "169.254.21.4/30"] })).to.deep.equal([
      {
        key: "multicloud:interconnect.ipsec",
        message: "is not used when ipsecBackup is false; remove it or set ipsecBackup: true",
      },
    ]);
  });
});

describe("address range rules", () => {
  it("accept both ends of the allowed prefix range and refuse one past either", () => {
    expect(addressRangeIssues("k", "10.0.0.0/16", 16, 28, "an AWS VPC")).to.deep.equal([]);
    expect(addressRangeIssues("k", "10.0.0.0/28", 16, 28, "an AWS VPC")).to.deep.equal([]);
    expect(addressRangeIssues("k", "10.0.0.0/29", 16, 28, "an AWS VPC")).to.deep.equal([
      { key: "k", message: "10.0.0.0/29 is a /29; an AWS VPC takes /16 to /28" },
    ]);
    expect(addressRangeIssues("k", "10.0.0.0/15", 16, 28, "an AWS VPC")).to.deep.equal([
      { key: "k", message: "10.0.0.0/15 is a /15; an AWS VPC takes /16 to /28" },
    ]);
    expect(addressRangeIssues("k", "169.254.0.0/16", 16, 28, "x").map((i) => i.message)).to.deep.equal([
      "169.254.0.0/16 overlaps 169.254.0.0/16 (link-local, used for tunnel and BGP addresses); use a private range such as 10.0.0.0/8",
    ]);
  });

  it("describes a missing value as missing and any other as JSON", () => {
    expect(describeValue(undefined)).to.equal("missing");
    expect(describeValue("x")).to.equal('"x"');
    expect(describeValue({ a: 1 })).to.equal('{"a":1}');
  });
});
