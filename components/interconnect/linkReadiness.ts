/**
 * The link-readiness gate: a dynamic resource that waits, in the process running `pulumi up`, until
 * traffic can cross the interconnect, so the invocations that cross it (schema migrations, the
 * settings they write) run on a working link rather than merely on created resources.
 *
 * Ready means, for every IPSec tunnel that carries traffic (the paired ones; in fastconnect mode the
 * IPSec backup, since a circuit takes days to provision):
 * - AWS `DescribeVpnConnections`: the tunnel's `VgwTelemetry` entry is `UP` with at least one
 *   accepted route (BGP has exchanged routes, not just IKE);
 * - OCI `GetIPSecConnectionTunnel`: `status = UP` and `bgpSessionInfo.bgpState = UP`, and the AWS
 *   VPC range is among the tunnel's customer-advertised routes;
 * and, once for the link, AWS `DescribeRouteTables`: the OCI range is an active, propagated route
 * in every private route table (what the VPC's clients actually route by).
 *
 * One gate per dependent invocation, carrying that invocation's triggers: a change to them updates
 * the gate, which polls again before the invocation runs. Credentials are the deploying process's
 * own (like the customer-gateway swap): AWS from the environment (checked against the stack's
 * accounts first), OCI from the OCI CLI config file (`OCI_CLI_CONFIG_FILE`, `OCI_CLI_PROFILE`).
 * It has never run against a cloud (docs/interconnect.md#readiness); the tests drive it through
 * scripted EC2 responses and an OCI API served on loopback.
 */
import type { EC2Client } from "@aws-sdk/client-ec2";
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { checkAccount, deployerAwsClients, StsSender } from "./vpnCustomerGatewaySwap";

/** One traffic-carrying tunnel, as both clouds name it. */
export interface GateTunnel {
  /** How people name it (pair and index), for messages. */
  readonly name: string;
  readonly vpnConnectionId: string;
  /** AWS's outside IP of the tunnel: how VgwTelemetry names it. */
  readonly awsOutsideIp: string;
  readonly ociIpsecId: string;
  readonly ociTunnelId: string;
}

export interface LinkReadinessInputs {
  readonly awsRegion: string;
  /** The AWS accounts the gate may read in (as the swap): aws.allowedAccountIds or the provider's account. */
  readonly expectedAccountIds: readonly string[];
  readonly tunnels: readonly GateTunnel[];
  /** The private route tables that receive the OCI range by propagation. */
  readonly routeTableIds: readonly string[];
  /** The virtual private gateway that propagates it. */
  readonly vpnGatewayId: string;
  readonly ociCidr: string;
  readonly awsCidr: string;
  /** Seconds to wait before failing the deploy (interconnect.readinessTimeoutMinutes). */
  readonly timeoutSeconds: number;
  /** The dependent invocation's triggers: when they change, the gate polls again first. */
  readonly triggers: Readonly<Record<string, string>>;
}

/** What the clouds reported in one poll. */
export interface LinkObservation {
  /** Per VPN connection id: its tunnels' telemetry (undefined: the connection was not found). */
  readonly vpnTelemetry: Readonly<
    Record<
      string,
      | readonly {
          readonly outsideIp?: string;
          readonly status?: string;
          readonly acceptedRouteCount?: number;
          readonly statusMessage?: string;
        }[]
      | undefined
    >
  >;
  /** Per route table id: its routes (undefined: not found). */
  readonly routes: Readonly<
    Record<
      string,
      | readonly {
          readonly destination?: string;
          readonly state?: string;
          readonly gatewayId?: string;
          readonly origin?: string;
        }[]
      | undefined
    >
  >;
  /** Per OCI tunnel id: its status, BGP state and the routes the customer side (AWS) advertises. */
  readonly ociTunnels: Readonly<
    Record<string, { readonly status?: string; readonly bgpState?: string; readonly customerRoutes: readonly string[] }>
  >;
}

/** Why a gate cannot decide anything (nothing to watch, no time to wait), or undefined. */
export function gateProblem(
  inputs: Pick<LinkReadinessInputs, "tunnels" | "routeTableIds" | "timeoutSeconds">,
): string | undefined {
  // A value not yet known (a preview) decides nothing.
  if (!Array.isArray(inputs.tunnels) || !Array.isArray(inputs.routeTableIds)) return undefined;
  if (inputs.tunnels.length === 0 && inputs.routeTableIds.length === 0)
    return "has no tunnel and no route table to watch, so it would pass without proving the link; give it the interconnect's readiness";
  if (typeof inputs.timeoutSeconds === "number" && !(inputs.timeoutSeconds > 0))
    return `timeoutSeconds is ${inputs.timeoutSeconds}; give it a positive timeout`;
  return undefined;
}

