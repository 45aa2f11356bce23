/**
 * The network ACL of each AWS subnet tier. NACLs are stateless, so every flow the tier takes part
 * in is listed both ways, the return leg on the ephemeral ports (1024–65535: what AWS documents
 * for NAT gateways, Lambda and load balancers). Pure data, tested without Pulumi; AwsNetwork turns
 * it into one aws.ec2.NetworkAcl per tier. Security groups stay the fine-grained control; these
 * rules are the subnet-level fence a reviewer can read in one table.
 */
import { HTTPS_PORT, KAFKA_PORT, ORACLE_TLS_PORT } from "../shared/ports";

export type AwsSubnetTier = "public" | "private";

export interface NaclRule {
  readonly ruleNo: number;
  readonly protocol: "-1" | "tcp" | "icmp";
  readonly cidrBlock: string;
  readonly fromPort: number;
  readonly toPort: number;
  /** ICMP type and code (path-MTU: type 3 "destination unreachable", code 4 "fragmentation needed"). */
  readonly icmpType?: number;
  readonly icmpCode?: number;
  readonly description: string;
}

export interface TierNacl {
  readonly ingress: readonly NaclRule[];
  readonly egress: readonly NaclRule[];
}

export interface NaclContext {
  readonly vpcCidr: string;
  readonly ociCidr: string;
  /** Networks outside the VPC that reach the private Kubernetes API on 443 (where `pulumi up` runs). */
  readonly apiClientCidrs?: readonly string[];
  /** Networks outside the VPC that call the order API's internal load balancer, and its listener port. */
  readonly orderApiCallers?: { readonly cidrs: readonly string[]; readonly port: number };
  /** Where the order API's pods fetch the token issuer's keys outside the VPC (the egress proxy), and on which port. */
  readonly jwksRoute?: { readonly cidrs: readonly string[]; readonly port: number };
}

/** The most networks the private tier admits for the Kubernetes API (each costs a rule per direction). */
export const MAX_API_CLIENT_CIDRS = 5;

/** The ephemeral ports return traffic arrives on. */
export const EPHEMERAL = { from: 1024, to: 65535 } as const;
const ANYWHERE = "0.0.0.0/0";
/** AWS allows 20 rules per direction by default (quota "Rules per network ACL"). */
export const NACL_RULES_PER_DIRECTION = 20;

const all = (cidrBlock: string, description: string) => ({
  protocol: "-1" as const,
  cidrBlock,
  fromPort: 0,
  toPort: 0,
  description,
});
const tcp = (cidrBlock: string, from: number, to: number, description: string) => ({
  protocol: "tcp" as const,
  cidrBlock,
  fromPort: from,
  toPort: to,
  description,
});
const pmtu = (cidrBlock: string, description: string) => ({
  protocol: "icmp" as const,
  cidrBlock,
  fromPort: 0,
  toPort: 0,
  icmpType: 3,
  icmpCode: 4,
  description,
});

/** Numbers the rules 100, 110, … in order (room to insert between them). */
const numbered = (rules: Omit<NaclRule, "ruleNo">[]): NaclRule[] =>
  rules.map((r, i) => ({ ruleNo: 100 + i * 10, ...r }));

/** The NACL of a tier. Nothing is admitted from the internet except return traffic and path-MTU messages. */
export function awsTierNacl(tier: AwsSubnetTier, ctx: NaclContext): TierNacl {
  if (tier === "public") {
    // Public subnets hold the NAT gateways: private subnets' HTTPS goes out, its replies come back.
    return {
      ingress: numbered([
        all(ctx.vpcCidr, "from the VPC (traffic to the NAT gateways)"),
        tcp(ANYWHERE, EPHEMERAL.from, EPHEMERAL.to, "replies to HTTPS through NAT"),
        pmtu(ANYWHERE, "path MTU discovery"),
      ]),
      egress: numbered([
        all(ctx.vpcCidr, "to the VPC (replies to the private subnets)"),
        tcp(ANYWHERE, HTTPS_PORT, HTTPS_PORT, "HTTPS to the internet through NAT"),
      ]),
    };
  }
  const api = ctx.apiClientCidrs ?? [];
  // A caller network already admitted on the same port for the Kubernetes API needs no second rule.
  const callerPort = ctx.orderApiCallers?.port ?? HTTPS_PORT;
  const callers = (ctx.orderApiCallers?.cidrs ?? []).filter((c) => !(callerPort === HTTPS_PORT && api.includes(c)));
  const jwksPort = ctx.jwksRoute?.port ?? HTTPS_PORT;
  const jwks = ctx.jwksRoute?.cidrs ?? [];
  // Each network costs a rule per direction: the rules of a direction stay within AWS's 20.
  for (const [list, what] of [
    [jwks, "networks for the token issuer's keys"],
    [callers, "networks call the order API from outside the VPC"],
    [api, "networks for the Kubernetes API"],
  ] as const)
    if (list.length > MAX_API_CLIENT_CIDRS)
      throw new Error(`${list.length} ${what}; the private subnets' ACL admits at most ${MAX_API_CLIENT_CIDRS}`);
  return {
    ingress: numbered([
      all(ctx.vpcCidr, "from the VPC (endpoints, load balancers, NAT replies)"),
      tcp(ctx.ociCidr, HTTPS_PORT, HTTPS_PORT, "OCI Functions to AWS private endpoints"),
      tcp(ctx.ociCidr, EPHEMERAL.from, EPHEMERAL.to, "OCI replies (database, Kafka)"),
      tcp(ANYWHERE, EPHEMERAL.from, EPHEMERAL.to, "internet replies through NAT"),
      pmtu(ctx.ociCidr, "path MTU discovery across the interconnect"),
      pmtu(ANYWHERE, "path MTU discovery"),
      ...api.map((cidr) => tcp(cidr, HTTPS_PORT, HTTPS_PORT, "the deploy network to the private Kubernetes API")),
      ...callers.map((cidr) => tcp(cidr, callerPort, callerPort, "callers to the order API's load balancer")),
      ...jwks.map((cidr) => tcp(cidr, EPHEMERAL.from, EPHEMERAL.to, "replies from the token issuer's key proxy")),
    ]),
    egress: numbered([
      all(ctx.vpcCidr, "to the VPC"),
      tcp(ctx.ociCidr, ORACLE_TLS_PORT, ORACLE_TLS_PORT, "Oracle TLS to the OCI database"),
      tcp(ctx.ociCidr, KAFKA_PORT, KAFKA_PORT, "Kafka to the OCI stream pool"),
      tcp(ctx.ociCidr, EPHEMERAL.from, EPHEMERAL.to, "replies to OCI Functions"),
      tcp(ANYWHERE, HTTPS_PORT, HTTPS_PORT, "HTTPS to the internet through NAT"),
      ...[...new Set([...api, ...callers])].map((cidr) =>
        tcp(cidr, EPHEMERAL.from, EPHEMERAL.to, "replies to the deploy network and the order API's callers"),
      ),
      ...jwks.map((cidr) => tcp(cidr, jwksPort, jwksPort, "the order API's pods to the token issuer's key proxy")),
    ]),
  };
}
