import { expect } from "chai";
import path from "node:path";
import { type Baseline, folderTotals, percent, regressions, table } from "../coverage/folders";

const ROOT = "/repo";
const file = (lines: [number, number], branches: [number, number]) => ({
  lines: { total: lines[0], covered: lines[1] },
  branches: { total: branches[0], covered: branches[1] },
});
const SUMMARY = {
  total: file([1000, 1000], [1000, 1000]),
  [path.join(ROOT, "components", "a.ts")]: file([100, 90], [10, 8]),
  [path.join(ROOT, "components", "shared", "b.ts")]: file([100, 100], [10, 10]),
  [path.join(ROOT, "functions", "aws", "c.ts")]: file([200, 150], [20, 10]),
  [path.join(ROOT, "offline", "d.ts")]: file([50, 50], [0, 0]),
  [path.join(ROOT, "tests", "e.ts")]: file([10, 0], [10, 0]),
};
const BASELINE: Baseline = {
  components: { lines: 95, branches: 90 },
  functions: { lines: 77, branches: 52 },
  policy: { lines: 100, branches: 100 },
  offline: { lines: 100, branches: 100 },
};

describe("coverage per folder (tests/coverage/folders.ts)", () => {
  it("sums files by their top folder, leaving out the total and other folders", () => {
    const totals = folderTotals(SUMMARY, ROOT);
    expect(totals.components).to.deep.equal({
      files: 2,
      lines: { total: 200, covered: 190 },
      branches: { total: 20, covered: 18 },
    });
    expect(totals.functions.lines).to.deep.equal({ total: 200, covered: 150 });
    expect(totals.policy).to.deep.equal({
      files: 0,
      lines: { total: 0, covered: 0 },
      branches: { total: 0, covered: 0 },
    });
    expect(percent(totals.offline.branches), "nothing to count is covered").to.equal(100);
  });

  it("rounds percentages down to one decimal, so a folder never shows more than it has", () => {
    expect(percent({ total: 3, covered: 2 })).to.equal(66.6);
    expect(percent({ total: 1000, covered: 999 })).to.equal(99.9);
  });

  it("fails a folder only when it drops more than 2 points below its baseline, naming folder, kind and the fix", () => {
    const totals = folderTotals(SUMMARY, ROOT);
    // components lines 95 (= baseline), branches 90 (= baseline); functions lines 75 (77 - 2: allowed), branches 50 (52 - 2: allowed).
    expect(regressions(totals, BASELINE)).to.deep.equal([]);
    const stricter: Baseline = { ...BASELINE, functions: { lines: 77.1, branches: 52 } };
    expect(regressions(totals, stricter)).to.deep.equal([
      "functions/ lines coverage 75 % is below 75.1 % (baseline 77.1 % less 2 points): add tests, or lower tests/coverage/baseline.json in the same change and say why",
    ]);
  });

  it("prints one table row per folder with the counts", () => {
    expect(table(folderTotals(SUMMARY, ROOT)).split("\n")).to.include(
      "| `components/` | 2 | 95 % (190/200) | 90 % (18/20) |",
    );
  });
});
