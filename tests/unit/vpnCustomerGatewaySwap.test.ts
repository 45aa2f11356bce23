import { DescribeVpnConnectionsCommand, EC2Client, ModifyVpnConnectionCommand } from "@aws-sdk/client-ec2";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import {
  diffSwap,
  SwapInputs,
  VpnCustomerGatewaySwapProvider,
} from "../../components/interconnect/vpnCustomerGatewaySwap";

const ec2 = mockClient(EC2Client);
const sts = mockClient(STSClient);
// No pause between polls. The success cases may take as long as a loaded machine needs (the run
// limit catches a hang); the give-up case has a deadline already past, so it fails on the first poll.
const PATIENT = { pollMs: 0, timeoutMs: 10 * 60_000 };
const GIVE_UP = { pollMs: 0, timeoutMs: 0 };
const regions: string[] = [];
const provider = (wait = PATIENT) =>
  new VpnCustomerGatewaySwapProvider((region) => {
    regions.push(region);
    return { ec2: new EC2Client({ region }), sts: new STSClient({ region }) };
  }, wait);
const inputs: SwapInputs = {
  region: "eu-west-1",
  vpnConnectionId: "vpn-0abc",
  customerGatewayId: "cgw-real",
  placeholderCustomerGatewayId: "cgw-placeholder",
  expectedAccountIds: ["111122223333"],
};
const vpn = (state: string, cgw: string) => ({
  VpnConnections: [{ VpnConnectionId: "vpn-0abc", State: state as "available", CustomerGatewayId: cgw }],
});

