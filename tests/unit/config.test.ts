/** Config errors through the whole program on the offline engine: they fail before any resource is registered. */
import { expect } from "chai";
import { BAD_CASES } from "../support/badConfig";
import { programResources, runWithConfigChange } from "../support/stacks";

/** Resources other than the two provider objects (which a lookup needs). */
const cloudResources = (run: Awaited<ReturnType<typeof runWithConfigChange>>) =>
  programResources(run).filter((r) => !r.type.startsWith("pulumi:providers:"));

describe("bad stack config fails before any resource is registered", () => {
  for (const c of BAD_CASES) {
    it(`${c.title} → names ${c.names}`, async () => {
      const run = await runWithConfigChange(c.stack, c.key, c.path, c.value);
      expect(run.error, "the program must fail").to.be.instanceOf(Error);
      const line = run.error?.message.split("\n").find((l) => l.startsWith(`  - ${c.names}: `));
      expect(line, `a line naming ${c.names} in:\n${run.error?.message}`).to.be.a("string");
      expect(line).to.match(c.says);
      expect(programResources(run).map((r) => `${r.type} ${r.name}`)).to.deep.equal([]);
    });
  }
});

describe("FastConnect partner and shape are looked up before any cloud resource", () => {
  it("an unknown partner names multicloud:interconnect.fastConnect.providerName and lists the partners", async () => {
    const run = await runWithConfigChange(
      "prod",
      "multicloud:interconnect",
      ["fastConnect", "providerName"],
      "Equinox",
    );
    expect(run.error?.message).to.contain(
      'multicloud:interconnect.fastConnect.providerName: "Equinox" is not a FastConnect partner in this region; partners offered: Colt, Equinix, Megaport',
    );
    expect(cloudResources(run).map((r) => r.type)).to.deep.equal([]);
  });

  it("a partner with several private services needs providerServiceName", async () => {
    const run = await runWithConfigChange(
      "prod",
      "multicloud:interconnect",
      ["fastConnect", "providerName"],
      "Megaport",
    );
    expect(run.error?.message).to.contain(
      "multicloud:interconnect.fastConnect.providerServiceName: is required: Megaport offers several private-peering services (Megaport Cloud Router, Megaport Port); name one",
    );
    expect(cloudResources(run)).to.deep.equal([]);
  });

  it("a partner without private peering is refused", async () => {
    const run = await runWithConfigChange("prod", "multicloud:interconnect", ["fastConnect", "providerName"], "Colt");
    expect(run.error?.message).to.contain(
      "multicloud:interconnect.fastConnect.providerName: Colt offers no service with private virtual circuits here",
    );
  });

  it("a shape the partner does not offer names multicloud:interconnect.fastConnect.bandwidthShapeName", async () => {
    const run = await runWithConfigChange(
      "prod",
      "multicloud:interconnect",
      ["fastConnect", "bandwidthShapeName"],
      "3 Gbps",
    );
    expect(run.error?.message).to.contain(
      'multicloud:interconnect.fastConnect.bandwidthShapeName: "3 Gbps" is not offered by Equinix Equinix Fabric; shapes offered: 1 Gbps, 2 Gbps, 5 Gbps, 10 Gbps',
    );
    expect(cloudResources(run)).to.deep.equal([]);
  });
});
