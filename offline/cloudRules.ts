/**
 * What the clouds refuse, for the resource types the program registers. The npm SDKs carry no
 * schema of these limits, so this table is ours: each row is one documented rule with its source.
 * The engine checks every registration against the rows of its type before modelling it, so a
 * plan that a cloud would reject fails here, naming the rule. `tests/stacks/cloudRules.test.ts`
 * breaks a real registration of each row's type and shows the row refuse it.
 */
// The project's CIDR maths, property-tested against an independent model.
import { cidrsOverlap, cidrWithin, prefixLength } from "../components/shared/cidr";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import path from "node:path";
import { DocSection } from "./docSections";
import { REPO_ROOT } from "./stacks";
import { isUnknownInput, type KnownResource, type ModelFacts, type ModelInput } from "./models";

export interface CloudRule {
  readonly type: string;
  /** The rule, as the cloud's documentation states it. */
  readonly rule: string;
  /** Where the cloud documents it. */
  readonly source: string;
  /** What is wrong with this registration, or undefined when the cloud accepts it (or a value it needs is unknown, as in a preview). */
  readonly check: (m: ModelInput) => string | undefined;
  /** Inputs that break the rule, made from a registration the cloud accepts (for the refusal tests). */
  readonly violate: (inputs: Record<string, unknown>, facts: ModelFacts) => Record<string, unknown>;
}

// ---- helpers -------------------------------------------------------------------------------

/** Another registration of the same type with the same identity key: the cloud returns or refuses it as the same. */
const sameKey = (m: ModelInput, key: IdentityKey) => {
  const mine = key(m.inputs);
  // A part not known yet (a preview's new id) decides nothing.
  if (mine === undefined) return undefined;
  return m.registered().find((r) => r.type === m.type && r.inputs !== m.inputs && key(r.inputs) === mine);
};

/** A registration of `type` whose identity key differs from `inputs`' (to copy it into a violation). */
const otherKey = (facts: ModelFacts, type: string, key: IdentityKey, inputs: Record<string, unknown>) =>
  facts.registered().find((r) => r.type === type && key(r.inputs) !== key(inputs));

/** The fields a cloud API treats as the identity of what it creates, joined; undefined while one is unknown. */
type IdentityKey = (inputs: Record<string, unknown>) => string | undefined;
const identityOf = (parts: readonly unknown[]): string | undefined =>
  parts.some((p) => isUnknownInput(p) || typeof p === "object") ? undefined : parts.map(String).join(" ");

/** What CreateCustomerGateway treats as the same gateway. */
const CUSTOMER_GATEWAY_KEY: IdentityKey = (i) => identityOf([i.ipAddress, i.bgpAsn, i.type, i.deviceName ?? ""]);
/** What CreateVpnConnection treats as the same connection. */
const VPN_CONNECTION_KEY: IdentityKey = (i) => identityOf([i.customerGatewayId, i.vpnGatewayId ?? i.transitGatewayId]);

/**
 * The namespace each add-on installs into when `namespaceConfig` does not say (EKS add-on docs), for
 * the (namespace, service account) of its pod identity associations.
 */
export const ADDON_NAMESPACES: Readonly<Record<string, string>> = {
  "vpc-cni": "kube-system",
  "amazon-cloudwatch-observability": "amazon-cloudwatch",
  "aws-ebs-csi-driver": "kube-system",
  "aws-efs-csi-driver": "kube-system",
  "aws-mountpoint-s3-csi-driver": "kube-system",
  "eks-pod-identity-agent": "kube-system",
  coredns: "kube-system",
  "kube-proxy": "kube-system",
  "aws-guardduty-agent": "amazon-guardduty",
  adot: "opentelemetry-operator-system",
};

/** An add-on's association keys (`<cluster> <namespace>/<service account>`), or why its namespace is unknown. */
function addonAssociationKeys(inputs: Record<string, unknown>): { key: string }[] | string {
  const associations = Array.isArray(inputs.podIdentityAssociations) ? inputs.podIdentityAssociations : [];
  if (associations.length === 0) return [];
  const configured = (inputs.namespaceConfig as { namespace?: unknown } | undefined)?.namespace;
  const namespace = typeof configured === "string" ? configured : ADDON_NAMESPACES[String(inputs.addonName)];
  if (namespace === undefined)
    return `add-on ${String(inputs.addonName)} has pod identity associations but no known namespace: set namespaceConfig`;
  return associations.map((a) => ({
    key: `${String(inputs.clusterName)} ${namespace}/${String((a as { serviceAccount?: unknown }).serviceAccount)}`,
  }));
}

/** Every pod identity association key registered so far besides `self`'s: standalone ones and add-ons'. */
function podIdentityKeys(
  registered: readonly KnownResource[],
  self: Record<string, unknown>,
): { key: string; by: string }[] {
  return registered
    .filter((r) => r.inputs !== self)
    .flatMap((r) => {
      if (r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation")
        return [
          {
            key: `${String(r.inputs.clusterName)} ${String(r.inputs.namespace)}/${String(r.inputs.serviceAccount)}`,
            by: "a standalone association",
          },
        ];
      if (r.type === "aws:eks/addon:Addon") {
        const keys = addonAssociationKeys(r.inputs);
        return typeof keys === "string" ? [] : keys.map((k) => ({ ...k, by: `add-on ${String(r.inputs.addonName)}` }));
      }
      return [];
    });
}

const isCidr = (value: unknown): value is string =>
  typeof value === "string" && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(value);

/** A value's problem against a list of allowed values, or undefined (also when unset: required-ness is its own rule). */
const oneOf = (field: string, allowed: readonly (string | number)[]) => (m: ModelInput) => {
  const value = m.inputs[field];
  if (value === undefined) return undefined;
  return allowed.includes(value as string | number)
    ? undefined
    : `${field} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`;
};

const inRange = (field: string, min: number, max: number) => (m: ModelInput) => {
  const value = m.inputs[field];
  if (typeof value !== "number") return undefined;
  return Number.isInteger(value) && value >= min && value <= max
    ? undefined
    : `${field} ${value} is outside ${min}–${max}`;
};

const matches = (field: string, pattern: RegExp, what: string) => (m: ModelInput) => {
  const value = m.inputs[field];
  if (typeof value !== "string") return undefined;
  return pattern.test(value) ? undefined : `${field} "${value}" is not ${what}`;
};

const required = (field: string) => (m: ModelInput) =>
  m.inputs[field] === undefined || m.inputs[field] === "" ? `${field} is required` : undefined;

const prefixBetween = (field: string, min: number, max: number) => (m: ModelInput) => {
  const values = ([] as unknown[]).concat(m.inputs[field] ?? []);
  const bad = values.filter(isCidr).find((cidr) => prefixLength(cidr) < min || prefixLength(cidr) > max);
  return bad ? `${field} ${bad} is not a /${min} to /${max}` : undefined;
};

/** The subnet's CIDR must lie inside (one of) the network's CIDRs. */
const insideNetwork =
  (networkField: string, networkCidrs: (network: KnownResource) => unknown[]) => (m: ModelInput) => {
    const cidr = m.inputs.cidrBlock;
    const network = m.byId(m.inputs[networkField]);
    if (!isCidr(cidr) || !network) return undefined;
    const outer = networkCidrs(network).filter(isCidr);
    return outer.some((o) => cidrWithin(cidr, o))
      ? undefined
      : `cidrBlock ${cidr} is not inside the network's ${outer.join(", ")}`;
  };

/** No two subnets of one network overlap. */
const noSiblingOverlap = (networkField: string) => (m: ModelInput) => {
  const cidr = m.inputs.cidrBlock;
  if (!isCidr(cidr) || typeof m.inputs[networkField] !== "string" || isUnknownInput(m.inputs[networkField]))
    return undefined;
  const clash = m
    .registered()
    .filter(
      (r) =>
        r.type === m.type &&
        r.inputs[networkField] === m.inputs[networkField] &&
        r.inputs !== m.inputs &&
        isCidr(r.inputs.cidrBlock),
    )
    .find((r) => cidrsOverlap(cidr, r.inputs.cidrBlock as string));
  return clash
    ? `cidrBlock ${cidr} overlaps ${String(clash.inputs.cidrBlock)}, another subnet of the same network`
    : undefined;
};

/** Another registered subnet of the same network (for breaking the overlap rule). */
const siblingCidr = (type: string, networkField: string, inputs: Record<string, unknown>, facts: ModelFacts) => {
  const sibling = facts
    .registered()
    .find(
      (r) =>
        r.type === type && r.inputs[networkField] === inputs[networkField] && r.inputs.cidrBlock !== inputs.cidrBlock,
    );
  if (!sibling) throw new Error(`no other ${type} in the same network to overlap`);
  return sibling.inputs.cidrBlock;
};

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const metadataOf = (m: ModelInput) => (m.inputs.metadata as { name?: unknown }) ?? {};
/** RFC 1123 DNS label (namespaces, most object names). */
const dnsLabel = (value: unknown, field: string) =>
  typeof value !== "string" || /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)
    ? undefined
    : `${field} ${value} is not a DNS label (1–63 lower-case letters, digits and -)`;

/** RFC 1123 DNS subdomain (service accounts, roles, most object names): ≤ 253, labels joined by dots. */
const dnsSubdomain = (value: unknown, field: string) =>
  typeof value !== "string" ||
  (value.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value))
    ? undefined
    : `${field} ${value} is not a DNS subdomain (≤ 253 lower-case letters, digits, - and .)`;

// AWS ----------------------------------------------------------------------------------------

const VPC_DOCS = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html";
const SUBNET_DOCS = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html";
const VPN_TUNNEL_DOCS = "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html";
const LAMBDA_DOCS = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html";
const ALARM_DOCS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html";
/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
/** Tunnel inside /30s AWS reserves. */
const AWS_RESERVED_INSIDE = [
  "169.254.0.0/30",
  "169.254.1.0/30",
  "169.254.2.0/30",
  "169.254.3.0/30",
  "169.254.4.0/30",
  "169.254.5.0/30",
  "169.254.169.252/30",
];

const tunnelInside = (n: 1 | 2) => (m: ModelInput) => {
  const cidr = m.inputs[`tunnel${n}InsideCidr`];
  if (!isCidr(cidr)) return undefined;
  if (prefixLength(cidr) !== 30 || !cidrWithin(cidr, "169.254.0.0/16"))
    return `tunnel${n}InsideCidr ${cidr} is not a /30 in 169.254.0.0/16`;
  return AWS_RESERVED_INSIDE.includes(cidr) ? `tunnel${n}InsideCidr ${cidr} is reserved by AWS` : undefined;
};

const DRG_DISTRIBUTION_DOCS =
  "https://docs.oracle.com/en-us/iaas/tools/oci-cli/latest/oci_cli_docs/cmdref/network/drg-route-distribution.html";
const DRG_STATEMENT_DOCS =
  "https://docs.oracle.com/en-us/iaas/tools/terraform-provider-oci/latest/docs/r/core_drg_route_distribution_statement.html";
const DRG_ATTACHMENT_TYPES = ["VCN", "VIRTUAL_CIRCUIT", "REMOTE_PEERING_CONNECTION", "IPSEC_TUNNEL"];

/** Exactly one peer, and a port range that runs forwards (security group rules, both directions). */
function securityGroupRuleProblem(m: ModelInput): string | undefined {
  const peers = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"].filter(
    (k) => m.inputs[k] !== undefined,
  );
  // In a preview a peer that is another new resource's id (a security group) is not known yet.
  if (peers.length === 0 && m.preview) return undefined;
  if (peers.length !== 1)
    return `names ${peers.length ? peers.join(" and ") : "no peer"}; exactly one of cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId`;
  const from = m.inputs.fromPort;
  const to = m.inputs.toPort;
  return typeof from === "number" && typeof to === "number" && from > to
    ? `fromPort ${from} is above toPort ${to}`
    : undefined;
}

