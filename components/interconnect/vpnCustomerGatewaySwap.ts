/**
 * Breaks the OCI↔AWS headend-IP cycle inside one deployment. The AWS VPN connection is created on a
 * placeholder customer gateway (its outside IPs are needed to create the OCI CPE); once the OCI
 * tunnels exist, the real customer gateway (the Oracle headend IP) is attached with EC2
 * ModifyVpnConnection, which AWS applies in place: the VPN connection's outside IPs, inside
 * addresses and keys stay. The VPN connection resource ignores changes to customerGatewayId, so a
 * second `pulumi up` is a no-op. Deleting this resource re-attaches the placeholder, so the real
 * customer gateway is no longer in use when Pulumi deletes it.
 *
 * The swap calls EC2 with the credentials of the process running `pulumi up`, not the AWS
 * provider's; before any call it checks with STS that they belong to an account the stack may
 * deploy to (`aws.allowedAccountIds`, else the explicit provider's account), so a shell pointed at
 * another account fails with a clear error instead of modifying, or failing to find, a VPN there.
 */
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { STSClient } from "@aws-sdk/client-sts";
import * as pulumi from "@pulumi/pulumi";

export interface SwapInputs {
  /** AWS region of the VPN connection. */
  readonly region: string;
  readonly vpnConnectionId: string;
  /** The customer gateway to attach: the Oracle headend of the paired OCI tunnel. */
  readonly customerGatewayId: string;
  /** The customer gateway the VPN connection was created with; restored on delete. */
  readonly placeholderCustomerGatewayId: string;
  /** The AWS accounts the swap may act in: aws.allowedAccountIds, or the explicit AWS provider's account. */
  readonly expectedAccountIds: readonly string[];
}

/** The parts of EC2Client and STSClient used here, so tests can hand in mocked clients. */
export type Ec2Sender = Pick<EC2Client, "send">;
export type StsSender = Pick<STSClient, "send">;
export interface SwapClients {
  readonly ec2: Ec2Sender;
  readonly sts: StsSender;
}

/**
 * Refuses to act when the credentials in use belong to another account than the stack deploys to,
 * naming both and the fix. Runs before any EC2 call.
 */
export async function checkAccount(
  sts: StsSender,
  expectedAccountIds: readonly string[],
  region: string,
  what = "the customer-gateway swap",
): Promise<string> {
  if (expectedAccountIds.length === 0)
    throw new Error(`${what} was given no expected AWS account; pass aws.allowedAccountIds or the provider's account`);
  const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  const { Account: account } = await sts.send(new GetCallerIdentityCommand({}));
  if (!account || !expectedAccountIds.includes(account)) {
    throw new Error(
      `the credentials running ${what} in ${region} belong to AWS account ${account ?? "(none reported)"}, ` +
        `but this stack deploys to ${expectedAccountIds.join(" or ")} (multicloud:aws.allowedAccountIds, or the AWS provider's account); ` +
        `point AWS_PROFILE or the AWS credentials of this shell at that account and run pulumi up again`,
    );
  }
  return account;
}

/** EC2 and STS for `region` with the deploying process's own credentials (the swap's and the link gate's). */
export async function deployerAwsClients(region: string): Promise<SwapClients> {
  const [{ EC2Client: Ec2 }, { STSClient: Sts }] = await Promise.all([
    import("@aws-sdk/client-ec2"),
    import("@aws-sdk/client-sts"),
  ]);
  return { ec2: new Ec2({ region }), sts: new Sts({ region }) };
}

export interface WaitOptions {
  readonly pollMs: number;
  readonly timeoutMs: number;
}

/** AWS takes a few minutes to apply ModifyVpnConnection. */
export const DEFAULT_WAIT: WaitOptions = { pollMs: 15_000, timeoutMs: 30 * 60_000 };

interface VpnState {
  readonly state?: string;
  readonly customerGatewayId?: string;
}