describe("VPN customer-gateway swap (dynamic resource) against a mocked EC2", () => {
  beforeEach(() => {
    ec2.reset();
    sts.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: "111122223333" });
    regions.length = 0;
  });

  it("create: modifies the connection to the real gateway and waits until it is available on it", async () => {
    ec2
      .on(DescribeVpnConnectionsCommand)
      .resolvesOnce(vpn("available", "cgw-placeholder"))
      .resolvesOnce(vpn("modifying", "cgw-placeholder"))
      .resolvesOnce(vpn("modifying", "cgw-real"))
      .resolves(vpn("available", "cgw-real"));
    ec2.on(ModifyVpnConnectionCommand).resolves({});
    const result = await provider().create(inputs);
    expect(result.id).to.equal("vpn-0abc/cgw-swap");
    expect(result.outs).to.deep.equal(inputs);
    const modifies = ec2.commandCalls(ModifyVpnConnectionCommand);
    expect(modifies.map((c) => c.args[0].input)).to.deep.equal([
      { VpnConnectionId: "vpn-0abc", CustomerGatewayId: "cgw-real" },
    ]);
    expect(ec2.commandCalls(DescribeVpnConnectionsCommand)).to.have.length(4);
    expect(sts.commandCalls(GetCallerIdentityCommand)).to.have.length(1);
    expect(regions).to.deep.equal(["eu-west-1"]);
  });

  for (const [what, act] of [
    ["create", (p: VpnCustomerGatewaySwapProvider) => p.create(inputs)],
    [
      "update",
      (p: VpnCustomerGatewaySwapProvider) =>
        p.update("vpn-0abc/cgw-swap", inputs, { ...inputs, customerGatewayId: "cgw-new" }),
    ],
    ["delete", (p: VpnCustomerGatewaySwapProvider) => p.delete("vpn-0abc/cgw-swap", inputs)],
  ] as const) {
    it(`${what} refuses credentials of another account before any EC2 call, naming both accounts and the fix`, async () => {
      sts.on(GetCallerIdentityCommand).resolves({ Account: "999999999999" });
      ec2.on(DescribeVpnConnectionsCommand).resolves(vpn("available", "cgw-placeholder"));
      let message = "";
      await act(provider()).catch((err: Error) => (message = err.message));
      expect(message).to.equal(
        "the credentials running the customer-gateway swap in eu-west-1 belong to AWS account 999999999999, but this stack deploys to 111122223333 " +
          "(multicloud:aws.allowedAccountIds, or the AWS provider's account); point AWS_PROFILE or the AWS credentials of this shell at that account and run pulumi up again",
      );
      expect(ec2.calls()).to.have.length(0);
    });
  }

  it("accepts any of several allowed accounts, and refuses when none is expected", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "444455556666" });
    ec2.on(DescribeVpnConnectionsCommand).resolves(vpn("available", "cgw-real"));
    await provider().create({ ...inputs, expectedAccountIds: ["111122223333", "444455556666"] });
    let message = "";
    await provider()
      .create({ ...inputs, expectedAccountIds: [] })
      .catch((err: Error) => (message = err.message));
    expect(message).to.equal(
      "the customer-gateway swap was given no expected AWS account; pass aws.allowedAccountIds or the provider's account",
    );
  });

  it("create is idempotent: no modify when the real gateway is already attached", async () => {
    ec2.on(DescribeVpnConnectionsCommand).resolves(vpn("available", "cgw-real"));
    await provider().create(inputs);
    expect(ec2.commandCalls(ModifyVpnConnectionCommand)).to.have.length(0);
  });

  it("create fails with a clear message when the connection does not exist", async () => {
    const notFound = Object.assign(new Error("not found"), { name: "InvalidVpnConnectionID.NotFound" });
    ec2.on(DescribeVpnConnectionsCommand).rejects(notFound);
    let message = "";
    await provider()
      .create(inputs)
      .catch((err: Error) => (message = err.message));
    expect(message).to.equal("VPN connection vpn-0abc does not exist (state not found); cannot attach cgw-real");
  });

  it("create gives up after the timeout, saying what state the connection is stuck in", async () => {
    ec2.on(DescribeVpnConnectionsCommand).resolves(vpn("modifying", "cgw-placeholder"));
    ec2.on(ModifyVpnConnectionCommand).resolves({});
    let message = "";
    await provider(GIVE_UP)
      .create(inputs)
      .catch((err: Error) => (message = err.message));
    expect(message).to.match(/^VPN connection vpn-0abc is still modifying on cgw-placeholder after 0 s/);
  });

  it("update: attaches the new real gateway", async () => {
    ec2
      .on(DescribeVpnConnectionsCommand)
      .resolvesOnce(vpn("available", "cgw-real"))
      .resolves(vpn("available", "cgw-new"));
    ec2.on(ModifyVpnConnectionCommand).resolves({});
    const news = { ...inputs, customerGatewayId: "cgw-new" };
    const result = await provider().update("vpn-0abc/cgw-swap", inputs, news);
    expect(result.outs).to.deep.equal(news);
    expect(ec2.commandCalls(ModifyVpnConnectionCommand)[0].args[0].input).to.deep.equal({
      VpnConnectionId: "vpn-0abc",
      CustomerGatewayId: "cgw-new",
    });
  });

  it("delete: re-attaches the placeholder so the real gateway can be deleted", async () => {
    ec2
      .on(DescribeVpnConnectionsCommand)
      .resolvesOnce(vpn("available", "cgw-real"))
      .resolvesOnce(vpn("available", "cgw-real"))
      .resolves(vpn("available", "cgw-placeholder"));
    ec2.on(ModifyVpnConnectionCommand).resolves({});
    await provider().delete("vpn-0abc/cgw-swap", inputs);
    expect(ec2.commandCalls(ModifyVpnConnectionCommand)[0].args[0].input).to.deep.equal({
      VpnConnectionId: "vpn-0abc",
      CustomerGatewayId: "cgw-placeholder",
    });
  });

  it("delete: does nothing when the connection is already being deleted", async () => {
    ec2.on(DescribeVpnConnectionsCommand).resolves(vpn("deleting", "cgw-real"));
    await provider().delete("vpn-0abc/cgw-swap", inputs);
    expect(ec2.commandCalls(ModifyVpnConnectionCommand)).to.have.length(0);
  });

  it("diff: same inputs are no change; a new gateway updates; a new connection or region replaces", () => {
    expect(diffSwap(inputs, { ...inputs }).changes).to.equal(false);
    expect(diffSwap(inputs, { ...inputs, customerGatewayId: "cgw-new" })).to.deep.include({
      changes: true,
      replaces: [],
    });
    expect(diffSwap(inputs, { ...inputs, vpnConnectionId: "vpn-0def" })).to.deep.include({
      changes: true,
      replaces: ["vpnConnectionId"],
    });
    expect(diffSwap(inputs, { ...inputs, region: "eu-central-1" }).replaces).to.deep.equal(["region"]);
    expect(diffSwap(inputs, { ...inputs, expectedAccountIds: ["444455556666"] })).to.deep.include({
      changes: true,
      replaces: [],
    });
    // State written before the account check existed: the new list is an update, not a replacement.
    const old = Object.fromEntries(
      Object.entries(inputs).filter(([field]) => field !== "expectedAccountIds"),
    ) as unknown as SwapInputs;
    expect(diffSwap(old, inputs)).to.deep.include({ changes: true, replaces: [] });
  });
});
