/** The docs' countable figures come from the code (offline/docFigures.ts), and the committed section is current. */
import { expect } from "chai";
import { areaFolders, FIGURES_SECTION, figuresMarkdown } from "../../offline/docFigures";
import { documentedSection } from "../../offline/docSections";
import { policies } from "../../policy/policies";

describe("figures in the docs (docs/verification.md)", () => {
  it("are the code's counts; regenerate with npm run docs:generate", () => {
    expect(documentedSection(FIGURES_SECTION), "the markers are in docs/verification.md").to.equal(figuresMarkdown());
  });

  it("count what they say: every policy once, the areas without the config and shared layers", () => {
    const text = figuresMarkdown();
    expect(text).to.contain(`| policies in the pack | ${policies.length} (`);
    expect(areaFolders()).to.include.members(["orders", "monitoring", "network"]);
    expect(areaFolders()).to.not.include.members(["config", "shared"]);
  });
});
