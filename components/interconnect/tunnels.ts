/**
 * The IPSec tunnel layout, as pure data.
 *
 * Why tunnels come in "crossed pairs": both tunnels of an OCI IPSec connection end on the one IP
 * of its CPE, while every AWS tunnel has its own outside IP and both tunnels of an AWS VPN
 * connection end on the one IP of its customer gateway. So one OCI connection and one AWS
 * connection can be wired so that exactly one tunnel of each meets the other: OCI's CPE is that
 * AWS tunnel's outside IP and AWS's customer gateway is that OCI tunnel's headend. The other
 * tunnel of each connection has no possible peer address on the other cloud. Pair p uses tunnel
 * (p mod 2) + 1, so two pairs land on both Oracle headends and on different AWS endpoints.
 *
 * Every tunnel, paired or not, gets the same full configuration on both sides (IKEv2, BGP, its
 * own inside /30 and key), so the two ends of each tunnel index always agree.
 */
import { IPv4CidrRange } from "ip-num";
import { IpsecSettings } from "../config/interconnect";

export interface TunnelEnds {
  /** The /30 of the tunnel's inside addresses. */
  readonly insideCidr: string;
  /** AWS's inside address (the first host; AWS always takes it). */
  readonly awsInsideIp: string;
  /** OCI's inside address (the second host). */
  readonly ociInsideIp: string;
}

export interface TunnelSpec extends TunnelEnds {
  /** 1 or 2: the tunnel index on both the AWS VPN connection and the OCI IPSec connection. */
  readonly index: 1 | 2;
  /** True for the tunnel whose two endpoints really meet; the other cannot come up. */
  readonly paired: boolean;
}

export interface TunnelPair {
  readonly pair: number;
  /** The tunnel index whose endpoints are wired to each other. */
  readonly pairedIndex: 1 | 2;
  readonly tunnels: readonly [TunnelSpec, TunnelSpec];
}

/** The two hosts of a /30: AWS takes the first, the customer side (OCI) the second. */
export function tunnelEnds(insideCidr: string): TunnelEnds {
  const range = IPv4CidrRange.fromCidr(insideCidr);
  const network = range.getFirst();
  const first = network.nextIPNumber();
  return { insideCidr, awsInsideIp: first.toString(), ociInsideIp: first.nextIPNumber().toString() };
}

export function crossedTunnelPairs(settings: IpsecSettings): TunnelPair[] {
  return Array.from({ length: settings.tunnelPairs }, (_, pair) => {
    const pairedIndex = ((pair % 2) + 1) as 1 | 2;
    const tunnel = (index: 1 | 2): TunnelSpec => ({
      index,
      paired: index === pairedIndex,
      ...tunnelEnds(settings.insideCidrs[pair * 2 + index - 1]),
    });
    return { pair, pairedIndex, tunnels: [tunnel(1), tunnel(2)] as const };
  });
}

/**
 * One IKEv2 proposal, pinned on both sides so nothing is left to negotiation: phase 1 AES-256-CBC,
 * SHA2-384, DH group 20, 8 h; phase 2 AES-256-GCM with PFS group 20, 1 h.
 */
export const IKE_PROFILE = {
  aws: {
    ikeVersions: ["ikev2"],
    phase1EncryptionAlgorithms: ["AES256"],
    phase1IntegrityAlgorithms: ["SHA2-384"],
    phase1DhGroupNumbers: [20],
    phase1LifetimeSeconds: 28800,
    phase2EncryptionAlgorithms: ["AES256-GCM-16"],
    phase2IntegrityAlgorithms: ["SHA2-384"],
    phase2DhGroupNumbers: [20],
    phase2LifetimeSeconds: 3600,
  },
  oci: {
    ikeVersion: "V2",
    phaseOneDetails: {
      isCustomPhaseOneConfig: true,
      customEncryptionAlgorithm: "AES_256_CBC",
      customAuthenticationAlgorithm: "SHA2_384",
      customDhGroup: "GROUP20",
      lifetime: 28800,
    },
    phaseTwoDetails: {
      isCustomPhaseTwoConfig: true,
      customEncryptionAlgorithm: "AES_256_GCM",
      isPfsEnabled: true,
      dhGroup: "GROUP20",
      lifetime: 3600,
    },
  },
} as const;

/** Pre-shared keys: AWS allows 8–64 of [A-Za-z0-9._], not starting with 0; OCI takes the same set. */
export const PSK_RULE = /^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/;