/** Why the link is not ready yet, one line per tunnel or route table; empty when it is. Pure. */
export function linkProblems(inputs: LinkReadinessInputs, seen: LinkObservation): string[] {
  const problems: string[] = [];
  for (const tunnel of inputs.tunnels) {
    const label = `tunnel ${tunnel.name} (AWS ${tunnel.vpnConnectionId} ${tunnel.awsOutsideIp}, OCI ${tunnel.ociTunnelId})`;
    const telemetry = seen.vpnTelemetry[tunnel.vpnConnectionId];
    const aws = telemetry?.find((t) => t.outsideIp === tunnel.awsOutsideIp);
    if (!telemetry) problems.push(`${label}: AWS does not find VPN connection ${tunnel.vpnConnectionId}`);
    else if (!aws) problems.push(`${label}: AWS reports no telemetry for outside IP ${tunnel.awsOutsideIp}`);
    else if (aws.status !== "UP")
      problems.push(
        `${label}: AWS reports it ${aws.status ?? "without a status"}${aws.statusMessage ? ` (${aws.statusMessage})` : ""}`,
      );
    else if ((aws.acceptedRouteCount ?? 0) < 1)
      problems.push(`${label}: AWS reports it UP but has accepted no BGP routes from OCI`);
    const oci = seen.ociTunnels[tunnel.ociTunnelId];
    if (!oci) problems.push(`${label}: OCI does not find the tunnel`);
    else if (oci.status !== "UP") problems.push(`${label}: OCI reports it ${oci.status ?? "without a status"}`);
    else if (oci.bgpState !== "UP") problems.push(`${label}: OCI reports its BGP session ${oci.bgpState ?? "absent"}`);
    else if (!oci.customerRoutes.includes(inputs.awsCidr))
      problems.push(
        `${label}: OCI has not received the VPC range ${inputs.awsCidr} over BGP (customer routes: ${oci.customerRoutes.join(", ") || "none"})`,
      );
  }
  for (const tableId of inputs.routeTableIds) {
    const routes = seen.routes[tableId];
    const route = routes?.find((r) => r.destination === inputs.ociCidr);
    if (!routes) problems.push(`route table ${tableId}: AWS does not find it`);
    else if (!route) problems.push(`route table ${tableId}: no route to the OCI range ${inputs.ociCidr} yet`);
    else if (route.state !== "active")
      problems.push(`route table ${tableId}: the route to ${inputs.ociCidr} is ${route.state ?? "without a state"}`);
    else if (route.gatewayId !== inputs.vpnGatewayId || route.origin !== "EnableVgwRoutePropagation")
      problems.push(
        `route table ${tableId}: ${inputs.ociCidr} goes to ${route.gatewayId ?? "?"} (${route.origin ?? "?"}), not propagated from ${inputs.vpnGatewayId}`,
      );
  }
  return problems;
}

/** The two OCI calls the gate makes; `ociTunnelApi` implements them with oci-core. */
export interface OciTunnelApi {
  tunnel(ipscId: string, tunnelId: string): Promise<{ status?: string; bgpState?: string } | undefined>;
  customerRoutes(ipscId: string, tunnelId: string): Promise<string[]>;
}

export type Ec2Sender = Pick<EC2Client, "send">;
export interface GateClients {
  readonly ec2: Ec2Sender;
  readonly sts: StsSender;
  readonly oci: OciTunnelApi;
}

const notFound = (err: unknown) => /NotFound/.test(String((err as { name?: string }).name));