async function describeVpn(ec2: Ec2Sender, vpnConnectionId: string): Promise<VpnState | undefined> {
  const { DescribeVpnConnectionsCommand } = await import("@aws-sdk/client-ec2");
  try {
    const out = await ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpnConnectionId] }));
    const vpn = out.VpnConnections?.[0];
    return vpn ? { state: vpn.State, customerGatewayId: vpn.CustomerGatewayId } : undefined;
  } catch (err) {
    if ((err as { name?: string }).name === "InvalidVpnConnectionID.NotFound") return undefined;
    throw err;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Makes `customerGatewayId` the VPN connection's customer gateway and waits until AWS reports the
 * connection available on it. Idempotent: nothing is modified when it is already attached.
 */
export async function attachCustomerGateway(
  ec2: Ec2Sender,
  vpnConnectionId: string,
  customerGatewayId: string,
  wait: WaitOptions = DEFAULT_WAIT,
): Promise<void> {
  const { ModifyVpnConnectionCommand } = await import("@aws-sdk/client-ec2");
  const before = await describeVpn(ec2, vpnConnectionId);
  if (!before || before.state === "deleting" || before.state === "deleted") {
    throw new Error(
      `VPN connection ${vpnConnectionId} does not exist (state ${before?.state ?? "not found"}); cannot attach ${customerGatewayId}`,
    );
  }
  if (before.customerGatewayId !== customerGatewayId) {
    await ec2.send(
      new ModifyVpnConnectionCommand({ VpnConnectionId: vpnConnectionId, CustomerGatewayId: customerGatewayId }),
    );
  }
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const now = await describeVpn(ec2, vpnConnectionId);
    if (now?.state === "available" && now.customerGatewayId === customerGatewayId) return;
    if (!now || now.state === "deleting" || now.state === "deleted") {
      throw new Error(`VPN connection ${vpnConnectionId} went away while attaching ${customerGatewayId}`);
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `VPN connection ${vpnConnectionId} is still ${now.state} on ${now.customerGatewayId} after ${wait.timeoutMs / 1000} s; ` +
          `check ModifyVpnConnection in the EC2 console and run pulumi up again`,
      );
    }
    await sleep(wait.pollMs);
  }
}

/**
 * What a change of inputs means: a new VPN connection or region is a new swap; a new gateway, or a
 * new list of expected accounts, is an update (attaching again is a no-op when nothing moved).
 */
export function diffSwap(olds: SwapInputs, news: SwapInputs): pulumi.dynamic.DiffResult {
  const replaces = (["region", "vpnConnectionId"] as const).filter((field) => olds[field] !== news[field]);
  const updates = [
    ...(["customerGatewayId", "placeholderCustomerGatewayId"] as const).filter((field) => olds[field] !== news[field]),
    ...(JSON.stringify(olds.expectedAccountIds ?? []) === JSON.stringify(news.expectedAccountIds)
      ? []
      : ["expectedAccountIds"]),
  ];
  return {
    changes: replaces.length + updates.length > 0,
    replaces,
    deleteBeforeReplace: false,
    stables: ["region", "vpnConnectionId"],
  };
}

/**
 * The dynamic provider. `clientsFor` is injectable for tests; by default it builds EC2 and STS
 * clients for the connection's region per call, and checks the account before returning them.
 */
export class VpnCustomerGatewaySwapProvider implements pulumi.dynamic.ResourceProvider<SwapInputs, SwapInputs> {
  constructor(
    private readonly clientsFor?: (region: string) => SwapClients,
    private readonly wait: WaitOptions = DEFAULT_WAIT,
  ) {}

  /** EC2 for the connection's region, once STS has confirmed the account. */
  private async client(inputs: Pick<SwapInputs, "region" | "expectedAccountIds">): Promise<Ec2Sender> {
    const clients = this.clientsFor ? this.clientsFor(inputs.region) : await deployerAwsClients(inputs.region);
    // State written before this check existed has no accounts: nothing to compare, so refuse rather than guess.
    await checkAccount(clients.sts, inputs.expectedAccountIds ?? [], inputs.region);
    return clients.ec2;
  }

  async create(inputs: SwapInputs): Promise<pulumi.dynamic.CreateResult<SwapInputs>> {
    await attachCustomerGateway(await this.client(inputs), inputs.vpnConnectionId, inputs.customerGatewayId, this.wait);
    return { id: `${inputs.vpnConnectionId}/cgw-swap`, outs: inputs };
  }

  async diff(_id: string, olds: SwapInputs, news: SwapInputs): Promise<pulumi.dynamic.DiffResult> {
    return diffSwap(olds, news);
  }

  async update(_id: string, _olds: SwapInputs, news: SwapInputs): Promise<pulumi.dynamic.UpdateResult<SwapInputs>> {
    await attachCustomerGateway(await this.client(news), news.vpnConnectionId, news.customerGatewayId, this.wait);
    return { outs: news };
  }

  async delete(_id: string, props: SwapInputs): Promise<void> {
    const ec2 = await this.client(props);
    const vpn = await describeVpn(ec2, props.vpnConnectionId);
    // Gone already (the connection is being destroyed too): nothing holds the real gateway.
    if (!vpn || vpn.state === "deleting" || vpn.state === "deleted") return;
    await attachCustomerGateway(ec2, props.vpnConnectionId, props.placeholderCustomerGatewayId, this.wait);
  }
}

export type SwapArgs = { readonly [K in keyof SwapInputs]: pulumi.Input<SwapInputs[K]> };

/** Attaches the real customer gateway to a VPN connection created on a placeholder. */
export class VpnCustomerGatewaySwap extends pulumi.dynamic.Resource {
  declare readonly customerGatewayId: pulumi.Output<string>;
  declare readonly vpnConnectionId: pulumi.Output<string>;

  constructor(name: string, args: SwapArgs, opts?: pulumi.CustomResourceOptions) {
    super(new VpnCustomerGatewaySwapProvider(), name, { ...args }, opts, "multicloud", "VpnCustomerGatewaySwap");
  }
}
