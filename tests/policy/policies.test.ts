import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import { expect } from "chai";
import { policies, protectedPortsOpened } from "../../policy/policies";
import { runProgram } from "../engine/engine";
import { evaluatePolicies, PolicyReport } from "../engine/policyHarness";
import { runStack } from "../support/stacks";

const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaafixturefixturefixturefixture";
const TAGS = { cost_center: "CC-1", environment: "dev" };

/** Runs a fixture program on the engine and evaluates only the named policy. */
async function verdicts(policyName: string, program: () => Promise<unknown>): Promise<PolicyReport> {
  const run = await runProgram({ stack: "dev", config: {}, program });
  if (run.error) throw run.error;
  return evaluatePolicies(run, policies.filter((p) => p.name === policyName));
}

const awsProvider = (defaultTags?: Record<string, string>) => new aws.Provider("aws", { region: "eu-west-1", defaultTags: defaultTags ? { tags: defaultTags } : undefined });
const ociProvider = () => new oci.Provider("oci", { region: "eu-frankfurt-1" });

describe("policy: required-tags", () => {
  it("flags an AWS resource and an OCI resource without cost_center/environment", async () => {
    const report = await verdicts("required-tags", async () => {
      new aws.ec2.Vpc("untagged", { cidrBlock: "10.0.0.0/16", tags: { environment: "dev" } }, { provider: awsProvider() });
      new oci.core.Vcn("untagged", { compartmentId: COMPARTMENT, cidrBlocks: ["10.1.0.0/16"] }, { provider: ociProvider() });
    });
    expect(report.violations.map((v) => [v.resource?.name, v.message, v.level])).to.deep.equal([
      ["untagged", "missing tag(s) cost_center", "mandatory"],
      ["untagged", "missing tag(s) cost_center, environment", "mandatory"],
    ]);
  });

  it("accepts AWS tags from the provider's default tags and OCI freeform tags; ignores untaggable types", async () => {
    const report = await verdicts("required-tags", async () => {
      const provider = awsProvider(TAGS);
      new aws.ec2.Vpc("tagged", { cidrBlock: "10.0.0.0/16" }, { provider });
      new aws.ec2.Route("untaggable", { routeTableId: "rtb-1", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }, { provider });
      new oci.core.Vcn("tagged", { compartmentId: COMPARTMENT, cidrBlocks: ["10.1.0.0/16"], freeformTags: TAGS }, { provider: ociProvider() });
    });
    expect(report.violations).to.deep.equal([]);
  });
});

describe("policy: oci-no-internet-ingress-admin-db-ports", () => {
  it("flags 0.0.0.0/0 on SSH, on a range covering 1521-1522, and on all protocols", async () => {
    const report = await verdicts("oci-no-internet-ingress-admin-db-ports", async () => {
      new oci.core.SecurityList(
        "open",
        {
          compartmentId: COMPARTMENT,
          vcnId: "ocid1.vcn.oc1.fra.x",
          freeformTags: TAGS,
          ingressSecurityRules: [
            { protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 22, max: 22 } },
            { protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 1500, max: 1600 } },
            { protocol: "all", source: "0.0.0.0/0" },
          ],
        },
        { provider: ociProvider() },
      );
    });
    // Verdicts come sorted, so plan files are stable.
    expect(report.violations.map((v) => v.message)).to.deep.equal([
      "ingress from 0.0.0.0/0 opens port(s) 1521, 1522",
      "ingress from 0.0.0.0/0 opens port(s) 22",
      "ingress from 0.0.0.0/0 opens port(s) 22, 1521, 1522",
    ]);
  });

  it("accepts specific sources and public HTTPS", async () => {
    const report = await verdicts("oci-no-internet-ingress-admin-db-ports", async () => {
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
        { provider: ociProvider() },
      );
    });
    expect(report.violations).to.deep.equal([]);
  });

  it("knows which protected ports a rule opens", () => {
    expect(protectedPortsOpened({ protocol: "6" })).to.deep.equal([22, 1521, 1522]);
    expect(protectedPortsOpened({ protocol: "17", tcpOptions: { min: 22, max: 22 } })).to.deep.equal([]);
    expect(protectedPortsOpened({ protocol: "6", tcpOptions: { min: 1522, max: 1522 } })).to.deep.equal([1522]);
  });
});

describe("policy: aws-vpc-flow-logs", () => {
  it("flags a VPC without a flow log, and one whose flow log captures only rejects", async () => {
    const report = await verdicts("aws-vpc-flow-logs", async () => {
      const provider = awsProvider(TAGS);
      new aws.ec2.Vpc("bare", { cidrBlock: "10.0.0.0/16" }, { provider });
      const partial = new aws.ec2.Vpc("partial", { cidrBlock: "10.1.0.0/16" }, { provider });
      new aws.ec2.FlowLog("rejects-only", { vpcId: partial.id, trafficType: "REJECT", logDestination: "arn:aws:logs:eu-west-1:1:log-group:x" }, { provider });
    });
    expect(report.violations.map((v) => [v.resource?.name, v.message])).to.deep.equal([
      ["bare", "VPC bare has no flow log with trafficType ALL"],
      ["partial", "VPC partial has no flow log with trafficType ALL"],
    ]);
  });

  it("accepts a VPC whose flow log takes its id and captures ALL", async () => {
    const report = await verdicts("aws-vpc-flow-logs", async () => {
      const provider = awsProvider(TAGS);
      const vpc = new aws.ec2.Vpc("logged", { cidrBlock: "10.0.0.0/16" }, { provider });
      new aws.ec2.FlowLog("all", { vpcId: vpc.id, trafficType: "ALL", logDestination: "arn:aws:logs:eu-west-1:1:log-group:x" }, { provider });
    });
    expect(report.violations).to.deep.equal([]);
  });
});

for (const stack of ["dev", "prod"] as const) {
  describe(`policies over the ${stack} stack`, () => {
    it("evaluates every policy and finds no violation", async () => {
      const run = await runStack(stack);
      if (run.error) throw run.error;
      const report = await evaluatePolicies(run);
      expect(report.evaluated.map((p) => p.name)).to.deep.equal(policies.map((p) => p.name));
      expect(report.violations).to.deep.equal([]);
    });
  });
}
