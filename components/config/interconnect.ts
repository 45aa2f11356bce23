/**
 * The `multicloud:interconnect` key: which path links the clouds (IPSec, or FastConnect + Direct
 * Connect with an IPSec backup), the BGP ASNs, the tunnel inside /30s and the private circuit's
 * peering addresses. Shape rules are zod; relations between fields are checked in
 * checkInterconnect, which reports every problem with its key.
 */
import { IPv4CidrRange } from "ip-num";
import { z } from "zod";
import { cidrProblem, cidrsOverlap, cidrWithin, LINK_LOCAL_CIDR, overlappingPairs, prefixLength } from "../shared/cidr";
import { ConfigIssue } from "./errors";
import { allowed, configKey, integer } from "./fields";

/** Oracle's BGP ASN on every FastConnect and IPSec peering. */
export const ORACLE_BGP_ASN = 31898;
export const INTERCONNECT_MODES = ["ipsec", "fastconnect"] as const;
export const DX_CONNECTION_TYPES = ["hosted", "dedicated"] as const;
export const DX_DEDICATED_BANDWIDTHS = ["1Gbps", "10Gbps", "100Gbps", "400Gbps"] as const;

/** Blocks AWS refuses for tunnel inside /30s: 169.254.0.0–169.254.5.255 and 169.254.169.252/30. */
export const AWS_RESERVED_INSIDE_BLOCKS = ["169.254.0.0/22", "169.254.4.0/23", "169.254.169.252/30"] as const;

const asn = (what: string) => integer(1, 4294967294, what);
const text = (what: string) => z.string(allowed(what)).min(1, allowed(what));

const ipsecSchema = z.strictObject(
  {
    tunnelPairs: integer(1, 4, "number of crossed AWS VPN / OCI IPSec connection pairs").optional(),
    insideCidrs: z.array(
      z.string(allowed("a /30 in 169.254.0.0/16, e.g. 169.254.20.0/30")),
      allowed("a list of /30s, two per tunnel pair"),
    ),
  },
  allowed("a map with insideCidrs and optional tunnelPairs"),
);

const fastConnectSchema = z.strictObject(
  {
    providerName: text("the FastConnect partner's name as OCI lists it, e.g. Equinix"),
    providerServiceName: text("the partner service's name, when the partner lists several").optional(),
    bandwidthShapeName: z
      .string(allowed('a bandwidth shape name such as "1 Gbps"'))
      .regex(/^[0-9]+ (Mbps|Gbps)$/, allowed('a bandwidth shape name such as "1 Gbps" or "500 Mbps"')),
    customerBgpPeeringIp: text("the partner router's peering address with prefix, e.g. 169.254.100.1/30"),
    oracleBgpPeeringIp: text("Oracle's peering address with prefix, e.g. 169.254.100.2/30"),
  },
  allowed("a map with providerName, bandwidthShapeName, customerBgpPeeringIp, oracleBgpPeeringIp"),
);

const directConnectSchema = z.strictObject(
  {
    connectionType: z.enum(DX_CONNECTION_TYPES, allowed(`one of ${DX_CONNECTION_TYPES.join(", ")}`)),
    connectionId: z
      .string(allowed("a hosted connection id such as dxcon-fgk2xxxx"))
      .regex(/^dxcon-[a-z0-9]{8,}$/, allowed("a hosted connection id such as dxcon-fgk2xxxx"))
      .optional(),
    location: text("a Direct Connect location code such as EqFA5").optional(),
    bandwidth: z.enum(DX_DEDICATED_BANDWIDTHS, allowed(`one of ${DX_DEDICATED_BANDWIDTHS.join(", ")}`)).optional(),
    vlan: integer(1, 4094, "the 802.1Q VLAN of the private virtual interface"),
    amazonAddress: text("AWS's peering address with prefix, e.g. 169.254.100.5/30"),
    customerAddress: text("the partner router's peering address with prefix, e.g. 169.254.100.6/30"),
  },
  allowed("a map with connectionType, vlan, amazonAddress, customerAddress and connectionId or location + bandwidth"),
);

export const interconnectSchema = z.strictObject(
  {
    mode: z.enum(INTERCONNECT_MODES, allowed(`one of ${INTERCONNECT_MODES.join(", ")}`)),
    awsSideAsn: asn("the AWS side's private BGP ASN").optional(),
    customerAsn: asn("the BGP ASN of the partner router between FastConnect and Direct Connect").optional(),
    ipsecBackup: z.boolean(allowed("true or false")).optional(),
    ipsec: ipsecSchema.optional(),
    fastConnect: fastConnectSchema.optional(),
    directConnect: directConnectSchema.optional(),
    readinessTimeoutMinutes: integer(
      1,
      120,
      "minutes the deploy waits for tunnels, BGP and routes before the migrations run",
    ).optional(),
  },
  allowed(
    "a map with mode and optional awsSideAsn, customerAsn, ipsecBackup, ipsec, fastConnect, directConnect, readinessTimeoutMinutes",
  ),
);

