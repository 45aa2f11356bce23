import { expect } from "chai";
import { MAX_PRIVATE_CIDRS } from "../../components/config/eks";
import {
  awsTierNacl,
  AwsSubnetTier,
  EPHEMERAL,
  MAX_API_CLIENT_CIDRS,
  NACL_RULES_PER_DIRECTION,
  NaclRule,
} from "../../components/network/awsNacls";

const ctx = { vpcCidr: "10.10.0.0/16", ociCidr: "10.20.0.0/16", apiClientCidrs: [] as string[] };
const TIERS: AwsSubnetTier[] = ["public", "private"];
const covers = (rule: NaclRule, cidr: string, port: number) =>
  (rule.protocol === "-1" && rule.cidrBlock === cidr) ||
  (rule.protocol === "tcp" && rule.cidrBlock === cidr && rule.fromPort <= port && port <= rule.toPort);

describe("AWS network ACLs per tier (pure)", () => {
  it("lists the private tier's flows exactly", () => {
    const nacl = awsTierNacl("private", ctx);
    const show = (r: NaclRule) =>
      `${r.ruleNo} ${r.protocol} ${r.cidrBlock} ${r.protocol === "icmp" ? `type ${r.icmpType} code ${r.icmpCode}` : `${r.fromPort}-${r.toPort}`}`;
    expect(nacl.ingress.map(show)).to.deep.equal([
      "100 -1 10.10.0.0/16 0-0",
      "110 tcp 10.20.0.0/16 443-443",
      "120 tcp 10.20.0.0/16 1024-65535",
      "130 tcp 0.0.0.0/0 1024-65535",
      "140 icmp 10.20.0.0/16 type 3 code 4",
      "150 icmp 0.0.0.0/0 type 3 code 4",
    ]);
    expect(nacl.egress.map(show)).to.deep.equal([
      "100 -1 10.10.0.0/16 0-0",
      "110 tcp 10.20.0.0/16 1522-1522",
      "120 tcp 10.20.0.0/16 9092-9092",
      "130 tcp 10.20.0.0/16 1024-65535",
      "140 tcp 0.0.0.0/0 443-443",
    ]);
  });

  it("lists the public tier's flows exactly, and says what each rule of both tiers is for", () => {
    const show = (r: NaclRule) =>
      `${r.ruleNo} ${r.protocol} ${r.cidrBlock} ${r.fromPort}-${r.toPort}: ${r.description}`;
    const pub = awsTierNacl("public", ctx);
    expect(pub.ingress.map(show)).to.deep.equal([
      "100 -1 10.10.0.0/16 0-0: from the VPC (traffic to the NAT gateways)",
      "110 tcp 0.0.0.0/0 1024-65535: replies to HTTPS through NAT",
      "120 icmp 0.0.0.0/0 0-0: path MTU discovery",
    ]);
    expect(pub.egress.map(show)).to.deep.equal([
      "100 -1 10.10.0.0/16 0-0: to the VPC (replies to the private subnets)",
      "110 tcp 0.0.0.0/0 443-443: HTTPS to the internet through NAT",
    ]);
    expect(pub.ingress[2]).to.deep.include({ icmpType: 3, icmpCode: 4 });
    const priv = awsTierNacl("private", ctx);
    expect([...priv.ingress, ...priv.egress].map((r) => r.description)).to.deep.equal([
      "from the VPC (endpoints, load balancers, NAT replies)",
      "OCI Functions to AWS private endpoints",
      "OCI replies (database, Kafka)",
      "internet replies through NAT",
      "path MTU discovery across the interconnect",
      "path MTU discovery",
      "to the VPC",
      "Oracle TLS to the OCI database",
      "Kafka to the OCI stream pool",
      "replies to OCI Functions",
      "HTTPS to the internet through NAT",
    ]);
    expect(priv.ingress.filter((r) => r.protocol === "icmp").map((r) => [r.icmpType, r.icmpCode])).to.deep.equal([
      [3, 4],
      [3, 4],
    ]);
    expect(priv.egress.every((r) => r.icmpType === undefined)).to.equal(true);
  });

  it("admits nothing new from the internet: only replies on ephemeral ports and path-MTU messages", () => {
    for (const tier of TIERS) {
      for (const rule of awsTierNacl(tier, ctx).ingress.filter((r) => r.cidrBlock === "0.0.0.0/0")) {
        expect(
          rule.protocol === "icmp" ||
            (rule.protocol === "tcp" && rule.fromPort === EPHEMERAL.from && rule.toPort === EPHEMERAL.to),
          `${tier} ${rule.description}`,
        ).to.equal(true);
      }
    }
  });

  it("lets every outbound TCP flow's replies back, and every inbound service answer (stateless both ways)", () => {
    for (const tier of TIERS) {
      const { ingress, egress } = awsTierNacl(tier, ctx);
      for (const out of egress.filter((r) => r.protocol === "tcp" && r.fromPort !== EPHEMERAL.from)) {
        expect(
          ingress.some((r) => covers(r, out.cidrBlock, EPHEMERAL.from) && covers(r, out.cidrBlock, EPHEMERAL.to)),
          `${tier}: replies to ${out.description}`,
        ).to.equal(true);
      }
      for (const into of ingress.filter((r) => r.protocol === "tcp" && r.fromPort !== EPHEMERAL.from)) {
        expect(
          egress.some((r) => covers(r, into.cidrBlock, EPHEMERAL.from) && covers(r, into.cidrBlock, EPHEMERAL.to)),
          `${tier}: answers to ${into.description}`,
        ).to.equal(true);
      }
    }
  });

  it("admits a private Kubernetes API's deploy networks on 443 and answers them, only when there are some", () => {
    const show = (r: NaclRule) => `${r.protocol} ${r.cidrBlock} ${r.fromPort}-${r.toPort}`;
    const priv = awsTierNacl("private", { ...ctx, apiClientCidrs: ["10.250.0.0/24", "10.251.0.0/24"] });
    expect(priv.ingress.slice(-2).map(show)).to.deep.equal(["tcp 10.250.0.0/24 443-443", "tcp 10.251.0.0/24 443-443"]);
    expect(priv.egress.slice(-2).map(show)).to.deep.equal([
      "tcp 10.250.0.0/24 1024-65535",
      "tcp 10.251.0.0/24 1024-65535",
    ]);
    expect(awsTierNacl("public", { ...ctx, apiClientCidrs: ["10.250.0.0/24"] }).ingress.map(show)).to.not.include(
      "tcp 10.250.0.0/24 443-443",
    );
    expect(() =>
      awsTierNacl("private", {
        ...ctx,
        apiClientCidrs: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24", "10.0.4.0/24", "10.0.5.0/24", "10.0.6.0/24"],
      }),
    ).to.throw("6 networks for the Kubernetes API; the private subnets' ACL admits at most 5");
    expect(MAX_API_CLIENT_CIDRS).to.equal(MAX_PRIVATE_CIDRS);
  });

  it("admits the order API's callers from outside the VPC on the listener's port and answers them, once per network", () => {
    const show = (r: NaclRule) => `${r.protocol} ${r.cidrBlock} ${r.fromPort}-${r.toPort}`;
    const priv = awsTierNacl("private", {
      ...ctx,
      apiClientCidrs: ["10.250.0.0/24"],
      orderApiCallers: { cidrs: ["10.250.0.0/16", "10.250.0.0/24"], port: 443 },
    });
    // 10.250.0.0/24 is admitted on 443 for the Kubernetes API already: one rule, one reply rule.
    expect(priv.ingress.slice(-2).map(show)).to.deep.equal(["tcp 10.250.0.0/24 443-443", "tcp 10.250.0.0/16 443-443"]);
    expect(priv.egress.slice(-2).map(show)).to.deep.equal([
      "tcp 10.250.0.0/24 1024-65535",
      "tcp 10.250.0.0/16 1024-65535",
    ]);
    const plain = awsTierNacl("private", { ...ctx, orderApiCallers: { cidrs: ["10.251.0.0/16"], port: 80 } });
    expect(plain.ingress.map(show)).to.include("tcp 10.251.0.0/16 80-80");
    expect(() =>
      awsTierNacl("private", {
        ...ctx,
        orderApiCallers: { cidrs: Array.from({ length: 6 }, (_, i) => `10.${240 + i}.0.0/16`), port: 443 },
      }),
    ).to.throw("6 networks call the order API from outside the VPC; the private subnets' ACL admits at most 5");
    const full = awsTierNacl("private", {
      ...ctx,
      apiClientCidrs: Array.from({ length: MAX_API_CLIENT_CIDRS }, (_, i) => `10.${240 + i}.0.0/24`),
      orderApiCallers: {
        cidrs: Array.from({ length: MAX_API_CLIENT_CIDRS }, (_, i) => `10.${200 + i}.0.0/16`),
        port: 443,
      },
    });
    expect(full.ingress.length).to.be.at.most(NACL_RULES_PER_DIRECTION);
    expect(full.egress.length).to.be.at.most(NACL_RULES_PER_DIRECTION);
  });

  it("lets the order API's pods reach the token issuer's key proxy outside the VPC, and its replies back", () => {
    const show = (r: NaclRule) => `${r.protocol} ${r.cidrBlock} ${r.fromPort}-${r.toPort}`;
    const priv = awsTierNacl("private", { ...ctx, jwksRoute: { cidrs: ["10.250.1.10/32"], port: 3128 } });
    expect(priv.egress.map(show)).to.include("tcp 10.250.1.10/32 3128-3128");
    expect(priv.ingress.map(show)).to.include("tcp 10.250.1.10/32 1024-65535");
    expect(
      awsTierNacl("public", { ...ctx, jwksRoute: { cidrs: ["10.250.1.10/32"], port: 3128 } }).egress.map(show),
    ).to.not.include("tcp 10.250.1.10/32 3128-3128");
  });

  it("stays within AWS's rules: at most 20 per direction, numbers unique and in 1–32766", () => {
    const most = {
      ...ctx,
      apiClientCidrs: Array.from({ length: MAX_API_CLIENT_CIDRS }, (_, i) => `10.${240 + i}.0.0/24`),
    };
    for (const tier of TIERS) {
      for (const rules of Object.values(awsTierNacl(tier, most))) {
        expect(rules.length).to.be.at.most(NACL_RULES_PER_DIRECTION);
        const numbers = rules.map((r: NaclRule) => r.ruleNo);
        expect(new Set(numbers).size).to.equal(numbers.length);
        for (const n of numbers) expect(n).to.be.within(1, 32766);
      }
    }
  });
});
