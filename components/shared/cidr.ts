/**
 * IPv4 CIDR maths for the network plans, on top of ip-num (no hand-rolled bit twiddling).
 * Everything here is pure and tested without Pulumi.
 */
import { IPv4CidrRange, IPv4Prefix, Validator } from "ip-num";

/** The link-local block: AWS and OCI both use it for tunnel inside addresses and metadata services. */
export const LINK_LOCAL_CIDR = "169.254.0.0/16";

/** Address blocks a private cloud network may use: RFC 1918 and the shared (CGNAT) space of RFC 6598. */
export const PRIVATE_CIDRS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] as const;

/** Why a string is not a usable network CIDR, or undefined when it is one. */
export function cidrProblem(value: string): string | undefined {
  if (!Validator.isValidIPv4CidrNotation(value)[0]) {
    return `"${value}" is not an IPv4 CIDR (expected a.b.c.d/n)`;
  }
  if (!Validator.isValidIPv4CidrRange(value)[0]) {
    const network = IPv4CidrRange.fromCidr(value);
    return `"${value}" has host bits set; its network address is ${network.getFirst().toString()}/${network.getPrefix().getValue()}`;
  }
  return undefined;
}

function range(cidr: string): IPv4CidrRange {
  const problem = cidrProblem(cidr);
  if (problem) throw new Error(problem);
  return IPv4CidrRange.fromCidr(cidr);
}

/** The prefix length of a valid CIDR. */
export function prefixLength(cidr: string): number {
  return Number(range(cidr).getPrefix().getValue());
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const ra = range(a);
  const rb = range(b);
  return ra.isOverlapping(rb) || ra.inside(rb) || rb.inside(ra);
}

/** True when `inner` lies entirely within `outer` (equal counts as inside). */
export function cidrWithin(inner: string, outer: string): boolean {
  const ri = range(inner);
  const ro = range(outer);
  return ri.inside(ro) || ri.toCidrString() === ro.toCidrString();
}

/** True when the block lies in private address space (RFC 1918 or RFC 6598). */
export function isPrivateCidr(cidr: string): boolean {
  return PRIVATE_CIDRS.some((block) => cidrWithin(cidr, block));
}

/** The aligned block of `prefix` that contains the address `at`. */
function blockAt(at: IPv4CidrRange, prefix: number): IPv4CidrRange {
  const containing = new IPv4CidrRange(at.getFirst(), new IPv4Prefix(BigInt(prefix)));
  return IPv4CidrRange.fromCidr(`${containing.getFirst().toString()}/${prefix}`);
}

const single = (address: { toString(): string }) => IPv4CidrRange.fromCidr(`${address.toString()}/32`);

/**
 * Carves blocks of the given prefix lengths out of `parent`, in order, each aligned to its own
 * size, walking up from the first address (`start`) or down from the last (`end`). Appending a
 * request never moves an earlier block, so adding a subnet later never replaces existing ones.
 * Returns undefined when the blocks do not fit.
 */
function carve(parent: string, prefixes: readonly number[], from: "start" | "end"): string[] | undefined {
  const outer = range(parent);
  const outerPrefix = Number(outer.getPrefix().getValue());
  const up = from === "start";
  const carved: string[] = [];
  let cursor: IPv4CidrRange | undefined = single(up ? outer.getFirst() : outer.getLast());
  for (const prefix of prefixes) {
    if (!cursor || prefix < outerPrefix || prefix > 32) return undefined;
    let block: IPv4CidrRange | undefined = blockAt(cursor, prefix);
    // The aligned block may start below (or end above) the cursor: step to the next free one.
    const overlapsUsed = up
      ? block.getFirst().isLessThan(cursor.getFirst())
      : block.getLast().isGreaterThan(cursor.getFirst());
    if (overlapsUsed) block = up ? block.nextRange() : block.previousRange();
    if (!block || !cidrWithin(block.toCidrString(), parent)) return undefined;
    carved.push(block.toCidrString());
    cursor = up ? single(block.getLast()).nextRange() : single(block.getFirst()).previousRange();
  }
  return carved;
}

/** Blocks carved upwards from the parent's first address (see carve). */
export function carveFromStart(parent: string, prefixes: readonly number[]): string[] | undefined {
  return carve(parent, prefixes, "start");
}

/** Blocks carved downwards from the parent's last address (see carve). */
export function carveFromEnd(parent: string, prefixes: readonly number[]): string[] | undefined {
  return carve(parent, prefixes, "end");
}

/** Pairs of indexes whose blocks overlap; empty when all blocks are disjoint. */
export function overlappingPairs(cidrs: readonly string[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < cidrs.length; i++) {
    for (let j = i + 1; j < cidrs.length; j++) {
      if (cidrsOverlap(cidrs[i], cidrs[j])) pairs.push([i, j]);
    }
  }
  return pairs;
}