export type RawInterconnect = z.infer<typeof interconnectSchema>;

export interface IpsecSettings {
  /** Crossed connection pairs: each is one AWS VPN connection and one OCI IPSec connection. */
  readonly tunnelPairs: number;
  /** Two /30s per pair, in order: pair 0 tunnel 1, pair 0 tunnel 2, pair 1 tunnel 1, … */
  readonly insideCidrs: readonly string[];
}

export interface FastConnectSettings {
  readonly providerName: string;
  readonly providerServiceName?: string;
  readonly bandwidthShapeName: string;
  readonly customerBgpPeeringIp: string;
  readonly oracleBgpPeeringIp: string;
}

export type DirectConnectSettings = {
  readonly vlan: number;
  readonly amazonAddress: string;
  readonly customerAddress: string;
} & (
  | { readonly connectionType: "hosted"; readonly connectionId: string }
  | {
      readonly connectionType: "dedicated";
      readonly location: string;
      readonly bandwidth: (typeof DX_DEDICATED_BANDWIDTHS)[number];
    }
);

/** Minutes the link-readiness gate waits by default (interconnect.readinessTimeoutMinutes). */
export const DEFAULT_READINESS_TIMEOUT_MINUTES = 15;

export type InterconnectSettings =
  | {
      readonly mode: "ipsec";
      readonly awsSideAsn: number;
      readonly ipsec: IpsecSettings;
      /** Minutes the deploy waits for the link before invoking across it. */
      readonly readinessTimeoutMinutes: number;
    }
  | {
      readonly mode: "fastconnect";
      readonly awsSideAsn: number;
      /** Minutes the deploy waits for the link before invoking across it. */
      readonly readinessTimeoutMinutes: number;
      readonly customerAsn: number;
      /** Present when the IPSec backup path is on. */
      readonly ipsec?: IpsecSettings;
      readonly fastConnect: FastConnectSettings;
      readonly directConnect: DirectConnectSettings;
    };

const AMAZON_SIDE_ASN_RANGES: ReadonlyArray<readonly [number, number]> = [
  [64512, 65534],
  [4200000000, 4294967294],
];

/** Why an ASN is not usable for the given role, or undefined. */
export function asnProblem(role: "awsSide" | "customer", value: number, awsSideAsn?: number): string | undefined {
  if (role === "awsSide") {
    if (!AMAZON_SIDE_ASN_RANGES.some(([lo, hi]) => value >= lo && value <= hi)) {
      return `${value} is not allowed; AWS accepts a private ASN, 64512–65534 or 4200000000–4294967294`;
    }
    return undefined;
  }
  if (value === 23456 || value === 65535) return `${value} is reserved (RFC 6793 / RFC 7300); pick another ASN`;
  if (value === ORACLE_BGP_ASN) return `${value} is Oracle's own ASN; the partner router needs a different one`;
  if (awsSideAsn !== undefined && value === awsSideAsn) {
    return `${value} equals multicloud:interconnect.awsSideAsn; BGP peers need distinct ASNs`;
  }
  return undefined;
}

/** Why a tunnel inside CIDR is unusable, or undefined. */
export function insideCidrProblem(value: string): string | undefined {
  const problem = cidrProblem(value);
  if (problem) return `${problem}; a /30 in 169.254.0.0/16, e.g. 169.254.20.0/30`;
  if (prefixLength(value) !== 30) return `"${value}" is a /${prefixLength(value)}; tunnel inside addresses are a /30`;
  if (!cidrWithin(value, LINK_LOCAL_CIDR))
    return `"${value}" is outside 169.254.0.0/16; AWS takes tunnel inside /30s from the link-local block only`;
  if (AWS_RESERVED_INSIDE_BLOCKS.some((reserved) => cidrsOverlap(value, reserved)))
    return `"${value}" is reserved by AWS (169.254.0.0–169.254.5.255 and 169.254.169.252/30); pick another /30`;
  return undefined;
}

/**
 * Why a point-to-point peering pair (`a.b.c.d/30` on each side) is unusable, or undefined.
 * Both addresses must sit in one /30 or /31, differ, and (for a /30) be its two host addresses.
 */
