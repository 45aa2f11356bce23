/** OCI policies: private databases, streams and functions, closed admin and database ports, private buckets. */
import { PolicyResource } from "@pulumi/policy";
import {
  list,
  MANDATORY,
  MulticloudPolicy,
  obj,
  ofType,
  PROD_MANDATORY,
  Props,
  refersTo,
  resourcePolicy,
  set,
  StackFinding,
  stackPolicy,
} from "./framework";
import { tagFieldOf } from "./taggable";
import { OCI } from "./types";

const adbNotPublic = resourcePolicy(
  {
    name: "oci-adb-not-public",
    description:
      "Autonomous Databases are reachable only through a private endpoint or an access list without 0.0.0.0/0 (then one-way TLS is safe).",
    cloud: "oci",
    ...MANDATORY,
    remediation: "Set subnetId (private endpoint) and nsgIds, or whitelistedIps with specific ranges.",
  },
  [OCI.autonomousDatabase],
  (props) => {
    const privateEndpoint = set(props.subnetId);
    const acl = list(props.whitelistedIps).map(String);
    const restricted = privateEndpoint || (acl.length > 0 && !acl.includes("0.0.0.0/0"));
    if (!restricted) return "reachable from the internet: no private endpoint and no restrictive access list";
    return undefined;
  },
);

const ociBucketNotPublic = resourcePolicy(
  {
    name: "oci-bucket-no-public-access",
    description: "Object Storage buckets allow no public access.",
    cloud: "oci",
    ...MANDATORY,
    remediation: "Set accessType NoPublicAccess; share objects with pre-authenticated requests.",
  },
  [OCI.bucket],
  (props) =>
    (props.accessType ?? "NoPublicAccess") === "NoPublicAccess"
      ? undefined
      : `accessType is ${String(props.accessType)}`,
);

const ociBucketVersioning = resourcePolicy(
  {
    name: "oci-bucket-versioning",
    description: "Object Storage buckets keep object versions (mandatory in prod).",
    cloud: "oci",
    ...PROD_MANDATORY,
    remediation: "Set versioning: Enabled.",
  },
  [OCI.bucket],
  (props) => (props.versioning === "Enabled" ? undefined : "versioning is off"),
);

const streamPoolPrivate = resourcePolicy(
  {
    name: "oci-stream-pool-private-endpoint",
    description: "Stream pools are reachable only on a private endpoint in a VCN subnet.",
    cloud: "oci",
    ...MANDATORY,
    remediation: "Set privateEndpointSettings.subnetId (and nsgIds).",
  },
  [OCI.streamPool],
  (props) => (set(obj(props.privateEndpointSettings).subnetId) ? undefined : "stream pool has a public endpoint"),
);

const streamPoolCmk = resourcePolicy(
  {
    name: "oci-stream-pool-cmk",
    description: "Stream pools encrypt their data with an OCI Vault key of the tenancy's own (mandatory in prod).",
    cloud: "oci",
    ...PROD_MANDATORY,
    remediation: "Set customEncryptionKey.kmsKeyId to a Vault key, and allow the Streaming service to use it.",
  },
  [OCI.streamPool],
  (props) =>
    set(obj(props.customEncryptionKey).kmsKeyId)
      ? undefined
      : "stream pool data is encrypted with an Oracle-managed key",
);

/** Ports that must never be open to the internet on OCI: SSH, RDP and the Oracle listeners. */
export const OCI_PROTECTED_PORTS = [22, 1521, 1522, 3389] as const;
/** "Anywhere", in both address families. */
const INTERNET = ["0.0.0.0/0", "::/0"];

/** The protected ports a TCP range opens (no range = every port). */
function protectedIn(protocol: unknown, range: Props | undefined): number[] {
  if (protocol !== "all" && protocol !== "6") return [];
  const min = Number(range?.min ?? 1);
  const max = Number(range?.max ?? 65535);
  return OCI_PROTECTED_PORTS.filter((port) => port >= min && port <= max);
}

/** The protected ports a security-list ingress rule opens. */
export function protectedPortsOpened(rule: {
  protocol?: string;
  tcpOptions?: { min?: number; max?: number };
}): number[] {
  return protectedIn(rule.protocol, rule.tcpOptions);
}

