import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { configKeyPaths } from "../../components/config/platform";
import { REPO_ROOT } from "../../offline/stacks";

describe("README and docs", () => {
  const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const reference = readFileSync(path.join(REPO_ROOT, "docs", "configuration.md"), "utf8");

  it("documents every config key the schemas read (environment stacks and the org stack) in docs/configuration.md", () => {
    for (const kind of ["environment", "org"] as const) {
      const keys = configKeyPaths("multicloud", kind);
      expect(keys.length, kind).to.be.greaterThan(kind === "org" ? 5 : 20);
      expect(
        keys.filter((key) => !reference.includes(`| \`${key}\` |`)),
        kind,
      ).to.deep.equal([]);
    }
    expect(configKeyPaths("multicloud", "org")).to.include("multicloud:oci.tenancyId");
  });

  it("is a landing page: the two commands, what pulumi up needs, the layers, and links that resolve", () => {
    expect(readme).to.contain("npm ci && npm run plan -- --stack dev");
    expect(readme).to.contain("npm ci && npm test");
    expect(readme).to.contain("## What `pulumi up` needs on a real machine");
    expect(readme).to.contain("```mermaid");
    expect(readme.split("\n").length).to.be.lessThan(150);
    const links = [...readme.matchAll(/\]\((docs\/[^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]);
    expect(links.length).to.be.greaterThan(6);
    for (const link of links) expect(existsSync(path.join(REPO_ROOT, link)), link).to.equal(true);
  });
});