export function peeringPairProblem(
  ours: string,
  theirs: string,
): { readonly field: "ours" | "theirs"; readonly message: string } | undefined {
  const format = /^([0-9]{1,3}\.){3}[0-9]{1,3}\/(30|31)$/;
  for (const [field, value] of [
    ["ours", ours],
    ["theirs", theirs],
  ] as const) {
    if (!format.test(value))
      return { field, message: `"${value}" is not an address with a /30 or /31 prefix, e.g. 169.254.100.1/30` };
  }
  const problem = pairProblem(ours, theirs);
  // A problem of the pair is reported on the second address: the one that must match the first.
  return problem ? { field: "theirs", message: problem } : undefined;
}

function pairProblem(ours: string, theirs: string): string | undefined {
  const [a, b] = [IPv4CidrRange.fromCidr(ours), IPv4CidrRange.fromCidr(theirs)];
  const network = (r: IPv4CidrRange) => `${r.getFirst().toString()}/${r.getPrefix().getValue()}`;
  if (network(a) !== network(b)) return `${ours} and ${theirs} are not in the same /30 or /31`;
  const [hostA, hostB] = [ours.split("/")[0], theirs.split("/")[0]];
  if (hostA === hostB) return `both ends use ${hostA}; each end needs its own address`;
  if (prefixLength(network(a)) === 30) {
    const edges = [a.getFirst().toString(), a.getLast().toString()];
    const edge = [hostA, hostB].find((h) => edges.includes(h));
    if (edge) return `${edge} is the network or broadcast address of ${network(a)}; use the two host addresses`;
  }
  return undefined;
}

/** The /30 or /31 block a peering address sits in. */
export function peeringNetwork(address: string): string {
  const r = IPv4CidrRange.fromCidr(address);
  return `${r.getFirst().toString()}/${r.getPrefix().getValue()}`;
}