/** One poll of both clouds. */
export async function observeLink(clients: GateClients, inputs: LinkReadinessInputs): Promise<LinkObservation> {
  const { DescribeVpnConnectionsCommand, DescribeRouteTablesCommand } = await import("@aws-sdk/client-ec2");
  const vpnTelemetry: Record<string, LinkObservation["vpnTelemetry"][string]> = {};
  for (const id of [...new Set(inputs.tunnels.map((t) => t.vpnConnectionId))]) {
    try {
      const out = await clients.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [id] }));
      vpnTelemetry[id] = out.VpnConnections?.[0]?.VgwTelemetry?.map((t) => ({
        outsideIp: t.OutsideIpAddress,
        status: t.Status,
        acceptedRouteCount: t.AcceptedRouteCount,
        statusMessage: t.StatusMessage,
      }));
    } catch (err) {
      if (!notFound(err)) throw err;
    }
  }
  const routes: Record<string, LinkObservation["routes"][string]> = {};
  if (inputs.routeTableIds.length > 0) {
    try {
      const out = await clients.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [...inputs.routeTableIds] }));
      for (const table of out.RouteTables ?? [])
        if (table.RouteTableId)
          routes[table.RouteTableId] = (table.Routes ?? []).map((r) => ({
            destination: r.DestinationCidrBlock,
            state: r.State,
            gatewayId: r.GatewayId,
            origin: r.Origin,
          }));
    } catch (err) {
      if (!notFound(err)) throw err;
    }
  }
  const ociTunnels: Record<string, LinkObservation["ociTunnels"][string]> = {};
  for (const tunnel of inputs.tunnels) {
    const state = await clients.oci.tunnel(tunnel.ociIpsecId, tunnel.ociTunnelId);
    if (!state) continue;
    const customerRoutes =
      state.status === "UP" && state.bgpState === "UP"
        ? await clients.oci.customerRoutes(tunnel.ociIpsecId, tunnel.ociTunnelId)
        : [];
    ociTunnels[tunnel.ociTunnelId] = { ...state, customerRoutes };
  }
  return { vpnTelemetry, routes, ociTunnels };
}

export interface PollOptions {
  readonly pollMs: number;
}
export const DEFAULT_POLL: PollOptions = { pollMs: 20_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until the link is ready, or fails after `inputs.timeoutSeconds` naming every tunnel or
 * route table still not ready, and what to do. `now` is injectable for tests.
 */
export async function waitForLink(
  clients: GateClients,
  inputs: LinkReadinessInputs,
  poll: PollOptions = DEFAULT_POLL,
  now: () => number = Date.now,
): Promise<number> {
  const refused = gateProblem(inputs);
  if (refused) throw new Error(`the link-readiness gate ${refused}`);
  const deadline = now() + inputs.timeoutSeconds * 1000;
  for (let polls = 1; ; polls++) {
    const problems = linkProblems(inputs, await observeLink(clients, inputs));
    if (problems.length === 0) return polls;
    if (now() >= deadline)
      throw new Error(
        `the interconnect is not ready after ${inputs.timeoutSeconds} s (${polls} polls), so the invocations across it were not run:\n  - ${problems.join("\n  - ")}\n` +
          `Check the tunnels in both consoles (docs/interconnect.md#readiness: IKE, BGP, route propagation), then run pulumi up again; ` +
          `raise multicloud:interconnect.readinessTimeoutMinutes if the link is only slow to come up.`,
      );
    await sleep(poll.pollMs);
  }
}

/** A change of any input polls again (an update); nothing is replaced, nothing is deleted in a cloud. */
export function diffGate(olds: LinkReadinessInputs, news: LinkReadinessInputs): pulumi.dynamic.DiffResult {
  return { changes: JSON.stringify(olds) !== JSON.stringify(news), replaces: [], deleteBeforeReplace: false };
}

/** The OCI tunnel API over oci-core, authenticated by the deploying user's OCI CLI config (or `auth` in tests). */
export async function ociTunnelApi(
  region: string,
  options: { endpoint?: string; auth?: import("oci-common").AuthenticationDetailsProvider } = {},
): Promise<OciTunnelApi> {
  const [core, common] = await Promise.all([import("oci-core"), import("oci-common")]);
  const auth =
    options.auth ??
    new common.ConfigFileAuthenticationDetailsProvider(process.env.OCI_CLI_CONFIG_FILE, process.env.OCI_CLI_PROFILE);
  const client = new core.VirtualNetworkClient({ authenticationDetailsProvider: auth });
  if (options.endpoint) client.endpoint = options.endpoint;
  else client.regionId = region;
  return {
    async tunnel(ipscId, tunnelId) {
      try {
        const { iPSecConnectionTunnel: t } = await client.getIPSecConnectionTunnel({ ipscId, tunnelId });
        return { status: t.status, bgpState: t.bgpSessionInfo?.bgpState };
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) return undefined;
        throw err;
      }
    },
    async customerRoutes(ipscId, tunnelId) {
      const prefixes: string[] = [];
      let page: string | undefined;
      do {
        const out = await client.listIPSecConnectionTunnelRoutes({
          ipscId,
          tunnelId,
          advertiser: core.models.TunnelRouteSummary.Advertiser.Customer,
          ...(page ? { page } : {}),
        });
        prefixes.push(...out.items.flatMap((r) => (r.prefix ? [r.prefix] : [])));
        page = out.opcNextPage;
      } while (page);
      return prefixes;
    },
  };
}

