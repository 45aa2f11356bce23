import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { configKeyPaths } from "../../components/config/schema";
import { REPO_ROOT } from "../../offline/stacks";

describe("README", () => {
  const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

  it("documents every config key the schema reads, in the config reference table", () => {
    const keys = configKeyPaths();
    expect(keys.length).to.be.greaterThan(20);
    const undocumented = keys.filter((key) => !readme.includes(`| \`${key}\` |`));
    expect(undocumented).to.deep.equal([]);
  });

  it("gives the two commands", () => {
    expect(readme).to.contain("npm ci && npm run plan -- --stack dev");
    expect(readme).to.contain("npm ci && npm test");
  });
});
