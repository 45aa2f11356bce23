import { expect } from "chai";
import { PSK_RULE } from "../../components/interconnect/tunnels";
import { accountIdFor, RecordedResource, RunResult, runProgram } from "../../offline/engine";
import { loadStackConfig } from "../../offline/stacks";
import { byId, named, ofType, runStack, runWithConfigChange } from "../support/stacks";

const VPN = "aws:ec2/vpnConnection:VpnConnection";
const SWAP = "pulumi-nodejs:dynamic/multicloud:VpnCustomerGatewaySwap";
const IPSEC = "oci:Core/ipsec:Ipsec";
const TUNNEL = "oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement";

const EXPECT = {
  dev: {
    pairs: 1,
    awsSideAsn: "64512",
    vpc: "10.10.0.0/16",
    vcn: "10.20.0.0/16",
    inside: ["169.254.20.0/30", "169.254.20.4/30"],
  },
  prod: {
    pairs: 2,
    awsSideAsn: "64513",
    vpc: "10.100.0.0/16",
    vcn: "10.200.0.0/16",
    inside: ["169.254.21.0/30", "169.254.21.4/30", "169.254.21.8/30", "169.254.21.12/30"],
  },
} as const;

/** Everything one crossed pair consists of, found by following the recorded values. */
function pairOf(run: RunResult, pair: number) {
  const vpn = named(run, VPN, `interconnect-ipsec-vpn-${pair}`);
  const swap = ofType(run, SWAP).find((s) => s.inputs.vpnConnectionId === vpn.id) as RecordedResource;
  const ipsec = named(run, IPSEC, `interconnect-ipsec-ipsec-${pair}`);
  const tunnels = [1, 2].map((index) => named(run, TUNNEL, `interconnect-ipsec-tunnel-${pair}-${index}`));
  return {
    vpn,
    swap,
    ipsec,
    cpe: byId(run, ipsec.inputs.cpeId),
    realCgw: byId(run, swap?.inputs.customerGatewayId),
    tunnels,
  };
}