/** The dynamic provider. `clientsFor` is injectable for tests; by default the deploying process's credentials. */
export class LinkReadinessProvider implements pulumi.dynamic.ResourceProvider<
  LinkReadinessInputs,
  LinkReadinessInputs
> {
  constructor(
    private readonly clientsFor?: (inputs: LinkReadinessInputs) => Promise<GateClients>,
    private readonly poll: PollOptions = DEFAULT_POLL,
    private readonly ociRegion?: string,
  ) {}

  private async wait(inputs: LinkReadinessInputs): Promise<void> {
    const clients: GateClients = this.clientsFor
      ? await this.clientsFor(inputs)
      : { ...(await deployerAwsClients(inputs.awsRegion)), oci: await ociTunnelApi(this.ociRegion ?? "") };
    await checkAccount(clients.sts, inputs.expectedAccountIds, inputs.awsRegion, "the link-readiness gate");
    await waitForLink(clients, inputs, this.poll);
  }

  async create(inputs: LinkReadinessInputs): Promise<pulumi.dynamic.CreateResult<LinkReadinessInputs>> {
    await this.wait(inputs);
    const id = createHash("sha256")
      .update(JSON.stringify(inputs.tunnels.map((t) => t.ociTunnelId)))
      .digest("hex")
      .slice(0, 16);
    return { id: `link-ready-${id}`, outs: inputs };
  }

  async diff(_id: string, olds: LinkReadinessInputs, news: LinkReadinessInputs): Promise<pulumi.dynamic.DiffResult> {
    return diffGate(olds, news);
  }

  async update(
    _id: string,
    _olds: LinkReadinessInputs,
    news: LinkReadinessInputs,
  ): Promise<pulumi.dynamic.UpdateResult<LinkReadinessInputs>> {
    await this.wait(news);
    return { outs: news };
  }

  // Nothing to delete: the gate only reads.
}

export type LinkReadinessArgs = {
  readonly [K in keyof LinkReadinessInputs]: pulumi.Input<LinkReadinessInputs[K]>;
} & {
  /** The OCI region of the tunnels. */
  readonly ociRegion: string;
};

/** Waits for the interconnect before the resources that depend on it (module doc above). */
export class LinkReadiness extends pulumi.dynamic.Resource {
  constructor(name: string, args: LinkReadinessArgs, opts?: pulumi.CustomResourceOptions) {
    const { ociRegion, ...inputs } = args;
    super(
      new LinkReadinessProvider(undefined, DEFAULT_POLL, ociRegion),
      name,
      { ...inputs },
      opts,
      "multicloud",
      "LinkReadiness",
    );
  }
}

/** What a component needs to make its own gate for an invocation: all but the triggers (the interconnect's `readiness` output). */
export interface LinkGateSpec {
  readonly awsRegion: string;
  readonly ociRegion: string;
  readonly expectedAccountIds: pulumi.Input<readonly string[]>;
  readonly tunnels: pulumi.Input<readonly GateTunnel[]>;
  readonly routeTableIds: pulumi.Input<readonly string[]>;
  readonly vpnGatewayId: pulumi.Input<string>;
  readonly ociCidr: string;
  readonly awsCidr: pulumi.Input<string>;
  readonly timeoutSeconds: number;
  /** What the gate waits for before polling: the interconnect (its customer-gateway swaps and route propagation). */
  readonly after: pulumi.Resource;
}

/** A gate for one invocation, under `parent`, polling again whenever `triggers` change. */
export function linkGate(
  name: string,
  spec: LinkGateSpec,
  triggers: pulumi.Input<Record<string, pulumi.Input<string>>>,
  parent: pulumi.Resource,
): LinkReadiness {
  const { after, ...inputs } = spec;
  return new LinkReadiness(
    name,
    { ...inputs, triggers: pulumi.output(triggers) as pulumi.Output<Record<string, string>> },
    { parent, dependsOn: [after] },
  );
}

/** What every invocation across the link waits for: its own gate, and what the program makes ready for it. */
export interface CrossLinkReadiness {
  readonly gate: LinkGateSpec;
  /** The AWS network (ACLs, endpoints) and the VPC endpoint policies, which the program builds last. */
  readonly after: readonly pulumi.Input<pulumi.Resource>[];
}