const ociNoInternetIngress = resourcePolicy(
  {
    name: "oci-no-internet-ingress-admin-db-ports",
    description: `OCI security lists and NSG rules admit nothing from 0.0.0.0/0 or ::/0 on ${OCI_PROTECTED_PORTS.join(", ")} (SSH, Oracle listeners, RDP).`,
    cloud: "oci",
    ...MANDATORY,
    remediation: "Admit the AWS VPC range or a bastion's range instead of 0.0.0.0/0 (components/network/ociRules.ts).",
  },
  [OCI.securityList, OCI.defaultSecurityList, OCI.nsgRule],
  (props, args) => {
    if (args.type === OCI.nsgRule) {
      if (props.direction !== "INGRESS" || !INTERNET.includes(String(props.source))) return undefined;
      const ports = protectedIn(props.protocol, obj(obj(props.tcpOptions).destinationPortRange));
      return ports.length ? `ingress from ${String(props.source)} opens port(s) ${ports.join(", ")}` : undefined;
    }
    return list(props.ingressSecurityRules)
      .map(obj)
      .filter((rule) => INTERNET.includes(String(rule.source)))
      .map((rule) => ({
        source: String(rule.source),
        ports: protectedPortsOpened(rule as { protocol?: string; tcpOptions?: { min?: number; max?: number } }),
      }))
      .filter(({ ports }) => ports.length > 0)
      .map(({ source, ports }) => `ingress from ${source} opens port(s) ${ports.join(", ")}`);
  },
);

const functionsPrivate = stackPolicy(
  {
    name: "oci-functions-private-subnets",
    description: "OCI Functions applications run only in subnets that prohibit public IPs.",
    cloud: "oci",
    ...MANDATORY,
    remediation: "Use the platform's functions subnet (prohibitPublicIpOnVnic: true).",
  },
  (resources) => {
    const privateSubnets = ofType(resources, OCI.subnet).filter((s) => s.props.prohibitPublicIpOnVnic === true);
    return ofType(resources, OCI.functionsApplication)
      .filter((app) => {
        const used = app.propertyDependencies.subnetIds ?? [];
        return used.length === 0 || !used.every((dep) => privateSubnets.some((s) => s.urn === dep.urn));
      })
      .map((app) => ({
        message: `application ${app.name} uses a subnet that allows public IPs (or one outside this stack)`,
        urn: app.urn,
      }));
  },
);

const drgManagedTables = stackPolicy(
  {
    name: "oci-drg-managed-route-tables",
    description:
      "Every DRG attachment uses a managed DRG route table, including the attachments OCI creates for IPSec tunnels and virtual circuits.",
    cloud: "oci",
    ...MANDATORY,
    remediation:
      "Set drgRouteTableId on DrgAttachment, and add an oci.core.DrgAttachmentManagement per IPSec tunnel and virtual circuit (components/network/drgRouting.ts).",
  },
  (resources) => {
    const tables = ofType(resources, OCI.drgRouteTable);
    const onManagedTable = (r: PolicyResource) => tables.some((t) => refersTo(r, "drgRouteTableId", t));
    const managements = ofType(resources, OCI.drgAttachmentManagement).filter(onManagedTable);
    const managedNetwork = (network: PolicyResource) => managements.some((a) => refersTo(a, "networkId", network));
    const findings: StackFinding[] = ofType(resources, OCI.drgAttachment)
      .filter((a) => !onManagedTable(a))
      .map((a) => ({ message: `attachment ${a.name} uses the DRG's autogenerated route table`, urn: a.urn }));
    for (const circuit of ofType(resources, OCI.virtualCircuit).filter(
      (c) => c.props.type === "PRIVATE" && !managedNetwork(c),
    )) {
      findings.push({
        message: `virtual circuit ${circuit.name}'s DRG attachment stays on the autogenerated route table`,
        urn: circuit.urn,
      });
    }
    const tunnels = ofType(resources, OCI.ipsecTunnel);
    for (const ipsec of ofType(resources, OCI.ipsec)) {
      const managed = tunnels.filter((t) => refersTo(t, "ipsecId", ipsec) && managedNetwork(t)).length;
      // An IPSec connection always has two tunnels, each with its own attachment.
      if (managed < 2)
        findings.push({
          message: `IPSec connection ${ipsec.name}: ${2 - managed} of its 2 tunnel attachments stay on the autogenerated route table`,
          urn: ipsec.urn,
        });
    }
    return findings;
  },
);