for (const stack of ["dev", "prod"] as const) {
  describe(`interconnect on the offline engine (${stack})`, () => {
    let run: RunResult;
    const want = EXPECT[stack];
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });

    it(
      stack === "dev" ? "registers only the IPSec path" : "registers FastConnect + Direct Connect and the IPSec backup",
      () => {
        const types = new Set(run.resources.map((r) => r.type));
        const circuitTypes = [
          "oci:Core/virtualCircuit:VirtualCircuit",
          "aws:directconnect/gateway:Gateway",
          "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface",
          "aws:directconnect/gatewayAssociation:GatewayAssociation",
        ];
        for (const type of circuitTypes) expect(types.has(type), type).to.equal(stack === "prod");
        expect(ofType(run, VPN)).to.have.length(want.pairs);
        expect(ofType(run, IPSEC)).to.have.length(want.pairs);
        expect(ofType(run, TUNNEL)).to.have.length(want.pairs * 2);
      },
    );

    it("puts the AWS customer gateway on the OCI headend and the OCI CPE on the AWS outside IP, for every tunnel in use", () => {
      for (let pair = 0; pair < want.pairs; pair++) {
        const { vpn, swap, cpe, realCgw, tunnels } = pairOf(run, pair);
        const pairedIndex = (pair % 2) + 1;
        const pairedOci = tunnels[pairedIndex - 1];
        // OCI CPE = the AWS tunnel's outside IP, as AWS computed it.
        expect(cpe.inputs.ipAddress, `pair ${pair} CPE`).to.equal(vpn.state[`tunnel${pairedIndex}Address`]);
        // The swap attaches a customer gateway whose IP is the paired OCI tunnel's headend.
        expect(realCgw.inputs.ipAddress, `pair ${pair} CGW`).to.equal(pairedOci.state.vpnIp);
        expect(realCgw.inputs.bgpAsn).to.equal("31898");
        expect(swap.inputs.vpnConnectionId).to.equal(vpn.id);
        // Neither stack names allowedAccountIds: the swap may act only in the AWS provider's account.
        expect(swap.inputs.expectedAccountIds).to.deep.equal([accountIdFor(stack)]);
        // Created on the placeholder, which the swap remembers for delete; the VPN ignores later gateway changes.
        expect(swap.inputs.placeholderCustomerGatewayId).to.equal(vpn.inputs.customerGatewayId);
        // Each connection on its own placeholder: EC2 would return one connection for a shared (gateway, VGW) pair.
        expect(byId(run, vpn.inputs.customerGatewayId).name).to.equal(`interconnect-ipsec-placeholder-cgw-${pair}`);
        expect(byId(run, vpn.inputs.customerGatewayId).inputs.deviceName).to.equal(
          `multicloud-${stack}-placeholder-${pair}`,
        );
        expect(vpn.ignoreChanges).to.deep.equal(["customerGatewayId"]);
        // The tunnel's other end is what OCI records as its CPE address.
        expect(pairedOci.state.cpeIp).to.equal(cpe.inputs.ipAddress);
      }
    });

    it("spreads the pairs over both Oracle headends and different AWS endpoints", () => {
      const headends = new Set<unknown>();
      const outsides = new Set<unknown>();
      for (let pair = 0; pair < want.pairs; pair++) {
        const { realCgw, cpe } = pairOf(run, pair);
        headends.add(realCgw.inputs.ipAddress);
        outsides.add(cpe.inputs.ipAddress);
      }
      expect(headends.size).to.equal(want.pairs);
      expect(outsides.size).to.equal(want.pairs);
    });

    it("configures every tunnel on both sides: IKEv2, BGP, inside addresses matching pairwise", () => {
      for (let pair = 0; pair < want.pairs; pair++) {
        const { vpn, ipsec, tunnels } = pairOf(run, pair);
        expect(vpn.inputs.staticRoutesOnly).to.equal(false);
        expect(vpn.inputs.vpnGatewayId).to.equal(named(run, "aws:ec2/vpnGateway:VpnGateway", "interconnect-vgw").id);
        const listedTunnelIds = tunnels.map((t) => t.inputs.tunnelId);
        expect(new Set(listedTunnelIds).size, "both OCI tunnels managed").to.equal(2);
        expect([...listedTunnelIds].sort(), "index follows OCID order").to.deep.equal(listedTunnelIds);
        for (const index of [1, 2] as const) {
          const oci = tunnels[index - 1];
          const insideCidr = want.inside[pair * 2 + index - 1];
          expect(vpn.inputs[`tunnel${index}IkeVersions`]).to.deep.equal(["ikev2"]);
          expect(vpn.inputs[`tunnel${index}InsideCidr`]).to.equal(insideCidr);
          expect(oci.inputs).to.deep.include({ ipsecId: ipsec.id, routing: "BGP", ikeVersion: "V2" });
          const bgp = oci.inputs.bgpSessionInfo as Record<string, unknown>;
          // AWS takes the first host (its VGW), OCI the second (AWS's "customer" side).
          expect(`${String(vpn.state[`tunnel${index}VgwInsideAddress`])}/30`).to.equal(bgp.customerInterfaceIp);
          expect(`${String(vpn.state[`tunnel${index}CgwInsideAddress`])}/30`).to.equal(bgp.oracleInterfaceIp);
          expect(bgp.customerBgpAsn).to.equal(want.awsSideAsn);
          // Same cipher suite on both ends.
          expect(vpn.inputs[`tunnel${index}Phase1EncryptionAlgorithms`]).to.deep.equal(["AES256"]);
          expect(oci.inputs.phaseOneDetails).to.deep.include({
            customEncryptionAlgorithm: "AES_256_CBC",
            customDhGroup: "GROUP20",
          });
          expect(vpn.inputs[`tunnel${index}Phase2EncryptionAlgorithms`]).to.deep.equal(["AES256-GCM-16"]);
          expect(oci.inputs.phaseTwoDetails).to.deep.include({
            customEncryptionAlgorithm: "AES_256_GCM",
            dhGroup: "GROUP20",
            isPfsEnabled: true,
          });
        }
      }
      expect(named(run, "aws:ec2/vpnGateway:VpnGateway", "interconnect-vgw").inputs.amazonSideAsn).to.equal(
        want.awsSideAsn,
      );
    });

    it("logs every tunnel's IKE, IPSec and BGP events as JSON into the encrypted tunnel log group", () => {
      const group = named(run, "aws:cloudwatch/logGroup:LogGroup", "interconnect-ipsec-tunnel-logs");
      expect(group.inputs.kmsKeyId).to.equal(named(run, "aws:kms/key:Key", "interconnect-ipsec-tunnel-logs").state.arn);
      for (const vpn of ofType(run, VPN)) {
        for (const n of [1, 2]) {
          expect(vpn.inputs[`tunnel${n}LogOptions`], `${vpn.name} tunnel ${n}`).to.deep.equal({
            cloudwatchLogOptions: {
              logEnabled: true,
              logGroupArn: group.state.arn,
              logOutputFormat: "json",
              bgpLogEnabled: true,
              bgpLogGroupArn: group.state.arn,
              bgpLogOutputFormat: "json",
            },
          });
        }
      }
    });

    it("keeps pre-shared keys secret in every input that carries them, equal on both ends and within AWS's rules", () => {
      for (let pair = 0; pair < want.pairs; pair++) {
        const { vpn, tunnels } = pairOf(run, pair);
        for (const index of [1, 2] as const) {
          const field = `tunnel${index}PresharedKey`;
          expect(vpn.secretInputPaths, `${vpn.name} ${field}`).to.include(field);
          expect(tunnels[index - 1].secretInputPaths).to.include("sharedSecret");
          const key = String(vpn.inputs[field]);
          expect(key).to.match(PSK_RULE);
          expect(key.length).to.equal(41);
          expect(tunnels[index - 1].inputs.sharedSecret).to.equal(key);
        }
        expect(vpn.inputs.tunnel1PresharedKey).to.not.equal(vpn.inputs.tunnel2PresharedKey);
      }
      const everyKey = ofType(run, VPN)
        .flatMap((v) => [v.inputs.tunnel1PresharedKey, v.inputs.tunnel2PresharedKey])
        .map(String);
      const outputs = JSON.stringify(run.rawOutputs);
      for (const key of everyKey) expect(outputs.includes(key), "a PSK in the stack outputs").to.equal(false);
    });

    it("propagates the OCI routes into every private route table and lists the OCI range for security groups", () => {
      const vgw = named(run, "aws:ec2/vpnGateway:VpnGateway", "interconnect-vgw");
      const privateTables = ofType(run, "aws:ec2/routeTable:RouteTable")
        .filter((t) => t.name.includes("private"))
        .map((t) => t.id)
        .sort();
      const propagations = ofType(run, "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation");
      expect(propagations.map((p) => p.inputs.routeTableId).sort()).to.deep.equal(privateTables);
      for (const p of propagations) expect(p.inputs.vpnGatewayId).to.equal(vgw.id);
      expect(vgw.inputs.vpcId).to.equal(named(run, "aws:ec2/vpc:Vpc", "aws-network-vpc").id);
      const prefixList = named(run, "aws:ec2/managedPrefixList:ManagedPrefixList", "interconnect-oci-ranges");
      expect((prefixList.inputs.entries as Array<{ cidr: string }>).map((e) => e.cidr)).to.deep.equal([want.vcn]);
      // OCI: the IPSec connections hang off the same DRG the VCN routes the AWS range to.
      const drg = named(run, "oci:Core/drg:Drg", "oci-network-drg");
      for (const ipsec of ofType(run, IPSEC))
        expect(ipsec.inputs).to.deep.include({ drgId: drg.id, staticRoutes: [want.vpc] });
    });

    it("puts every DRG attachment on a managed route table, the ones OCI creates for tunnels and circuits included", () => {
      const drg = named(run, "oci:Core/drg:Drg", "oci-network-drg");
      const tables = ofType(run, "oci:Core/drgRouteTable:DrgRouteTable");
      const tableOf = (id: unknown) => tables.find((t) => t.id === id);
      const autogenerated = Object.values((drg.state.defaultDrgRouteTables as Record<string, string>[])[0]);
      // The VCN attachment is on the vcn table; each tunnel and the circuit on the edge table.
      const vcnAttachment = named(run, "oci:Core/drgAttachment:DrgAttachment", "oci-network-drg-vcn");
      expect(tableOf(vcnAttachment.state.drgRouteTableId)?.name).to.equal("oci-network-drg-routing-vcn-rt");
      const managements = ofType(run, "oci:Core/drgAttachmentManagement:DrgAttachmentManagement");
      const networks = [
        ...ofType(run, TUNNEL).map((t) => ["IPSEC_TUNNEL", t.id]),
        ...ofType(run, "oci:Core/virtualCircuit:VirtualCircuit").map((c) => ["VIRTUAL_CIRCUIT", c.id]),
      ];
      expect(networks).to.have.length(want.pairs * 2 + (stack === "prod" ? 1 : 0));
      expect(managements.map((m) => [m.inputs.attachmentType, m.inputs.networkId]).sort()).to.deep.equal(
        [...networks].sort(),
      );
      for (const m of managements) {
        expect(tableOf(m.state.drgRouteTableId)?.name, m.name).to.equal("oci-network-drg-routing-edge-rt");
        expect(m.inputs.drgId).to.equal(drg.id);
      }
      for (const attachment of [vcnAttachment, ...managements])
        expect(autogenerated).to.not.include(attachment.state.drgRouteTableId);
    });

    it("imports into the VCN's table from the tunnels and the circuit, and into theirs from the VCN only", () => {
      const statements = ofType(run, "oci:Core/drgRouteDistributionStatement:DrgRouteDistributionStatement");
      const imports = ofType(run, "oci:Core/drgRouteTable:DrgRouteTable").map((table) => {
        const distribution = byId(run, table.inputs.importDrgRouteDistributionId);
        expect(distribution.inputs.distributionType).to.equal("IMPORT");
        const accepted = statements
          .filter((s) => s.inputs.drgRouteDistributionId === distribution.id)
          .map((s) => [
            s.inputs.action,
            (s.inputs.matchCriteria as Record<string, string>).matchType,
            (s.inputs.matchCriteria as Record<string, string>).attachmentType,
          ]);
        return [table.name, accepted];
      });
      expect(imports.sort((a, b) => String(b[0]).localeCompare(String(a[0])))).to.deep.equal([
        [
          "oci-network-drg-routing-vcn-rt",
          [
            ["ACCEPT", "DRG_ATTACHMENT_TYPE", "IPSEC_TUNNEL"],
            ["ACCEPT", "DRG_ATTACHMENT_TYPE", "VIRTUAL_CIRCUIT"],
          ],
        ],
        ["oci-network-drg-routing-edge-rt", [["ACCEPT", "DRG_ATTACHMENT_TYPE", "VCN"]]],
      ]);
    });

    it("admits nothing from 0.0.0.0/0 in any OCI security list", () => {
      for (const list of [
        ...ofType(run, "oci:Core/securityList:SecurityList"),
        ...ofType(run, "oci:Core/defaultSecurityList:DefaultSecurityList"),
      ]) {
        for (const rule of (list.inputs.ingressSecurityRules ?? []) as Array<Record<string, unknown>>)
          expect(rule.source, list.name).to.not.equal("0.0.0.0/0");
      }
    });

    it("registers identical inputs when run twice (a second pulumi up is a no-op)", async () => {
      const { config } = loadStackConfig(stack);
      const again = await runProgram({ stack, config });
      const describe = (r: RunResult) =>
        new Map(r.resources.map((x) => [x.urn, JSON.stringify([x.rawInputs, x.ignoreChanges, x.protect])]));
      const [first, second] = [describe(run), describe(again)];
      const changed = [...first.keys()].filter((urn) => first.get(urn) !== second.get(urn));
      expect(changed, "resources whose inputs differ on the second run").to.deep.equal([]);
      expect([...second.keys()]).to.deep.equal([...first.keys()]);
      const swaps = ofType(again, SWAP).map((s) => s.inputs);
      expect(swaps).to.deep.equal(ofType(run, SWAP).map((s) => s.inputs));
      expect(typeof ofType(run, SWAP)[0].inputs.__provider, "the swap's provider serializes").to.equal("string");
    });
  });
}

