/** Property tests of the CIDR maths (fast-check), against an independent integer model of IPv4 blocks. */
import { expect } from "chai";
import fc from "fast-check";
import { carveFromEnd, carveFromStart, cidrsOverlap, cidrWithin, overlappingPairs } from "../../components/shared/cidr";

const toInt = (ip: string) => ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
/** [first, last] addresses of a block, as plain numbers. */
const bounds = (cidr: string): [number, number] => {
  const [ip, prefix] = cidr.split("/");
  const first = toInt(ip);
  return [first, first + 2 ** (32 - Number(prefix)) - 1];
};

/** A network block: a random address with its host bits cleared. */
const block = (minPrefix = 8, maxPrefix = 30) =>
  fc
    .record({ address: fc.nat({ max: 2 ** 32 - 1 }), prefix: fc.integer({ min: minPrefix, max: maxPrefix }) })
    .map(({ address, prefix }) => {
      const size = 2 ** (32 - prefix);
      return `${toIp(Math.floor(address / size) * size)}/${prefix}`;
    });

describe("cidr properties (fast-check)", () => {
  it("overlap is symmetric and agrees with the address intervals", () => {
    fc.assert(
      fc.property(block(), block(), (a, b) => {
        const [a1, a2] = bounds(a);
        const [b1, b2] = bounds(b);
        expect(cidrsOverlap(a, b)).to.equal(cidrsOverlap(b, a));
        expect(cidrsOverlap(a, b)).to.equal(a1 <= b2 && b1 <= a2);
        expect(cidrWithin(a, b)).to.equal(b1 <= a1 && a2 <= b2);
      }),
      { numRuns: 600 },
    );
  });

  it("carved blocks lie inside the parent, never overlap, and have the sizes asked for", () => {
    fc.assert(
      fc.property(
        block(8, 24),
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (parent, extra, fromStart) => {
          const prefixes = extra.map((e) => Math.min(32, Number(parent.split("/")[1]) + e));
          const carved = (fromStart ? carveFromStart : carveFromEnd)(parent, prefixes);
          // Whether they fit: the requested sizes, each aligned, never exceed the parent's size.
          const total = prefixes.reduce((sum, p) => sum + 2 ** (32 - p), 0);
          if (
            total <= 2 ** (32 - Number(parent.split("/")[1])) &&
            [...prefixes].sort((x, y) => x - y).join() === prefixes.join()
          ) {
            // Largest first always packs without gaps, so it must fit.
            expect(carved, `${parent} ${prefixes.join(",")}`).to.not.equal(undefined);
          }
          if (carved === undefined) return;
          expect(carved.map((c) => Number(c.split("/")[1]))).to.deep.equal(prefixes);
          for (const c of carved) expect(cidrWithin(c, parent), `${c} in ${parent}`).to.equal(true);
          expect(overlappingPairs(carved)).to.deep.equal([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("adding a later request never moves the earlier blocks", () => {
    fc.assert(
      fc.property(
        block(8, 24),
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 10 }),
        (parent, extra, more) => {
          const base = Number(parent.split("/")[1]);
          const prefixes = extra.map((e) => Math.min(32, base + e));
          const next = Math.min(32, base + more);
          for (const carve of [carveFromStart, carveFromEnd]) {
            const before = carve(parent, prefixes);
            const after = carve(parent, [...prefixes, next]);
            if (after) expect(after.slice(0, -1)).to.deep.equal(before);
            if (!before) expect(after).to.equal(undefined);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("overlappingPairs lists exactly the overlapping index pairs", () => {
    fc.assert(
      fc.property(fc.array(block(12, 28), { maxLength: 6 }), (cidrs) => {
        const expected: Array<[number, number]> = [];
        cidrs.forEach((a, i) =>
          cidrs.forEach(
            (b, j) => j > i && bounds(a)[0] <= bounds(b)[1] && bounds(b)[0] <= bounds(a)[1] && expected.push([i, j]),
          ),
        );
        expect(overlappingPairs(cidrs)).to.deep.equal(expected);
      }),
      { numRuns: 200 },
    );
  });
});
