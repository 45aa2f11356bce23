/**
 * The link-readiness gate (components/interconnect/linkReadiness.ts) against scripted APIs: EC2 and
 * STS through aws-sdk-client-mock, OCI through the real oci-core client talking to an HTTP server
 * on loopback that plays the Networking API (signed requests, paging).
 */
import { DescribeRouteTablesCommand, DescribeVpnConnectionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SimpleAuthenticationDetailsProvider } from "oci-common";
import {
  diffGate,
  gateProblem,
  LinkObservation,
  linkProblems,
  LinkReadinessInputs,
  LinkReadinessProvider,
  ociTunnelApi,
  OciTunnelApi,
  waitForLink,
} from "../../components/interconnect/linkReadiness";

const IPSC = "ocid1.ipsecconnection.oc1.eu-frankfurt-1.aaaa";
const TUNNEL = "ocid1.ipsectunnel.oc1.eu-frankfurt-1.t1";
const inputs: LinkReadinessInputs = {
  awsRegion: "eu-west-1",
  expectedAccountIds: ["111122223333"],
  tunnels: [
    {
      name: "pair 0 tunnel 1",
      vpnConnectionId: "vpn-0abc",
      awsOutsideIp: "203.0.113.10",
      ociIpsecId: IPSC,
      ociTunnelId: TUNNEL,
    },
  ],
  routeTableIds: ["rtb-a", "rtb-b"],
  vpnGatewayId: "vgw-1",
  ociCidr: "10.20.0.0/16",
  awsCidr: "10.10.0.0/16",
  timeoutSeconds: 600,
  triggers: { migrationSet: "abc" },
};
const LABEL = `tunnel pair 0 tunnel 1 (AWS vpn-0abc 203.0.113.10, OCI ${TUNNEL})`;

const ready: LinkObservation = {
  vpnTelemetry: {
    "vpn-0abc": [
      { outsideIp: "203.0.113.10", status: "UP", acceptedRouteCount: 1 },
      { outsideIp: "203.0.113.11", status: "DOWN", acceptedRouteCount: 0 },
    ],
  },
  routes: {
    "rtb-a": [
      { destination: "10.20.0.0/16", state: "active", gatewayId: "vgw-1", origin: "EnableVgwRoutePropagation" },
    ],
    "rtb-b": [
      { destination: "10.20.0.0/16", state: "active", gatewayId: "vgw-1", origin: "EnableVgwRoutePropagation" },
    ],
  },
  ociTunnels: { [TUNNEL]: { status: "UP", bgpState: "UP", customerRoutes: ["10.10.0.0/16"] } },
};

describe("link readiness: what counts as ready (linkProblems, pure)", () => {
  it("is ready when the paired tunnel is UP with routes on both sides and every private table routes the OCI range", () => {
    expect(linkProblems(inputs, ready)).to.deep.equal([]);
  });

  const cases: [string, LinkObservation, string][] = [
    [
      "AWS telemetry DOWN",
      {
        ...ready,
        vpnTelemetry: { "vpn-0abc": [{ outsideIp: "203.0.113.10", status: "DOWN", statusMessage: "IPSEC IS DOWN" }] },
      },
      `${LABEL}: AWS reports it DOWN (IPSEC IS DOWN)`,
    ],
    [
      "UP without BGP routes",
      { ...ready, vpnTelemetry: { "vpn-0abc": [{ outsideIp: "203.0.113.10", status: "UP", acceptedRouteCount: 0 }] } },
      `${LABEL}: AWS reports it UP but has accepted no BGP routes from OCI`,
    ],
    [
      "only the unpaired tunnel UP",
      { ...ready, vpnTelemetry: { "vpn-0abc": [{ outsideIp: "203.0.113.11", status: "UP", acceptedRouteCount: 3 }] } },
      `${LABEL}: AWS reports no telemetry for outside IP 203.0.113.10`,
    ],
    ["connection gone", { ...ready, vpnTelemetry: {} }, `${LABEL}: AWS does not find VPN connection vpn-0abc`],
    [
      "OCI tunnel DOWN",
      { ...ready, ociTunnels: { [TUNNEL]: { status: "DOWN", bgpState: "DOWN", customerRoutes: [] } } },
      `${LABEL}: OCI reports it DOWN`,
    ],
    [
      "OCI BGP not established",
      { ...ready, ociTunnels: { [TUNNEL]: { status: "UP", bgpState: "DOWN", customerRoutes: [] } } },
      `${LABEL}: OCI reports its BGP session DOWN`,
    ],
    [
      "VPC range not advertised to OCI",
      { ...ready, ociTunnels: { [TUNNEL]: { status: "UP", bgpState: "UP", customerRoutes: ["10.99.0.0/16"] } } },
      `${LABEL}: OCI has not received the VPC range 10.10.0.0/16 over BGP (customer routes: 10.99.0.0/16)`,
    ],
    [
      "route not propagated yet",
      {
        ...ready,
        routes: { ...ready.routes, "rtb-b": [{ destination: "10.10.0.0/16", state: "active", gatewayId: "local" }] },
      },
      "route table rtb-b: no route to the OCI range 10.20.0.0/16 yet",
    ],
    [
      "route blackholed",
      {
        ...ready,
        routes: {
          ...ready.routes,
          "rtb-a": [
            {
              destination: "10.20.0.0/16",
              state: "blackhole",
              gatewayId: "vgw-1",
              origin: "EnableVgwRoutePropagation",
            },
          ],
        },
      },
      "route table rtb-a: the route to 10.20.0.0/16 is blackhole",
    ],
    [
      "a static route to somewhere else",
      {
        ...ready,
        routes: {
          ...ready.routes,
          "rtb-a": [{ destination: "10.20.0.0/16", state: "active", gatewayId: "igw-9", origin: "CreateRoute" }],
        },
      },
      "route table rtb-a: 10.20.0.0/16 goes to igw-9 (CreateRoute), not propagated from vgw-1",
    ],
  ];
  for (const [what, seen, problem] of cases)
    it(`names what is missing: ${what}`, () => expect(linkProblems(inputs, seen)).to.deep.equal([problem]));

  it("refuses a gate with nothing to watch or no time to wait, and decides nothing on unknown inputs", () => {
    expect(gateProblem({ tunnels: [], routeTableIds: [], timeoutSeconds: 900 })).to.match(
      /no tunnel and no route table/,
    );
    expect(gateProblem({ ...inputs, timeoutSeconds: 0 })).to.equal("timeoutSeconds is 0; give it a positive timeout");
    expect(gateProblem(inputs)).to.equal(undefined);
    expect(gateProblem({ ...inputs, tunnels: "unknown" as never })).to.equal(undefined);
  });

  it("polls again when the invocation's triggers change, replacing nothing", () => {
    expect(diffGate(inputs, inputs)).to.deep.include({ changes: false, replaces: [] });
    expect(diffGate(inputs, { ...inputs, triggers: { migrationSet: "def" } })).to.deep.include({
      changes: true,
      replaces: [],
    });
  });
});

