import { expect } from "chai";
import { OCI_SUBNET_TIERS } from "../../components/config/oci";
import { toEgressRule, toIngressRule } from "../../components/network/ociNetwork";
import { ociTierPolicy } from "../../components/network/ociRules";
import { HTTPS_PORT, KAFKA_PORT, ORACLE_TLS_PORT } from "../../components/shared/ports";

const ctx = {
  awsCidr: "10.10.0.0/16",
  awsPrivateCidrs: ["10.10.0.0/20", "10.10.16.0/20"],
  subnetCidrs: { database: "10.20.0.0/24", functions: "10.20.1.0/24", streaming: "10.20.2.0/24" },
};

describe("OCI tier traffic policy", () => {
  it("admits Oracle TLS to the database only from the AWS private subnets and OCI Functions", () => {
    const tcpIngress = ociTierPolicy("database", ctx).ingress.filter((r) => r.protocol === "tcp");
    expect(tcpIngress.map((r) => [r.port, r.peer])).to.deep.equal([
      [ORACLE_TLS_PORT, { kind: "cidr", cidr: "10.10.0.0/20" }],
      [ORACLE_TLS_PORT, { kind: "cidr", cidr: "10.10.16.0/20" }],
      [ORACLE_TLS_PORT, { kind: "cidr", cidr: "10.20.1.0/24" }],
    ]);
  });

  it("admits Kafka to the stream pool from the AWS private subnets and functions, HTTPS from functions only", () => {
    const ingress = ociTierPolicy("streaming", ctx).ingress.filter((r) => r.protocol === "tcp");
    expect(ingress.map((r) => `${r.port}<-${r.peer.kind === "cidr" ? r.peer.cidr : "osn"}`)).to.deep.equal([
      `${KAFKA_PORT}<-10.10.0.0/20`,
      `${KAFKA_PORT}<-10.10.16.0/20`,
      `${KAFKA_PORT}<-10.20.1.0/24`,
      `${HTTPS_PORT}<-10.20.1.0/24`,
    ]);
  });

  it("never admits ingress from 0.0.0.0/0 and only functions reach the internet", () => {
    for (const tier of OCI_SUBNET_TIERS) {
      const policy = ociTierPolicy(tier, ctx);
      for (const rule of policy.ingress) {
        expect(rule.peer, `${tier}: ${rule.description}`).to.not.deep.equal({ kind: "cidr", cidr: "0.0.0.0/0" });
      }
      expect(policy.internetEgress, tier).to.equal(tier === "functions");
    }
  });

  it("every rule says what it is for, in words an auditor reads on the security list", () => {
    const described = OCI_SUBNET_TIERS.flatMap((tier) => {
      const policy = ociTierPolicy(tier, ctx);
      return [...policy.ingress, ...policy.egress].map((rule) => `${tier}: ${rule.description}`);
    });
    expect(described).to.deep.equal([
      "database: Oracle TLS from AWS (apps, sync, migrations), private subnet 1",
      "database: Oracle TLS from AWS (apps, sync, migrations), private subnet 2",
      "database: Oracle TLS from OCI Functions",
      "database: Path MTU discovery across the interconnect",
      "functions: Path MTU discovery across the interconnect",
      "functions: Oracle TLS to the database subnet",
      "functions: Kafka to the stream pool",
      "functions: Streaming HTTPS API",
      "functions: OCI APIs, OCIR and Object Storage via the service gateway",
      "functions: AWS private endpoints across the interconnect, private subnet 1",
      "functions: AWS private endpoints across the interconnect, private subnet 2",
      "functions: HTTPS to public APIs through the NAT gateway (egress only)",
      "streaming: Kafka from AWS (AWS to OCI sync), private subnet 1",
      "streaming: Kafka from AWS (AWS to OCI sync), private subnet 2",
      "streaming: Kafka from OCI Functions",
      "streaming: Streaming HTTPS API from OCI Functions",
      "streaming: Path MTU discovery across the interconnect",
    ]);
  });

  it("admits path-MTU ICMP from AWS on every tier (tunnels lower the MTU)", () => {
    for (const tier of OCI_SUBNET_TIERS) {
      const icmp = ociTierPolicy(tier, ctx).ingress.filter((r) => r.protocol === "icmp-fragmentation");
      expect(
        icmp.map((r) => r.peer),
        tier,
      ).to.deep.equal([{ kind: "cidr", cidr: "10.10.0.0/16" }]);
    }
  });

  it("renders rules in the provider's shape (TCP 6 with ports, ICMP 1 type 3 code 4, service CIDR for OSN)", () => {
    const [tls] = ociTierPolicy("database", ctx).ingress;
    expect(toIngressRule(tls, "all-fra-services-in-oracle-services-network")).to.deep.include({
      protocol: "6",
      source: "10.10.0.0/20",
      sourceType: "CIDR_BLOCK",
      stateless: false,
      tcpOptions: { min: 1522, max: 1522 },
    });
    const osn = ociTierPolicy("functions", ctx).egress.find((r) => r.peer.kind === "oracleServices");
    expect(osn).to.not.equal(undefined);
    expect(toEgressRule(osn!, "all-fra-services-in-oracle-services-network")).to.deep.include({
      destination: "all-fra-services-in-oracle-services-network",
      destinationType: "SERVICE_CIDR_BLOCK",
    });
    const pmtu = ociTierPolicy("database", ctx).ingress.find((r) => r.protocol === "icmp-fragmentation")!;
    expect(toIngressRule(pmtu, "x")).to.deep.include({ protocol: "1", icmpOptions: { type: 3, code: 4 } });
  });
});