const vcnFlowLogs = stackPolicy(
  {
    name: "oci-vcn-flow-logs",
    description: "Every OCI subnet has an enabled flow log (a service log of flowlogs, all traffic).",
    cloud: "oci",
    ...MANDATORY,
    remediation:
      "Add an oci.logging.Log (logType SERVICE, source service flowlogs, category all, resource = the subnet) as OciNetwork does.",
  },
  (resources) => {
    const flowLogs = ofType(resources, OCI.log).filter((log) => {
      const source = obj(obj(log.props.configuration).source);
      return (
        log.props.logType === "SERVICE" &&
        log.props.isEnabled !== false &&
        source.service === "flowlogs" &&
        source.category === "all"
      );
    });
    return ofType(resources, OCI.subnet)
      .filter((subnet) => !flowLogs.some((log) => refersTo(log, "configuration", subnet)))
      .map((subnet) => ({ message: `subnet ${subnet.name} has no enabled flow log of all traffic`, urn: subnet.urn }));
  },
);

const functionsLogs = stackPolicy(
  {
    name: "oci-functions-logs",
    description:
      "Every OCI Functions application has its invocation logs on (a service log of functions, category invoke).",
    cloud: "oci",
    ...MANDATORY,
    remediation:
      "Add an oci.logging.Log (logType SERVICE, source service functions, category invoke, resource = the application) as FunctionsApplication does.",
  },
  (resources) => {
    const invokeLogs = ofType(resources, OCI.log).filter((log) => {
      const source = obj(obj(log.props.configuration).source);
      return (
        log.props.logType === "SERVICE" &&
        log.props.isEnabled !== false &&
        source.service === "functions" &&
        source.category === "invoke"
      );
    });
    return ofType(resources, OCI.functionsApplication)
      .filter((app) => !invokeLogs.some((log) => refersTo(log, "configuration", app)))
      .map((app) => ({ message: `application ${app.name} has no enabled invocation log`, urn: app.urn }));
  },
);

/** Authentication types that check every request before the backend runs: a JWT against the issuer's keys, or an authorizer function. */
const CHECKING_AUTH = ["JWT_AUTHENTICATION", "CUSTOM_AUTHENTICATION", "TOKEN_AUTHENTICATION"];

const apiGatewayAuth = resourcePolicy(
  {
    name: "oci-apigw-auth",
    description:
      "Every API Gateway deployment authenticates every request (JWT with issuers, audiences and keys, or an authorizer function), allows no anonymous access, and has no anonymous route.",
    cloud: "oci",
    ...MANDATORY,
    remediation:
      "Set specification.requestPolicies.authentication (type JWT_AUTHENTICATION with issuers, audiences and publicKeys, or an authorizer function), isAnonymousAccessAllowed false, and no route authorization of type ANONYMOUS (components/streaming/recommendationGateway.ts).",
  },
  [OCI.apiDeployment],
  (props) => {
    const spec = obj(props.specification);
    const auth = obj(obj(spec.requestPolicies).authentication);
    const problems: string[] = [];
    if (!CHECKING_AUTH.includes(String(auth.type)))
      problems.push("no authentication policy: every request reaches the backend unauthenticated");
    else if (
      auth.type === "JWT_AUTHENTICATION" &&
      (list(auth.issuers).length === 0 || list(auth.audiences).length === 0 || !set(auth.publicKeys))
    )
      problems.push("JWT authentication without issuers, audiences and public keys");
    else if (auth.type !== "JWT_AUTHENTICATION" && !set(auth.functionId) && !set(auth.validationPolicy))
      problems.push(`${String(auth.type)} without an authorizer function or validation policy`);
    if (auth.isAnonymousAccessAllowed === true) problems.push("anonymous access is allowed");
    for (const route of list(spec.routes).map(obj)) {
      if (obj(obj(route.requestPolicies).authorization).type === "ANONYMOUS")
        problems.push(`route ${String(route.path)} is anonymous`);
    }
    return problems;
  },
);