/** Relations between interconnect fields; pushes issues and returns the plan when there are none. */
export function checkInterconnect(
  project: string,
  raw: RawInterconnect,
  isProduction: boolean,
  issues: ConfigIssue[],
): InterconnectSettings | undefined {
  const k = (...path: PropertyKey[]) => configKey(project, ["interconnect", ...path]);
  const before = issues.length;
  const awsSideAsn = raw.awsSideAsn ?? 64512;
  const awsAsnProblem = asnProblem("awsSide", awsSideAsn);
  if (awsAsnProblem) issues.push({ key: k("awsSideAsn"), message: awsAsnProblem });

  const fastconnect = raw.mode === "fastconnect";
  const ipsecWanted = !fastconnect || (raw.ipsecBackup ?? true);
  const forbid = (field: keyof RawInterconnect, why: string) => {
    if (raw[field] !== undefined) issues.push({ key: k(field), message: why });
  };
  if (!fastconnect) {
    for (const field of ["customerAsn", "ipsecBackup", "fastConnect", "directConnect"] as const) {
      forbid(field, `only applies when mode is fastconnect; remove it for mode ${raw.mode}`);
    }
  }
  if (!ipsecWanted) forbid("ipsec", "is not used when ipsecBackup is false; remove it or set ipsecBackup: true");

  // Addresses on every link, collected to check they never overlap each other.
  const linkBlocks: Array<{ key: string; cidr: string }> = [];

  let ipsec: IpsecSettings | undefined;
  if (ipsecWanted) {
    if (!raw.ipsec) {
      issues.push({
        key: k("ipsec"),
        message: `is required for ${fastconnect ? "the IPSec backup" : "mode ipsec"}; a map with insideCidrs (two /30s per tunnel pair)`,
      });
    } else {
      const tunnelPairs = raw.ipsec.tunnelPairs ?? (isProduction ? 2 : 1);
      if (isProduction && tunnelPairs < 2) {
        issues.push({
          key: k("ipsec", "tunnelPairs"),
          message: `${tunnelPairs} is too few for prod; two pairs keep traffic flowing when one tunnel, headend or VPN connection fails`,
        });
      }
      const cidrs = raw.ipsec.insideCidrs;
      if (cidrs.length !== tunnelPairs * 2) {
        issues.push({
          key: k("ipsec", "insideCidrs"),
          message: `has ${cidrs.length} entries; ${tunnelPairs} tunnel pair(s) need exactly ${tunnelPairs * 2} /30s (both tunnels of each connection)`,
        });
      }
      cidrs.forEach((cidr, i) => {
        const problem = insideCidrProblem(cidr);
        if (problem) issues.push({ key: k("ipsec", "insideCidrs", i), message: problem });
        else linkBlocks.push({ key: k("ipsec", "insideCidrs", i), cidr });
      });
      ipsec = { tunnelPairs, insideCidrs: cidrs };
    }
  }

  let fastConnect: FastConnectSettings | undefined;
  let directConnect: DirectConnectSettings | undefined;
  let customerAsn = 0;
  if (fastconnect) {
    if (raw.customerAsn === undefined) {
      issues.push({
        key: k("customerAsn"),
        message: "is required when mode is fastconnect; the partner router's BGP ASN, e.g. 65010",
      });
    } else {
      customerAsn = raw.customerAsn;
      const problem = asnProblem("customer", raw.customerAsn, awsSideAsn);
      if (problem) issues.push({ key: k("customerAsn"), message: problem });
    }
    if (!raw.fastConnect) {
      issues.push({
        key: k("fastConnect"),
        message:
          "is required when mode is fastconnect; a map with providerName, bandwidthShapeName and the BGP peering addresses",
      });
    } else {
      const fc = raw.fastConnect;
      const problem = peeringPairProblem(fc.customerBgpPeeringIp, fc.oracleBgpPeeringIp);
      if (problem)
        issues.push({
          key: k("fastConnect", problem.field === "ours" ? "customerBgpPeeringIp" : "oracleBgpPeeringIp"),
          message: problem.message,
        });
      else
        linkBlocks.push({ key: k("fastConnect", "oracleBgpPeeringIp"), cidr: peeringNetwork(fc.oracleBgpPeeringIp) });
      fastConnect = fc;
    }
    if (!raw.directConnect) {
      issues.push({
        key: k("directConnect"),
        message: "is required when mode is fastconnect; a map with connectionType, vlan and the peering addresses",
      });
    } else {
      const dx = raw.directConnect;
      const problem = peeringPairProblem(dx.amazonAddress, dx.customerAddress);
      if (problem)
        issues.push({
          key: k("directConnect", problem.field === "ours" ? "amazonAddress" : "customerAddress"),
          message: problem.message,
        });
      else linkBlocks.push({ key: k("directConnect", "customerAddress"), cidr: peeringNetwork(dx.customerAddress) });
      if (dx.connectionType === "hosted") {
        if (!dx.connectionId)
          issues.push({
            key: k("directConnect", "connectionId"),
            message: "is required for a hosted connection; the dxcon-… id the partner shared with this account",
          });
        for (const field of ["location", "bandwidth"] as const) {
          if (dx[field] !== undefined)
            issues.push({
              key: k("directConnect", field),
              message: "only applies to a dedicated connection; the partner sets it for a hosted one",
            });
        }
        directConnect = {
          connectionType: "hosted",
          connectionId: dx.connectionId ?? "",
          vlan: dx.vlan,
          amazonAddress: dx.amazonAddress,
          customerAddress: dx.customerAddress,
        };
      } else {
        if (!dx.location)
          issues.push({
            key: k("directConnect", "location"),
            message: "is required for a dedicated connection; a Direct Connect location code such as EqFA5",
          });
        if (!dx.bandwidth)
          issues.push({
            key: k("directConnect", "bandwidth"),
            message: `is required for a dedicated connection; one of ${DX_DEDICATED_BANDWIDTHS.join(", ")}`,
          });
        if (dx.connectionId !== undefined)
          issues.push({
            key: k("directConnect", "connectionId"),
            message: "only applies to a hosted connection; remove it for a dedicated one",
          });
        directConnect = {
          connectionType: "dedicated",
          location: dx.location ?? "",
          bandwidth: dx.bandwidth ?? "1Gbps",
          vlan: dx.vlan,
          amazonAddress: dx.amazonAddress,
          customerAddress: dx.customerAddress,
        };
      }
    }
  }

  for (const [i, j] of overlappingPairs(linkBlocks.map((b) => b.cidr))) {
    issues.push({
      key: linkBlocks[j].key,
      message: `${linkBlocks[j].cidr} overlaps ${linkBlocks[i].key} (${linkBlocks[i].cidr}); every tunnel and peering needs its own block`,
    });
  }

  if (issues.length > before) return undefined;
  const readinessTimeoutMinutes = raw.readinessTimeoutMinutes ?? DEFAULT_READINESS_TIMEOUT_MINUTES;
  if (fastconnect && fastConnect && directConnect) {
    return {
      mode: "fastconnect",
      awsSideAsn,
      customerAsn,
      ipsec,
      fastConnect,
      directConnect,
      readinessTimeoutMinutes,
    };
  }
  return ipsec ? { mode: "ipsec", awsSideAsn, ipsec, readinessTimeoutMinutes } : undefined;
}
