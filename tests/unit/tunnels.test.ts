import { expect } from "chai";
import { crossedTunnelPairs, IKE_PROFILE, PSK_RULE, tunnelEnds } from "../../components/interconnect/tunnels";

describe("tunnel layout (pure)", () => {
  it("AWS takes the first host of the /30, OCI the second", () => {
    expect(tunnelEnds("169.254.20.0/30")).to.deep.equal({
      insideCidr: "169.254.20.0/30",
      awsInsideIp: "169.254.20.1",
      ociInsideIp: "169.254.20.2",
    });
    expect(tunnelEnds("169.254.21.252/30")).to.deep.equal({
      insideCidr: "169.254.21.252/30",
      awsInsideIp: "169.254.21.253",
      ociInsideIp: "169.254.21.254",
    });
  });

  it("pairs alternate the wired tunnel index and take their /30s in order", () => {
    const insideCidrs = [
      "169.254.20.0/30",
      "169.254.20.4/30",
      "169.254.20.8/30",
      "169.254.20.12/30",
      "169.254.20.16/30",
      "169.254.20.20/30",
    ];
    const pairs = crossedTunnelPairs({ tunnelPairs: 3, insideCidrs });
    expect(pairs.map((p) => [p.pair, p.pairedIndex])).to.deep.equal([
      [0, 1],
      [1, 2],
      [2, 1],
    ]);
    expect(pairs.flatMap((p) => p.tunnels.map((t) => [t.index, t.paired, t.insideCidr]))).to.deep.equal([
      [1, true, insideCidrs[0]],
      [2, false, insideCidrs[1]],
      [1, false, insideCidrs[2]],
      [2, true, insideCidrs[3]],
      [1, true, insideCidrs[4]],
      [2, false, insideCidrs[5]],
    ]);
    expect(pairs[1].tunnels[1]).to.deep.include({ awsInsideIp: "169.254.20.13", ociInsideIp: "169.254.20.14" });
    expect(crossedTunnelPairs({ tunnelPairs: 0, insideCidrs: [] })).to.deep.equal([]);
  });

  it("both sides pin the same IKEv2 proposal", () => {
    expect(IKE_PROFILE.aws.ikeVersions).to.deep.equal(["ikev2"]);
    expect(IKE_PROFILE.oci.ikeVersion).to.equal("V2");
    expect([IKE_PROFILE.aws.phase1LifetimeSeconds, IKE_PROFILE.aws.phase2LifetimeSeconds]).to.deep.equal([
      IKE_PROFILE.oci.phaseOneDetails.lifetime,
      IKE_PROFILE.oci.phaseTwoDetails.lifetime,
    ]);
    expect(
      [IKE_PROFILE.aws.phase1DhGroupNumbers[0], IKE_PROFILE.aws.phase2DhGroupNumbers[0]].map((g) => `GROUP${g}`),
    ).to.deep.equal([IKE_PROFILE.oci.phaseOneDetails.customDhGroup, IKE_PROFILE.oci.phaseTwoDetails.dhGroup]);
    expect(IKE_PROFILE.aws.phase1EncryptionAlgorithms[0]).to.equal("AES256");
    expect(IKE_PROFILE.oci.phaseOneDetails.customEncryptionAlgorithm).to.equal("AES_256_CBC");
    expect(IKE_PROFILE.aws.phase2EncryptionAlgorithms[0]).to.equal("AES256-GCM-16");
    expect(IKE_PROFILE.oci.phaseTwoDetails.customEncryptionAlgorithm).to.equal("AES_256_GCM");
    expect(IKE_PROFILE.aws.phase1IntegrityAlgorithms[0].replace("-", "_")).to.equal(
      IKE_PROFILE.oci.phaseOneDetails.customAuthenticationAlgorithm,
    );
    expect(IKE_PROFILE.aws.phase2IntegrityAlgorithms).to.deep.equal(["SHA2-384"]);
    expect([
      IKE_PROFILE.oci.phaseOneDetails.isCustomPhaseOneConfig,
      IKE_PROFILE.oci.phaseTwoDetails.isCustomPhaseTwoConfig,
      IKE_PROFILE.oci.phaseTwoDetails.isPfsEnabled,
    ]).to.deep.equal([true, true, true]);
  });

  it("pre-shared keys: 8–64 of letters, digits, '.' and '_', not starting with 0", () => {
    for (const ok of ["abcdefgh", "A".repeat(64), "1._abcde", "_0000000"]) expect(PSK_RULE.test(ok), ok).to.equal(true);
    for (const bad of ["abcdefg", "A".repeat(65), "0abcdefgh", "abc-defgh", "abcdefg h"])
      expect(PSK_RULE.test(bad), bad).to.equal(false);
  });
});
