import { expect } from "chai";
import { RunResult } from "../../offline/engine";
import { byId, named, ofType, runStack } from "../support/stacks";

const EXPECT = {
  dev: {
    azs: ["eu-west-1a", "eu-west-1b"],
    vpc: "10.10.0.0/16",
    vcn: "10.20.0.0/16",
    nats: 1,
    retention: 30,
    ociFlowRetention: 30,
  },
  prod: {
    azs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    vpc: "10.100.0.0/16",
    vcn: "10.200.0.0/16",
    nats: 3,
    retention: 365,
    ociFlowRetention: 180,
  },
} as const;

for (const stack of ["dev", "prod"] as const) {
  describe(`network on the offline engine (${stack})`, () => {
    let run: RunResult;
    const want = EXPECT[stack];
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });

    it("creates the VPC with the configured range and DNS on", () => {
      const vpc = named(run, "aws:ec2/vpc:Vpc", "aws-network-vpc");
      expect(vpc.inputs).to.deep.include({ cidrBlock: want.vpc, enableDnsHostnames: true, enableDnsSupport: true });
    });

    it("spreads one public and one private subnet per AZ, all inside the VPC", () => {
      const subnets = ofType(run, "aws:ec2/subnet:Subnet");
      const privateZones = subnets.filter((s) => s.name.includes("private")).map((s) => s.inputs.availabilityZone);
      const publicZones = subnets.filter((s) => s.name.includes("public")).map((s) => s.inputs.availabilityZone);
      expect(privateZones).to.deep.equal(want.azs);
      expect(publicZones).to.deep.equal(want.azs);
      const vpcId = named(run, "aws:ec2/vpc:Vpc", "aws-network-vpc").id;
      for (const s of subnets) {
        expect(s.inputs.vpcId, s.name).to.equal(vpcId);
        expect(String(s.inputs.cidrBlock).startsWith(want.vpc.split(".").slice(0, 2).join(".") + "."), s.name).to.equal(
          true,
        );
      }
      expect(run.outputs.aws).to.deep.include({ availabilityZones: want.azs });
    });

    it("gives no subnet public IPs on launch and routes private subnets only through NAT", () => {
      for (const s of ofType(run, "aws:ec2/subnet:Subnet"))
        expect(s.inputs.mapPublicIpOnLaunch, s.name).to.equal(false);
      const privateRoutes = ofType(run, "aws:ec2/route:Route").filter((r) => r.name.includes("private-default"));
      expect(privateRoutes).to.have.length(want.azs.length);
      for (const route of privateRoutes) {
        expect(route.inputs.gatewayId, route.name).to.equal(undefined);
        expect(byId(run, route.inputs.natGatewayId).type).to.equal("aws:ec2/natGateway:NatGateway");
      }
      const igwRoutes = ofType(run, "aws:ec2/route:Route").filter((r) => r.inputs.gatewayId !== undefined);
      expect(igwRoutes.map((r) => r.name)).to.deep.equal(["aws-network-public-default"]);
    });

    it("places NAT gateways in public subnets, one per AZ in prod and one in dev", () => {
      const nats = ofType(run, "aws:ec2/natGateway:NatGateway");
      expect(nats).to.have.length(want.nats);
      for (const nat of nats) expect(byId(run, nat.inputs.subnetId).name).to.match(/public/);
      const usedNats = new Set(
        ofType(run, "aws:ec2/route:Route")
          .map((r) => r.inputs.natGatewayId)
          .filter(Boolean),
      );
      expect(usedNats.size).to.equal(want.nats);
    });

    it("puts S3 and DynamoDB gateway endpoints on every private route table", () => {
      const privateTables = ofType(run, "aws:ec2/routeTable:RouteTable")
        .filter((t) => t.name.includes("private"))
        .map((t) => t.id)
        .sort();
      for (const service of ["s3", "dynamodb"]) {
        const endpoint = named(run, "aws:ec2/vpcEndpoint:VpcEndpoint", `aws-network-${service}`);
        expect(endpoint.inputs).to.deep.include({
          vpcEndpointType: "Gateway",
          serviceName: `com.amazonaws.eu-west-1.${service}`,
        });
        expect([...(endpoint.inputs.routeTableIds as string[])].sort()).to.deep.equal(privateTables);
      }
    });

    it("logs every OCI subnet's flows (all traffic) into the VCN flow-log group, kept per environment", () => {
      const group = named(run, "oci:Logging/logGroup:LogGroup", "oci-network-flow-logs");
      const subnets = ofType(run, "oci:Core/subnet:Subnet");
      const logs = ofType(run, "oci:Logging/log:Log").filter((l) => l.inputs.logGroupId === group.id);
      expect(subnets).to.have.length(3);
      expect(
        logs.map((l) => (l.inputs.configuration as { source: { resource: string } }).source.resource).sort(),
      ).to.deep.equal(subnets.map((s) => s.id).sort());
      for (const log of logs) {
        expect(log.inputs, log.name).to.deep.include({
          logType: "SERVICE",
          isEnabled: true,
          retentionDuration: want.ociFlowRetention,
        });
        expect((log.inputs.configuration as { source: Record<string, unknown> }).source).to.deep.include({
          sourceType: "OCISERVICE",
          service: "flowlogs",
          category: "all",
        });
      }
    });

    it("turns flow logs on for all traffic into a KMS-encrypted log group with retention", () => {
      const flowLog = named(run, "aws:ec2/flowLog:FlowLog", "aws-network-flow-log");
      const logGroup = named(run, "aws:cloudwatch/logGroup:LogGroup", "aws-network-flow-logs");
      const key = named(run, "aws:kms/key:Key", "aws-network-flow-logs");
      expect(flowLog.inputs).to.deep.include({
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        vpcId: named(run, "aws:ec2/vpc:Vpc", "aws-network-vpc").id,
      });
      expect(flowLog.inputs.logDestination).to.equal(logGroup.state.arn);
      expect(logGroup.inputs).to.deep.include({ retentionInDays: want.retention, kmsKeyId: key.state.arn });
      expect(key.inputs.enableKeyRotation).to.equal(true);
      const policy = JSON.parse(String(key.inputs.policy)) as {
        Statement: Array<{ Principal: Record<string, string>; Condition?: unknown }>;
      };
      const logsStatement = policy.Statement.find((s) => s.Principal.Service === "logs.eu-west-1.amazonaws.com");
      // The key admits CloudWatch Logs for this log group only.
      expect(logsStatement?.Condition).to.deep.equal({
        ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroup.state.arn },
      });
      const rolePolicy = JSON.parse(
        String(named(run, "aws:iam/rolePolicy:RolePolicy", "aws-network-flow-logs").inputs.policy),
      ) as { Statement: Array<{ Action: string[]; Resource: string[] }> };
      expect(rolePolicy.Statement.map((s) => [s.Action, s.Resource])).to.deep.equal([
        [["logs:DescribeLogStreams"], [logGroup.state.arn]],
        [["logs:CreateLogStream", "logs:PutLogEvents"], [`${String(logGroup.state.arn)}:log-stream:*`]],
      ]);
    });

    it("fences each subnet with its tier's network ACL; the default ACL has no rules and no subnets", () => {
      const acls = ofType(run, "aws:ec2/networkAcl:NetworkAcl");
      const vpc = named(run, "aws:ec2/vpc:Vpc", "aws-network-vpc");
      for (const tier of ["public", "private"]) {
        const acl = named(run, "aws:ec2/networkAcl:NetworkAcl", `aws-network-${tier}-acl`);
        const subnets = ofType(run, "aws:ec2/subnet:Subnet")
          .filter((sn) => sn.name.includes(tier))
          .map((sn) => sn.id)
          .sort();
        expect([...(acl.inputs.subnetIds as string[])].sort(), tier).to.deep.equal(subnets);
        expect(acl.inputs.vpcId).to.equal(vpc.id);
      }
      // Every subnet in exactly one ACL.
      const associated = acls.flatMap((a) => a.inputs.subnetIds as string[]);
      expect(new Set(associated).size).to.equal(associated.length);
      expect(associated).to.have.length(want.azs.length * 2);
      const defaultAcl = named(run, "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", "aws-network-default-acl");
      expect(defaultAcl.inputs.defaultNetworkAclId).to.equal(vpc.state.defaultNetworkAclId);
      expect([defaultAcl.inputs.ingress, defaultAcl.inputs.egress, defaultAcl.inputs.subnetIds]).to.deep.equal([
        undefined,
        undefined,
        undefined,
      ]);
      // The private ACL names the OCI range the interconnect carries.
      const privateAcl = named(run, "aws:ec2/networkAcl:NetworkAcl", "aws-network-private-acl");
      expect(
        (privateAcl.inputs.egress as Array<{ cidrBlock: string; fromPort: number }>)
          .filter((r) => r.fromPort === 1522)
          .map((r) => r.cidrBlock),
      ).to.deep.equal([want.vcn]);
    });

    it("empties the VPC's default security group", () => {
      const sg = named(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "aws-network-default-sg");
      expect(sg.inputs.ingress ?? []).to.deep.equal([]);
      expect(sg.inputs.egress ?? []).to.deep.equal([]);
    });

    it("creates the VCN, private regional subnets without public IPs, and attaches the DRG to the VCN", () => {
      const vcn = named(run, "oci:Core/vcn:Vcn", "oci-network-vcn");
      expect(vcn.inputs.cidrBlocks).to.deep.equal([want.vcn]);
      const subnets = ofType(run, "oci:Core/subnet:Subnet");
      expect(subnets.map((s) => s.name).sort()).to.deep.equal([
        "oci-network-database",
        "oci-network-functions",
        "oci-network-streaming",
      ]);
      for (const s of subnets) {
        expect(s.inputs, s.name).to.deep.include({
          vcnId: vcn.id,
          prohibitPublicIpOnVnic: true,
          prohibitInternetIngress: true,
        });
        expect(s.inputs.availabilityDomain, s.name).to.equal(undefined);
      }
      const attachment = named(run, "oci:Core/drgAttachment:DrgAttachment", "oci-network-drg-vcn");
      expect(attachment.inputs.drgId).to.equal(named(run, "oci:Core/drg:Drg", "oci-network-drg").id);
      expect(attachment.inputs.networkDetails).to.deep.include({ id: vcn.id, type: "VCN" });
    });

    it("routes the AWS range to the DRG from every OCI subnet, after the DRG is attached", () => {
      const drgId = named(run, "oci:Core/drg:Drg", "oci-network-drg").id;
      const attachment = named(run, "oci:Core/drgAttachment:DrgAttachment", "oci-network-drg-vcn");
      for (const subnet of ofType(run, "oci:Core/subnet:Subnet")) {
        const table = byId(run, subnet.inputs.routeTableId);
        const rules = table.inputs.routeRules as Array<Record<string, unknown>>;
        expect(
          rules.filter((r) => r.networkEntityId === drgId).map((r) => r.destination),
          subnet.name,
        ).to.deep.equal([want.vpc]);
        expect(table.dependencies, subnet.name).to.include(attachment.urn);
        const natRoutes = rules.filter((r) => byId(run, r.networkEntityId).type === "oci:Core/natGateway:NatGateway");
        expect(natRoutes.length, subnet.name).to.equal(subnet.name.endsWith("functions") ? 1 : 0);
        const sgw = rules.find((r) => r.destinationType === "SERVICE_CIDR_BLOCK");
        expect(sgw?.destination, subnet.name).to.equal("all-fra-services-in-oracle-services-network");
      }
    });

    it("admits only specific ranges in OCI security lists and empties the VCN default list", () => {
      const privateCidrs = ofType(run, "aws:ec2/subnet:Subnet")
        .filter((s) => s.name.includes("private"))
        .map((s) => s.inputs.cidrBlock);
      for (const list of ofType(run, "oci:Core/securityList:SecurityList")) {
        const ingress = list.inputs.ingressSecurityRules as Array<Record<string, unknown>>;
        for (const rule of ingress) expect(rule.source, list.name).to.not.equal("0.0.0.0/0");
        // TCP from AWS comes only from its private subnets (the whole VPC only for path-MTU ICMP).
        expect(
          ingress.filter((r) => r.source === want.vpc).map((r) => r.protocol),
          list.name,
        ).to.deep.equal(["1"]);
        if (list.name.includes("database")) {
          expect(
            ingress
              .filter((r) => privateCidrs.includes(r.source) && r.protocol === "6")
              .map((r) => [r.source, r.tcpOptions]),
          ).to.deep.equal(privateCidrs.map((cidr) => [cidr, { min: 1522, max: 1522 }]));
        }
      }
      const defaults = named(run, "oci:Core/defaultSecurityList:DefaultSecurityList", "oci-network-default-sl");
      expect(defaults.inputs.manageDefaultResourceId).to.equal(
        named(run, "oci:Core/vcn:Vcn", "oci-network-vcn").state.defaultSecurityListId,
      );
      expect(defaults.inputs.ingressSecurityRules).to.deep.equal([]);
    });

    it("parents every cloud resource to a component, network resources to their network, components to the stack or a component", async () => {
      const stackUrn = run.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
      for (const r of run.resources) {
        if (/^(aws|oci):/.test(r.type)) expect(byId(run, r.parent).type, r.name).to.match(/^multicloud:/);
        if (r.name.startsWith("aws-network-")) expect(byId(run, r.parent).name, r.name).to.equal("aws-network");
        if (r.name.startsWith("oci-network-"))
          expect(byId(run, r.parent).name, r.name).to.equal(
            r.name.startsWith("oci-network-drg-routing-") ? "oci-network-drg-routing" : "oci-network",
          );
        if (r.type.startsWith("multicloud:")) {
          const parent = r.parent === stackUrn ? undefined : byId(run, r.parent);
          expect(parent === undefined || parent.type.startsWith("multicloud:"), r.name).to.equal(true);
        }
      }
    });
  });
}