/** An OCI Networking API on loopback: tunnel states from a script, routes in two pages, signed requests only. */
async function ociServer(states: { status: string; bgpState: string }[]) {
  const seen: string[] = [];
  let call = 0;
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (
      !/^Signature version="1",keyId="ocid1.tenancy.oc1..t\/ocid1.user.oc1..u\/aa:bb"/.test(
        String(req.headers.authorization),
      )
    )
      return json(401, { code: "NotAuthenticated", message: "unsigned" });
    const path = `/20160918/ipsecConnections/${IPSC}/tunnels/${TUNNEL}`;
    const url = new URL(String(req.url), "http://x");
    if (url.pathname === path) {
      const state = states[Math.min(call++, states.length - 1)];
      return json(200, { id: TUNNEL, status: state.status, bgpSessionInfo: { bgpState: state.bgpState } });
    }
    if (url.pathname === `${path}/routes` && url.searchParams.get("advertiser") === "CUSTOMER") {
      return url.searchParams.get("page") === "2"
        ? json(200, [{ prefix: "10.10.0.0/16", advertiser: "CUSTOMER" }])
        : json(200, [{ prefix: "10.99.0.0/24", advertiser: "CUSTOMER" }], { "opc-next-page": "2" });
    }
    return json(404, { code: "NotAuthorizedOrNotFound", message: "no such tunnel" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const api = await ociTunnelApi("eu-frankfurt-1", {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    auth: new SimpleAuthenticationDetailsProvider(
      "ocid1.tenancy.oc1..t",
      "ocid1.user.oc1..u",
      "aa:bb",
      privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      null,
    ),
  });
  return { api, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("link readiness against scripted clouds (EC2 mocked, OCI on loopback)", () => {
  const ec2 = mockClient(EC2Client);
  const sts = mockClient(STSClient);
  const telemetry = (status: string, routes: number) => ({
    VpnConnections: [
      {
        VpnConnectionId: "vpn-0abc",
        VgwTelemetry: [{ OutsideIpAddress: "203.0.113.10", Status: status as "UP", AcceptedRouteCount: routes }],
      },
    ],
  });
  const routeTables = (present: boolean) => ({
    RouteTables: ["rtb-a", "rtb-b"].map((RouteTableId) => ({
      RouteTableId,
      Routes: present
        ? [
            {
              DestinationCidrBlock: "10.20.0.0/16",
              State: "active" as const,
              GatewayId: "vgw-1",
              Origin: "EnableVgwRoutePropagation" as const,
            },
          ]
        : [],
    })),
  });
  beforeEach(() => {
    ec2.reset();
    sts.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: "111122223333" });
  });

  it("down → waits → up: returns once both clouds report the tunnel, BGP and the routes", async () => {
    ec2
      .on(DescribeVpnConnectionsCommand)
      .resolvesOnce(telemetry("DOWN", 0))
      .resolvesOnce(telemetry("UP", 0))
      .resolves(telemetry("UP", 2));
    ec2.on(DescribeRouteTablesCommand).resolvesOnce(routeTables(false)).resolves(routeTables(true));
    const oci = await ociServer([
      { status: "DOWN", bgpState: "DOWN" },
      { status: "UP", bgpState: "DOWN" },
      { status: "UP", bgpState: "UP" },
    ]);
    try {
      const polls = await waitForLink({ ec2: new EC2Client({}), sts: new STSClient({}), oci: oci.api }, inputs, {
        pollMs: 0,
      });
      expect(polls).to.equal(3);
      expect(ec2.commandCalls(DescribeVpnConnectionsCommand).map((c) => c.args[0].input)).to.deep.equal(
        Array(3).fill({ VpnConnectionIds: ["vpn-0abc"] }),
      );
      // Routes are read only once BGP is up; both pages.
      expect(oci.seen.filter((s) => s.includes("/routes"))).to.deep.equal([
        `GET /20160918/ipsecConnections/${IPSC}/tunnels/${TUNNEL}/routes?advertiser=CUSTOMER`,
        `GET /20160918/ipsecConnections/${IPSC}/tunnels/${TUNNEL}/routes?page=2&advertiser=CUSTOMER`,
      ]);
    } finally {
      await oci.close();
    }
  });

  it("never up: fails after the timeout naming the tunnel, the route tables and what to do", async () => {
    ec2.on(DescribeVpnConnectionsCommand).resolves(telemetry("DOWN", 0));
    ec2.on(DescribeRouteTablesCommand).resolves(routeTables(false));
    const oci = await ociServer([{ status: "DOWN", bgpState: "DOWN" }]);
    let clock = 0;
    try {
      const error = await waitForLink(
        { ec2: new EC2Client({}), sts: new STSClient({}), oci: oci.api },
        { ...inputs, timeoutSeconds: 60 },
        { pollMs: 0 },
        () => (clock += 25_000),
      ).then(
        () => undefined,
        (err: Error) => err.message,
      );
      expect(error).to.equal(
        "the interconnect is not ready after 60 s (3 polls), so the invocations across it were not run:\n" +
          `  - ${LABEL}: AWS reports it DOWN\n` +
          `  - ${LABEL}: OCI reports it DOWN\n` +
          "  - route table rtb-a: no route to the OCI range 10.20.0.0/16 yet\n" +
          "  - route table rtb-b: no route to the OCI range 10.20.0.0/16 yet\n" +
          "Check the tunnels in both consoles (docs/interconnect.md#readiness: IKE, BGP, route propagation), then run pulumi up again; " +
          "raise multicloud:interconnect.readinessTimeoutMinutes if the link is only slow to come up.",
      );
    } finally {
      await oci.close();
    }
  });

  it("an OCI tunnel the deployer cannot see is reported as not found, not as an exception", async () => {
    ec2.on(DescribeVpnConnectionsCommand).resolves(telemetry("UP", 1));
    ec2.on(DescribeRouteTablesCommand).resolves(routeTables(true));
    const oci = await ociServer([{ status: "UP", bgpState: "UP" }]);
    try {
      const other = { ...inputs.tunnels[0], ociTunnelId: "ocid1.ipsectunnel.oc1.eu-frankfurt-1.other" };
      const error = await waitForLink(
        { ec2: new EC2Client({}), sts: new STSClient({}), oci: oci.api },
        { ...inputs, tunnels: [other], timeoutSeconds: 0.001 },
        { pollMs: 0 },
      ).then(
        () => "",
        (err: Error) => err.message,
      );
      expect(error).to.contain("OCI ocid1.ipsectunnel.oc1.eu-frankfurt-1.other): OCI does not find the tunnel");
    } finally {
      await oci.close();
    }
  });

  it("the provider checks the account before any read, and creates an id from the tunnels", async () => {
    const fake: OciTunnelApi = {
      tunnel: async () => ({ status: "UP", bgpState: "UP" }),
      customerRoutes: async () => ["10.10.0.0/16"],
    };
    ec2.on(DescribeVpnConnectionsCommand).resolves(telemetry("UP", 1));
    ec2.on(DescribeRouteTablesCommand).resolves(routeTables(true));
    const provider = new LinkReadinessProvider(
      async () => ({ ec2: new EC2Client({}), sts: new STSClient({}), oci: fake }),
      {
        pollMs: 0,
      },
    );
    const created = await provider.create(inputs);
    expect(created.id).to.match(/^link-ready-[0-9a-f]{16}$/);
    expect(created.outs).to.deep.equal(inputs);
    sts.on(GetCallerIdentityCommand).resolves({ Account: "999999999999" });
    ec2.resetHistory();
    const refused = await provider.update(created.id, inputs, inputs).then(
      () => "",
      (err: Error) => err.message,
    );
    expect(refused).to.match(/belong to AWS account 999999999999, but this stack deploys to 111122223333/);
    expect(ec2.calls()).to.have.length(0);
  });
});
