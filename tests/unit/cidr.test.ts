import { expect } from "chai";
import {
  carveFromEnd,
  carveFromStart,
  cidrProblem,
  cidrsOverlap,
  cidrWithin,
  isPrivateCidr,
  overlappingPairs,
  prefixLength,
} from "../../components/shared/cidr";

describe("cidr maths", () => {
  it("explains malformed and misaligned blocks", () => {
    expect(cidrProblem("10.0.0.0/16")).to.equal(undefined);
    expect(cidrProblem("10.0.0.0/33")).to.match(/not an IPv4 CIDR/);
    expect(cidrProblem("10.0.0")).to.match(/not an IPv4 CIDR/);
    expect(cidrProblem("10.0.0.1/16")).to.equal('"10.0.0.1/16" has host bits set; its network address is 10.0.0.0/16');
  });

  it("detects overlap in either direction and containment", () => {
    expect(cidrsOverlap("10.0.0.0/8", "10.20.0.0/16")).to.equal(true);
    expect(cidrsOverlap("10.20.0.0/16", "10.0.0.0/8")).to.equal(true);
    expect(cidrsOverlap("10.10.0.0/16", "10.10.0.0/16")).to.equal(true);
    expect(cidrsOverlap("10.10.0.0/16", "10.11.0.0/16")).to.equal(false);
    expect(cidrWithin("10.10.4.0/24", "10.10.0.0/16")).to.equal(true);
    expect(cidrWithin("10.10.0.0/16", "10.10.0.0/16")).to.equal(true);
    expect(cidrWithin("10.0.0.0/8", "10.10.0.0/16")).to.equal(false);
    expect(prefixLength("10.10.0.0/20")).to.equal(20);
  });

  it("knows private address space", () => {
    expect(isPrivateCidr("10.10.0.0/16")).to.equal(true);
    expect(isPrivateCidr("172.31.0.0/16")).to.equal(true);
    expect(isPrivateCidr("172.32.0.0/16")).to.equal(false);
    expect(isPrivateCidr("100.64.0.0/16")).to.equal(true);
    expect(isPrivateCidr("8.8.8.0/24")).to.equal(false);
  });

  it("carves aligned blocks from the start, realigning when sizes differ", () => {
    expect(carveFromStart("10.10.0.0/16", [20, 20, 20])).to.deep.equal([
      "10.10.0.0/20",
      "10.10.16.0/20",
      "10.10.32.0/20",
    ]);
    expect(carveFromStart("10.200.0.0/16", [24, 23, 24])).to.deep.equal([
      "10.200.0.0/24",
      "10.200.2.0/23",
      "10.200.4.0/24",
    ]);
  });

  it("carves aligned blocks from the end", () => {
    expect(carveFromEnd("10.10.0.0/16", [24, 24])).to.deep.equal(["10.10.255.0/24", "10.10.254.0/24"]);
    expect(carveFromEnd("10.10.0.0/16", [24, 22])).to.deep.equal(["10.10.255.0/24", "10.10.248.0/22"]);
  });

  it("keeps earlier blocks in place when a block is appended (no subnet replacement on growth)", () => {
    const two = carveFromStart("10.10.0.0/16", [20, 20]) ?? [];
    const three = carveFromStart("10.10.0.0/16", [20, 20, 20]) ?? [];
    expect(three.slice(0, 2)).to.deep.equal(two);
    const endTwo = carveFromEnd("10.10.0.0/16", [24, 24]) ?? [];
    expect((carveFromEnd("10.10.0.0/16", [24, 24, 24]) ?? []).slice(0, 2)).to.deep.equal(endTwo);
  });

  it("returns undefined when blocks do not fit or are larger than the parent", () => {
    expect(carveFromStart("10.10.0.0/24", [25, 25, 25])).to.equal(undefined);
    expect(carveFromEnd("10.10.0.0/24", [25, 25, 25])).to.equal(undefined);
    expect(carveFromStart("10.10.0.0/24", [16])).to.equal(undefined);
    expect(carveFromStart("10.10.0.0/24", [25, 25])).to.deep.equal(["10.10.0.0/25", "10.10.0.128/25"]);
  });

  it("lists overlapping pairs", () => {
    expect(overlappingPairs(["10.0.0.0/24", "10.0.1.0/24", "10.0.0.128/25"])).to.deep.equal([[0, 2]]);
    expect(overlappingPairs(["10.0.0.0/24", "10.0.1.0/24"])).to.deep.equal([]);
  });
});