describe("interconnect: the private circuit (prod)", () => {
  let run: RunResult;
  before(async () => {
    run = await runStack("prod");
    if (run.error) throw run.error;
  });

  it("orders a private FastConnect virtual circuit on the DRG through the looked-up partner, protected", () => {
    const vc = named(run, "oci:Core/virtualCircuit:VirtualCircuit", "interconnect-private-fastconnect");
    expect(vc.inputs).to.deep.include({
      type: "PRIVATE",
      bandwidthShapeName: "1 Gbps",
      customerAsn: "65010",
      gatewayId: named(run, "oci:Core/drg:Drg", "oci-network-drg").id,
    });
    expect(vc.inputs.providerServiceId).to.match(/^ocid1\.providerservice\.oc1\.fra\./);
    expect((vc.inputs.crossConnectMappings as Array<Record<string, unknown>>)[0]).to.deep.include({
      customerBgpPeeringIp: "169.254.100.1/30",
      oracleBgpPeeringIp: "169.254.100.2/30",
    });
    expect(vc.secretInputPaths).to.include("crossConnectMappings");
    expect(vc.protect).to.equal(true);
  });

  it("accepts the hosted connection, peers the private VIF with the partner ASN, and advertises only the VPC", () => {
    const accept = named(
      run,
      "aws:directconnect/connectionConfirmation:ConnectionConfirmation",
      "interconnect-private-hosted-accept",
    );
    const vif = named(
      run,
      "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface",
      "interconnect-private-vif",
    );
    const dxgw = named(run, "aws:directconnect/gateway:Gateway", "interconnect-private-dxgw");
    const association = named(
      run,
      "aws:directconnect/gatewayAssociation:GatewayAssociation",
      "interconnect-private-dxgw-vgw",
    );
    expect(accept.inputs.connectionId).to.equal("dxcon-fgq8x2k1");
    expect(vif.inputs).to.deep.include({
      connectionId: "dxcon-fgq8x2k1",
      dxGatewayId: dxgw.id,
      vlan: 2001,
      bgpAsn: 65010,
      amazonAddress: "169.254.100.5/30",
      customerAddress: "169.254.100.6/30",
      addressFamily: "ipv4",
    });
    expect(vif.dependencies).to.include(accept.urn);
    expect(vif.secretInputPaths).to.include("bgpAuthKey");
    expect(vif.protect).to.equal(true);
    expect(dxgw.inputs.amazonSideAsn).to.equal("64513");
    expect(association.inputs).to.deep.include({
      dxGatewayId: dxgw.id,
      associatedGatewayId: named(run, "aws:ec2/vpnGateway:VpnGateway", "interconnect-vgw").id,
      allowedPrefixes: ["10.100.0.0/16"],
    });
  });

  it("outputs what the operator hands to the partner", () => {
    const interconnect = run.outputs.interconnect as Record<string, unknown>;
    expect(interconnect).to.deep.include({
      mode: "fastconnect",
      awsSideAsn: 64513,
      oracleAsn: 31898,
      customerAsn: 65010,
      ociCidr: "10.200.0.0/16",
    });
    expect(interconnect.fastConnect).to.deep.include({
      providerName: "Equinix",
      providerServiceName: "Equinix Fabric",
      bandwidthShapeName: "1 Gbps",
      providerState: "INACTIVE",
      connectionId: "dxcon-fgq8x2k1",
      vlan: 2001,
      virtualCircuitId: named(run, "oci:Core/virtualCircuit:VirtualCircuit", "interconnect-private-fastconnect").id,
    });
    const tunnels = interconnect.tunnels as Array<Record<string, unknown>>;
    expect(tunnels.map((t) => [t.pair, t.index, t.paired])).to.deep.equal([
      [0, 1, true],
      [0, 2, false],
      [1, 1, false],
      [1, 2, true],
    ]);
    for (const t of tunnels)
      expect(t.ociHeadendIp)
        .to.be.a("string")
        .and.match(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it("outputs the partner router's BGP keys as a secret, the same keys the circuit and interface use", () => {
    expect(run.secretOutputPaths).to.include("privateCircuitKeys");
    const keys = run.outputs.privateCircuitKeys as { oracleBgpMd5Key: string; awsBgpAuthKey: string };
    const vc = named(run, "oci:Core/virtualCircuit:VirtualCircuit", "interconnect-private-fastconnect");
    const vif = named(
      run,
      "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface",
      "interconnect-private-vif",
    );
    expect((vc.inputs.crossConnectMappings as Array<Record<string, unknown>>)[0].bgpMd5authKey).to.equal(
      keys.oracleBgpMd5Key,
    );
    expect(vif.inputs.bgpAuthKey).to.equal(keys.awsBgpAuthKey);
    expect(keys.oracleBgpMd5Key).to.have.length(32);
  });
});

describe("interconnect: a dedicated Direct Connect port instead of a hosted connection", () => {
  it("orders the port at the location and builds the interface on it, protected", async () => {
    const run = await runWithConfigChange("prod", "multicloud:interconnect", ["directConnect"], {
      connectionType: "dedicated",
      location: "EqFA5",
      bandwidth: "10Gbps",
      vlan: 2001,
      amazonAddress: "169.254.100.5/30",
      customerAddress: "169.254.100.6/30",
    });
    if (run.error) throw run.error;
    const port = named(run, "aws:directconnect/connection:Connection", "interconnect-private-dedicated");
    const vif = named(
      run,
      "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface",
      "interconnect-private-vif",
    );
    expect(port.inputs).to.deep.include({ location: "EqFA5", bandwidth: "10Gbps" });
    expect(port.protect).to.equal(true);
    expect(vif.inputs.connectionId).to.equal(port.id);
    expect(ofType(run, "aws:directconnect/connectionConfirmation:ConnectionConfirmation")).to.deep.equal([]);
  });
});

describe("interconnect: the customer-gateway swap's account check follows aws.allowedAccountIds", () => {
  it("passes the configured accounts, not the provider's lookup, when the stack names them", async () => {
    const allowed = [accountIdFor("dev"), "444455556666"];
    const run = await runWithConfigChange("dev", "multicloud:aws", ["allowedAccountIds"], allowed);
    if (run.error) throw run.error;
    for (const swap of ofType(run, SWAP)) expect(swap.inputs.expectedAccountIds).to.deep.equal(allowed);
  });
});