const apiGatewayPrivate = resourcePolicy(
  {
    name: "oci-apigw-private",
    description:
      "API gateways have a private endpoint (mandatory in prod): callers reach them inside the VCN or across the interconnect.",
    cloud: "oci",
    ...PROD_MANDATORY,
    remediation: "Set endpointType PRIVATE with a private subnet (multicloud:recommendations.gateway.access: private).",
  },
  [OCI.apiGateway],
  (props) => (props.endpointType === "PRIVATE" ? undefined : `endpoint type is ${String(props.endpointType)}`),
);

const apiGatewayLogs = stackPolicy(
  {
    name: "oci-apigw-logs",
    description: "Every API Gateway deployment has its access and execution logs on (service logs of apigateway).",
    cloud: "oci",
    ...MANDATORY,
    remediation:
      "Add two oci.logging.Log (logType SERVICE, service apigateway, categories access and execution, resource = the deployment) as RecommendationGateway does.",
  },
  (resources) => {
    const logsOf = (category: string) =>
      ofType(resources, OCI.log).filter((log) => {
        const source = obj(obj(log.props.configuration).source);
        return (
          log.props.logType === "SERVICE" &&
          log.props.isEnabled !== false &&
          source.service === "apigateway" &&
          source.category === category
        );
      });
    const findings: StackFinding[] = [];
    for (const deployment of ofType(resources, OCI.apiDeployment)) {
      const missing = ["access", "execution"].filter(
        (category) => !logsOf(category).some((log) => refersTo(log, "configuration", deployment)),
      );
      if (missing.length)
        findings.push({
          message: `deployment ${deployment.name} has no enabled ${missing.join(" or ")} log`,
          urn: deployment.urn,
        });
    }
    return findings;
  },
);

const ociAlarmsNotify = resourcePolicy(
  {
    name: "oci-alarms-notify",
    description: "Every OCI Monitoring alarm is enabled and notifies at least one destination (a Notifications topic).",
    cloud: "oci",
    ...MANDATORY,
    remediation: "Set isEnabled true and destinations [the stack's OCI alarm topic] (components/shared/ociAlarms.ts).",
  },
  [OCI.monitoringAlarm],
  (props) => {
    const problems: string[] = [];
    if (props.isEnabled !== true) problems.push("is disabled");
    if (list(props.destinations).length === 0) problems.push("notifies no one");
    return problems;
  },
);

/** The defined cost tags every taggable OCI resource carries (by tag name, in the org's namespace). */
const DEFINED_COST_TAGS = ["cost_center", "environment"] as const;

const ociDefinedCostTags: MulticloudPolicy = {
  name: "oci-defined-cost-tags",
  description:
    "Every taggable OCI resource carries the org namespace's defined tags cost_center and environment (cost-tracking: budgets and cost reports group by them, freeform tags they cannot); the namespace and its tag definitions excepted.",
  cloud: "oci",
  ...MANDATORY,
  remediation:
    "Create OCI resources after costGovernanceArea (program/finops.ts) registers the defined-tags transformation, and give them freeformTags (which the transformation pairs with the defined tags).",
  remediationSteps:
    "Create OCI resources after costGovernanceArea (program/finops.ts) registers the defined-tags transformation, and give them freeformTags (which the transformation pairs with the defined tags).",
  validateResource: (args, reportViolation) => {
    if (args.type === OCI.tagNamespace || args.type === OCI.tag || tagFieldOf(args.type) !== "freeformTags") return;
    const defined = obj(args.props.definedTags);
    const missing = DEFINED_COST_TAGS.filter(
      (tag) =>
        !Object.entries(defined).some(
          ([key, value]) => key.endsWith(`.${tag}`) && typeof value === "string" && value !== "",
        ),
    );
    if (missing.length > 0) reportViolation(`no defined tag ${missing.map((t) => `<namespace>.${t}`).join(", ")}`);
  },
};

/** In the order the pack lists them. */
export const ociPolicies: readonly MulticloudPolicy[] = [
  ociDefinedCostTags,
  adbNotPublic,
  ociBucketNotPublic,
  ociBucketVersioning,
  streamPoolPrivate,
  streamPoolCmk,
  ociNoInternetIngress,
  functionsPrivate,
  functionsLogs,
  apiGatewayAuth,
  apiGatewayPrivate,
  apiGatewayLogs,
  ociAlarmsNotify,
  drgManagedTables,
  vcnFlowLogs,
];