/** AWS's character set for security group and rule descriptions (no quotes, no non-ASCII), up to 255. */
const securityGroupTextProblem = (field: string, value: unknown): string | undefined => {
  if (typeof value !== "string") return undefined;
  const bad = [...value].find((c) => !/[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/.test(c));
  if (bad !== undefined)
    return `${field} "${value}" holds ${JSON.stringify(bad)}, which AWS refuses in security group text`;
  return value.length > 255 ? `${field} is ${value.length} characters, over 255` : undefined;
};

/** A per-user credential limit: the problem when the user already holds `limit` of this type. */
const overPerUser = (m: ModelInput, limit: number, what: string): string | undefined => {
  if (isUnknownInput(m.inputs.userId)) return undefined;
  const held = m
    .registered()
    .filter((r) => r.type === m.type && r.inputs !== m.inputs && r.inputs.userId === m.inputs.userId).length;
  return held >= limit ? `user ${String(m.inputs.userId)} already holds ${held} ${what}` : undefined;
};

/**
 * Why OCI would refuse a TAG budget's target, when the tag is defined in this run: the target is
 * `namespace.key.value`, the key must be cost-tracking and an ENUM validator must list the value.
 */
const tagBudgetTargetProblem = (m: ModelInput, target: string): string | undefined => {
  const match = /^([^.]+)\.([^.]+)\.(.+)$/.exec(target);
  if (!match) return `target ${target} is not namespace.key.value`;
  const [, namespace, key, value] = match;
  const tags = m
    .registered()
    .filter((r) => r.type === "oci:Identity/tag:Tag" && r.state.tagNamespaceName === namespace);
  if (tags.length === 0) return undefined; // defined outside this run: nothing to check against
  const tag = tags.find((r) => r.inputs.name === key);
  if (!tag) return `target ${target}: namespace ${namespace} has no tag ${key}`;
  if (tag.inputs.isCostTracking !== true) return `target ${target}: tag ${namespace}.${key} is not cost-tracking`;
  const validator = tag.inputs.validator as { validatorType?: unknown; values?: unknown } | undefined;
  const values = Array.isArray(validator?.values) ? validator.values.map(String) : undefined;
  return validator?.validatorType === "ENUM" && values && !values.includes(value)
    ? `target ${target}: ${value} is not a value of ${namespace}.${key}`
    : undefined;
};

export const CLOUD_RULES: readonly CloudRule[] = [
  {
    type: "aws:ec2/vpc:Vpc",
    rule: "An IPv4 VPC CIDR is between /16 and /28",
    source: VPC_DOCS,
    check: prefixBetween("cidrBlock", 16, 28),
    violate: (i) => ({ ...i, cidrBlock: "10.0.0.0/15" }),
  },
  {
    type: "aws:ec2/subnet:Subnet",
    rule: "A subnet's CIDR lies inside its VPC's CIDR",
    source: SUBNET_DOCS,
    check: insideNetwork("vpcId", (vpc) => [vpc.inputs.cidrBlock]),
    violate: (i) => ({ ...i, cidrBlock: "192.168.250.0/24" }),
  },
  {
    type: "aws:ec2/subnet:Subnet",
    rule: "Subnets of one VPC do not overlap",
    source: SUBNET_DOCS,
    check: noSiblingOverlap("vpcId"),
    violate: (i, facts) => ({ ...i, cidrBlock: siblingCidr("aws:ec2/subnet:Subnet", "vpcId", i, facts) }),
  },
  {
    type: "aws:ec2/subnet:Subnet",
    rule: "An IPv4 subnet is between /16 and /28",
    source: SUBNET_DOCS,
    check: prefixBetween("cidrBlock", 16, 28),
    violate: (i) => ({ ...i, cidrBlock: `${String(i.cidrBlock).split("/")[0]}/29` }),
  },
  {
    type: "aws:ec2/subnet:Subnet",
    rule: "A subnet's availability zone is in the provider's region",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html",
    check: (m) => {
      const zone = m.inputs.availabilityZone;
      if (typeof zone !== "string") return undefined;
      return new RegExp(`^${m.aws.region}[a-z]$`).test(zone)
        ? undefined
        : `availabilityZone ${zone} is not a zone of ${m.aws.region}`;
    },
    violate: (i) => ({ ...i, availabilityZone: "ap-south-1a" }),
  },
  {
    type: "aws:ec2/vpnGateway:VpnGateway",
    rule: "The Amazon-side ASN is a private ASN: 64512–65534 or 4200000000–4294967294",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpnGateway.html",
    check: (m) => {
      const asn = Number(m.inputs.amazonSideAsn ?? 64512);
      return (asn >= 64512 && asn <= 65534) || (asn >= 4_200_000_000 && asn <= 4_294_967_294)
        ? undefined
        : `amazonSideAsn ${asn} is not a private ASN`;
    },
    violate: (i) => ({ ...i, amazonSideAsn: "31898" }),
  },
  {
    type: "aws:ec2/customerGateway:CustomerGateway",
    rule: "type is ipsec.1; the BGP ASN is 1–4294967294",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateCustomerGateway.html",
    check: (m) => {
      const asn = Number(m.inputs.bgpAsn);
      if (m.inputs.type !== "ipsec.1") return `type ${JSON.stringify(m.inputs.type)} is not ipsec.1`;
      return m.inputs.bgpAsn === undefined || (Number.isInteger(asn) && asn >= 1 && asn <= 4_294_967_294)
        ? undefined
        : `bgpAsn ${String(m.inputs.bgpAsn)} is outside 1–4294967294`;
    },
    violate: (i) => ({ ...i, bgpAsn: "4294967295" }),
  },
  {
    type: "aws:ec2/customerGateway:CustomerGateway",
    rule: "CreateCustomerGateway is idempotent: the same IP, BGP ASN and type, without a different device name, returns the existing gateway (two resources would be one gateway)",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateCustomerGateway.html",
    check: (m) => {
      const same = sameKey(m, CUSTOMER_GATEWAY_KEY);
      return same
        ? `${String(m.inputs.ipAddress)} (ASN ${String(m.inputs.bgpAsn)}${m.inputs.deviceName ? `, device ${String(m.inputs.deviceName)}` : ""}) is already another customer gateway of the stack: AWS would return that one; give each a distinct device name`
        : undefined;
    },
    violate: (i, facts) => {
      const other = otherKey(facts, "aws:ec2/customerGateway:CustomerGateway", CUSTOMER_GATEWAY_KEY, i);
      return {
        ...i,
        ipAddress: other?.inputs.ipAddress,
        bgpAsn: other?.inputs.bgpAsn,
        deviceName: other?.inputs.deviceName,
      };
    },
  },
  {
    type: "aws:ec2/vpnConnection:VpnConnection",
    rule: "CreateVpnConnection is idempotent: a second connection for the same customer gateway and virtual private (or transit) gateway is the existing one",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpnConnection.html",
    check: (m) => {
      const same = sameKey(m, VPN_CONNECTION_KEY);
      return same
        ? `customer gateway ${String(m.inputs.customerGatewayId)} already has a VPN connection on this gateway: AWS would return that one; give each connection its own customer gateway`
        : undefined;
    },
    violate: (i, facts) => {
      const other = otherKey(facts, "aws:ec2/vpnConnection:VpnConnection", VPN_CONNECTION_KEY, i);
      return { ...i, customerGatewayId: other?.inputs.customerGatewayId, vpnGatewayId: other?.inputs.vpnGatewayId };
    },
  },
  {
    type: "aws:ec2/vpnConnection:VpnConnection",
    rule: "type is ipsec.1",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpnConnection.html",
    check: oneOf("type", ["ipsec.1"]),
    violate: (i) => ({ ...i, type: "ipsec.2" }),
  },
  {
    type: "aws:ec2/vpnConnection:VpnConnection",
    rule: "A tunnel inside CIDR is a /30 in 169.254.0.0/16, not one AWS reserves (169.254.0.0–169.254.5.255, 169.254.169.252/30)",
    source: VPN_TUNNEL_DOCS,
    check: (m) => tunnelInside(1)(m) ?? tunnelInside(2)(m),
    violate: (i) => ({ ...i, tunnel1InsideCidr: "169.254.169.252/30" }),
  },
  {
    type: "aws:ec2/vpnConnection:VpnConnection",
    rule: "A pre-shared key is 8–64 characters of letters, digits, . and _, not starting with 0",
    source: VPN_TUNNEL_DOCS,
    check: (m) =>
      [1, 2]
        .map((n) => m.inputs[`tunnel${n}PresharedKey`])
        .filter((k): k is string => typeof k === "string")
        .some((k) => !/^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/.test(k))
        ? "a tunnel pre-shared key breaks the key rule"
        : undefined,
    violate: (i) => ({ ...i, tunnel2PresharedKey: "0short" }),
  },
  {
    type: "aws:lambda/function:Function",
    rule: "A function name is 1–64 letters, digits, - and _",
    source: LAMBDA_DOCS,
    check: matches("name", /^[A-Za-z0-9_-]{1,64}$/, "1–64 letters, digits, - and _"),
    violate: (i) => ({ ...i, name: "f".repeat(65) }),
  },
  {
    type: "aws:lambda/function:Function",
    rule: "Timeout is 1–900 seconds; memory is 128–10240 MB",
    source: LAMBDA_DOCS,
    check: (m) => inRange("timeout", 1, 900)(m) ?? inRange("memorySize", 128, 10240)(m),
    violate: (i) => ({ ...i, timeout: 901 }),
  },
  {
    type: "aws:lambda/function:Function",
    rule: "The runtime is one Lambda supports for new functions",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
    check: oneOf("runtime", ["nodejs20.x", "nodejs22.x", "python3.12", "python3.13", "java21", "provided.al2023"]),
    violate: (i) => ({ ...i, runtime: "nodejs16.x" }),
  },
  {
    type: "aws:iam/role:Role",
    rule: "A role name is 1–64 characters of letters, digits and +=,.@_-; its maximum session is 3600–43200 seconds",
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
    check: (m) =>
      matches("name", /^[\w+=,.@-]{1,64}$/, "1–64 characters of letters, digits and +=,.@_-")(m) ??
      inRange("maxSessionDuration", 3600, 43200)(m),
    violate: (i) => ({ ...i, name: "r".repeat(65) }),
  },
  {
    type: "aws:iam/samlProvider:SamlProvider",
    rule: "A SAML provider's name is 1–128 characters of letters, digits and ._-; its metadata document is 1000 to 10,000,000 characters",
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html",
    check: (m) => {
      const name = matches("name", /^[\w.-]{1,128}$/, "1–128 characters of letters, digits and ._-")(m);
      if (name) return name;
      const doc = m.inputs.samlMetadataDocument;
      return typeof doc === "string" && (doc.length < 1000 || doc.length > 10_000_000)
        ? `samlMetadataDocument is ${doc.length} characters; IAM takes 1000 to 10000000`
        : undefined;
    },
    violate: (i) => ({ ...i, samlMetadataDocument: "<md:EntityDescriptor/>" }),
  },
  {
    type: "aws:sqs/queue:Queue",
    rule: "A queue name is 1–80 letters, digits, - and _; retention is 60–1209600 seconds",
    source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
    check: (m) =>
      matches("name", /^[A-Za-z0-9_-]{1,80}$/, "1–80 letters, digits, - and _")(m) ??
      inRange("messageRetentionSeconds", 60, 1_209_600)(m),
    violate: (i) => ({ ...i, messageRetentionSeconds: 15 * 24 * 3600 }),
  },
  {
    type: "aws:kinesis/stream:Stream",
    rule: "A stream name is 1–128 of letters, digits, _ . -; retention is 24–8760 hours",
    source: "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html",
    check: (m) =>
      matches("name", /^[a-zA-Z0-9_.-]{1,128}$/, "1–128 of letters, digits, _ . -")(m) ??
      inRange("retentionPeriod", 24, 8760)(m),
    violate: (i) => ({ ...i, retentionPeriod: 8761 }),
  },
  {
    type: "aws:dynamodb/table:Table",
    rule: "A table name is 3–255 of letters, digits, _ . -; billing mode is PROVISIONED or PAY_PER_REQUEST",
    source: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html",
    check: (m) =>
      matches("name", /^[a-zA-Z0-9_.-]{3,255}$/, "3–255 of letters, digits, _ . -")(m) ??
      oneOf("billingMode", ["PROVISIONED", "PAY_PER_REQUEST"])(m),
    violate: (i) => ({ ...i, billingMode: "ON_DEMAND" }),
  },
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    rule: "Retention is one of CloudWatch Logs' periods (1, 3, 5, 7, 14, 30, … 3653 days)",
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
    check: oneOf("retentionInDays", LOG_RETENTION_DAYS),
    violate: (i) => ({ ...i, retentionInDays: 45 }),
  },
  {
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    rule: "statistic and comparisonOperator are CloudWatch's values; the period is 10, 30 or a multiple of 60 seconds",
    source: ALARM_DOCS,
    check: (m) => {
      const period = m.inputs.period;
      const periodProblem =
        typeof period === "number" && ![10, 30].includes(period) && period % 60 !== 0
          ? `period ${period} is not 10, 30 or a multiple of 60`
          : undefined;
      return (
        oneOf("statistic", ["SampleCount", "Average", "Sum", "Minimum", "Maximum"])(m) ??
        oneOf("comparisonOperator", [
          "GreaterThanOrEqualToThreshold",
          "GreaterThanThreshold",
          "LessThanThreshold",
          "LessThanOrEqualToThreshold",
          "LessThanLowerOrGreaterThanUpperThreshold",
          "LessThanLowerThreshold",
          "GreaterThanUpperThreshold",
        ])(m) ??
        periodProblem
      );
    },
    violate: (i) => ({ ...i, statistic: "Max" }),
  },
  {
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    rule: "An alarm watches one metric (metricName) or metric math (metricQueries), not both; of its queries exactly one returns data, each is a metric or an expression, with an id starting with a lower-case letter",
    source: ALARM_DOCS,
    check: (m) => {
      const queries = Array.isArray(m.inputs.metricQueries)
        ? (m.inputs.metricQueries as { id?: unknown; expression?: unknown; metric?: unknown; returnData?: unknown }[])
        : [];
      if (queries.length === 0) return undefined;
      if (m.inputs.metricName !== undefined) return "metricName and metricQueries are both set";
      const returning = queries.filter((q) => q.returnData === true).length;
      if (returning !== 1) return `${returning} of the metric queries return data; an alarm needs exactly one`;
      const badId = queries.find((q) => typeof q.id !== "string" || !/^[a-z][a-zA-Z0-9_]*$/.test(q.id));
      if (badId) return `metric query id ${JSON.stringify(badId.id)} does not start with a lower-case letter`;
      const neither = queries.find((q) => (q.expression === undefined) === (q.metric === undefined));
      return neither
        ? `metric query ${String(neither.id)} is not exactly one of a metric and an expression`
        : undefined;
    },
    violate: (i) => ({
      ...i,
      metricName: i.metricName ?? "Errors",
      metricQueries: [{ id: "total", expression: "SUM(METRICS())", returnData: true }],
    }),
  },
  {
    type: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
    rule: "A pattern of at most 1024 characters; the metric's value, name and namespace set; a default value only without dimensions, at most 3 dimensions",
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html",
    check: (m) => {
      const pattern = m.inputs.pattern;
      if (typeof pattern === "string" && pattern.length > 1024)
        return `pattern is ${pattern.length} characters; at most 1024`;
      const t = (m.inputs.metricTransformation ?? {}) as Record<string, unknown>;
      const missing = ["name", "namespace", "value"].filter((k) => typeof t[k] !== "string" || t[k] === "");
      if (missing.length > 0) return `metricTransformation has no ${missing.join(", ")}`;
      const dimensions = Object.keys((t.dimensions ?? {}) as object).length;
      if (dimensions > 3) return `metricTransformation has ${dimensions} dimensions; at most 3`;
      return dimensions > 0 && t.defaultValue !== undefined
        ? "metricTransformation has a default value and dimensions; CloudWatch Logs takes one or the other"
        : undefined;
    },
    violate: (i) => ({
      ...i,
      metricTransformation: {
        ...(i.metricTransformation as object),
        defaultValue: "0",
        dimensions: { Pod: "$.kubernetes.pod_name" },
      },
    }),
  },
  {
    type: "aws:ec2/networkAcl:NetworkAcl",
    rule: "At most 20 rules per direction (default quota); rule numbers 1–32766, unique per direction; protocol -1, tcp, udp, icmp or a number; a subnet has one network ACL",
    source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls",
    check: (m) => {
      for (const direction of ["ingress", "egress"] as const) {
        const rules = (Array.isArray(m.inputs[direction]) ? m.inputs[direction] : []) as {
          ruleNo?: number;
          protocol?: string;
        }[];
        if (rules.length > 20) return `${rules.length} ${direction} rules; the quota is 20`;
        const numbers = rules.map((r) => r.ruleNo);
        const bad = numbers.find((n) => typeof n !== "number" || n < 1 || n > 32766);
        if (bad !== undefined) return `${direction} rule number ${String(bad)} is outside 1–32766`;
        if (new Set(numbers).size !== numbers.length) return `${direction} rule numbers repeat`;
        const protocol = rules.find(
          (r) => !["-1", "tcp", "udp", "icmp", "all"].includes(String(r.protocol)) && !/^\d+$/.test(String(r.protocol)),
        );
        if (protocol)
          return `${direction} protocol ${JSON.stringify(protocol.protocol)} is not -1, tcp, udp, icmp or a protocol number`;
      }
      const mine = (Array.isArray(m.inputs.subnetIds) ? m.inputs.subnetIds : []).filter((id) => !isUnknownInput(id));
      const clash = m
        .registered()
        .find(
          (r) =>
            r.type === m.type &&
            r.inputs !== m.inputs &&
            (Array.isArray(r.inputs.subnetIds) ? r.inputs.subnetIds : []).some((id) => mine.includes(id)),
        );
      return clash ? "a subnet here already has another network ACL" : undefined;
    },
    violate: (i) => ({
      ...i,
      ingress: Array.from({ length: 21 }, (_, n) => ({
        ruleNo: 100 + n,
        protocol: "tcp",
        action: "allow",
        cidrBlock: "10.0.0.0/8",
        fromPort: 443,
        toPort: 443,
      })),
    }),
  },
  {
    type: "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
    rule: "An endpoint policy is a JSON document of at most 20,480 characters with a Principal in every statement",
    source: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
    check: (m) => {
      if (typeof m.inputs.policy !== "string") return undefined;
      if (m.inputs.policy.length > 20480)
        return `the policy has ${m.inputs.policy.length} characters; the limit is 20,480`;
      let statements: { Principal?: unknown }[];
      try {
        statements = ([] as { Principal?: unknown }[]).concat(
          (JSON.parse(m.inputs.policy) as { Statement?: { Principal?: unknown }[] }).Statement ?? [],
        );
      } catch {
        return "the policy is not JSON";
      }
      return statements.some((s) => s.Principal === undefined)
        ? "a statement has no Principal (endpoint policies are resource policies)"
        : undefined;
    },
    violate: (i) => {
      const policy = JSON.parse(String(i.policy)) as { Statement: Record<string, unknown>[] };
      return {
        ...i,
        policy: JSON.stringify({
          ...policy,
          Statement: policy.Statement.map(({ Principal: _dropped, ...rest }) => rest),
        }),
      };
    },
  },
  {
    type: "aws:secretsmanager/secretRotation:SecretRotation",
    rule: "A rotation schedule is every 1–1000 days, or a schedule expression, not both; the function is a Lambda ARN",
    source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html",
    check: (m) => {
      const rules = (m.inputs.rotationRules ?? {}) as {
        automaticallyAfterDays?: unknown;
        scheduleExpression?: unknown;
      };
      if (rules.automaticallyAfterDays !== undefined && rules.scheduleExpression !== undefined)
        return "rotationRules sets both automaticallyAfterDays and scheduleExpression";
      const days = rules.automaticallyAfterDays;
      if (days !== undefined && (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > 1000))
        return `automaticallyAfterDays ${String(days)} is outside 1–1000`;
      return matches(
        "rotationLambdaArn",
        /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9-_]+$/,
        "a Lambda function ARN",
      )(m);
    },
    violate: (i) => ({ ...i, rotationRules: { automaticallyAfterDays: 0 } }),
  },
  {
    type: "aws:ec2/vpcEndpoint:VpcEndpoint",
    rule: "vpcEndpointType is Gateway, Interface or GatewayLoadBalancer; a gateway endpoint names route tables and no subnets, an interface endpoint subnets and no route tables; the service is com.amazonaws.<region>.<service>",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html",
    check: (m) => {
      const type = m.inputs.vpcEndpointType ?? "Gateway";
      const has = (field: string) => Array.isArray(m.inputs[field]) && (m.inputs[field] as unknown[]).length > 0;
      return (
        oneOf("vpcEndpointType", ["Gateway", "Interface", "GatewayLoadBalancer"])(m) ??
        (type === "Gateway" && (has("subnetIds") || !has("routeTableIds"))
          ? "a gateway endpoint takes routeTableIds, not subnetIds"
          : undefined) ??
        (type === "Interface" && (has("routeTableIds") || !has("subnetIds"))
          ? "an interface endpoint takes subnetIds, not routeTableIds"
          : undefined) ??
        matches("serviceName", /^com\.amazonaws\.[a-z0-9-]+\.[a-z0-9.-]+$/, "com.amazonaws.<region>.<service>")(m)
      );
    },
    violate: (i) => ({
      ...i,
      routeTableIds: i.vpcEndpointType === "Interface" ? ["rtb-0123456789abcdef0"] : undefined,
      subnetIds: i.vpcEndpointType === "Interface" ? i.subnetIds : ["subnet-0123456789abcdef0"],
    }),
  },
  {
    type: "aws:ec2/natGateway:NatGateway",
    rule: "A NAT gateway sits in a subnet; a public one (the default) needs an Elastic IP allocation",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html",
    check: (m) =>
      required("subnetId")(m) ??
      oneOf("connectivityType", ["public", "private"])(m) ??
      ((m.inputs.connectivityType ?? "public") === "public" ? required("allocationId")(m) : undefined),
    violate: (i) => ({ ...i, allocationId: undefined }),
  },
  {
    type: "aws:ec2/eip:Eip",
    rule: "An Elastic IP for a VPC resource has domain vpc",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AllocateAddress.html",
    check: oneOf("domain", ["vpc", "standard"]),
    violate: (i) => ({ ...i, domain: "public" }),
  },
  {
    type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    rule: "A rule names exactly one peer (IPv4 or IPv6 CIDR, prefix list or security group), and from-port ≤ to-port",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html",
    check: (m) => securityGroupRuleProblem(m),
    violate: (i) => ({ ...i, cidrIpv4: "10.0.0.0/8", referencedSecurityGroupId: "sg-0123456789abcdef0" }),
  },
  {
    type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    rule: "A rule names exactly one peer (IPv4 or IPv6 CIDR, prefix list or security group), and from-port ≤ to-port",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupEgress.html",
    check: (m) => securityGroupRuleProblem(m),
    violate: (i) => ({ ...i, fromPort: 2000, toPort: 1000 }),
  },
  {
    type: "aws:sns/topicSubscription:TopicSubscription",
    rule: "protocol is http, https, email, email-json, sms, sqs, application, lambda or firehose; an email endpoint is an address",
    source: "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html",
    check: (m) =>
      oneOf("protocol", ["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"])(
        m,
      ) ??
      (m.inputs.protocol === "email" ? matches("endpoint", /^[^@\s]+@[^@\s]+$/, "an e-mail address")(m) : undefined),
    violate: (i) => ({ ...i, protocol: "mail" }),
  },
  {
    type: "aws:appautoscaling/policy:Policy",
    rule: "policyType is TargetTrackingScaling, StepScaling or PredictiveScaling",
    source: "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html",
    check: oneOf("policyType", ["TargetTrackingScaling", "StepScaling", "PredictiveScaling"]),
    violate: (i) => ({ ...i, policyType: "TargetTracking" }),
  },
  {
    type: "aws:lambda/permission:Permission",
    rule: "The action is a lambda: action; a service principal is a service domain",
    source: "https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html",
    check: (m) =>
      matches("action", /^lambda:[A-Za-z*]+$/, "a lambda: action")(m) ??
      matches(
        "principal",
        /^([a-z0-9.-]+\.amazonaws\.com|\d{12}|arn:aws[a-z-]*:iam::\d{12}:[a-z]+.*|\*)$/,
        "a service domain, an account or an IAM ARN",
      )(m),
    violate: (i) => ({ ...i, action: "InvokeFunction" }),
  },
  {
    type: "aws:secretsmanager/secretVersion:SecretVersion",
    rule: "A secret value is at most 65,536 bytes",
    source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html",
    check: (m) =>
      typeof m.inputs.secretString === "string" && Buffer.byteLength(m.inputs.secretString) > 65536
        ? `secretString is ${Buffer.byteLength(m.inputs.secretString)} bytes; the limit is 65,536`
        : undefined,
    violate: (i) => ({ ...i, secretString: "x".repeat(65537) }),
  },
  {
    type: "aws:kms/key:Key",
    rule: "The key policy lets some principal call kms:PutKeyPolicy (the policy lockout safety check)",
    source: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key",
    check: (m) => {
      if (typeof m.inputs.policy !== "string") return undefined;
      const statements = ([] as unknown[]).concat(
        (JSON.parse(m.inputs.policy) as { Statement?: unknown }).Statement ?? [],
      ) as { Effect?: string; Action?: unknown }[];
      const manages = statements.some(
        (s) =>
          s.Effect === "Allow" &&
          ([] as unknown[])
            .concat(s.Action ?? [])
            .some((a) => ["kms:*", "kms:Put*", "kms:PutKeyPolicy", "*"].includes(String(a))),
      );
      return manages ? undefined : "no statement allows kms:PutKeyPolicy: nobody could change this key's policy again";
    },
    violate: (i) => {
      const policy = JSON.parse(String(i.policy)) as { Statement: { Sid?: string }[] };
      return {
        ...i,
        policy: JSON.stringify({ ...policy, Statement: policy.Statement.filter((s) => s.Sid !== "KeyAdministration") }),
      };
    },
  },
  {
    type: "aws:kms/key:Key",
    rule: "The deletion window is 7–30 days",
    source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html",
    check: inRange("deletionWindowInDays", 7, 30),
    violate: (i) => ({ ...i, deletionWindowInDays: 3 }),
  },
  {
    type: "aws:secretsmanager/secret:Secret",
    rule: "A secret name is 1–512 of letters, digits and /_+=.@-; the recovery window is 0 or 7–30 days",
    source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html",
    check: (m) => {
      const window = m.inputs.recoveryWindowInDays;
      const windowProblem =
        typeof window === "number" && window !== 0 && (window < 7 || window > 30)
          ? `recoveryWindowInDays ${window} is not 0 or 7–30`
          : undefined;
      return matches("name", /^[A-Za-z0-9/_+=.@-]{1,512}$/, "1–512 of letters, digits and /_+=.@-")(m) ?? windowProblem;
    },
    violate: (i) => ({ ...i, name: "has spaces in it" }),
  },
  {
    type: "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface",
    rule: "The VLAN is 1–4094; the address family is ipv4 or ipv6",
    source: "https://docs.aws.amazon.com/directconnect/latest/APIReference/API_NewPrivateVirtualInterface.html",
    check: (m) =>
      inRange("vlan", 1, 4094)(m) ?? oneOf("addressFamily", ["ipv4", "ipv6"])(m) ?? required("addressFamily")(m),
    violate: (i) => ({ ...i, vlan: 4095 }),
  },

  {
    type: "aws:lambda/eventSourceMapping:EventSourceMapping",
    rule: "A stream mapping: batch size 1–10000, parallelization 1–10, retries -1–10000, record age -1 or 60–604800 s, starting position TRIM_HORIZON, LATEST or AT_TIMESTAMP",
    source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html",
    check: (m) => {
      const age = m.inputs.maximumRecordAgeInSeconds;
      const ageProblem =
        typeof age === "number" && age !== -1 && (age < 60 || age > 604_800)
          ? `maximumRecordAgeInSeconds ${age} is not -1 or 60–604800`
          : undefined;
      return (
        inRange("batchSize", 1, 10_000)(m) ??
        inRange("parallelizationFactor", 1, 10)(m) ??
        inRange("maximumRetryAttempts", -1, 10_000)(m) ??
        ageProblem ??
        oneOf("startingPosition", ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"])(m)
      );
    },
    violate: (i) => ({ ...i, maximumRecordAgeInSeconds: 30 }),
  },
  {
    type: "aws:ec2/flowLog:FlowLog",
    rule: "trafficType is ACCEPT, REJECT or ALL; the aggregation interval is 60 or 600 seconds",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html",
    check: (m) => oneOf("trafficType", ["ACCEPT", "REJECT", "ALL"])(m) ?? oneOf("maxAggregationInterval", [60, 600])(m),
    violate: (i) => ({ ...i, maxAggregationInterval: 300 }),
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    rule: "An inline policy is JSON with Version 2012-10-17 and a Statement, at most 10240 characters",
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
    check: (m) => {
      const policy = m.inputs.policy;
      if (typeof policy !== "string") return undefined;
      if (policy.replace(/\s/g, "").length > 10_240) return `policy is ${policy.length} characters, over 10240`;
      try {
        const doc = JSON.parse(policy) as { Version?: string; Statement?: unknown };
        return doc.Version === "2012-10-17" && doc.Statement !== undefined
          ? undefined
          : "policy lacks Version 2012-10-17 or a Statement";
      } catch {
        return "policy is not JSON";
      }
    },
    violate: (i) => ({ ...i, policy: "{ Statement: [] }" }),
  },
  {
    type: "aws:sns/topic:Topic",
    rule: "A topic name is 1–256 letters, digits, - and _",
    source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
    check: matches("name", /^[A-Za-z0-9_-]{1,256}$/, "1–256 letters, digits, - and _"),
    violate: (i) => ({ ...i, name: "alarms.topic" }),
  },
  {
    type: "aws:apigatewayv2/api:Api",
    rule: "protocolType is HTTP or WEBSOCKET",
    source: "https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html",
    check: (m) => oneOf("protocolType", ["HTTP", "WEBSOCKET"])(m) ?? required("protocolType")(m),
    violate: (i) => ({ ...i, protocolType: "REST" }),
  },
  {
    type: "aws:route53/record:Record",
    rule: "type is a Route 53 record type; an A record holds IPv4 addresses",
    source: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/ResourceRecordTypes.html",
    check: (m) => {
      const typeProblem = oneOf("type", [
        "A",
        "AAAA",
        "CAA",
        "CNAME",
        "DS",
        "MX",
        "NAPTR",
        "NS",
        "PTR",
        "SOA",
        "SPF",
        "SRV",
        "TXT",
      ])(m);
      const records = Array.isArray(m.inputs.records) ? m.inputs.records : [];
      const bad =
        m.inputs.type === "A"
          ? records.find((r) => typeof r === "string" && !/^(\d{1,3}\.){3}\d{1,3}$/.test(r))
          : undefined;
      return typeProblem ?? (bad !== undefined ? `record ${String(bad)} is not an IPv4 address` : undefined);
    },
    violate: (i) => ({ ...i, records: ["adb.example.com"] }),
  },
  {
    type: "aws:appautoscaling/target:Target",
    rule: "minCapacity is at most maxCapacity",
    source: "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html",
    check: (m) =>
      typeof m.inputs.minCapacity === "number" &&
      typeof m.inputs.maxCapacity === "number" &&
      m.inputs.minCapacity > m.inputs.maxCapacity
        ? `minCapacity ${m.inputs.minCapacity} is above maxCapacity ${m.inputs.maxCapacity}`
        : undefined,
    violate: (i) => ({ ...i, minCapacity: Number(i.maxCapacity) + 1 }),
  },

  // OCI --------------------------------------------------------------------------------------
  {
    type: "oci:Core/vcn:Vcn",
    rule: "A VCN CIDR block is between /16 and /30",
    source:
      "https://docs.oracle.com/en-us/iaas/Content/Network/Tasks/managingVCNs_topic-Overview_of_VCNs_and_Subnets.htm",
    check: prefixBetween("cidrBlocks", 16, 30),
    violate: (i) => ({ ...i, cidrBlocks: ["10.0.0.0/15"] }),
  },
  {
    type: "oci:Core/vcn:Vcn",
    rule: "A DNS label is 1–15 letters and digits, starting with a letter",
    source: "https://docs.oracle.com/en-us/iaas/Content/Network/Concepts/dns.htm",
    check: matches("dnsLabel", /^[A-Za-z][A-Za-z0-9]{0,14}$/, "1–15 letters and digits starting with a letter"),
    violate: (i) => ({ ...i, dnsLabel: "multicloud-dev" }),
  },
  {
    type: "oci:Core/subnet:Subnet",
    rule: "A subnet's CIDR lies inside one of its VCN's CIDR blocks",
    source: "https://docs.oracle.com/en-us/iaas/Content/Network/Tasks/create_subnet.htm",
    check: insideNetwork("vcnId", (vcn) => ([] as unknown[]).concat(vcn.inputs.cidrBlocks ?? [])),
    violate: (i) => ({ ...i, cidrBlock: "192.168.250.0/24" }),
  },
  {
    type: "oci:Core/subnet:Subnet",
    rule: "Subnets of one VCN do not overlap",
    source: "https://docs.oracle.com/en-us/iaas/Content/Network/Tasks/create_subnet.htm",
    check: noSiblingOverlap("vcnId"),
    violate: (i, facts) => ({ ...i, cidrBlock: siblingCidr("oci:Core/subnet:Subnet", "vcnId", i, facts) }),
  },
  {
    type: "oci:Core/subnet:Subnet",
    rule: "A DNS label is 1–15 letters and digits, starting with a letter",
    source: "https://docs.oracle.com/en-us/iaas/Content/Network/Concepts/dns.htm",
    check: matches("dnsLabel", /^[A-Za-z][A-Za-z0-9]{0,14}$/, "1–15 letters and digits starting with a letter"),
    violate: (i) => ({ ...i, dnsLabel: "1database" }),
  },
  {
    type: "oci:Core/securityList:SecurityList",
    rule: "A rule's protocol is all, 1 (ICMP), 6 (TCP), 17 (UDP) or 58 (ICMPv6)",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/iaas/20160918/datatypes/IngressSecurityRule",
    check: (m) => {
      const rules = [m.inputs.ingressSecurityRules, m.inputs.egressSecurityRules].flatMap((r) =>
        Array.isArray(r) ? r : [],
      ) as { protocol?: unknown }[];
      const bad = rules.find((r) => !["all", "1", "6", "17", "58"].includes(String(r.protocol)));
      return bad ? `protocol ${JSON.stringify(bad.protocol)} is not all, 1, 6, 17 or 58` : undefined;
    },
    violate: (i) => ({ ...i, ingressSecurityRules: [{ protocol: "tcp", source: "10.0.0.0/16" }] }),
  },
  {
    type: "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule",
    rule: "direction is INGRESS or EGRESS; sourceType CIDR_BLOCK, SERVICE_CIDR_BLOCK or NETWORK_SECURITY_GROUP",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/iaas/20160918/datatypes/AddSecurityRuleDetails",
    check: (m) =>
      oneOf("direction", ["INGRESS", "EGRESS"])(m) ??
      oneOf("sourceType", ["CIDR_BLOCK", "SERVICE_CIDR_BLOCK", "NETWORK_SECURITY_GROUP"])(m),
    violate: (i) => ({ ...i, direction: "IN" }),
  },
  {
    type: "oci:Core/routeTable:RouteTable",
    rule: "A route rule's destinationType is CIDR_BLOCK or SERVICE_CIDR_BLOCK",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/iaas/20160918/datatypes/RouteRule",
    check: (m) => {
      const rules = (Array.isArray(m.inputs.routeRules) ? m.inputs.routeRules : []) as { destinationType?: unknown }[];
      const bad = rules.find(
        (r) =>
          r.destinationType !== undefined && !["CIDR_BLOCK", "SERVICE_CIDR_BLOCK"].includes(String(r.destinationType)),
      );
      return bad
        ? `destinationType ${JSON.stringify(bad.destinationType)} is not CIDR_BLOCK or SERVICE_CIDR_BLOCK`
        : undefined;
    },
    violate: (i) => ({
      ...i,
      routeRules: [{ destination: "10.0.0.0/16", destinationType: "CIDR", networkEntityId: "ocid1.drg.oc1..x" }],
    }),
  },
  {
    type: "oci:Core/cpe:Cpe",
    rule: "A CPE's address is an IPv4 address",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/iaas/20160918/datatypes/CreateCpeDetails",
    check: (m) => required("ipAddress")(m) ?? matches("ipAddress", /^(\d{1,3}\.){3}\d{1,3}$/, "an IPv4 address")(m),
    violate: (i) => ({ ...i, ipAddress: "vpn.example.com" }),
  },
  {
    type: "oci:Core/ipsec:Ipsec",
    rule: "An IPSec connection has a CPE, a DRG and at least one static route (a placeholder when BGP routes)",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/iaas/20160918/datatypes/CreateIPSecConnectionDetails",
    check: (m) =>
      required("cpeId")(m) ??
      required("drgId")(m) ??
      (Array.isArray(m.inputs.staticRoutes) && m.inputs.staticRoutes.length === 0
        ? "staticRoutes needs at least one route"
        : required("staticRoutes")(m)),
    violate: (i) => ({ ...i, staticRoutes: [] }),
  },
  {
    type: "oci:Core/virtualCircuit:VirtualCircuit",
    rule: "type is PRIVATE or PUBLIC; a private circuit names its DRG (gatewayId)",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/iaas/20160918/datatypes/CreateVirtualCircuitDetails",
    check: (m) =>
      oneOf("type", ["PRIVATE", "PUBLIC"])(m) ?? (m.inputs.type === "PRIVATE" ? required("gatewayId")(m) : undefined),
    violate: (i) => ({ ...i, gatewayId: undefined }),
  },
  {
    type: "oci:Logging/logGroup:LogGroup",
    rule: "A log group has a name, and its first character is a letter",
    source: "https://docs.oracle.com/iaas/Content/Logging/Task/create-logging-log-group.htm",
    check: (m) => required("displayName")(m) ?? matches("displayName", /^[A-Za-z]/, "a name starting with a letter")(m),
    violate: (i) => ({ ...i, displayName: `1-${String(i.displayName)}` }),
  },
  {
    type: "oci:Logging/log:Log",
    rule: "logType is SERVICE or CUSTOM; retentionDuration is 30 to 180 days in 30-day steps; a service log names its source (OCISERVICE, service, category, resource)",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/logging-management/20200531/datatypes/CreateLogDetails",
    check: (m) => {
      const source = ((m.inputs.configuration ?? {}) as Record<string, unknown>).source as
        Record<string, unknown> | undefined;
      const missing = ["sourceType", "service", "category", "resource"].filter(
        (k) => source?.[k] === undefined || source[k] === "",
      );
      return (
        oneOf("logType", ["SERVICE", "CUSTOM"])(m) ??
        oneOf("retentionDuration", [30, 60, 90, 120, 150, 180])(m) ??
        (m.inputs.logType === "SERVICE" && missing.length
          ? `a service log's configuration.source needs ${missing.join(", ")}`
          : undefined)
      );
    },
    violate: (i) => ({ ...i, retentionDuration: 365 }),
  },
  {
    type: "oci:Core/drgRouteDistribution:DrgRouteDistribution",
    rule: "Only IMPORT distributions can be created (the DRG's export distribution is created with it)",
    source: DRG_DISTRIBUTION_DOCS,
    check: (m) => required("distributionType")(m) ?? oneOf("distributionType", ["IMPORT"])(m),
    violate: (i) => ({ ...i, distributionType: "EXPORT" }),
  },
  {
    type: "oci:Core/drgRouteDistributionStatement:DrgRouteDistributionStatement",
    rule: "action is ACCEPT; matchType is DRG_ATTACHMENT_TYPE (with an attachmentType VCN, VIRTUAL_CIRCUIT, REMOTE_PEERING_CONNECTION or IPSEC_TUNNEL), DRG_ATTACHMENT_ID or MATCH_ALL",
    source: DRG_STATEMENT_DOCS,
    check: (m) => {
      const criteria = (m.inputs.matchCriteria ?? {}) as Record<string, unknown>;
      const asCriteria = { ...m, inputs: criteria };
      return (
        oneOf("action", ["ACCEPT"])(m) ??
        oneOf("matchType", ["DRG_ATTACHMENT_TYPE", "DRG_ATTACHMENT_ID", "MATCH_ALL"])(asCriteria) ??
        (criteria.matchType === "DRG_ATTACHMENT_TYPE"
          ? (required("attachmentType")(asCriteria) ?? oneOf("attachmentType", DRG_ATTACHMENT_TYPES)(asCriteria))
          : undefined)
      );
    },
    violate: (i) => ({ ...i, matchCriteria: { matchType: "DRG_ATTACHMENT_TYPE", attachmentType: "IPSEC" } }),
  },
  {
    type: "oci:Core/drgRouteDistributionStatement:DrgRouteDistributionStatement",
    rule: "Priorities are unique within a route distribution",
    source: DRG_STATEMENT_DOCS,
    check: (m) => {
      if (typeof m.inputs.drgRouteDistributionId !== "string" || isUnknownInput(m.inputs.drgRouteDistributionId))
        return undefined;
      const clash = m
        .registered()
        .find(
          (r) =>
            r.type === m.type &&
            r.inputs !== m.inputs &&
            r.inputs.drgRouteDistributionId === m.inputs.drgRouteDistributionId &&
            r.inputs.priority === m.inputs.priority,
        );
      return clash
        ? `priority ${String(m.inputs.priority)} is already taken in distribution ${String(m.inputs.drgRouteDistributionId)}`
        : undefined;
    },
    violate: (i, facts) => {
      // Move this statement into another statement's distribution, at that statement's priority.
      const other = facts
        .registered()
        .find(
          (r) => r.type === "oci:Core/drgRouteDistributionStatement:DrgRouteDistributionStatement" && r.inputs !== i,
        );
      if (!other) throw new Error("no other route distribution statement");
      return { ...i, drgRouteDistributionId: other.inputs.drgRouteDistributionId, priority: other.inputs.priority };
    },
  },
  {
    type: "oci:Core/drgRouteTable:DrgRouteTable",
    rule: "A route table's import distribution belongs to the same DRG",
    source: DRG_DISTRIBUTION_DOCS,
    check: (m) => {
      const distribution = m.byId(m.inputs.importDrgRouteDistributionId);
      if (!distribution || isUnknownInput(m.inputs.drgId)) return undefined;
      return distribution.inputs.drgId === m.inputs.drgId
        ? undefined
        : `importDrgRouteDistributionId is a distribution of DRG ${String(distribution.inputs.drgId)}, not of ${String(m.inputs.drgId)}`;
    },
    violate: (i) => ({ ...i, drgId: "ocid1.drg.oc1.fra.anotherdrg" }),
  },
  {
    type: "oci:Core/drgAttachmentManagement:DrgAttachmentManagement",
    rule: "attachmentType is IPSEC_TUNNEL, VIRTUAL_CIRCUIT or REMOTE_PEERING_CONNECTION (the attachments OCI creates); the network object and the route table belong to the DRG named",
    source:
      "https://docs.oracle.com/en-us/iaas/tools/terraform-provider-oci/latest/docs/r/core_drg_attachment_management.html",
    check: (m) => {
      const typeProblem =
        required("attachmentType")(m) ??
        oneOf("attachmentType", ["IPSEC_TUNNEL", "VIRTUAL_CIRCUIT", "REMOTE_PEERING_CONNECTION"])(m);
      if (typeProblem || isUnknownInput(m.inputs.drgId)) return typeProblem;
      const network = m.byId(m.inputs.networkId);
      const networkDrg =
        network?.type === "oci:Core/virtualCircuit:VirtualCircuit"
          ? network.inputs.gatewayId
          : network
            ? m.byId(network.inputs.ipsecId)?.inputs.drgId
            : undefined;
      if (networkDrg !== undefined && networkDrg !== m.inputs.drgId)
        return `networkId ${String(m.inputs.networkId)} is attached to DRG ${String(networkDrg)}, not ${String(m.inputs.drgId)}`;
      const table = m.byId(m.inputs.drgRouteTableId);
      if (table && table.inputs.drgId !== m.inputs.drgId)
        return `drgRouteTableId is a table of DRG ${String(table.inputs.drgId)}, not ${String(m.inputs.drgId)}`;
      return undefined;
    },
    violate: (i) => ({ ...i, drgId: "ocid1.drg.oc1.fra.anotherdrg" }),
  },
  {
    type: "oci:Database/autonomousDatabase:AutonomousDatabase",
    rule: "dbName starts with a letter and has at most 30 letters and digits",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/database/20160918/datatypes/CreateAutonomousDatabaseBase",
    check: matches("dbName", /^[A-Za-z][A-Za-z0-9]{0,29}$/, "a letter then at most 29 letters and digits"),
    violate: (i) => ({ ...i, dbName: "platform_db" }),
  },
  {
    type: "oci:Database/autonomousDatabase:AutonomousDatabase",
    rule: "computeModel is ECPU or OCPU; dbWorkload is OLTP, DW, AJD, APEX or LH; licenseModel is LICENSE_INCLUDED or BRING_YOUR_OWN_LICENSE",
    source: "https://www.pulumi.com/registry/packages/oci/api-docs/database/autonomousdatabase/",
    check: (m) =>
      oneOf("computeModel", ["ECPU", "OCPU"])(m) ??
      oneOf("dbWorkload", ["OLTP", "DW", "AJD", "APEX", "LH"])(m) ??
      oneOf("licenseModel", ["LICENSE_INCLUDED", "BRING_YOUR_OWN_LICENSE"])(m),
    violate: (i) => ({ ...i, dbWorkload: "OLAP" }),
  },
  {
    type: "oci:Database/autonomousDatabase:AutonomousDatabase",
    rule: "One-way TLS (isMtlsConnectionRequired false) needs a private endpoint or an access control list",
    source:
      "https://docs.oracle.com/en-us/iaas/autonomous-database-serverless/doc/support-tls-mtls-authentication.html",
    check: (m) =>
      m.inputs.isMtlsConnectionRequired === false &&
      !m.inputs.subnetId &&
      !(Array.isArray(m.inputs.whitelistedIps) && m.inputs.whitelistedIps.length > 0)
        ? "isMtlsConnectionRequired is false without a private endpoint (subnetId) or whitelistedIps"
        : undefined,
    violate: (i) => ({ ...i, subnetId: undefined, whitelistedIps: undefined }),
  },
  {
    type: "aws:eks/cluster:Cluster",
    rule: "A cluster name is 1–100 characters: a letter or digit, then letters, digits, - and _",
    source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html",
    check: matches(
      "name",
      /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/,
      "1–100 characters: a letter or digit, then letters, digits, - and _",
    ),
    violate: (i) => ({ ...i, name: "-platform" }),
  },
  {
    type: "aws:eks/cluster:Cluster",
    rule: "The control plane's subnets are in at least two availability zones",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html",
    check: (m) => {
      const ids = list((m.inputs.vpcConfig as { subnetIds?: unknown })?.subnetIds);
      const subnets = ids.map((id) => m.byId(id));
      if (ids.some(isUnknownInput) || subnets.some((s) => !s)) return undefined;
      const zones = new Set(subnets.map((s) => s?.inputs.availabilityZone));
      return zones.size >= 2
        ? undefined
        : `vpcConfig.subnetIds span ${zones.size} availability zone(s); EKS needs two or more`;
    },
    violate: (i) => ({
      ...i,
      vpcConfig: {
        ...(i.vpcConfig as object),
        subnetIds: list((i.vpcConfig as { subnetIds?: unknown }).subnetIds).slice(0, 1),
      },
    }),
  },
  {
    type: "aws:eks/cluster:Cluster",
    rule: "A public endpoint takes at most 40 public access CIDRs; a private-only cluster needs endpointPrivateAccess",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
    check: (m) => {
      const vpc = (m.inputs.vpcConfig as Record<string, unknown>) ?? {};
      if (list(vpc.publicAccessCidrs).length > 40)
        return `vpcConfig.publicAccessCidrs lists ${list(vpc.publicAccessCidrs).length} blocks (at most 40)`;
      return vpc.endpointPublicAccess === false && vpc.endpointPrivateAccess !== true
        ? "both endpoints are off: the API would be unreachable"
        : undefined;
    },
    violate: (i) => ({
      ...i,
      vpcConfig: { ...(i.vpcConfig as object), endpointPublicAccess: false, endpointPrivateAccess: false },
    }),
  },
  {
    type: "aws:eks/nodeGroup:NodeGroup",
    rule: "scalingConfig has 0 ≤ minSize ≤ desiredSize ≤ maxSize and maxSize ≥ 1; diskSize is not set with a launch template",
    source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html",
    check: (m) => {
      const s = (m.inputs.scalingConfig as Record<string, number>) ?? {};
      if (!(s.minSize >= 0 && s.minSize <= s.desiredSize && s.desiredSize <= s.maxSize && s.maxSize >= 1))
        return `scalingConfig ${s.minSize}/${s.desiredSize}/${s.maxSize} (min/desired/max) is not ordered`;
      return m.inputs.launchTemplate !== undefined && m.inputs.diskSize !== undefined
        ? "diskSize cannot be set with a launch template (set the volume in the template)"
        : undefined;
    },
    violate: (i) => ({ ...i, scalingConfig: { minSize: 3, desiredSize: 2, maxSize: 4 } }),
  },
  {
    type: "aws:eks/addon:Addon",
    rule: "An add-on version is v<major>.<minor>.<patch>-eksbuild.<n>; configurationValues is JSON",
    source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html",
    check: (m) => {
      const version = m.inputs.addonVersion;
      if (typeof version === "string" && !/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(version))
        return `addonVersion ${version} is not an EKS add-on version (v1.2.3-eksbuild.1)`;
      if (typeof m.inputs.configurationValues === "string") {
        try {
          JSON.parse(m.inputs.configurationValues);
        } catch {
          return "configurationValues is not JSON";
        }
      }
      return undefined;
    },
    violate: (i) => ({ ...i, addonVersion: "1.21" }),
  },
  {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    rule: "The metadata hop limit is 1–64 and httpTokens is optional or required",
    source:
      "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateInstanceMetadataOptionsRequest.html",
    check: (m) => {
      const options = (m.inputs.metadataOptions as Record<string, unknown>) ?? {};
      const hops = options.httpPutResponseHopLimit;
      if (hops !== undefined && !(Number.isInteger(hops) && (hops as number) >= 1 && (hops as number) <= 64))
        return `httpPutResponseHopLimit ${String(hops)} is outside 1–64`;
      return options.httpTokens === undefined || ["optional", "required"].includes(String(options.httpTokens))
        ? undefined
        : `httpTokens ${String(options.httpTokens)} is not optional or required`;
    },
    violate: (i) => ({ ...i, metadataOptions: { ...(i.metadataOptions as object), httpPutResponseHopLimit: 0 } }),
  },
  {
    type: "aws:ecr/repository:Repository",
    rule: "A repository name is 2–256 lower-case characters: components of letters and digits separated by . _ - and /",
    source: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html",
    check: matches(
      "name",
      /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
      "2–256 lower-case characters in /-separated components",
    ),
    violate: (i) => ({ ...i, name: "Multicloud/Orders" }),
  },
  {
    type: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    rule: "A lifecycle policy is JSON whose rules have distinct priorities and an expire action",
    source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html",
    check: (m) => {
      let rules: Array<{ rulePriority?: unknown; action?: { type?: unknown } }>;
      try {
        rules = (JSON.parse(String(m.inputs.policy)) as { rules: typeof rules }).rules;
      } catch {
        return "policy is not JSON";
      }
      if (!Array.isArray(rules) || rules.length === 0) return "policy has no rules";
      if (new Set(rules.map((r) => r.rulePriority)).size !== rules.length) return "two rules share a rulePriority";
      return rules.every((r) => r.action?.type === "expire") ? undefined : "a rule's action is not expire";
    },
    violate: (i) => ({
      ...i,
      policy: JSON.stringify({
        rules: [
          { rulePriority: 1, action: { type: "expire" } },
          { rulePriority: 1, action: { type: "expire" } },
        ],
      }),
    }),
  },
  {
    type: "aws:msk/cluster:Cluster",
    rule: "The number of brokers is a multiple of the client subnets (one zone each), and the Kafka version is a released MSK version",
    source: "https://docs.aws.amazon.com/msk/1.0/apireference/clusters.html",
    check: (m) => {
      const subnets = list((m.inputs.brokerNodeGroupInfo as { clientSubnets?: unknown })?.clientSubnets).length;
      const brokers = m.inputs.numberOfBrokerNodes;
      if (typeof brokers === "number" && subnets > 0 && brokers % subnets !== 0)
        return `numberOfBrokerNodes ${brokers} is not a multiple of the ${subnets} client subnets`;
      return matches("kafkaVersion", /^\d+\.\d+\.(\d+|x)(\.tiered)?$/, "an MSK Kafka version such as 3.8.x")(m);
    },
    violate: (i) => ({ ...i, numberOfBrokerNodes: Number(i.numberOfBrokerNodes) + 1 }),
  },
  {
    type: "aws:msk/topic:Topic",
    rule: "A topic's replication factor is at most the cluster's brokers",
    source: "https://docs.aws.amazon.com/msk/latest/developerguide/msk-topic-operations.html",
    check: (m) => {
      const cluster = m.byId(m.inputs.clusterArn);
      const brokers = cluster?.inputs.numberOfBrokerNodes;
      const rf = m.inputs.replicationFactor;
      return typeof brokers === "number" && typeof rf === "number" && rf > brokers
        ? `replicationFactor ${rf} is above the cluster's ${brokers} brokers`
        : undefined;
    },
    violate: (i, facts) => ({
      ...i,
      replicationFactor: Number(facts.byId(i.clusterArn)?.inputs.numberOfBrokerNodes) + 1,
    }),
  },
  {
    type: "kubernetes:core/v1:Namespace",
    rule: "A namespace name is a DNS label: 1–63 lower-case letters, digits and -, starting and ending alphanumeric",
    source: "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names",
    check: (m) => dnsLabel(metadataOf(m).name, "metadata.name"),
    violate: (i) => ({ ...i, metadata: { ...(i.metadata as object), name: "Orders_API" } }),
  },
  {
    type: "kubernetes:core/v1:Service",
    rule: "A Service name is a DNS label (1–63 lower-case letters, digits and -, starting with a letter); ports are 1–65535",
    source: "https://kubernetes.io/docs/concepts/services-networking/service/",
    check: (m) => {
      const name = metadataOf(m).name;
      if (typeof name === "string" && !/^[a-z]/.test(name)) return `metadata.name ${name} does not start with a letter`;
      const bad = list((m.inputs.spec as { ports?: unknown })?.ports).find((p) => {
        const port = (p as { port?: unknown }).port;
        return typeof port === "number" && (port < 1 || port > 65535);
      });
      return (
        dnsLabel(name, "metadata.name") ??
        (bad ? `port ${String((bad as { port: unknown }).port)} is outside 1–65535` : undefined)
      );
    },
    violate: (i) => ({ ...i, spec: { ...(i.spec as object), ports: [{ port: 70000, targetPort: "http" }] } }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    rule: "The selector matches the pod template's labels; label values are at most 63 characters",
    source: "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector",
    check: (m) => {
      const spec = (m.inputs.spec as Record<string, unknown>) ?? {};
      const selector = ((spec.selector as { matchLabels?: Record<string, unknown> })?.matchLabels ?? {}) as Record<
        string,
        unknown
      >;
      const labels = ((spec.template as { metadata?: { labels?: Record<string, unknown> } })?.metadata?.labels ??
        {}) as Record<string, unknown>;
      const missing = Object.entries(selector).filter(([k, v]) => labels[k] !== v);
      if (missing.length)
        return `selector ${missing.map(([k, v]) => `${k}=${String(v)}`).join(", ")} does not match the template's labels`;
      const long = Object.entries(labels).find(([, v]) => typeof v === "string" && v.length > 63);
      return long ? `label ${long[0]} is ${String(long[1]).length} characters (at most 63)` : undefined;
    },
    violate: (i) => ({ ...i, spec: { ...(i.spec as object), selector: { matchLabels: { app: "someone-else" } } } }),
  },
  {
    type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    rule: "minReplicas is at least 1 and at most maxReplicas",
    source: "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/",
    check: (m) => {
      const spec = (m.inputs.spec as { minReplicas?: number; maxReplicas?: number }) ?? {};
      const min = spec.minReplicas ?? 1;
      return typeof spec.maxReplicas === "number" && min >= 1 && min <= spec.maxReplicas
        ? undefined
        : `minReplicas ${min} / maxReplicas ${String(spec.maxReplicas)} are not 1 ≤ min ≤ max`;
    },
    violate: (i) => ({ ...i, spec: { ...(i.spec as object), minReplicas: 5, maxReplicas: 2 } }),
  },
  {
    type: "kubernetes:policy/v1:PodDisruptionBudget",
    rule: "A disruption budget sets minAvailable or maxUnavailable, not both",
    source: "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
    check: (m) => {
      const spec = (m.inputs.spec as Record<string, unknown>) ?? {};
      const set = ["minAvailable", "maxUnavailable"].filter((k) => spec[k] !== undefined);
      return set.length === 1
        ? undefined
        : `sets ${set.length ? set.join(" and ") : "neither minAvailable nor maxUnavailable"}`;
    },
    violate: (i) => ({ ...i, spec: { ...(i.spec as object), minAvailable: 1 } }),
  },
  {
    type: "kubernetes:core/v1:ServiceAccount",
    rule: "A service account name is a DNS subdomain (≤ 253 lower-case letters, digits, - and .) in a namespace named as a DNS label",
    source: "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names",
    check: (m) =>
      dnsSubdomain(metadataOf(m).name, "metadata.name") ??
      dnsLabel((m.inputs.metadata as { namespace?: unknown })?.namespace, "metadata.namespace"),
    violate: (i) => ({ ...i, metadata: { ...(i.metadata as object), name: "Orders_API" } }),
  },
  {
    type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    rule: "A network policy is named as a DNS subdomain, selects pods (an empty selector selects all) and its policyTypes are Ingress and/or Egress",
    source: "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/",
    check: (m) => {
      const spec = (m.inputs.spec as { podSelector?: unknown; policyTypes?: unknown }) ?? {};
      if (spec.podSelector === undefined) return "spec.podSelector is required ({} selects every pod)";
      const bad = list(spec.policyTypes).find((t) => t !== "Ingress" && t !== "Egress");
      return (
        dnsSubdomain(metadataOf(m).name, "metadata.name") ??
        (bad !== undefined ? `policyTypes holds ${JSON.stringify(bad)}, not Ingress or Egress` : undefined)
      );
    },
    violate: (i) => ({ ...i, spec: { ...(i.spec as object), policyTypes: ["Ingress", "Outbound"] } }),
  },
  {
    type: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    rule: "Every rule of a role names verbs, and resources or nonResourceURLs",
    source: "https://kubernetes.io/docs/reference/kubernetes-api/authorization-resources/role-v1/",
    check: (m) => {
      const bad = list(m.inputs.rules).findIndex((r) => {
        const rule = r as { verbs?: unknown; resources?: unknown; nonResourceURLs?: unknown };
        return (
          list(rule.verbs).length === 0 ||
          (list(rule.resources).length === 0 && list(rule.nonResourceURLs).length === 0)
        );
      });
      return (
        dnsSubdomain(metadataOf(m).name, "metadata.name") ??
        (bad >= 0 ? `rules[${bad}] names no verbs or no resources` : undefined)
      );
    },
    violate: (i) => ({ ...i, rules: list(i.rules).map((r) => ({ ...(r as object), verbs: [] })) }),
  },
  {
    type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    rule: "A role binding refers to a Role or ClusterRole of rbac.authorization.k8s.io, and its subjects are Users, Groups or ServiceAccounts",
    source: "https://kubernetes.io/docs/reference/kubernetes-api/authorization-resources/role-binding-v1/",
    check: (m) => {
      const ref = (m.inputs.roleRef as { kind?: unknown; apiGroup?: unknown; name?: unknown }) ?? {};
      if (
        ref.apiGroup !== "rbac.authorization.k8s.io" ||
        (ref.kind !== "Role" && ref.kind !== "ClusterRole") ||
        !ref.name
      )
        return `roleRef ${JSON.stringify(ref)} is not a named Role or ClusterRole of rbac.authorization.k8s.io`;
      const bad = list(m.inputs.subjects).find(
        (x) => !["User", "Group", "ServiceAccount"].includes(String((x as { kind?: unknown }).kind)),
      );
      return bad
        ? `subject kind ${JSON.stringify((bad as { kind?: unknown }).kind)} is not User, Group or ServiceAccount`
        : undefined;
    },
    violate: (i) => ({ ...i, roleRef: { ...(i.roleRef as object), kind: "Deployment" } }),
  },
  {
    type: "aws:s3/bucket:Bucket",
    rule: "A general purpose bucket name is 3–63 characters of lower-case letters, digits, . and -, beginning and ending with a letter or digit",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    check: matches(
      "bucket",
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      "a valid bucket name (3–63 lower-case letters, digits, . and -)",
    ),
    violate: (i) => ({ ...i, bucket: "Multicloud_Batch" }),
  },
  {
    type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    rule: "Each lifecycle rule has a unique id of at most 255 characters and a status of Enabled or Disabled; expiration days are positive",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html",
    check: (m) => {
      const rules = list(m.inputs.rules) as Array<{ id?: unknown; status?: unknown; expiration?: { days?: unknown } }>;
      const ids = rules.map((r) => String(r.id ?? ""));
      if (new Set(ids).size !== ids.length) return `rule ids repeat: ${ids.join(", ")}`;
      const bad = rules.find(
        (r) => !["Enabled", "Disabled"].includes(String(r.status)) || String(r.id ?? "").length > 255,
      );
      if (bad)
        return `rule ${String(bad.id)} has status ${String(bad.status)} (Enabled or Disabled) or an id over 255 characters`;
      const days = rules
        .map((r) => r.expiration?.days)
        .find((d) => typeof d === "number" && (d < 1 || !Number.isInteger(d)));
      return days === undefined ? undefined : `expiration days ${String(days)} is not a positive integer`;
    },
    violate: (i) => ({ ...i, rules: list(i.rules).map((r) => ({ ...(r as object), status: "On" })) }),
  },
  {
    type: "aws:sfn/stateMachine:StateMachine",
    rule: "A state machine's name is 1–80 characters of letters, digits, - and _; with logging on (ALL, ERROR, FATAL) it names a log group ARN ending in :*",
    source: "https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html",
    check: (m) => {
      const name = matches("name", /^[A-Za-z0-9_-]{1,80}$/, "1–80 letters, digits, - and _")(m);
      if (name) return name;
      const logging =
        (m.inputs.loggingConfiguration as { level?: unknown; logDestination?: unknown } | undefined) ?? {};
      if (logging.level === undefined || logging.level === "OFF") return undefined;
      if (!["ALL", "ERROR", "FATAL"].includes(String(logging.level)))
        return `loggingConfiguration.level ${String(logging.level)} is not one of ALL, ERROR, FATAL, OFF`;
      return typeof logging.logDestination === "string" &&
        !/^arn:aws[a-z-]*:logs:[^:]+:\d{12}:log-group:.+:\*$/.test(logging.logDestination)
        ? `loggingConfiguration.logDestination ${logging.logDestination} is not a log group ARN ending in :*`
        : undefined;
    },
    violate: (i) => ({
      ...i,
      loggingConfiguration: {
        ...(i.loggingConfiguration as object),
        logDestination: String((i.loggingConfiguration as { logDestination: string }).logDestination).replace(
          /:\*$/,
          "",
        ),
      },
    }),
  },
  {
    type: "aws:scheduler/schedule:Schedule",
    rule: "A cron schedule has six fields (minutes hours day-of-month month day-of-week year) with exactly one of the day fields ?; names are 1–64 characters of letters, digits, -, _ and .",
    source: "https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html",
    check: (m) => {
      const name = matches("name", /^[0-9a-zA-Z-_.]{1,64}$/, "1–64 letters, digits, -, _ and .")(m);
      if (name) return name;
      const expression = m.inputs.scheduleExpression;
      if (typeof expression !== "string" || !expression.startsWith("cron(")) return undefined;
      const fields = expression.slice(5, -1).trim().split(/\s+/);
      if (fields.length !== 6) return `scheduleExpression ${expression} has ${fields.length} fields, not 6`;
      return (fields[2] === "?") === (fields[4] === "?")
        ? `scheduleExpression ${expression}: exactly one of day-of-month and day-of-week must be ?`
        : undefined;
    },
    violate: (i) => ({ ...i, scheduleExpression: "cron(30 1 * * * *)" }),
  },
  {
    type: "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy",
    rule: "Rule names are unique; a rule targets objects, previous-object-versions or multipart-uploads, and ABORT is the action for multipart uploads and for them only; time units are DAYS or YEARS",
    source: "https://docs.oracle.com/en-us/iaas/Content/Object/Tasks/usinglifecyclepolicies.htm",
    check: (m) => {
      const rules = list(m.inputs.rules) as Array<{
        name?: unknown;
        target?: unknown;
        action?: unknown;
        timeUnit?: unknown;
      }>;
      const names = rules.map((r) => String(r.name));
      if (new Set(names).size !== names.length) return `rule names repeat: ${names.join(", ")}`;
      for (const r of rules) {
        const target = String(r.target ?? "objects");
        if (!["objects", "previous-object-versions", "multipart-uploads"].includes(target))
          return `rule ${String(r.name)} targets ${target}`;
        if ((target === "multipart-uploads") !== (r.action === "ABORT"))
          return `rule ${String(r.name)}: ${String(r.action)} on ${target} (ABORT is for multipart-uploads only)`;
        if (!["DAYS", "YEARS"].includes(String(r.timeUnit)))
          return `rule ${String(r.name)} has timeUnit ${String(r.timeUnit)}`;
      }
      return undefined;
    },
    violate: (i) => ({ ...i, rules: list(i.rules).map((r) => ({ ...(r as object), action: "ABORT" })) }),
  },
  {
    type: "oci:Identity/policy:Policy",
    rule: "A policy holds 1–50 statements, each an Allow, Define, Endorse or Admit statement; its name is unique, 1–100 characters without spaces",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/policysyntax/policy_syntax.htm",
    check: (m) => {
      // In a preview the statements may be unknown (they name resources not created yet).
      if (!Array.isArray(m.inputs.statements)) return undefined;
      const statements = list(m.inputs.statements);
      if (statements.length < 1 || statements.length > 50) return `${statements.length} statements (1–50)`;
      const bad = statements.find((st) => typeof st === "string" && !/^(Allow|Define|Endorse|Admit) /i.test(st));
      if (bad) return `statement "${String(bad)}" is not an Allow, Define, Endorse or Admit statement`;
      return matches("name", /^[^\s]{1,100}$/, "1–100 characters without spaces")(m);
    },
    violate: (i) => ({ ...i, statements: ["Permit group everyone to manage all-resources in tenancy"] }),
  },
  {
    type: "oci:Identity/dynamicGroup:DynamicGroup",
    rule: "A dynamic group has a matching rule — one rule, or ANY {…} / ALL {…} of rules — and a description",
    source:
      "https://docs.oracle.com/en-us/iaas/Content/Identity/dynamicgroups/Writing_Matching_Rules_to_Define_Dynamic_Groups.htm",
    check: (m) => {
      const rule = m.inputs.matchingRule;
      if (typeof rule !== "string") return undefined;
      if (!/^((ANY|ALL)\s*\{.+\}|resource\.[a-z.]+\s*=\s*'[^']+')$/.test(rule.trim()))
        return `matchingRule "${rule}" is not a rule or ANY/ALL {rules}`;
      return required("description")(m);
    },
    violate: (i) => ({ ...i, matchingRule: "the database" }),
  },
  {
    type: "oci:Streaming/stream:Stream",
    rule: "A stream keeps messages 24 to 168 hours and has at least one partition (50 per stream in a tenancy's default limits)",
    source: "https://docs.oracle.com/en-us/iaas/Content/Streaming/Concepts/streamingoverview.htm#limits",
    check: (m) => inRange("retentionInHours", 24, 168)(m) ?? inRange("partitions", 1, 50)(m),
    violate: (i) => ({ ...i, retentionInHours: 720 }),
  },
  {
    type: "oci:Kms/key:Key",
    rule: "An AES key is 16, 24 or 32 bytes long; its protection mode is HSM, SOFTWARE or EXTERNAL",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/key/release/KeyShape",
    check: (m) => {
      const shape = (m.inputs.keyShape as { algorithm?: unknown; length?: unknown } | undefined) ?? {};
      if (shape.algorithm === "AES" && ![16, 24, 32].includes(Number(shape.length)))
        return `keyShape.length ${String(shape.length)} is not 16, 24 or 32 for AES`;
      return oneOf("protectionMode", ["HSM", "SOFTWARE", "EXTERNAL"])(m);
    },
    violate: (i) => ({ ...i, keyShape: { algorithm: "AES", length: 256 } }),
  },
  {
    type: "oci:Ons/notificationTopic:NotificationTopic",
    rule: "A topic name is 1–256 characters of letters, digits, - and _",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/notification/20181201/datatypes/CreateTopicDetails",
    check: matches("name", /^[A-Za-z0-9_-]{1,256}$/, "1–256 letters, digits, - and _"),
    violate: (i) => ({ ...i, name: "anomaly alerts" }),
  },
  {
    type: "oci:Ons/subscription:Subscription",
    rule: "A subscription's protocol is one OCI Notifications offers, and an EMAIL endpoint is an address",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/notification/20181201/datatypes/CreateSubscriptionDetails",
    check: (m) => {
      const protocol = oneOf("protocol", [
        "CUSTOM_HTTPS",
        "EMAIL",
        "HTTPS",
        "ORACLE_FUNCTIONS",
        "PAGERDUTY",
        "SLACK",
        "SMS",
      ])(m);
      if (protocol) return protocol;
      return m.inputs.protocol === "EMAIL" &&
        typeof m.inputs.endpoint === "string" &&
        !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(m.inputs.endpoint)
        ? `endpoint ${m.inputs.endpoint} is not an e-mail address`
        : undefined;
    },
    violate: (i) => ({ ...i, protocol: "MAIL" }),
  },
  {
    type: "oci:Functions/function:Function",
    rule: "A function's memory is one of 128, 256, 512, 1024, 2048 or 3072 MB and its timeout 5 to 300 seconds",
    source: "https://docs.oracle.com/en-us/iaas/Content/Functions/Tasks/functionscustomizing.htm",
    check: (m) =>
      oneOf("memoryInMbs", ["128", "256", "512", "1024", "2048", "3072"])(m) ?? inRange("timeoutInSeconds", 5, 300)(m),
    violate: (i) => ({ ...i, memoryInMbs: "4096" }),
  },
  {
    type: "oci:ApiGateway/gateway:Gateway",
    rule: "A gateway's endpoint type is PUBLIC or PRIVATE",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/api-gateway/20190501/datatypes/CreateGatewayDetails",
    check: oneOf("endpointType", ["PUBLIC", "PRIVATE"]),
    violate: (i) => ({ ...i, endpointType: "INTERNAL" }),
  },
  {
    type: "oci:ApiGateway/deployment:Deployment",
    rule: "A deployment's path prefix starts with /, has no consecutive slashes, and only letters, digits and $ - _ . + ! * ' ( ) , % ; : @ & =; its routes' paths start with / and their methods are HTTP methods API Gateway routes",
    source: "https://docs.oracle.com/en-us/iaas/Content/APIGateway/Tasks/apigatewayinvokingdeployedapi.htm",
    check: (m) => {
      const prefix = String(m.inputs.pathPrefix ?? "");
      if (!/^\/[A-Za-z0-9$\-_.+!*'(),%;:@&=/]*$/.test(prefix) || prefix.includes("//"))
        return `pathPrefix "${prefix}" is not a / followed by letters, digits and $ - _ . + ! * ' ( ) , % ; : @ & = without consecutive slashes`;
      const routes =
        (m.inputs.specification as { routes?: Array<{ path?: unknown; methods?: unknown[] }> } | undefined)?.routes ??
        [];
      for (const route of routes) {
        if (typeof route.path !== "string" || !route.path.startsWith("/"))
          return `route path ${String(route.path)} does not start with /`;
        const bad = (route.methods ?? []).find(
          (method) => !["ANY", "HEAD", "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].includes(String(method)),
        );
        if (bad !== undefined) return `route ${route.path} has method ${String(bad)}, which API Gateway does not route`;
      }
      return undefined;
    },
    violate: (i) => ({ ...i, pathPrefix: "recommend//v1" }),
  },
  {
    type: "oci:Monitoring/alarm:Alarm",
    rule: "An alarm's severity is CRITICAL, ERROR, WARNING or INFO; its pending duration is PT1M to PT1H; its query is one metric with a condition",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/monitoring/20180401/datatypes/CreateAlarmDetails",
    check: (m) => {
      const severity = oneOf("severity", ["CRITICAL", "ERROR", "WARNING", "INFO"])(m);
      if (severity) return severity;
      const pending = m.inputs.pendingDuration;
      if (typeof pending === "string") {
        const minutes = /^PT(\d+)M$/.exec(pending)?.[1];
        if (minutes === undefined || Number(minutes) < 1 || Number(minutes) > 60)
          return `pendingDuration ${pending} is not PT1M to PT60M`;
      }
      const query = m.inputs.query;
      return typeof query === "string" && !/^\w+\[\d+[mh]\]\{.*\}\.\w+\(\) *[<>=!]=? *-?[\d.]+$/.test(query)
        ? `query ${query} is not metric[interval]{dimensions}.statistic() <condition>`
        : undefined;
    },
    violate: (i) => ({ ...i, pendingDuration: "PT2H" }),
  },
  {
    type: "aws:budgets/budget:Budget",
    rule: "A notification has at most 10 e-mail subscribers and 1 SNS topic",
    source:
      "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_NotificationWithSubscribers.html",
    check: (m) => {
      const notifications = ([] as unknown[]).concat(m.inputs.notifications ?? []) as {
        subscriberEmailAddresses?: unknown;
        subscriberSnsTopicArns?: unknown;
      }[];
      const over = notifications.find(
        (n) =>
          ([] as unknown[]).concat(n.subscriberEmailAddresses ?? []).length > 10 ||
          ([] as unknown[]).concat(n.subscriberSnsTopicArns ?? []).length > 1,
      );
      return over
        ? `a notification has ${([] as unknown[]).concat(over.subscriberEmailAddresses ?? []).length} e-mail and ${([] as unknown[]).concat(over.subscriberSnsTopicArns ?? []).length} SNS subscribers`
        : undefined;
    },
    violate: (i) => ({
      ...i,
      notifications: [
        {
          ...(([] as unknown[]).concat(i.notifications ?? [])[0] as object),
          subscriberEmailAddresses: Array.from({ length: 11 }, (_, n) => `f${n}@example.com`),
        },
      ],
    }),
  },
  {
    type: "oci:Budget/budget:Budget",
    rule: "A budget's amount is above 0, it resets MONTHLY or SINGLE_USE, and a target has at most one budget",
    source: "https://docs.oracle.com/en-us/iaas/Content/Billing/Concepts/budgetsoverview.htm",
    check: (m) => {
      if (typeof m.inputs.amount === "number" && !(m.inputs.amount > 0))
        return `amount ${m.inputs.amount} is not above 0`;
      const reset = oneOf("resetPeriod", ["MONTHLY", "SINGLE_USE"])(m);
      if (reset) return reset;
      const targets = ([] as unknown[]).concat(m.inputs.targets ?? []).map(String);
      const other = m.registered().find(
        (r) =>
          r.type === m.type &&
          r.inputs !== m.inputs &&
          ([] as unknown[])
            .concat(r.inputs.targets ?? [])
            .map(String)
            .some((t) => targets.includes(t)),
      );
      return other ? `target ${targets.join(", ")} already has a budget` : undefined;
    },
    violate: (i) => ({ ...i, resetPeriod: "WEEKLY" }),
  },
  {
    type: "oci:Budget/budget:Budget",
    rule: "A TAG budget targets namespace.key.value of a cost-tracking tag, with a value its validator accepts",
    source: "https://docs.oracle.com/en-us/iaas/Content/Billing/Tasks/managingbudgets.htm",
    check: (m) =>
      m.inputs.targetType === "TAG"
        ? ([] as unknown[])
            .concat(m.inputs.targets ?? [])
            .map((t) => tagBudgetTargetProblem(m, String(t)))
            .find((p) => p !== undefined)
        : undefined,
    violate: (i, facts) => {
      // A tag that is not cost-tracking when this run defines one (the org stack), else a target without its key.
      const plain = facts
        .registered()
        .find((r) => r.type === "oci:Identity/tag:Tag" && r.inputs.isCostTracking !== true);
      return {
        ...i,
        targetType: "TAG",
        targets: [plain ? `${String(plain.state.tagNamespaceName)}.${String(plain.inputs.name)}.x` : "cost_center"],
      };
    },
  },
  {
    type: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    rule: "A cluster has at most one pod identity association per namespace and service account, whether standalone or made by an add-on's podIdentityAssociations",
    source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreatePodIdentityAssociation.html",
    check: (m) => {
      const key = `${String(m.inputs.clusterName)} ${String(m.inputs.namespace)}/${String(m.inputs.serviceAccount)}`;
      const other = podIdentityKeys(m.registered(), m.inputs).find((k) => k.key === key);
      return other
        ? `${String(m.inputs.namespace)}/${String(m.inputs.serviceAccount)} already has an association on cluster ${String(m.inputs.clusterName)} (${other.by})`
        : undefined;
    },
    violate: (i, facts) => {
      const other = facts
        .registered()
        .find(
          (r) =>
            r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation" &&
            r.inputs.clusterName === i.clusterName &&
            r.inputs.serviceAccount !== i.serviceAccount,
        );
      return { ...i, namespace: other?.inputs.namespace, serviceAccount: other?.inputs.serviceAccount };
    },
  },
  {
    type: "aws:eks/addon:Addon",
    rule: "An add-on's podIdentityAssociations are associations in the add-on's namespace (namespaceConfig, else the add-on's own): each (namespace, service account) at most once per cluster",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/add-ons-iam.html",
    check: (m) => {
      const mine = addonAssociationKeys(m.inputs);
      if (typeof mine === "string") return mine;
      const others = podIdentityKeys(m.registered(), m.inputs);
      const taken = mine.find((k) => others.some((o) => o.key === k.key));
      return taken
        ? `${taken.key.split(" ")[1]} already has an association on cluster ${String(m.inputs.clusterName)} (${others.find((o) => o.key === taken.key)?.by}); the add-on would fail to create its own`
        : undefined;
    },
    violate: (i, facts) => {
      const standalone = facts
        .registered()
        .find(
          (r) =>
            r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation" &&
            r.inputs.clusterName === i.clusterName,
        );
      return {
        ...i,
        namespaceConfig: { namespace: standalone?.inputs.namespace },
        podIdentityAssociations: [
          { roleArn: "arn:aws:iam::1:role/x", serviceAccount: standalone?.inputs.serviceAccount },
        ],
      };
    },
  },
  {
    type: "kubernetes:core/v1:ConfigMap",
    rule: "ConfigMap keys are 1–253 characters of letters, digits, -, _ and .",
    source: "https://kubernetes.io/docs/concepts/configuration/configmap/#configmap-object",
    check: (m) => {
      const data = m.inputs.data;
      if (typeof data !== "object" || data === null) return undefined;
      const bad = Object.keys(data).find((key) => !/^[-._a-zA-Z0-9]{1,253}$/.test(key));
      return bad === undefined ? undefined : `data key "${bad}" is not letters, digits, -, _ and .`;
    },
    violate: (i) => ({ ...i, data: { ...(i.data as object), "not a key": "x" } }),
  },
  {
    type: "random:index/randomPassword:RandomPassword",
    rule: "length is at least the sum of the minimums",
    source: "https://registry.terraform.io/providers/hashicorp/random/latest/docs/resources/password",
    check: (m) => {
      const mins = ["minUpper", "minLower", "minNumeric", "minSpecial"].reduce(
        (sum, k) => sum + (typeof m.inputs[k] === "number" ? (m.inputs[k] as number) : 0),
        0,
      );
      const length = m.inputs.length;
      return typeof length === "number" && mins > length
        ? `length ${length} is less than the minimums' sum ${mins}`
        : undefined;
    },
    violate: (i) => ({ ...i, length: 4, minUpper: 3, minNumeric: 3 }),
  },
  {
    type: "aws:grafana/workspace:Workspace",
    rule: "A workspace signs users in with SAML and/or AWS_SSO, its account access is CURRENT_ACCOUNT or ORGANIZATION, its permission type SERVICE_MANAGED or CUSTOMER_MANAGED (customer-managed needs a role), its version 8.4, 9.4 or 10.4",
    source: "https://docs.aws.amazon.com/grafana/latest/APIReference/API_CreateWorkspace.html",
    check: (m) => {
      const providers = ([] as unknown[]).concat(m.inputs.authenticationProviders ?? []);
      if (providers.length === 0) return "authenticationProviders is empty";
      const bad = providers.find((p) => p !== "SAML" && p !== "AWS_SSO");
      if (bad !== undefined) return `authenticationProviders ${JSON.stringify(bad)} is not SAML or AWS_SSO`;
      const problem =
        oneOf("accountAccessType", ["CURRENT_ACCOUNT", "ORGANIZATION"])(m) ??
        oneOf("permissionType", ["SERVICE_MANAGED", "CUSTOMER_MANAGED"])(m) ??
        oneOf("grafanaVersion", ["8.4", "9.4", "10.4"])(m);
      if (problem) return problem;
      return m.inputs.permissionType === "CUSTOMER_MANAGED" && m.inputs.roleArn === undefined
        ? "permissionType CUSTOMER_MANAGED without a roleArn"
        : undefined;
    },
    violate: (i) => ({ ...i, authenticationProviders: ["GOOGLE"] }),
  },
  {
    type: "aws:grafana/workspace:Workspace",
    rule: "A workspace name is 1–255 of letters, digits and - . _ ~",
    source: "https://docs.aws.amazon.com/grafana/latest/APIReference/API_CreateWorkspace.html",
    check: matches("name", /^[a-zA-Z0-9\-._~]{1,255}$/, "1–255 of letters, digits and - . _ ~"),
    violate: (i) => ({ ...i, name: "multicloud dev/grafana" }),
  },
  {
    type: "aws:grafana/workspace:Workspace",
    rule: "Network access control, when set, names VPC endpoints (vpce-…) and/or prefix lists (pl-…), at least one of them (two empty lists admit nobody)",
    source: "https://docs.aws.amazon.com/grafana/latest/APIReference/API_NetworkAccessConfiguration.html",
    check: (m) => {
      const nac = m.inputs.networkAccessControl as { vpceIds?: unknown; prefixListIds?: unknown } | undefined;
      if (nac === undefined || isUnknownInput(nac)) return undefined;
      const vpce = ([] as unknown[]).concat(nac.vpceIds ?? []);
      const lists = ([] as unknown[]).concat(nac.prefixListIds ?? []);
      if (vpce.length === 0 && lists.length === 0)
        return "networkAccessControl names no VPC endpoint and no prefix list: nobody could reach the workspace";
      const badVpce = vpce.find((v) => typeof v === "string" && !/^vpce-[0-9a-f]+$/.test(v));
      if (badVpce !== undefined) return `vpceIds has ${String(badVpce)}; VPC endpoint ids look like vpce-0123…`;
      const badList = lists.find((v) => typeof v === "string" && !/^pl-[0-9a-f]+$/.test(v));
      return badList !== undefined
        ? `prefixListIds has ${String(badList)}; prefix list ids look like pl-0123…`
        : undefined;
    },
    violate: (i) => ({ ...i, networkAccessControl: { vpceIds: [], prefixListIds: [] } }),
  },
  {
    type: "aws:ec2/managedPrefixList:ManagedPrefixList",
    rule: "A prefix list's address family is IPv4 or IPv6, its maxEntries 1–1000 and at least its entries, each entry a CIDR of that family",
    source: "https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html",
    check: (m) => {
      const family = oneOf("addressFamily", ["IPv4", "IPv6"])(m);
      if (family) return family;
      const entries = m.inputs.entries;
      if (isUnknownInput(entries)) return undefined;
      const list = ([] as Array<{ cidr?: unknown }>).concat((entries as Array<{ cidr?: unknown }>) ?? []);
      const max = Number(m.inputs.maxEntries);
      if (!Number.isInteger(max) || max < 1 || max > 1000)
        return `maxEntries ${String(m.inputs.maxEntries)} is not 1–1000`;
      if (list.length > max) return `${list.length} entries for maxEntries ${max}`;
      const v4 = m.inputs.addressFamily === "IPv4";
      const bad = list.find(
        (e) => typeof e.cidr === "string" && (v4 ? !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(e.cidr) : !e.cidr.includes(":")),
      );
      return bad ? `entry ${String(bad.cidr)} is not an ${String(m.inputs.addressFamily)} CIDR` : undefined;
    },
    violate: (i) => ({ ...i, maxEntries: 0 }),
  },
  {
    type: "aws:grafana/workspaceSamlConfiguration:WorkspaceSamlConfiguration",
    rule: "A SAML configuration gives the IdP metadata as XML or URL (one of them) and names at least one editor group; role values are 1–256 characters",
    source: "https://docs.aws.amazon.com/grafana/latest/APIReference/API_SamlConfiguration.html",
    check: (m) => {
      const sources = [m.inputs.idpMetadataXml, m.inputs.idpMetadataUrl].filter(
        (v) => v !== undefined && v !== "",
      ).length;
      if (sources !== 1) return `gives ${sources} IdP metadata sources (idpMetadataXml, idpMetadataUrl); give one`;
      const editors = m.inputs.editorRoleValues;
      if (!isUnknownInput(editors) && (!Array.isArray(editors) || editors.length === 0))
        return "editorRoleValues is empty";
      const values = [
        ...([] as unknown[]).concat(m.inputs.adminRoleValues ?? []),
        ...([] as unknown[]).concat(Array.isArray(editors) ? editors : []),
      ];
      const bad = values.find((v) => typeof v === "string" && (v.length < 1 || v.length > 256));
      return bad !== undefined ? `role value "${String(bad)}" is not 1–256 characters` : undefined;
    },
    violate: (i) => ({ ...i, editorRoleValues: [] }),
  },
  {
    type: "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount",
    rule: "A service account's role is ADMIN, EDITOR or VIEWER",
    source: "https://docs.aws.amazon.com/grafana/latest/APIReference/API_CreateWorkspaceServiceAccount.html",
    check: oneOf("grafanaRole", ["ADMIN", "EDITOR", "VIEWER"]),
    violate: (i) => ({ ...i, grafanaRole: "OWNER" }),
  },
  {
    type: "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
    rule: "A DIMENSIONAL monitor names a dimension (SERVICE, LINKED_ACCOUNT, TAG, COST_CATEGORY) and no specification, a CUSTOM one a specification; an account has at most one AWS-services monitor",
    source: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_AnomalyMonitor.html",
    check: (m) => {
      const type = m.inputs.monitorType;
      if (type !== "DIMENSIONAL" && type !== "CUSTOM")
        return `monitorType ${JSON.stringify(type)} is not DIMENSIONAL or CUSTOM`;
      if (type === "DIMENSIONAL") {
        const dimension = oneOf("monitorDimension", ["SERVICE", "LINKED_ACCOUNT", "TAG", "COST_CATEGORY"])(m);
        if (dimension) return dimension;
        if (m.inputs.monitorDimension === undefined) return "a DIMENSIONAL monitor without monitorDimension";
        if (m.inputs.monitorSpecification !== undefined) return "a DIMENSIONAL monitor with a monitorSpecification";
        const other = m
          .registered()
          .find(
            (r) =>
              r.type === m.type &&
              r.inputs !== m.inputs &&
              r.inputs.monitorType === "DIMENSIONAL" &&
              r.inputs.monitorDimension === "SERVICE",
          );
        return m.inputs.monitorDimension === "SERVICE" && other
          ? "the account already has an AWS-services monitor"
          : undefined;
      }
      return m.inputs.monitorSpecification === undefined ? "a CUSTOM monitor without monitorSpecification" : undefined;
    },
    violate: (i) => ({ ...i, monitorType: "DIMENSIONAL", monitorDimension: undefined }),
  },
  {
    type: "aws:costexplorer/anomalySubscription:AnomalySubscription",
    rule: "A subscription's frequency is DAILY, IMMEDIATE or WEEKLY; SNS subscribers need IMMEDIATE and e-mail subscribers DAILY or WEEKLY; it watches 1 or more monitors",
    source: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_AnomalySubscription.html",
    check: (m) => {
      const frequency = oneOf("frequency", ["DAILY", "IMMEDIATE", "WEEKLY"])(m);
      if (frequency) return frequency;
      const subscribers = ([] as unknown[]).concat(m.inputs.subscribers ?? []) as { type?: unknown }[];
      if (subscribers.some((s) => s.type === "SNS") && m.inputs.frequency !== "IMMEDIATE")
        return `an SNS subscriber with frequency ${String(m.inputs.frequency)} (SNS takes IMMEDIATE only)`;
      if (subscribers.some((s) => s.type === "EMAIL") && m.inputs.frequency === "IMMEDIATE")
        return "an e-mail subscriber with frequency IMMEDIATE (e-mail takes DAILY or WEEKLY)";
      const monitors = m.inputs.monitorArnLists;
      return Array.isArray(monitors) && monitors.length === 0 ? "monitorArnLists is empty" : undefined;
    },
    violate: (i) => ({ ...i, frequency: "DAILY" }),
  },
  {
    type: "aws:autoscaling/schedule:Schedule",
    rule: "A scheduled action's recurrence is a five-field cron, and it sets minSize ≤ desiredCapacity ≤ maxSize",
    source: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScheduledUpdateGroupAction.html",
    check: (m) => {
      const recurrence = m.inputs.recurrence;
      if (typeof recurrence === "string" && recurrence.trim().split(/\s+/).length !== 5)
        return `recurrence "${recurrence}" is not a five-field cron`;
      const [min, desired, max] = [m.inputs.minSize, m.inputs.desiredCapacity, m.inputs.maxSize];
      if (typeof min === "number" && typeof max === "number" && min > max)
        return `minSize ${min} is above maxSize ${max}`;
      if (
        typeof desired === "number" &&
        ((typeof min === "number" && desired < min) || (typeof max === "number" && desired > max))
      )
        return `desiredCapacity ${desired} is outside ${String(min)}–${String(max)}`;
      return undefined;
    },
    violate: (i) => ({ ...i, recurrence: "0 19 * * MON-FRI *" }),
  },
  {
    type: "oci:Identity/tagDefault:TagDefault",
    rule: "A compartment has at most one tag default per tag definition",
    source: "https://docs.oracle.com/en-us/iaas/Content/Tagging/Tasks/managingtagdefaults.htm",
    check: (m) => {
      if (isUnknownInput(m.inputs.tagDefinitionId)) return undefined;
      const same = m
        .registered()
        .find(
          (r) =>
            r.type === m.type &&
            r.inputs !== m.inputs &&
            r.inputs.compartmentId === m.inputs.compartmentId &&
            r.inputs.tagDefinitionId === m.inputs.tagDefinitionId,
        );
      return same
        ? `compartment ${String(m.inputs.compartmentId)} already has a default for tag ${String(m.inputs.tagDefinitionId)}`
        : undefined;
    },
    violate: (i, facts) => ({
      ...i,
      tagDefinitionId: facts
        .registered()
        .find((r) => r.type === "oci:Identity/tagDefault:TagDefault" && r.inputs.tagDefinitionId !== i.tagDefinitionId)
        ?.inputs.tagDefinitionId,
    }),
  },
  {
    type: "oci:Identity/apiKey:ApiKey",
    rule: "An API key is an RSA public key in PEM of at least 2048 bits, and a user holds at most 3 API keys",
    source: "https://docs.oracle.com/en-us/iaas/Content/API/Concepts/apisigningkey.htm",
    check: (m) => {
      const pem = m.inputs.keyValue;
      if (typeof pem === "string") {
        let key;
        try {
          key = createPublicKey(pem);
        } catch {
          return "keyValue is not a PEM public key";
        }
        const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
        if (key.asymmetricKeyType !== "rsa" || bits < 2048)
          return `keyValue is a ${key.asymmetricKeyType ?? "unknown"} key of ${bits} bits, not RSA ≥ 2048`;
      }
      return overPerUser(m, 3, "API keys");
    },
    violate: (i) => ({
      ...i,
      keyValue: generateKeyPairSync("rsa", { modulusLength: 1024 })
        .publicKey.export({ type: "spki", format: "pem" })
        .toString(),
    }),
  },
  {
    type: "oci:Budget/rule:Rule",
    rule: "An alert rule is ACTUAL or FORECAST; a PERCENTAGE threshold is above 0 and at most 10,000, an ABSOLUTE one above 0; recipients are e-mail addresses separated by commas",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/budgets/20190111/datatypes/CreateAlertRuleDetails",
    check: (m) => {
      const kind = oneOf("type", ["ACTUAL", "FORECAST"])(m) ?? oneOf("thresholdType", ["PERCENTAGE", "ABSOLUTE"])(m);
      if (kind) return kind;
      const threshold = m.inputs.threshold;
      if (
        typeof threshold === "number" &&
        (!(threshold > 0) || (m.inputs.thresholdType === "PERCENTAGE" && threshold > 10_000))
      )
        return `threshold ${threshold} is outside (0, ${m.inputs.thresholdType === "PERCENTAGE" ? "10000" : "∞"}]`;
      const recipients = m.inputs.recipients;
      if (typeof recipients === "string" && recipients !== "") {
        const bad = recipients.split(",").find((r) => !/^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(r.trim()));
        if (bad !== undefined) return `recipients "${recipients}" holds "${bad}", not an e-mail address`;
      }
      return undefined;
    },
    violate: (i) => ({ ...i, recipients: "finops@example.com; ops@example.com" }),
  },
  {
    type: "oci:Identity/authToken:AuthToken",
    rule: "An auth token has a description of 1–400 characters, and a user holds at most 2 auth tokens",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/access/managing-user-credentials.htm",
    check: (m) => {
      const description = m.inputs.description;
      if (typeof description === "string" && (description.length < 1 || description.length > 400))
        return `description is ${description.length} characters, not 1–400`;
      return overPerUser(m, 2, "auth tokens");
    },
    violate: (i) => ({ ...i, description: "" }),
  },
  {
    type: "oci:Identity/customerSecretKey:CustomerSecretKey",
    rule: "A customer secret key has a display name, and a user holds at most 2 of them",
    source: "https://docs.oracle.com/en-us/iaas/Content/Identity/access/managing-user-credentials.htm",
    check: (m) => {
      return required("displayName")(m) ?? overPerUser(m, 2, "customer secret keys");
    },
    violate: (i) => ({ ...i, displayName: "" }),
  },
  {
    type: "oci:Identity/userGroupMembership:UserGroupMembership",
    rule: "A user is added to a group once",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/identity/20160918/UserGroupMembership/AddUserToGroup",
    check: (m) => {
      if (isUnknownInput(m.inputs.userId) || isUnknownInput(m.inputs.groupId)) return undefined;
      const twice = m
        .registered()
        .some(
          (r) =>
            r.type === m.type &&
            r.inputs !== m.inputs &&
            r.inputs.userId === m.inputs.userId &&
            r.inputs.groupId === m.inputs.groupId,
        );
      return twice
        ? `user ${String(m.inputs.userId)} is already a member of group ${String(m.inputs.groupId)}`
        : undefined;
    },
    violate: (i, facts) => {
      const other = facts
        .registered()
        .find((r) => r.type === "oci:Identity/userGroupMembership:UserGroupMembership" && r.inputs.userId !== i.userId);
      return { ...i, userId: other?.inputs.userId, groupId: other?.inputs.groupId };
    },
  },
  {
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    rule: "policyArn is a managed policy's ARN, and a role has at most 10 managed policies attached (IAM's default quota)",
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
    check: (m) => {
      const arn = matches(
        "policyArn",
        /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/,
        "a managed policy ARN",
      )(m);
      if (arn) return arn;
      if (isUnknownInput(m.inputs.role)) return undefined;
      const attached = m
        .registered()
        .filter((r) => r.type === m.type && r.inputs !== m.inputs && r.inputs.role === m.inputs.role).length;
      return attached >= 10 ? `role ${String(m.inputs.role)} already has ${attached} managed policies` : undefined;
    },
    violate: (i) => ({ ...i, policyArn: "AmazonEKSClusterPolicy" }),
  },
  {
    type: "aws:eks/accessEntry:AccessEntry",
    rule: "An access entry's type is STANDARD, FARGATE_LINUX, EC2_LINUX, EC2_WINDOWS, EC2, HYBRID_LINUX or HYPERPOD_LINUX, and a principal has one entry per cluster",
    source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html",
    check: (m) => {
      const type = oneOf("type", [
        "STANDARD",
        "FARGATE_LINUX",
        "EC2_LINUX",
        "EC2_WINDOWS",
        "EC2",
        "HYBRID_LINUX",
        "HYPERPOD_LINUX",
      ])(m);
      if (type) return type;
      if (isUnknownInput(m.inputs.principalArn)) return undefined;
      const twice = m
        .registered()
        .some(
          (r) =>
            r.type === m.type &&
            r.inputs !== m.inputs &&
            r.inputs.clusterName === m.inputs.clusterName &&
            r.inputs.principalArn === m.inputs.principalArn,
        );
      return twice
        ? `${String(m.inputs.principalArn)} already has an access entry on ${String(m.inputs.clusterName)}`
        : undefined;
    },
    violate: (i) => ({ ...i, type: "ADMIN" }),
  },
  {
    type: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    rule: "The policy is an EKS cluster access policy; a namespace scope names namespaces and a cluster scope none; the principal's access entry (if in this run) is one that takes policies (not EC2*, HYBRID_LINUX)",
    source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_AssociateAccessPolicy.html",
    check: (m) => {
      const arn = matches(
        "policyArn",
        /^arn:aws[a-z-]*:eks::aws:cluster-access-policy\/[A-Za-z]+$/,
        "an EKS cluster access policy ARN",
      )(m);
      if (arn) return arn;
      const scope = m.inputs.accessScope as { type?: unknown; namespaces?: unknown } | undefined;
      const namespaces = ([] as unknown[]).concat(scope?.namespaces ?? []);
      if (scope && scope.type !== "cluster" && scope.type !== "namespace")
        return `accessScope.type ${JSON.stringify(scope.type)} is not cluster or namespace`;
      if (scope?.type === "namespace" && namespaces.length === 0)
        return "accessScope.type namespace names no namespaces";
      if (scope?.type === "cluster" && namespaces.length > 0) return "accessScope.type cluster names namespaces";
      const entry = m
        .registered()
        .find(
          (r) =>
            r.type === "aws:eks/accessEntry:AccessEntry" &&
            r.inputs.clusterName === m.inputs.clusterName &&
            r.inputs.principalArn === m.inputs.principalArn,
        );
      const entryType = String(entry?.inputs.type ?? "STANDARD");
      return entry && /^(EC2|HYBRID_LINUX)/.test(entryType)
        ? `the principal's access entry is ${entryType}, which takes no access policies`
        : undefined;
    },
    violate: (i) => ({ ...i, accessScope: { type: "namespace" } }),
  },
  {
    type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    rule: "An endpoint configuration has 1–10 production variants with distinct names, ml.* instance types and at least 1 initial instance",
    source: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html",
    check: (m) => {
      const variants = ([] as unknown[]).concat(m.inputs.productionVariants ?? []) as {
        variantName?: unknown;
        instanceType?: unknown;
        initialInstanceCount?: unknown;
        serverlessConfig?: unknown;
      }[];
      if (variants.length < 1 || variants.length > 10) return `${variants.length} production variants, not 1–10`;
      const names = variants.map((v) => String(v.variantName));
      const twice = names.find((n, k) => names.indexOf(n) !== k);
      if (twice) return `variant name ${twice} is used twice`;
      for (const v of variants) {
        if (v.serverlessConfig !== undefined) continue;
        if (typeof v.instanceType === "string" && !v.instanceType.startsWith("ml."))
          return `variant ${String(v.variantName)}: instanceType ${v.instanceType} is not an ml.* type`;
        if (typeof v.initialInstanceCount === "number" && !(v.initialInstanceCount >= 1))
          return `variant ${String(v.variantName)}: initialInstanceCount ${v.initialInstanceCount} is below 1`;
      }
      return undefined;
    },
    violate: (i) => ({
      ...i,
      productionVariants: ([] as unknown[])
        .concat(i.productionVariants ?? [])
        .map((v) => ({ ...(v as object), initialInstanceCount: 0 })),
    }),
  },
  {
    type: "oci:ObjectStorage/bucket:Bucket",
    rule: "A bucket name is 1–256 letters, digits, -, _ and .; accessType, storageTier, autoTiering and versioning take OCI's values",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/objectstorage/20160918/datatypes/CreateBucketDetails",
    check: (m) =>
      matches("name", /^[A-Za-z0-9_.-]{1,256}$/, "1–256 letters, digits, -, _ and .")(m) ??
      oneOf("accessType", ["NoPublicAccess", "ObjectRead", "ObjectReadWithoutList", "ObjectWrite"])(m) ??
      oneOf("storageTier", ["Standard", "Archive"])(m) ??
      oneOf("autoTiering", ["Disabled", "InfrequentAccess"])(m) ??
      oneOf("versioning", ["Enabled", "Disabled"])(m),
    violate: (i) => ({ ...i, name: "orders batch" }),
  },
  {
    type: "oci:Kms/vault:Vault",
    rule: "A vault's type is DEFAULT, VIRTUAL_PRIVATE or EXTERNAL",
    source: "https://docs.oracle.com/en-us/iaas/api/#/en/key/release/datatypes/CreateVaultDetails",
    check: (m) => oneOf("vaultType", ["DEFAULT", "VIRTUAL_PRIVATE", "EXTERNAL"])(m) ?? required("vaultType")(m),
    violate: (i) => ({ ...i, vaultType: "SHARED" }),
  },
  {
    type: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    rule: "objectOwnership is BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControlsRule.html",
    check: (m) => {
      const ownership = (m.inputs.rule as { objectOwnership?: unknown } | undefined)?.objectOwnership;
      return ownership === undefined ||
        ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"].includes(String(ownership))
        ? undefined
        : `rule.objectOwnership ${JSON.stringify(ownership)} is not BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter`;
    },
    violate: (i) => ({ ...i, rule: { objectOwnership: "BucketOwnerFull" } }),
  },
  {
    type: "aws:costexplorer/costAllocationTag:CostAllocationTag",
    rule: "A cost-allocation tag's status is Active or Inactive and its key is 1–128 characters",
    source:
      "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_UpdateCostAllocationTagsStatus.html",
    check: (m) => oneOf("status", ["Active", "Inactive"])(m) ?? matches("tagKey", /^.{1,128}$/u, "1–128 characters")(m),
    violate: (i) => ({ ...i, status: "Enabled" }),
  },
  {
    type: "tls:index/privateKey:PrivateKey",
    rule: "algorithm is RSA, ECDSA or ED25519; an ECDSA curve is P224, P256, P384 or P521",
    source: "https://registry.terraform.io/providers/hashicorp/tls/latest/docs/resources/private_key",
    check: (m) =>
      oneOf("algorithm", ["RSA", "ECDSA", "ED25519"])(m) ??
      (m.inputs.algorithm === "ECDSA" ? oneOf("ecdsaCurve", ["P224", "P256", "P384", "P521"])(m) : undefined),
    violate: (i) => ({ ...i, algorithm: "DSA" }),
  },
  {
    type: "aws:ec2/securityGroup:SecurityGroup",
    rule: "A security group's description and its inline rules' descriptions are up to 255 of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
    check: (m) => {
      const inline = ["ingress", "egress"].flatMap((side) =>
        ([] as unknown[])
          .concat(m.inputs[side] ?? [])
          .map((r, i) => [`${side}[${i}].description`, (r as { description?: unknown }).description] as const),
      );
      return [["description", m.inputs.description] as const, ...inline]
        .map(([field, value]) => securityGroupTextProblem(field, value))
        .find((p) => p !== undefined);
    },
    violate: (i) => ({ ...i, description: "the services' port" }),
  },
  ...(
    [
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    ] as const
  ).map((type): CloudRule => ({
    type,
    rule: "A rule's description is up to 255 of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*; it names exactly one peer (CIDR, prefix list or security group)",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroupRuleRequest.html",
    check: (m) => {
      const text = securityGroupTextProblem("description", m.inputs.description);
      if (text) return text;
      const peers = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"].filter(
        (f) => m.inputs[f] !== undefined,
      );
      // A preview leaves a peer that is another resource's output out of the inputs.
      return peers.length === 1 || (peers.length === 0 && m.preview)
        ? undefined
        : `names ${peers.length === 0 ? "no peer" : peers.join(" and ")}; give exactly one of cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId`;
    },
    violate: (i) => ({ ...i, description: "the platform's clients" }),
  })),
];

/** The rules of a type, by type (the engine looks up each registration's). */
export const RULES_BY_TYPE: ReadonlyMap<string, readonly CloudRule[]> = CLOUD_RULES.reduce(
  (map, rule) => map.set(rule.type, [...(map.get(rule.type) ?? []), rule]),
  new Map<string, CloudRule[]>(),
);

/** Why the cloud would refuse this registration (one line per broken rule); empty when it accepts it. */
export function refusals(m: ModelInput): string[] {
  return (RULES_BY_TYPE.get(m.type) ?? []).flatMap((rule) => {
    const problem = rule.check(m);
    return problem ? [`${problem} (${rule.rule}; ${rule.source})`] : [];
  });
}

export const CLOUD_RULES_SECTION: DocSection = {
  file: path.join(REPO_ROOT, "docs/verification.md"),
  begin: "<!-- cloud-rules:begin (npm run docs:generate) -->",
  end: "<!-- cloud-rules:end -->",
};

/** The rules as the docs table shows them. */
export function cloudRulesTable(): string {
  const lines = ["| Type | Refused unless | Source |", "|---|---|---|"];
  for (const rule of CLOUD_RULES) lines.push(`| \`${rule.type}\` | ${rule.rule} | <${rule.source}> |`);
  return lines.join("\n");
}
