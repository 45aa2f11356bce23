/**
 * Which traffic each OCI subnet tier admits and sends, and where it routes. Pure data, decided
 * here and tested without Pulumi; OciNetwork turns it into security lists and route tables.
 */
import { OciSubnetTier } from "../config/oci";
import { HTTPS_PORT, KAFKA_PORT, ORACLE_TLS_PORT } from "../shared/ports";

/** A traffic peer: a CIDR block, or Oracle's public services reached through the service gateway. */
export type Peer = { readonly kind: "cidr"; readonly cidr: string } | { readonly kind: "oracleServices" };

export interface TrafficRule {
  /** "tcp" with a port, or "icmp-fragmentation" (type 3 code 4, needed for path MTU discovery over tunnels). */
  readonly protocol: "tcp" | "icmp-fragmentation";
  readonly port?: number;
  readonly peer: Peer;
  readonly description: string;
}

export interface TierPolicy {
  readonly ingress: readonly TrafficRule[];
  readonly egress: readonly TrafficRule[];
  /** Whether the tier routes 0.0.0.0/0 to the NAT gateway. */
  readonly internetEgress: boolean;
}

export interface TierContext {
  /** The AWS VPC range (path-MTU messages may come from anywhere in it). */
  readonly awsCidr: string;
  /** The AWS private subnets: where every AWS client of OCI runs, so the only AWS sources admitted on TCP. */
  readonly awsPrivateCidrs: readonly string[];
  readonly subnetCidrs: Readonly<Record<OciSubnetTier, string>>;
}

const cidr = (value: string): Peer => ({ kind: "cidr", cidr: value });
const tcp = (port: number, peer: Peer, description: string): TrafficRule => ({
  protocol: "tcp",
  port,
  peer,
  description,
});
const pmtu = (peer: Peer, description: string): TrafficRule => ({ protocol: "icmp-fragmentation", peer, description });

/** The traffic policy of one OCI tier. Ingress sources are always specific ranges, never 0.0.0.0/0. */
export function ociTierPolicy(tier: OciSubnetTier, ctx: TierContext): TierPolicy {
  const aws = cidr(ctx.awsCidr);
  const fromAwsPrivate = (port: number, description: string) =>
    ctx.awsPrivateCidrs.map((c, az) => tcp(port, cidr(c), `${description}, private subnet ${az + 1}`));
  switch (tier) {
    case "database":
      return {
        ingress: [
          ...fromAwsPrivate(ORACLE_TLS_PORT, "Oracle TLS from AWS (apps, sync, migrations)"),
          tcp(ORACLE_TLS_PORT, cidr(ctx.subnetCidrs.functions), "Oracle TLS from OCI Functions"),
          pmtu(aws, "Path MTU discovery across the interconnect"),
        ],
        egress: [],
        internetEgress: false,
      };
    case "functions":
      return {
        ingress: [pmtu(aws, "Path MTU discovery across the interconnect")],
        egress: [
          tcp(ORACLE_TLS_PORT, cidr(ctx.subnetCidrs.database), "Oracle TLS to the database subnet"),
          tcp(KAFKA_PORT, cidr(ctx.subnetCidrs.streaming), "Kafka to the stream pool"),
          tcp(HTTPS_PORT, cidr(ctx.subnetCidrs.streaming), "Streaming HTTPS API"),
          tcp(HTTPS_PORT, { kind: "oracleServices" }, "OCI APIs, OCIR and Object Storage via the service gateway"),
          ...ctx.awsPrivateCidrs.map((c, az) =>
            tcp(HTTPS_PORT, cidr(c), `AWS private endpoints across the interconnect, private subnet ${az + 1}`),
          ),
          tcp(HTTPS_PORT, cidr("0.0.0.0/0"), "HTTPS to public APIs through the NAT gateway (egress only)"),
        ],
        internetEgress: true,
      };
    case "streaming":
      return {
        ingress: [
          ...fromAwsPrivate(KAFKA_PORT, "Kafka from AWS (AWS to OCI sync)"),
          tcp(KAFKA_PORT, cidr(ctx.subnetCidrs.functions), "Kafka from OCI Functions"),
          tcp(HTTPS_PORT, cidr(ctx.subnetCidrs.functions), "Streaming HTTPS API from OCI Functions"),
          pmtu(aws, "Path MTU discovery across the interconnect"),
        ],
        egress: [],
        internetEgress: false,
      };
  }
}
