import { expect } from "chai";
import { tagFieldOf } from "../../policy/taggable";
import { runStack } from "../support/stacks";

const REQUIRED = ["environment", "cost_center", "project", "owner"] as const;

for (const stack of ["dev", "prod"] as const) {
  describe(`tags on every taggable resource (${stack})`, () => {
    it("carries environment, cost_center, project and owner with the stack's values", async () => {
      const run = await runStack(stack);
      if (run.error) throw run.error;
      const expected = {
        environment: stack,
        cost_center: "CC-4410-PLATFORM",
        project: "multicloud",
        owner: "platform-team@example.com",
      };
      const missing: string[] = [];
      const checked = { aws: 0, oci: 0 };
      for (const r of run.resources) {
        const field = tagFieldOf(r.type);
        if (!field) continue;
        // AWS: what the resource ends up with after the provider's default tags merge (tagsAll).
        const tags = (field === "tags" ? r.state.tagsAll : r.inputs.freeformTags) as Record<string, string> | undefined;
        for (const key of REQUIRED) {
          if (tags?.[key] !== expected[key]) missing.push(`${r.type} ${r.name}: ${key}=${String(tags?.[key])}`);
        }
        checked[field === "tags" ? "aws" : "oci"]++;
      }
      expect(missing).to.deep.equal([]);
      // The walk must have covered both clouds' resources, or it proves nothing.
      expect(checked.aws).to.be.greaterThan(15);
      expect(checked.oci).to.be.greaterThan(10);
    });

    it("knows which types take tags from the SDK itself", () => {
      expect(tagFieldOf("aws:ec2/vpc:Vpc")).to.equal("tags");
      expect(tagFieldOf("aws:ec2/route:Route")).to.equal(undefined);
      expect(tagFieldOf("oci:Core/subnet:Subnet")).to.equal("freeformTags");
      expect(tagFieldOf("multicloud:network:AwsNetwork")).to.equal(undefined);
    });
  });
}
