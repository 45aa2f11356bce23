import { expect } from "chai";
import { loadStackConfig } from "../../offline/stacks";
import { runStack } from "../support/stacks";

for (const stack of ["dev", "prod"] as const) {
  describe(`explicit providers (${stack})`, () => {
    it("disables default providers in the stack file", () => {
      expect(JSON.parse(loadStackConfig(stack).config["pulumi:disable-default-providers"])).to.deep.equal([
        "aws",
        "oci",
        "kubernetes",
      ]);
    });

    it("gives every cloud resource its cloud's explicit provider", async () => {
      const run = await runStack(stack);
      if (run.error) throw run.error;
      const providers = run.resources.filter((r) => r.type.startsWith("pulumi:providers:"));
      expect(providers.map((p) => p.type).sort()).to.deep.equal([
        "pulumi:providers:aws",
        "pulumi:providers:kubernetes",
        "pulumi:providers:oci",
      ]);
      // The one Kubernetes provider is the cluster's own, built from its outputs.
      expect(providers.filter((p) => p.type === "pulumi:providers:kubernetes").map((p) => p.name)).to.deep.equal([
        "eks-k8s",
      ]);
      const wrong: string[] = [];
      for (const r of run.resources) {
        const cloud = /^(aws|oci|kubernetes):/.exec(r.type)?.[1];
        if (!cloud) continue;
        const provider = run.resources.find((p) => p.urn === r.provider);
        if (provider?.type !== `pulumi:providers:${cloud}`) wrong.push(`${r.type} ${r.name} → ${String(r.provider)}`);
      }
      expect(wrong).to.deep.equal([]);
    });

    it("configures the AWS provider's region and default tags, and the OCI provider's region", async () => {
      const run = await runStack(stack);
      const awsProvider = run.resources.find((r) => r.type === "pulumi:providers:aws");
      const ociProvider = run.resources.find((r) => r.type === "pulumi:providers:oci");
      expect(awsProvider?.inputs.region).to.equal("eu-west-1");
      expect(JSON.parse(String(awsProvider?.inputs.defaultTags))).to.deep.equal({
        tags: {
          environment: stack,
          cost_center: "CC-4410-PLATFORM",
          project: "multicloud",
          owner: "platform-team@example.com",
        },
      });
      expect(ociProvider?.inputs.region).to.equal("eu-frankfurt-1");
    });
  });
}
