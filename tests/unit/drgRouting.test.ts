import { expect } from "chai";
import { DRG_ROUTING, DrgAttachmentType, drgTableFor } from "../../components/network/drgRouting";

describe("DRG routing plan (pure)", () => {
  it("the VCN learns from both AWS paths; the paths learn from the VCN only", () => {
    expect(DRG_ROUTING).to.deep.equal([
      { table: "vcn", usedBy: ["VCN"], importsFrom: ["IPSEC_TUNNEL", "VIRTUAL_CIRCUIT"] },
      { table: "edge", usedBy: ["IPSEC_TUNNEL", "VIRTUAL_CIRCUIT"], importsFrom: ["VCN"] },
    ]);
  });

  it("gives every attachment type exactly one table, and no table imports from its own users (no transit between AWS paths)", () => {
    const types: DrgAttachmentType[] = ["VCN", "IPSEC_TUNNEL", "VIRTUAL_CIRCUIT"];
    for (const type of types)
      expect(
        DRG_ROUTING.filter((p) => p.usedBy.includes(type)),
        type,
      ).to.have.length(1);
    expect(types.map(drgTableFor)).to.deep.equal(["vcn", "edge", "edge"]);
    for (const plan of DRG_ROUTING)
      expect(
        plan.importsFrom.filter((t) => plan.usedBy.includes(t)),
        plan.table,
      ).to.deep.equal([]);
  });

  it("refuses an attachment type it has no table for", () => {
    expect(() => drgTableFor("REMOTE_PEERING_CONNECTION" as DrgAttachmentType)).to.throw(
      "no managed DRG route table for REMOTE_PEERING_CONNECTION attachments",
    );
  });
});
