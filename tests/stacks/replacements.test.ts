/**
 * Later `up`s (issue 34): every type the stacks create has a row of what replaces it
 * (components/shared/replacements.ts); every resource that sets its unique name asks Pulumi to
 * delete before replacing; retained resources listed in `multicloud:adopt` are imported.
 */
import { expect } from "chai";
import { runProgram } from "../../offline/engine";
import { loadStackConfig } from "../../offline/stacks";
import { needsDeleteBeforeReplace, REPLACEMENTS, replacementDocs, valueAt } from "../../components/shared/replacements";
import { ADOPTABLE_TYPES } from "../../components/config/adopt";
import { named, runStack } from "../support/stacks";

const STACKS = ["dev", "prod", "org"];
/** Types that are the program's own structure, not something a provider replaces. */
const structural = (type: string) =>
  type.startsWith("pulumi:") || (type.startsWith("multicloud:") && !type.includes("dynamic"));

describe("what replaces what (components/shared/replacements.ts)", () => {
  for (const stack of STACKS)
    it(`${stack}: every type it creates has a row, with a documentation link`, async () => {
      const run = await runStack(stack);
      expect(run.error?.message).to.equal(undefined);
      const missing = [...new Set(run.resources.map((r) => r.type))].filter((t) => !structural(t) && !REPLACEMENTS[t]);
      expect(missing).to.deep.equal([]);
      for (const type of new Set(run.resources.map((r) => r.type).filter((t) => !structural(t))))
        expect(replacementDocs(type), type).to.match(
          /^https:\/\/www\.pulumi\.com\/registry\/packages\/[a-z-]+\/api-docs\/|^components\//,
        );
    });

  it("links each type to its registry page", () => {
    expect(replacementDocs("aws:ec2/vpc:Vpc")).to.equal(
      "https://www.pulumi.com/registry/packages/aws/api-docs/ec2/vpc/",
    );
    expect(replacementDocs("oci:Core/drgRouteTable:DrgRouteTable")).to.equal(
      "https://www.pulumi.com/registry/packages/oci/api-docs/core/drgroutetable/",
    );
    expect(replacementDocs("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")).to.equal(
      "https://www.pulumi.com/registry/packages/kubernetes/api-docs/rbac/v1/rolebinding/",
    );
    expect(replacementDocs("random:index/randomPassword:RandomPassword")).to.equal(
      "https://www.pulumi.com/registry/packages/random/api-docs/randompassword/",
    );
  });

  for (const stack of STACKS)
    it(`${stack}: a resource that sets its unique name deletes before it replaces; no other does`, async () => {
      const run = await runStack(stack);
      const custom = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
      const named_ = custom.filter((r) => needsDeleteBeforeReplace(r.type, r.inputs));
      expect(named_.length).to.be.greaterThan(stack === "org" ? 3 : 100);
      expect(named_.filter((r) => !r.deleteBeforeReplace).map((r) => `${r.type} ${r.name}`)).to.deep.equal([]);
      expect(
        custom.filter((r) => r.deleteBeforeReplace && !needsDeleteBeforeReplace(r.type, r.inputs)).map((r) => r.name),
      ).to.deep.equal([]);
      // The ones the issue names: the topic's fixed names, the EKS log groups.
      if (stack !== "org") {
        for (const r of custom.filter(
          (x) =>
            (x.type === "aws:msk/topic:Topic" && ["orders", "orders.dlq"].includes(String(x.inputs.name))) ||
            (x.type === "aws:cloudwatch/logGroup:LogGroup" && String(x.inputs.name).startsWith("/aws/eks/")),
        ))
          expect(r.deleteBeforeReplace, r.name).to.equal(true);
      }
    });

  it("reads a dotted input path", () => {
    expect(valueAt({ a: { b: [1] } }, "a.b")).to.deep.equal([1]);
    expect(valueAt({ a: 1 }, "a.b")).to.equal(undefined);
  });
});

describe("multicloud:adopt (retained resources a destroy left behind)", () => {
  const withAdopt = (entries: unknown) => {
    const { config, secretKeys } = loadStackConfig("dev");
    return runProgram({ stack: "dev", config: { ...config, "multicloud:adopt": JSON.stringify(entries) }, secretKeys });
  };

  it("imports the listed resource by its id instead of creating it", async () => {
    const run = await withAdopt([
      {
        type: "aws:cloudwatch/logGroup:LogGroup",
        name: "migrations-handler-logs",
        id: "/aws/lambda/multicloud-dev-db-migrate",
      },
    ]);
    expect(run.error?.message).to.equal(undefined);
    expect(named(run, "aws:cloudwatch/logGroup:LogGroup", "migrations-handler-logs").importId).to.equal(
      "/aws/lambda/multicloud-dev-db-migrate",
    );
    expect(run.resources.filter((r) => r.importId).map((r) => r.name)).to.deep.equal(["migrations-handler-logs"]);
  });

  it("fails naming an entry that matches no resource, with the fix", async () => {
    const run = await withAdopt([
      { type: "aws:kms/key:Key", name: "no-such-key", id: "1234abcd-12ab-34cd-56ef-1234567890ab" },
    ]);
    expect(run.error?.message).to.equal(
      'multicloud:adopt[0]: this stack has no aws:kms/key:Key named "no-such-key"; use the logical name the plan lists (npm run plan), or remove the entry',
    );
  });

  it("adopts only what a destroy leaves behind", () => {
    expect(ADOPTABLE_TYPES).to.deep.equal([
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:kms/key:Key",
      "oci:Kms/key:Key",
      "oci:Kms/vault:Vault",
      "oci:Logging/logGroup:LogGroup",
    ]);
  });
});
