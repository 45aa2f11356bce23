/**
 * What each cloud computes for the resource types and invokes the program uses: ids in the
 * cloud's own formats, ARNs, OCIDs, default child objects, addresses. Every value is derived
 * from the resource's type and name, so it is unique per resource and the same on every run.
 *
 * The engine refuses a type or invoke with no model here, so a new resource type cannot slip
 * through the offline tests with made-up outputs.
 */
import { gateProblem, LinkReadinessInputs } from "../components/interconnect/linkReadiness";
import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import forge from "node-forge";
import * as pulumi from "@pulumi/pulumi";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { IPv4CidrRange } from "ip-num";
import { cacheKey as diskCacheKey, readCache, writeCache } from "../components/shared/diskCache";
import { documentationIp, hexId, ocidSuffix, uuid } from "./ids";
import { SECRET_SIG, SECRET_VALUE_SIG } from "./secrets";

export interface AwsFacts {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
}

export interface OciFacts {
  readonly region: string;
  /** The short region key OCIDs and service names carry, e.g. `fra`. */
  readonly regionKey: string;
  readonly tenancyId: string;
  readonly namespace: string;
}

/** What the engine already knows about a resource, looked up by id (for models that follow references). */
export interface KnownResource {
  readonly type: string;
  readonly inputs: Record<string, unknown>;
  readonly state: Record<string, unknown>;
}

export interface ModelFacts {
  readonly aws: AwsFacts;
  readonly oci: OciFacts;
  readonly byId: (id: unknown) => KnownResource | undefined;
  /** Outputs of the stacks a StackReference may name, by fully qualified name. */
  readonly stackOutputs: Readonly<Record<string, Record<string, unknown>>>;
  /** Every resource registered so far in the run (for limits that span resources). */
  readonly registered: () => readonly KnownResource[];
  /** A preview: ids of resources not yet created are unknown, so references to them cannot be followed. */
  readonly preview: boolean;
}

export interface ModelInput extends ModelFacts {
  readonly type: string;
  readonly name: string;
  /** Inputs with secrets unwrapped. */
  readonly inputs: Record<string, unknown>;
}

export interface ModelResult {
  readonly id: string;
  /** Computed outputs; the engine adds the inputs underneath, as providers echo them. */
  readonly state: Record<string, unknown>;
}

type ResourceModel = (m: ModelInput) => ModelResult;

const OCI_REGION_KEYS: Record<string, string> = {
  "eu-frankfurt-1": "fra",
  "eu-amsterdam-1": "ams",
  "uk-london-1": "lhr",
  "us-ashburn-1": "iad",
  "us-phoenix-1": "phx",
  "me-dubai-1": "dxb",
  "ap-tokyo-1": "nrt",
  "ap-sydney-1": "syd",
  "eu-zurich-1": "zrh",
  "eu-paris-1": "cdg",
};

/** Region key for an OCI region identifier; unknown regions get a stable key from their name. */
export function ociRegionKey(region: string): string {
  return OCI_REGION_KEYS[region] ?? region.split("-")[1].slice(0, 3);
}

const awsId = (prefix: string, m: ModelInput) => `${prefix}-${hexId(17, m.type, m.name)}`;
const arn = (m: ModelInput, service: string, resource: string, regional = true) =>
  `arn:${m.aws.partition}:${service}:${regional ? m.aws.region : ""}:${m.aws.accountId}:${resource}`;
const ocid = (kind: string, m: ModelInput, regional = true) =>
  `ocid1.${kind}.oc1.${regional ? m.oci.regionKey : ""}.${ocidSuffix(m.type, m.name)}`;
/** A physical name as Pulumi auto-naming makes it: logical name plus a random-looking suffix. */
const autoName = (m: ModelInput) =>
  typeof m.inputs.name === "string" ? m.inputs.name : `${m.name}-${hexId(7, m.type, m.name)}`;

/** How a preview hands a model an input that is not known yet (an id of a resource not yet created). */
export const isUnknownInput = (value: unknown): boolean =>
  value === undefined || value === unknownValue || pulumi.isUnknown(value);

const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** The zone id AWS pairs with a zone name (`eu-west-1b` → `euwe-az2`). */
export function awsZoneId(region: string, zoneName: string): string {
  return `${region.replace(/-/g, "").slice(0, 4)}-az${zoneName.charCodeAt(zoneName.length - 1) - 96}`;
}

/** A namespaced (or cluster-scoped) Kubernetes object as the API server returns it: its metadata completed. */
const kubernetesObject: ResourceModel = (m) => {
  const metadata = (m.inputs.metadata as Record<string, unknown> | undefined) ?? {};
  const name = typeof metadata.name === "string" ? metadata.name : `${m.name}-${hexId(8, m.type, m.name)}`;
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : undefined;
  return {
    id: namespace ? `${namespace}/${name}` : name,
    state: {
      metadata: {
        ...metadata,
        name,
        uid: uuid(m.type, m.name),
        resourceVersion: "1",
        generation: 1,
        creationTimestamp: "2026-01-01T00:00:00Z",
      },
    },
  };
};

const awsEc2 =
  (prefix: string, arnType: string): ResourceModel =>
  (m) => {
    const id = awsId(prefix, m);
    return { id, state: { arn: arn(m, "ec2", `${arnType}/${id}`), ownerId: m.aws.accountId } };
  };

/** The DRG's autogenerated table for an attachment kind (what OCI assigns when none is given). */
function defaultDrgTable(
  m: ModelInput,
  kind: "vcn" | "ipsecTunnel" | "virtualCircuit" | "remotePeeringConnection",
): unknown {
  const tables = m.byId(m.inputs.drgId)?.state.defaultDrgRouteTables;
  return Array.isArray(tables) ? (tables[0] as Record<string, unknown>)[kind] : undefined;
}

const ociPlain =
  (kind: string, extra?: (m: ModelInput, id: string) => Record<string, unknown>): ResourceModel =>
  (m) => {
    const id = ocid(kind, m);
    return {
      id,
      state: { state: "AVAILABLE", timeCreated: "2026-01-01T00:00:00.000Z", ...(extra ? extra(m, id) : {}) },
    };
  };

/** OCI identity names (tag namespaces, tags): 1–100 characters, no spaces or periods. */
function ociTagName(m: ModelInput, what: string): string {
  const name = str(m.inputs.name);
  if (!/^[^\s.]{1,100}$/.test(name))
    throw new Error(
      `${m.type} "${m.name}": OCI refuses ${what} name "${name}": 1 to 100 characters, no spaces or periods`,
    );
  if (!str(m.inputs.description)) throw new Error(`${m.type} "${m.name}": OCI requires a description for a ${what}`);
  return name;
}

/** OCI allows at most 10 cost-tracking tags in a tenancy. */
const OCI_COST_TRACKING_TAGS_MAX = 10;

export const RESOURCE_MODELS: Record<string, ResourceModel> = {
  // A read of another stack's outputs: what that stack's own offline run exported.
  "pulumi:pulumi:StackReference": (m) => {
    const name = str(m.inputs.name);
    const outputs = m.stackOutputs[name];
    if (!outputs) {
      const known = Object.keys(m.stackOutputs);
      throw new Error(
        `offline engine: stack reference "${name}" names no stack this run knows (${known.length ? known.join(", ") : "none"}); bring that stack up first, or fix multicloud:orgStack`,
      );
    }
    return { id: name, state: { name, outputs, secretOutputNames: [] } };
  },
  "oci:Identity/tagNamespace:TagNamespace": (m) => {
    ociTagName(m, "tag namespace");
    if (!/^ocid1\.(tenancy|compartment)\./.test(str(m.inputs.compartmentId)))
      throw new Error(`${m.type} "${m.name}": compartmentId must be a tenancy or compartment OCID`);
    return {
      id: ocid("tagnamespace", m, false),
      state: { isRetired: false, state: "ACTIVE", timeCreated: "2026-01-01T00:00:00.000Z" },
    };
  },
  "oci:Identity/tag:Tag": (m) => {
    ociTagName(m, "tag");
    const namespace = m.byId(m.inputs.tagNamespaceId);
    if (
      !(m.preview && isUnknownInput(m.inputs.tagNamespaceId)) &&
      namespace?.type !== "oci:Identity/tagNamespace:TagNamespace"
    )
      throw new Error(`${m.type} "${m.name}": tagNamespaceId names no tag namespace of this run`);
    if (m.inputs.isCostTracking === true) {
      const tracking = m.registered().filter((r) => r.type === m.type && r.inputs.isCostTracking === true).length;
      if (tracking >= OCI_COST_TRACKING_TAGS_MAX)
        throw new Error(
          `${m.type} "${m.name}": OCI allows at most ${OCI_COST_TRACKING_TAGS_MAX} cost-tracking tags per tenancy`,
        );
    }
    return {
      id: ocid("tagdefinition", m, false),
      state: {
        isRetired: false,
        state: "ACTIVE",
        tagNamespaceName: str(namespace?.inputs.name),
        timeCreated: "2026-01-01T00:00:00.000Z",
      },
    };
  },
  "oci:Identity/tagDefault:TagDefault": (m) => ({
    id: ocid("tagdefault", m),
    state: { state: "ACTIVE", tagNamespaceId: "", tagDefinitionName: "", timeCreated: "2026-01-01T00:00:00.000Z" },
  }),
  "pulumi:providers:aws": (m) => ({ id: uuid(m.type, m.name), state: {} }),
  "pulumi:providers:oci": (m) => ({ id: uuid(m.type, m.name), state: {} }),
  "pulumi:providers:random": (m) => ({ id: uuid(m.type, m.name), state: {} }),
  "pulumi:providers:kubernetes": (m) => ({ id: uuid(m.type, m.name), state: {} }),
  "kubernetes:core/v1:Namespace": kubernetesObject,
  "kubernetes:core/v1:ServiceAccount": kubernetesObject,
  "kubernetes:core/v1:ConfigMap": kubernetesObject,
  "kubernetes:apps/v1:Deployment": kubernetesObject,
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": kubernetesObject,
  "kubernetes:policy/v1:PodDisruptionBudget": kubernetesObject,
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": kubernetesObject,
  "kubernetes:rbac.authorization.k8s.io/v1:Role": kubernetesObject,
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": kubernetesObject,
  "kubernetes:core/v1:Service": (m) => {
    const object = kubernetesObject(m);
    const internal =
      (m.inputs.metadata as { annotations?: Record<string, string> })?.annotations?.[
        "service.beta.kubernetes.io/aws-load-balancer-scheme"
      ] === "internal";
    const name = str((m.inputs.metadata as { name?: unknown })?.name);
    // The load balancer controller's NLB: k8s-<namespace>-<name>-<hash>; internal ones resolve to private addresses.
    const hostname = `k8s-${str((m.inputs.metadata as { namespace?: unknown })?.namespace).slice(0, 8)}-${name.slice(0, 8)}-${hexId(10, m.type, m.name)}.elb.${m.aws.region}.amazonaws.com`;
    return {
      id: object.id,
      state: {
        ...object.state,
        status: { loadBalancer: { ingress: [{ hostname, ...(internal ? {} : { ip: documentationIp(m.name) }) }] } },
      },
    };
  },
  "kubernetes:helm.sh/v3:Release": (m) => ({
    id: `${str(m.inputs.namespace) || "default"}/${str(m.inputs.name) || m.name}`,
    state: {
      status: {
        name: str(m.inputs.name) || m.name,
        namespace: str(m.inputs.namespace) || "default",
        chart: m.inputs.chart,
        version: m.inputs.version,
        revision: 1,
        status: "deployed",
      },
    },
  }),

  "aws:ec2/vpc:Vpc": (m) => {
    const id = awsId("vpc", m);
    return {
      id,
      state: {
        arn: arn(m, "ec2", `vpc/${id}`),
        ownerId: m.aws.accountId,
        defaultSecurityGroupId: awsId("sg", { ...m, name: `${m.name}/default-sg` }),
        defaultNetworkAclId: awsId("acl", { ...m, name: `${m.name}/default-acl` }),
        defaultRouteTableId: awsId("rtb", { ...m, name: `${m.name}/main-rt` }),
        mainRouteTableId: awsId("rtb", { ...m, name: `${m.name}/main-rt` }),
        dhcpOptionsId: awsId("dopt", m),
        instanceTenancy: "default",
      },
    };
  },
  "aws:ec2/subnet:Subnet": (m) => {
    const id = awsId("subnet", m);
    const zone = str(m.inputs.availabilityZone);
    return {
      id,
      state: {
        arn: arn(m, "ec2", `subnet/${id}`),
        ownerId: m.aws.accountId,
        availabilityZoneId: awsZoneId(m.aws.region, zone),
      },
    };
  },
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": awsEc2("sg", "security-group"),
  "aws:ec2/networkAcl:NetworkAcl": awsEc2("acl", "network-acl"),
  // Adopts the VPC's default ACL: its id is the one the VPC reported.
  "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": (m) => {
    const id = str(m.inputs.defaultNetworkAclId);
    const vpc = m.registered().find((r) => r.type === "aws:ec2/vpc:Vpc" && r.state.defaultNetworkAclId === id);
    return { id, state: { arn: arn(m, "ec2", `network-acl/${id}`), ownerId: m.aws.accountId, vpcId: vpc?.state.id } };
  },
  "aws:ec2/internetGateway:InternetGateway": awsEc2("igw", "internet-gateway"),
  "aws:ec2/eip:Eip": (m) => {
    const id = awsId("eipalloc", m);
    return {
      id,
      state: {
        allocationId: id,
        publicIp: documentationIp(m.type, m.name),
        domain: "vpc",
        arn: arn(m, "ec2", `elastic-ip/${id}`),
      },
    };
  },
  "aws:ec2/natGateway:NatGateway": (m) => {
    const id = awsId("nat", m);
    // The NAT gateway's interface takes a free address of its subnet; AWS reserves the first four and the last.
    const subnetCidr = m.byId(m.inputs.subnetId)?.inputs.cidrBlock;
    const hosts = typeof subnetCidr === "string" ? Number(IPv4CidrRange.fromCidr(subnetCidr).getSize()) : 0;
    const privateIp =
      hosts > 5 ? hostOf(subnetCidr, 4 + (parseInt(hexId(6, m.type, m.name), 16) % (hosts - 5))) : undefined;
    return { id, state: { publicIp: documentationIp(m.type, m.name), privateIp, connectivityType: "public" } };
  },
  "aws:ec2/routeTable:RouteTable": awsEc2("rtb", "route-table"),
  "aws:ec2/route:Route": (m) => ({
    id: `r-${str(m.inputs.routeTableId)}${hexId(10, m.type, m.name)}`,
    state: { origin: "CreateRoute", state: "active" },
  }),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": (m) => ({ id: awsId("rtbassoc", m), state: {} }),
  "aws:ec2/vpcEndpoint:VpcEndpoint": (m) => {
    const id = awsId("vpce", m);
    return {
      id,
      state: { arn: arn(m, "ec2", `vpc-endpoint/${id}`), prefixListId: awsId("pl", m), state: "available" },
    };
  },
  // Rotation is a property of the secret; the provider's id is the secret's ARN.
  "aws:secretsmanager/secretRotation:SecretRotation": (m) => ({
    id: str(m.inputs.secretId),
    state: { rotationEnabled: true },
  }),
  // The policy is a property of the endpoint; the provider's id is the endpoint's.
  "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": (m) => ({ id: str(m.inputs.vpcEndpointId), state: {} }),
  "aws:ec2/flowLog:FlowLog": (m) => {
    const id = awsId("fl", m);
    return { id, state: { arn: arn(m, "ec2", `vpc-flow-log/${id}`) } };
  },
  "aws:kms/key:Key": (m) => {
    const keyId = uuid(m.type, m.name);
    return { id: keyId, state: { keyId, arn: arn(m, "kms", `key/${keyId}`), keyUsage: "ENCRYPT_DECRYPT" } };
  },
  "aws:cloudwatch/logGroup:LogGroup": (m) => {
    const name = autoName(m);
    return { id: name, state: { name, arn: arn(m, "logs", `log-group:${name}`) } };
  },
  "aws:iam/role:Role": (m) => {
    const name = autoName(m);
    return {
      id: name,
      state: {
        name,
        arn: arn(m, "iam", `role/${name}`, false),
        uniqueId: `AROA${hexId(17, m.type, m.name).toUpperCase()}`,
      },
    };
  },
  // A workspace's id is ws-<uuid>; its Prometheus endpoint is the region's aps host with the id.
  "aws:amp/workspace:Workspace": (m) => {
    const id = `ws-${uuid(m.type, m.name)}`;
    return {
      id,
      state: {
        arn: arn(m, "aps", `workspace/${id}`),
        prometheusEndpoint: `https://aps-workspaces.${m.aws.region}.amazonaws.com/workspaces/${id}/`,
      },
    };
  },
  // A Managed Grafana workspace is g-<10 hex>, served at <id>.grafana-workspace.<region>.amazonaws.com.
  "aws:grafana/workspace:Workspace": (m) => {
    const id = `g-${hexId(10, m.type, m.name)}`;
    return {
      id,
      state: {
        arn: arn(m, "grafana", `/workspaces/${id}`),
        endpoint: `${id}.grafana-workspace.${m.aws.region}.amazonaws.com`,
        grafanaVersion: str(m.inputs.grafanaVersion) || "10.4",
        samlConfigurationStatus: "NOT_CONFIGURED",
      },
    };
  },
  // Long-lived Grafana keys (the policy pack refuses them; modelled so its fixtures run): the key is a secret.
  "aws:grafana/workspaceApiKey:WorkspaceApiKey": (m) => ({
    id: `${str(m.inputs.workspaceId)}/${str(m.inputs.keyName)}`,
    state: { key: secretValue(`eyJrIjoi${hexId(40, m.type, m.name)}`) },
  }),
  "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken": (m) => {
    const tokenId = String(1 + (parseInt(hexId(4, m.type, m.name), 16) % 1000));
    return {
      id: `${str(m.inputs.workspaceId)},${str(m.inputs.serviceAccountId)},${tokenId}`,
      state: {
        serviceAccountTokenId: tokenId,
        key: secretValue(`glsa_${hexId(32, m.type, m.name)}_${hexId(8, m.name)}`),
        createdAt: "2026-01-01T00:00:00Z",
        expiresAt: "2026-01-31T00:00:00Z",
      },
    };
  },
  "aws:grafana/workspaceSamlConfiguration:WorkspaceSamlConfiguration": (m) => ({
    id: str(m.inputs.workspaceId),
    state: { status: "CONFIGURED" },
  }),
  // Grafana numbers service accounts; the provider's id is workspace,account.
  "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount": (m) => {
    const serviceAccountId = String(2 + (parseInt(hexId(4, m.type, m.name), 16) % 1000));
    return { id: `${str(m.inputs.workspaceId)},${serviceAccountId}`, state: { serviceAccountId } };
  },
  // A scraper runs as the service-linked role AMP creates for it (the access entry maps that role).
  "aws:amp/scraper:Scraper": (m) => {
    const id = `s-${uuid(m.type, m.name)}`;
    return {
      id,
      state: {
        arn: arn(m, "aps", `scraper/${id}`),
        roleArn: `arn:${m.aws.partition}:iam::${m.aws.accountId}:role/aws-service-role/scraper.aps.amazonaws.com/AWSServiceRoleForAmazonPrometheusScraper_${hexId(8, m.name)}-${hexId(4, m.type)}`,
      },
    };
  },
  // A cost-allocation tag is identified by its key; AWS records when it was last updated.
  // Cost Explorer is global: its ARNs have no region; the id is the ARN.
  "aws:autoscaling/schedule:Schedule": (m) => ({
    id: str(m.inputs.scheduledActionName),
    state: {
      arn: arn(
        m,
        "autoscaling",
        `scheduledUpdateGroupAction:${uuid(m.type, m.name)}:autoScalingGroupName/${str(m.inputs.autoscalingGroupName)}:scheduledActionName/${str(m.inputs.scheduledActionName)}`,
      ),
    },
  }),
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": (m) => {
    const id = arn(m, "ce", `anomalymonitor/${uuid(m.type, m.name)}`, false);
    return { id, state: { arn: id } };
  },
  "aws:costexplorer/anomalySubscription:AnomalySubscription": (m) => {
    const id = arn(m, "ce", `anomalysubscription/${uuid(m.type, m.name)}`, false);
    return { id, state: { arn: id, accountId: m.aws.accountId } };
  },
  "aws:costexplorer/costAllocationTag:CostAllocationTag": (m) => ({
    id: str(m.inputs.tagKey),
    state: { type: "UserDefined", lastUpdatedDate: "2026-01-01T00:00:00Z" },
  }),
  // An access key's id is AKIA + 16; its secret is returned once (the program must not create one: a policy refuses it).
  "aws:iam/accessKey:AccessKey": (m) => ({
    id: `AKIA${hexId(16, m.type, m.name).toUpperCase()}`,
    state: { secret: hexId(40, m.type, m.name, "secret"), status: "Active" },
  }),
  // The provider's ARN carries its name; AWS reads the metadata's certificate expiry into validUntil.
  "aws:iam/samlProvider:SamlProvider": (m) => {
    const name = str(m.inputs.name) || autoName(m);
    const providerArn = arn(m, "iam", `saml-provider/${name}`, false);
    return {
      id: providerArn,
      state: { arn: providerArn, name, samlProviderUuid: uuid(m.type, m.name), validUntil: "2036-01-01T00:00:00Z" },
    };
  },
  "aws:iam/rolePolicy:RolePolicy": (m) => {
    const name = autoName(m);
    return { id: `${str(m.inputs.role)}:${name}`, state: { name } };
  },

  "oci:Core/vcn:Vcn": ociPlain("vcn", (m, id) => ({
    defaultSecurityListId: ocid("securitylist", { ...m, name: `${m.name}/default-sl` }),
    defaultRouteTableId: ocid("routetable", { ...m, name: `${m.name}/default-rt` }),
    defaultDhcpOptionsId: ocid("dhcpoptions", { ...m, name: `${m.name}/default-dhcp` }),
    vcnDomainName: `${str(m.inputs.dnsLabel)}.oraclevcn.com`,
    cidrBlock: Array.isArray(m.inputs.cidrBlocks) ? m.inputs.cidrBlocks[0] : undefined,
    id,
  })),
  "oci:Core/defaultSecurityList:DefaultSecurityList": (m) => ({
    id: str(m.inputs.manageDefaultResourceId),
    state: { state: "AVAILABLE" },
  }),
  "oci:Core/natGateway:NatGateway": ociPlain("natgateway", (m) => ({ natIp: documentationIp(m.type, m.name) })),
  "oci:Core/serviceGateway:ServiceGateway": ociPlain("servicegateway", () => ({ blockTraffic: false })),
  "oci:Core/drg:Drg": ociPlain("drg", (m) => ({
    defaultDrgRouteTables: [
      {
        vcn: ocid("drgroutetable", { ...m, name: `${m.name}/vcn` }),
        ipsecTunnel: ocid("drgroutetable", { ...m, name: `${m.name}/ipsec` }),
        virtualCircuit: ocid("drgroutetable", { ...m, name: `${m.name}/vc` }),
        remotePeeringConnection: ocid("drgroutetable", { ...m, name: `${m.name}/rpc` }),
      },
    ],
    defaultExportDrgRouteDistributionId: ocid("drgroutedistribution", m),
  })),
  "oci:Core/drgAttachment:DrgAttachment": ociPlain("drgattachment", (m) => ({
    // Without a table, OCI puts a VCN attachment on the DRG's autogenerated VCN table.
    drgRouteTableId: m.inputs.drgRouteTableId ?? defaultDrgTable(m, "vcn"),
    vcnId: (m.inputs.networkDetails as Record<string, unknown> | undefined)?.id,
  })),
  "oci:Logging/logGroup:LogGroup": ociPlain("loggroup"),
  "oci:Logging/log:Log": ociPlain("log", (m) => ({
    compartmentId: m.byId(m.inputs.logGroupId)?.inputs.compartmentId,
    tenancyId: m.oci.tenancyId,
    // OCI keeps service logs 30 days unless told otherwise.
    retentionDuration: m.inputs.retentionDuration ?? 30,
    state: "ACTIVE",
  })),
  "oci:Core/drgRouteDistribution:DrgRouteDistribution": ociPlain("drgroutedistribution", (m) => ({
    compartmentId: m.byId(m.inputs.drgId)?.inputs.compartmentId,
  })),
  "oci:Core/drgRouteDistributionStatement:DrgRouteDistributionStatement": (m) => ({
    // The provider's id joins the distribution and the statement.
    id: `drgRouteDistributions/${str(m.inputs.drgRouteDistributionId)}/statements/${ocidSuffix(m.type, m.name).slice(0, 16)}`,
    state: {},
  }),
  "oci:Core/drgRouteTable:DrgRouteTable": ociPlain("drgroutetable", (m) => ({
    compartmentId: m.byId(m.inputs.drgId)?.inputs.compartmentId,
    isEcmpEnabled: m.inputs.isEcmpEnabled ?? false,
  })),
  "oci:Core/drgAttachmentManagement:DrgAttachmentManagement": (m) => {
    // Manages the attachment OCI created with the network object; its id is that attachment's.
    const network = str(m.inputs.networkId);
    const kind =
      m.inputs.attachmentType === "IPSEC_TUNNEL"
        ? "ipsecTunnel"
        : m.inputs.attachmentType === "VIRTUAL_CIRCUIT"
          ? "virtualCircuit"
          : "remotePeeringConnection";
    return {
      id: ocid("drgattachment", { ...m, name: `attachment-of/${network}` }),
      state: {
        state: "ATTACHED",
        networkDetails: { id: network, type: m.inputs.attachmentType },
        drgRouteTableId: m.inputs.drgRouteTableId ?? defaultDrgTable(m, kind),
      },
    };
  },
  "oci:Core/routeTable:RouteTable": ociPlain("routetable"),
  "oci:Core/securityList:SecurityList": ociPlain("securitylist"),
  "oci:Core/subnet:Subnet": ociPlain("subnet", (m) => ({
    // OCI's virtual router takes the subnet's first host address.
    virtualRouterIp: hostOf(m.inputs.cidrBlock, 1),
    virtualRouterMac: "00:00:17:" + hexId(6, m.type, m.name).match(/../g)?.join(":"),
    subnetDomainName: `${str(m.inputs.dnsLabel)}.vcn.oraclevcn.com`,
    availabilityDomain: null,
  })),
  "oci:Core/cpe:Cpe": ociPlain("cpe"),
  "oci:Core/ipsec:Ipsec": ociPlain("ipsecconnection", (m) => ({
    transportType: "INTERNET",
    cpeLocalIdentifier: m.inputs.cpeLocalIdentifier,
  })),
  "oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement": (m) => {
    const tunnelId = str(m.inputs.tunnelId);
    const cpe = m.byId(m.byId(m.inputs.ipsecId)?.inputs.cpeId);
    return {
      id: tunnelId,
      state: {
        vpnIp: ociHeadendIp(tunnelId),
        cpeIp: cpe?.inputs.ipAddress,
        status: "DOWN",
        state: "AVAILABLE",
        compartmentId: m.byId(m.inputs.ipsecId)?.inputs.compartmentId,
      },
    };
  },
  "oci:Core/virtualCircuit:VirtualCircuit": ociPlain("virtualcircuit", () => ({
    state: "PENDING_PROVIDER",
    providerState: "INACTIVE",
    bgpSessionState: "DOWN",
    oracleBgpAsn: 31898,
    serviceType: "LAYER3",
  })),

  "aws:ec2/managedPrefixList:ManagedPrefixList": (m) => {
    const id = awsId("pl", m);
    return { id, state: { arn: arn(m, "ec2", `prefix-list/${id}`), ownerId: m.aws.accountId, version: 1 } };
  },
  "aws:ec2/vpnGateway:VpnGateway": awsEc2("vgw", "vpn-gateway"),
  "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": (m) => ({
    id: `${str(m.inputs.vpnGatewayId)}_${str(m.inputs.routeTableId)}`,
    state: {},
  }),
  "aws:ec2/customerGateway:CustomerGateway": awsEc2("cgw", "customer-gateway"),
  "aws:ec2/vpnConnection:VpnConnection": (m) => {
    const id = awsId("vpn", m);
    const tunnel = (n: 1 | 2) => ({
      [`tunnel${n}Address`]: documentationIp("aws-vpn-outside", id, String(n)),
      [`tunnel${n}VgwInsideAddress`]: hostOf(m.inputs[`tunnel${n}InsideCidr`], 1),
      [`tunnel${n}CgwInsideAddress`]: hostOf(m.inputs[`tunnel${n}InsideCidr`], 2),
      // The tunnel's BGP peer on AWS's side is the virtual private gateway: its Amazon-side ASN (64512 unless set).
      [`tunnel${n}BgpAsn`]: String(m.byId(m.inputs.vpnGatewayId)?.inputs.amazonSideAsn ?? "64512"),
      [`tunnel${n}BgpHoldtime`]: 30,
    });
    return {
      id,
      state: { arn: arn(m, "ec2", `vpn-connection/${id}`), transitGatewayAttachmentId: "", ...tunnel(1), ...tunnel(2) },
    };
  },
  "aws:directconnect/gateway:Gateway": (m) => ({
    id: uuid(m.type, m.name),
    state: { ownerAccountId: m.aws.accountId },
  }),
  "aws:directconnect/connectionConfirmation:ConnectionConfirmation": (m) => ({
    id: str(m.inputs.connectionId),
    state: {},
  }),
  "aws:directconnect/connection:Connection": (m) => {
    const id = `dxcon-${hexId(8, m.type, m.name)}`;
    return {
      id,
      state: {
        arn: arn(m, "directconnect", `dxcon/${id}`),
        awsDevice: "EqFA5-1abcdefg",
        hasLogicalRedundancy: "no",
        ownerAccountId: m.aws.accountId,
      },
    };
  },
  "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface": (m) => {
    const id = `dxvif-${hexId(8, m.type, m.name)}`;
    return {
      id,
      state: {
        arn: arn(m, "directconnect", `dxvif/${id}`),
        amazonSideAsn: "64512",
        awsDevice: "EqFA5-1abcdefg",
        jumboFrameCapable: true,
      },
    };
  },
  "aws:directconnect/gatewayAssociation:GatewayAssociation": (m) => ({
    id: `ga-${str(m.inputs.dxGatewayId)}${str(m.inputs.associatedGatewayId)}`,
    state: {
      associatedGatewayType: "virtualPrivateGateway",
      dxGatewayAssociationId: uuid(m.type, m.name),
      dxGatewayOwnerAccountId: m.aws.accountId,
    },
  }),

  // Types the policies cover; later components refine these as they start to use them.
  "aws:s3/bucket:Bucket": (m) => {
    const bucket = typeof m.inputs.bucket === "string" ? m.inputs.bucket : `${m.name}-${hexId(7, m.type, m.name)}`;
    return {
      id: bucket,
      state: {
        bucket,
        arn: `arn:${m.aws.partition}:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        region: m.aws.region,
      },
    };
  },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (m) => ({
    id: str(m.inputs.bucket),
    state: {},
  }),
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (m) => ({ id: str(m.inputs.bucket), state: {} }),
  "aws:s3/bucketVersioning:BucketVersioning": (m) => ({ id: str(m.inputs.bucket), state: {} }),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (m) => ({ id: str(m.inputs.bucket), state: {} }),
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (m) => ({ id: str(m.inputs.bucket), state: {} }),
  "aws:s3/bucketPolicy:BucketPolicy": (m) => ({ id: str(m.inputs.bucket), state: {} }),
  "aws:sfn/stateMachine:StateMachine": (m) => {
    const name = autoName(m);
    const machineArn = arn(m, "states", `stateMachine:${name}`);
    return {
      id: machineArn,
      state: {
        name,
        arn: machineArn,
        status: "ACTIVE",
        revisionId: uuid(m.type, m.name, "revision"),
        creationDate: "2026-01-01T00:00:00Z",
      },
    };
  },
  "aws:scheduler/schedule:Schedule": (m) => {
    const name = autoName(m);
    const group = str(m.inputs.groupName) || "default";
    return {
      id: `${group}/${name}`,
      state: { name, groupName: group, arn: arn(m, "scheduler", `schedule/${group}/${name}`) },
    };
  },
  "aws:dynamodb/table:Table": (m) => {
    const name = autoName(m);
    const tableArn = arn(m, "dynamodb", `table/${name}`);
    return { id: name, state: { name, arn: tableArn, streamArn: `${tableArn}/stream/2026-01-01T00:00:00.000` } };
  },
  "aws:kinesis/stream:Stream": (m) => {
    const name = autoName(m);
    return { id: arn(m, "kinesis", `stream/${name}`), state: { name, arn: arn(m, "kinesis", `stream/${name}`) } };
  },
  "aws:sqs/queue:Queue": (m) => {
    const name = autoName(m);
    const url = `https://sqs.${m.aws.region}.amazonaws.com/${m.aws.accountId}/${name}`;
    return { id: url, state: { name, url, arn: arn(m, "sqs", name) } };
  },
  "aws:msk/cluster:Cluster": (m) => {
    const name = str(m.inputs.clusterName) || autoName(m);
    const clusterArn = arn(m, "kafka", `cluster/${name}/${uuid(m.type, m.name)}-1`);
    // One bootstrap address per broker (up to three), on the IAM listener.
    const brokers = Math.min(3, typeof m.inputs.numberOfBrokerNodes === "number" ? m.inputs.numberOfBrokerNodes : 1);
    const suffix = hexId(6, m.type, m.name);
    const bootstrapBrokersSaslIam = Array.from(
      { length: brokers },
      (_, i) => `b-${i + 1}.${name}.${suffix}.c2.kafka.${m.aws.region}.amazonaws.com:9098`,
    ).join(",");
    return {
      id: clusterArn,
      state: {
        arn: clusterArn,
        bootstrapBrokersSaslIam,
        currentVersion: `K${hexId(13, m.name).toUpperCase()}`,
        clusterUuid: `${uuid(m.type, m.name)}-1`,
      },
    };
  },
  "aws:msk/configuration:Configuration": (m) => {
    const name = autoName(m);
    const configurationArn = arn(m, "kafka", `configuration/${name}/${uuid(m.type, m.name)}-1`);
    return { id: configurationArn, state: { arn: configurationArn, latestRevision: 1, name } };
  },
  // A topic's ARN: the cluster's with topic/ for cluster/, then the topic's name.
  "aws:msk/topic:Topic": (m) => {
    const topicArn = `${str(m.inputs.clusterArn).replace(":cluster/", ":topic/")}/${str(m.inputs.name)}`;
    return { id: topicArn, state: { arn: topicArn } };
  },

  // A build's digest follows its context and tags (the real one follows the built layers).
  "docker-build:index:Image": (m) => {
    const digest = `sha256:${createHash("sha256")
      .update(JSON.stringify([m.inputs.context, m.inputs.dockerfile, m.inputs.tags]))
      .digest("hex")}`;
    const firstTag = String((m.inputs.tags as unknown[] | undefined)?.[0] ?? "");
    return {
      id: digest,
      state: { digest, ref: `${firstTag.replace(/:[^:/]+$/, "")}@${digest}`, contextHash: digest.slice(7) },
    };
  },
  "aws:lambda/function:Function": (m) => {
    const name = autoName(m);
    const fnArn = arn(m, "lambda", `function:${name}`);
    return {
      id: name,
      state: {
        name,
        arn: fnArn,
        qualifiedArn: `${fnArn}:$LATEST`,
        invokeArn: `arn:aws:apigateway:${m.aws.region}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
        version: "$LATEST",
      },
    };
  },
  "aws:lambda/eventSourceMapping:EventSourceMapping": (m) => ({
    id: uuid(m.type, m.name),
    state: { uuid: uuid(m.type, m.name), state: "Enabled" },
  }),
  "aws:iam/policy:Policy": (m) => {
    const name = autoName(m);
    return {
      id: arn(m, "iam", `policy/${name}`, false),
      state: { name, arn: arn(m, "iam", `policy/${name}`, false), policyId: `ANPA${hexId(17, m.name).toUpperCase()}` },
    };
  },
  "aws:eks/cluster:Cluster": (m) => {
    const name = autoName(m);
    const endpointId = hexId(32, m.name).toUpperCase();
    // EKS makes its own security group for the control plane's and nodes' interfaces, and an OIDC issuer.
    const vpcConfig = {
      ...((m.inputs.vpcConfig as Record<string, unknown>) ?? {}),
      clusterSecurityGroupId: `sg-${hexId(17, m.type, m.name, "cluster-sg")}`,
      vpcId: m.byId((m.inputs.vpcConfig as { subnetIds?: unknown[] })?.subnetIds?.[0])?.inputs.vpcId,
    };
    return {
      id: name,
      state: {
        name,
        arn: arn(m, "eks", `cluster/${name}`),
        endpoint: `https://${endpointId}.gr7.${m.aws.region}.eks.amazonaws.com`,
        certificateAuthority: {
          data: Buffer.from(
            `-----BEGIN CERTIFICATE-----\n${hexId(64, m.name, "ca")}\n-----END CERTIFICATE-----\n`,
          ).toString("base64"),
        },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${m.aws.region}.amazonaws.com/id/${endpointId}` }] }],
        vpcConfig,
        platformVersion: "eks.1",
        status: "ACTIVE",
      },
    };
  },
  "aws:eks/nodeGroup:NodeGroup": (m) => {
    const name = autoName(m);
    const groupId = uuid(m.type, m.name);
    // EKS names the node group's Auto Scaling group eks-<node group>-<id>.
    const resources = [{ autoscalingGroups: [{ name: `eks-${name}-${groupId}` }], remoteAccessSecurityGroupId: "" }];
    return {
      id: `${str(m.inputs.clusterName)}:${name}`,
      state: {
        nodeGroupName: name,
        arn: arn(m, "eks", `nodegroup/${str(m.inputs.clusterName)}/${name}/${groupId}`),
        status: "ACTIVE",
        releaseVersion: "1.35.0-20261101",
        resources,
      },
    };
  },
  "aws:eks/addon:Addon": (m) => ({
    id: `${str(m.inputs.clusterName)}:${str(m.inputs.addonName)}`,
    state: {
      arn: arn(m, "eks", `addon/${str(m.inputs.clusterName)}/${str(m.inputs.addonName)}/${uuid(m.type, m.name)}`),
      createdAt: "2026-01-01T00:00:00Z",
    },
  }),
  "aws:eks/accessEntry:AccessEntry": (m) => ({
    id: `${str(m.inputs.clusterName)}:${str(m.inputs.principalArn)}`,
    state: {
      accessEntryArn: arn(
        m,
        "eks",
        `access-entry/${str(m.inputs.clusterName)}/role/${m.aws.accountId}/${str(m.inputs.principalArn).split("/").pop()}/${uuid(m.type, m.name)}`,
      ),
      kubernetesGroups: [],
      userName: str(m.inputs.principalArn),
    },
  }),
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": (m) => ({
    id: `${str(m.inputs.clusterName)}#${str(m.inputs.principalArn)}#${str(m.inputs.policyArn)}`,
    state: { associatedAt: "2026-01-01T00:00:00Z" },
  }),
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": (m) => {
    const associationId = `a-${hexId(17, m.type, m.name)}`;
    return {
      id: `${str(m.inputs.clusterName)},${associationId}`,
      state: {
        associationId,
        associationArn: arn(m, "eks", `podidentityassociation/${str(m.inputs.clusterName)}/${associationId}`),
      },
    };
  },
  "aws:ec2/launchTemplate:LaunchTemplate": (m) => {
    const id = awsId("lt", m);
    return {
      id,
      state: { arn: arn(m, "ec2", `launch-template/${id}`), latestVersion: 1, defaultVersion: 1, name: autoName(m) },
    };
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (m) => ({
    id: `${str(m.inputs.role)}-${hexId(16, m.type, m.name)}`,
    state: {},
  }),
  "aws:ecr/repository:Repository": (m) => {
    const name = autoName(m);
    return {
      id: name,
      state: {
        name,
        arn: arn(m, "ecr", `repository/${name}`),
        registryId: m.aws.accountId,
        repositoryUrl: `${m.aws.accountId}.dkr.ecr.${m.aws.region}.amazonaws.com/${name}`,
      },
    };
  },
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": (m) => ({
    id: str(m.inputs.repository),
    state: { registryId: m.aws.accountId },
  }),

  "aws:sagemaker/endpointConfiguration:EndpointConfiguration": (m) => {
    const name = autoName(m);
    return { id: name, state: { name, arn: arn(m, "sagemaker", `endpoint-config/${name}`) } };
  },
  "aws:secretsmanager/secret:Secret": (m) => {
    const name = autoName(m);
    const secretArn = arn(m, "secretsmanager", `secret:${name}-${hexId(6, m.name)}`);
    return { id: secretArn, state: { name, arn: secretArn } };
  },
  "aws:ec2/securityGroup:SecurityGroup": awsEc2("sg", "security-group"),
  "aws:ec2/securityGroupRule:SecurityGroupRule": (m) => ({ id: awsId("sgrule", m), state: {} }),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (m) => {
    const id = awsId("sgr", m);
    return { id, state: { arn: arn(m, "ec2", `security-group-rule/${id}`), securityGroupRuleId: id } };
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (m) => {
    const id = awsId("sgr", m);
    return { id, state: { arn: arn(m, "ec2", `security-group-rule/${id}`), securityGroupRuleId: id } };
  },
  "aws:route53/zone:Zone": (m) => {
    const zoneId = `Z${hexId(20, m.type, m.name).toUpperCase()}`;
    return {
      id: zoneId,
      state: {
        zoneId,
        arn: `arn:${m.aws.partition}:route53:::hostedzone/${zoneId}`,
        nameServers: [],
        primaryNameServer: `ns-${hexId(3, m.name)}.awsdns.com`,
      },
    };
  },
  "aws:route53/record:Record": (m) => ({
    id: `${str(m.inputs.zoneId)}_${str(m.inputs.name)}_${str(m.inputs.type)}`,
    state: { fqdn: m.inputs.name },
  }),
  // Each value written is a new version with its own id (a changed secretString replaces the version).
  "aws:secretsmanager/secretVersion:SecretVersion": (m) => {
    const versionId = uuid(m.type, m.name, JSON.stringify(m.inputs.secretString ?? m.inputs.secretBinary ?? ""));
    return {
      id: `${str(m.inputs.secretId)}|${versionId}`,
      state: { versionId, versionStages: ["AWSCURRENT"], arn: m.inputs.secretId },
    };
  },
  // The function's answer; the engine does not run it (its code is tested on its own).
  "aws:lambda/invocation:Invocation": (m) => ({
    id: `${str(m.inputs.functionName)}_$LATEST_${hexId(8, m.type, m.name)}`,
    state: { result: "{}" },
  }),
  "aws:lb/loadBalancer:LoadBalancer": (m) => {
    const name = autoName(m).slice(0, 32);
    const lbArn = arn(m, "elasticloadbalancing", `loadbalancer/app/${name}/${hexId(16, m.name)}`);
    return {
      id: lbArn,
      state: { arn: lbArn, dnsName: `${name}-${hexId(10, m.name)}.${m.aws.region}.elb.amazonaws.com` },
    };
  },
  "aws:budgets/budget:Budget": (m) => {
    const name = autoName(m);
    return {
      id: `${m.aws.accountId}:${name}`,
      state: { name, arn: `arn:${m.aws.partition}:budgets::${m.aws.accountId}:budget/${name}` },
    };
  },
  "oci:Database/autonomousDatabase:AutonomousDatabase": ociPlain("autonomousdatabase", (m) => {
    // A private endpoint takes an address in its subnet and a name under the region's ADB domain.
    const subnetCidr = str(m.byId(m.inputs.subnetId)?.inputs.cidrBlock);
    const host = subnetCidr
      ? `${str(m.inputs.privateEndpointLabel)}.adb.${m.oci.region}.oraclecloud.com`
      : `adb.${m.oci.region}.oraclecloud.com`;
    const service = (group: string) =>
      `${hexId(12, m.type, m.name)}_${str(m.inputs.dbName).toLowerCase()}_${group.toLowerCase()}.adb.oraclecloud.com`;
    const descriptor = (group: string) =>
      `(description= (retry_count=20)(retry_delay=3)(address=(protocol=tcps)(port=1522)(host=${host}))(connect_data=(service_name=${service(group)}))(security=(ssl_server_dn_match=yes)))`;
    const groups = ["HIGH", "MEDIUM", "LOW", "TP", "TPURGENT"];
    // With mutual TLS required the database offers only mTLS connection strings (unset means false since July 2023).
    const tlsModes = m.inputs.isMtlsConnectionRequired === true ? ["MUTUAL"] : ["MUTUAL", "SERVER"];
    const profiles = groups.flatMap((group) =>
      tlsModes.map((tls) => ({
        consumerGroup: group,
        displayName: `${str(m.inputs.dbName).toLowerCase()}_${group.toLowerCase()}`,
        hostFormat: "FQDN",
        isRegional: false,
        protocol: "TCPS",
        sessionMode: "DIRECT",
        syntaxFormat: "LONG",
        tlsAuthentication: tls,
        value: descriptor(group),
      })),
    );
    return {
      privateEndpoint: subnetCidr ? host : "",
      privateEndpointIp: subnetCidr
        ? hostOf(subnetCidr, 10 + (parseInt(hexId(4, m.type, m.name), 16) % 200))
        : undefined,
      connectionStrings: [
        {
          high: descriptor("HIGH"),
          medium: descriptor("MEDIUM"),
          low: descriptor("LOW"),
          dedicated: "",
          allConnectionStrings: Object.fromEntries(groups.map((g) => [g, descriptor(g)])),
          profiles,
        },
      ],
      dbVersion: m.inputs.dbVersion,
    };
  }),
  "oci:Core/networkSecurityGroup:NetworkSecurityGroup": ociPlain("networksecuritygroup"),
  "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy": (m) => ({
    id: `n/${str(m.inputs.namespace)}/b/${str(m.inputs.bucket)}/l`,
    state: { timeCreated: "2026-01-01T00:00:00.000Z" },
  }),
  // Identity lives in the home region and its OCIDs carry no region.
  "oci:Identity/group:Group": (m) => ({
    id: ocid("group", m, false),
    state: { state: "ACTIVE", timeCreated: "2026-01-01T00:00:00.000Z" },
  }),
  "oci:Identity/dynamicGroup:DynamicGroup": (m) => ({
    id: ocid("dynamicgroup", m, false),
    state: { state: "ACTIVE", timeCreated: "2026-01-01T00:00:00.000Z" },
  }),
  "oci:Identity/user:User": (m) => ({
    id: ocid("user", m, false),
    state: { state: "ACTIVE", emailVerified: false, timeCreated: "2026-01-01T00:00:00.000Z" },
  }),
  "oci:Identity/userCapabilitiesManagement:UserCapabilitiesManagement": (m) => ({
    id: `capabilities/${str(m.inputs.userId)}`,
    state: {},
  }),
  "oci:Identity/userGroupMembership:UserGroupMembership": (m) => ({
    id: ocid("groupmembership", m, false),
    state: { state: "ACTIVE" },
  }),
  "oci:Identity/policy:Policy": (m) => ({
    id: ocid("policy", m, false),
    state: { state: "ACTIVE", timeCreated: "2026-01-01T00:00:00.000Z" },
  }),
  // The key's id is the S3 access key; `key` (the secret) is returned once, at creation.
  "oci:Identity/customerSecretKey:CustomerSecretKey": (m) => ({
    id: hexId(40, m.type, m.name),
    state: { key: Buffer.from(hexId(32, m.type, m.name, "secret"), "hex").toString("base64"), state: "ACTIVE" },
  }),
  "oci:ObjectStorage/bucket:Bucket": (m) => ({
    id: `n/${m.oci.namespace}/b/${str(m.inputs.name)}`,
    state: { bucketId: ocid("bucket", m), namespace: m.oci.namespace },
  }),
  "oci:Streaming/stream:Stream": ociPlain("stream", (m, id) => ({
    messagesEndpoint: `https://cell-1.streaming.${m.oci.region}.oci.oraclecloud.com`,
    streamId: id,
  })),
  // A vault's endpoints are its own hosts; keys are created through its management endpoint.
  "oci:Kms/vault:Vault": ociPlain("vault", (m) => {
    const host = hexId(12, m.type, m.name);
    return {
      managementEndpoint: `https://${host}-management.kms.${m.oci.region}.oraclecloud.com`,
      cryptoEndpoint: `https://${host}-crypto.kms.${m.oci.region}.oraclecloud.com`,
    };
  }),
  "oci:Kms/key:Key": ociPlain("key", () => ({ currentKeyVersion: "1" })),
  "oci:Vault/secret:Secret": ociPlain("vaultsecret", () => ({ currentVersionNumber: "1", lifecycleState: "ACTIVE" })),
  "oci:Ons/notificationTopic:NotificationTopic": ociPlain("onstopic", (m, id) => ({
    topicId: id,
    apiEndpoint: `https://notification.${m.oci.region}.oci.oraclecloud.com`,
  })),
  "oci:Ons/subscription:Subscription": ociPlain("onssubscription", () => ({ state: "PENDING" })),
  "oci:Streaming/streamPool:StreamPool": ociPlain("streampool", (m) => ({
    kafkaSettings: [{ bootstrapServers: `cell-1.streaming.${m.oci.region}.oci.oraclecloud.com:9092` }],
  })),
  "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule": (m) => ({
    id: hexId(6, m.type, m.name).toUpperCase(),
    state: {},
  }),
  "oci:Functions/application:Application": ociPlain("fnapp"),
  "oci:Functions/function:Function": ociPlain("fnfunc", (m, id) => ({
    invokeEndpoint: `https://${hexId(10, m.type, m.name)}.eu-frankfurt-1.functions.oci.oraclecloud.com`.replace(
      "eu-frankfurt-1",
      m.oci.region,
    ),
    functionId: id,
  })),
  "oci:Artifacts/containerRepository:ContainerRepository": ociPlain("containerrepo", (m) => ({
    namespace: m.oci.namespace,
    imageCount: 0,
  })),
  // The token is returned once, at creation (the provider marks it secret).
  // OCI names an API key by its fingerprint: the MD5 of the public key's DER, as colon-separated hex.
  "oci:Identity/apiKey:ApiKey": (m) => {
    // A preview may not know the key yet (a key pair created in the same run); its outputs are discarded then.
    if (isUnknownInput(m.inputs.keyValue)) return { id: `${str(m.inputs.userId)}/unknown`, state: {} };
    const fingerprint = md5Fingerprint(createPublicKey(str(m.inputs.keyValue)).export({ type: "spki", format: "der" }));
    return {
      id: `${str(m.inputs.userId)}/${fingerprint}`,
      state: { fingerprint, state: "ACTIVE", timeCreated: "2026-01-01T00:00:00.000Z" },
    };
  },
  "oci:Identity/authToken:AuthToken": (m) => ({
    id: ocid("credential", m, false),
    state: { token: `${hexId(8, m.type, m.name, "token")}:(${hexId(10, m.type, m.name, "rest")})`, state: "ACTIVE" },
  }),
  "oci:Sch/connector:Connector": ociPlain("serviceconnector", () => ({ lifecycleState: "ACTIVE" })),
  "oci:Monitoring/alarm:Alarm": ociPlain("alarm", () => ({ state: "ACTIVE" })),
  // Identity-domain resources have SCIM ids (32 hex) of the domain, not OCIDs; their OCIDs are separate.
  "oci:Identity/domainsGroup:DomainsGroup": (m) => {
    const id = hexId(32, m.type, m.name);
    return { id, state: { ocid: ocid("group", m, false), displayName: m.inputs.displayName } };
  },
  "oci:Identity/domainsIdentityProvider:DomainsIdentityProvider": (m) => {
    const id = hexId(32, m.type, m.name);
    return { id, state: { ocid: ocid("identityprovider", m, false), partnerName: m.inputs.partnerName } };
  },
  // A gateway's hostname is its own under the region's API Gateway domain; a private one takes an address in its subnet.
  "oci:ApiGateway/gateway:Gateway": ociPlain("apigateway", (m, id) => {
    const subnetCidr = str(m.byId(m.inputs.subnetId)?.inputs.cidrBlock);
    const ip =
      m.inputs.endpointType !== "PRIVATE"
        ? `152.70.${parseInt(hexId(2, m.type, m.name), 16)}.${parseInt(hexId(2, m.name), 16)}`
        : subnetCidr
          ? hostOf(subnetCidr, 20 + (parseInt(hexId(4, m.type, m.name), 16) % 200))
          : undefined;
    return {
      hostname: gatewayHostname(id, m.oci.region),
      ipAddresses: ip ? [{ ipAddress: ip }] : [],
      lifecycleState: "ACTIVE",
    };
  }),
  // A deployment is served on its gateway's hostname under its path prefix.
  "oci:ApiGateway/deployment:Deployment": ociPlain("apideployment", (m) => ({
    endpoint: `https://${gatewayHostname(str(m.inputs.gatewayId), m.oci.region)}${str(m.inputs.pathPrefix)}`,
    lifecycleState: "ACTIVE",
  })),

  "oci:Budget/budget:Budget": ociPlain("budget"),
  "oci:Budget/rule:Rule": ociPlain("alertrule"),

  "aws:apigatewayv2/api:Api": (m) => {
    const id = hexId(10, m.type, m.name);
    return {
      id,
      state: {
        arn: `arn:${m.aws.partition}:apigateway:${m.aws.region}::/apis/${id}`,
        apiEndpoint: `https://${id}.execute-api.${m.aws.region}.amazonaws.com`,
        executionArn: arn(m, "execute-api", id),
      },
    };
  },
  "aws:apigatewayv2/integration:Integration": (m) => ({
    id: hexId(7, m.type, m.name),
    state: { integrationResponseSelectionExpression: "" },
  }),
  "aws:apigatewayv2/route:Route": (m) => ({ id: hexId(7, m.type, m.name), state: {} }),
  "aws:apigatewayv2/stage:Stage": (m) => {
    const apiId = str(m.inputs.apiId);
    const stage = str(m.inputs.name);
    return {
      id: stage,
      state: {
        arn: `arn:${m.aws.partition}:apigateway:${m.aws.region}::/apis/${apiId}/stages/${stage}`,
        invokeUrl: `https://${apiId}.execute-api.${m.aws.region}.amazonaws.com/${stage === "$default" ? "" : `${stage}/`}`,
        executionArn: arn(m, "execute-api", `${apiId}/${stage}`),
      },
    };
  },
  "aws:lambda/permission:Permission": (m) => ({
    id: str(m.inputs.statementId) || `${m.name}-${hexId(8, m.name)}`,
    state: {},
  }),
  // A metric filter's id is its name (unique per log group).
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": (m) => ({ id: str(m.inputs.name) || autoName(m), state: {} }),
  "aws:cloudwatch/metricAlarm:MetricAlarm": (m) => {
    const name = str(m.inputs.name) || autoName(m);
    return { id: name, state: { name, arn: arn(m, "cloudwatch", `alarm:${name}`) } };
  },
  "aws:sns/topic:Topic": (m) => {
    const name = autoName(m);
    return { id: arn(m, "sns", name), state: { name, arn: arn(m, "sns", name), owner: m.aws.accountId } };
  },
  "aws:sns/topicPolicy:TopicPolicy": (m) => ({ id: str(m.inputs.arn), state: { owner: m.aws.accountId } }),
  // E-mail subscriptions stay pending until the address owner confirms; AWS reports that as the ARN.
  "aws:sns/topicSubscription:TopicSubscription": (m) => ({
    id: `${str(m.inputs.topic)}:${uuid(m.type, m.name)}`,
    state: { arn: "pending confirmation", pendingConfirmation: true, ownerId: m.aws.accountId },
  }),
  "aws:sagemaker/model:Model": (m) => {
    const name = autoName(m);
    return { id: name, state: { name, arn: arn(m, "sagemaker", `model/${name}`) } };
  },
  "aws:sagemaker/endpoint:Endpoint": (m) => {
    const name = autoName(m);
    return { id: name, state: { name, arn: arn(m, "sagemaker", `endpoint/${name}`) } };
  },
  "aws:appautoscaling/target:Target": (m) => ({
    id: `${str(m.inputs.serviceNamespace)}/${str(m.inputs.resourceId)}`,
    state: { arn: arn(m, "application-autoscaling", `scalable-target/${hexId(20, m.name)}`) },
  }),
  "aws:appautoscaling/policy:Policy": (m) => ({
    id: autoName(m),
    state: { arn: arn(m, "autoscaling", `scalingPolicy:${uuid(m.name)}:resource/${str(m.inputs.resourceId)}`) },
  }),

  "random:index/randomPassword:RandomPassword": (m) => {
    const result = randomText(m);
    return {
      id: "none",
      state: { result: secretValue(result), bcryptHash: secretValue(`$2a$10$${hexId(53, m.name)}`) },
    };
  },
  // The TLS provider generates a key pair; here it is derived from the resource's name (same on every run).
  "tls:index/privateKey:PrivateKey": (m) => {
    if (str(m.inputs.algorithm) !== "RSA")
      throw new Error(`offline engine: the tls PrivateKey model makes RSA keys only, not ${str(m.inputs.algorithm)}`);
    const bits = typeof m.inputs.rsaBits === "number" ? m.inputs.rsaBits : 2048;
    const { privateKeyPem, publicKeyPem } = deterministicRsaKey(bits, m.type, m.name);
    const der = createPublicKey(publicKeyPem).export({ type: "spki", format: "der" });
    return {
      id: createHash("sha1").update(der).digest("hex"),
      state: {
        privateKeyPem: secretValue(privateKeyPem),
        privateKeyPemPkcs8: secretValue(
          createPrivateKey(privateKeyPem).export({ type: "pkcs8", format: "pem" }).toString(),
        ),
        publicKeyPem,
        publicKeyFingerprintMd5: md5Fingerprint(der),
      },
    };
  },
  "pulumi-nodejs:dynamic/multicloud:LinkReadiness": (m) => {
    // The provider refuses a gate with nothing to check (linkReadiness.ts: gateProblem).
    const problem = gateProblem(m.inputs as unknown as LinkReadinessInputs);
    if (problem) throw new Error(`LinkReadiness "${m.name}": ${problem}`);
    const tunnels = Array.isArray(m.inputs.tunnels) ? (m.inputs.tunnels as { ociTunnelId?: string }[]) : [];
    return { id: `link-ready-${hexId(16, ...tunnels.map((t) => str(t.ociTunnelId)), m.name)}`, state: {} };
  },
  "pulumi-nodejs:dynamic/multicloud:VpnCustomerGatewaySwap": (m) => ({
    id: `${str(m.inputs.vpnConnectionId)}/cgw-swap`,
    state: {},
  }),
};

/**
 * Remote components (their provider plugin builds their children, which mocks never see): what
 * they return as outputs. The awsx image build and push: the pushed image by digest, which depends
 * on what was built (repository and the context-hash tag).
 */
export const REMOTE_COMPONENT_MODELS: Record<string, (m: ModelInput) => Record<string, unknown>> = {
  "awsx:ecr:Image": (m) => ({
    imageUri: `${str(m.inputs.repositoryUrl)}@sha256:${hexId(64, str(m.inputs.repositoryUrl), str(m.inputs.imageTag))}`,
  }),
};

type InvokeModel = (inputs: Record<string, unknown>, facts: ModelFacts) => Record<string, unknown>;

/** Marks a computed output secret, as providers do for passwords (the engine, not the SDK, applies it). */
const secretValue = (value: unknown) => ({ [SECRET_SIG]: SECRET_VALUE_SIG, value });

/** The nth host of a CIDR (1 = first usable). */
/** An API gateway's hostname, from its OCID (the deployment's endpoint uses the same). */
function gatewayHostname(gatewayId: string, region: string): string {
  return `${hexId(26, "apigateway", gatewayId)}.apigateway.${region}.oci.customer-oci.com`;
}

function hostOf(cidr: unknown, n: number): string | undefined {
  if (typeof cidr !== "string") return undefined;
  let ip = IPv4CidrRange.fromCidr(cidr).getFirst();
  for (let i = 0; i < n; i++) ip = ip.nextIPNumber();
  return ip.toString();
}

/** Oracle's headend IP of an IPSec tunnel; the list invoke and the tunnel resource agree on it. */
export const ociHeadendIp = (tunnelId: string) => documentationIp("oci-headend", tunnelId);

/** The two tunnel OCIDs OCI creates with an IPSec connection. */
export const ociTunnelIds = (ipsecId: string, regionKey: string) =>
  [1, 2].map((n) => `ocid1.ipsectunnel.oc1.${regionKey}.${ocidSuffix("tunnel", ipsecId, String(n))}`);

/** The random provider's character classes; `special` is its default set unless overrideSpecial replaces it. */
const RANDOM_CLASSES = {
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  lower: "abcdefghijklmnopqrstuvwxyz",
  numeric: "0123456789",
  special: "!@#$%&*()-_=+[]{}<>:?",
} as const;

/**
 * A deterministic password honouring every RandomPassword/RandomString option: the classes on
 * (upper, lower, numeric, special: all by default), overrideSpecial, and the min* counts, placed
 * first and then shuffled, as the provider does.
 */
export function randomText(m: Pick<ModelInput, "type" | "name" | "inputs">): string {
  const inputs = m.inputs;
  const length = typeof inputs.length === "number" ? inputs.length : 16;
  const on = (flag: string) => inputs[flag] !== false;
  const pools = {
    upper: on("upper") ? RANDOM_CLASSES.upper : "",
    lower: on("lower") ? RANDOM_CLASSES.lower : "",
    numeric: on("numeric") ? RANDOM_CLASSES.numeric : "",
    special: on("special")
      ? typeof inputs.overrideSpecial === "string"
        ? inputs.overrideSpecial
        : RANDOM_CLASSES.special
      : "",
  };
  const all = Object.values(pools).join("");
  if (!all) throw new Error(`${m.type} "${m.name}": every character class is off`);
  // Two bytes per character: one to pick it, one to shuffle it.
  const bytes = (hexId(length * 4 + 4, m.type, m.name, "random").match(/../g) ?? []).map((h) => parseInt(h, 16));
  let cursor = 0;
  const next = () => bytes[cursor++ % bytes.length];
  const chars: string[] = [];
  const minimum = (k: keyof typeof pools) =>
    typeof inputs[`min${k[0].toUpperCase()}${k.slice(1)}`] === "number"
      ? (inputs[`min${k[0].toUpperCase()}${k.slice(1)}`] as number)
      : 0;
  for (const k of Object.keys(pools) as (keyof typeof pools)[])
    for (let i = 0; i < minimum(k) && pools[k]; i++) chars.push(pools[k][next() % pools[k].length]);
  while (chars.length < length) chars.push(all[next() % all.length]);
  // Fisher–Yates with the same deterministic randomness, so the required characters are not all in front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}

const FASTCONNECT_PARTNERS = [
  { provider: "Equinix", service: "Equinix Fabric", types: ["PRIVATE", "PUBLIC"] },
  { provider: "Megaport", service: "Megaport Cloud Router", types: ["PRIVATE"] },
  { provider: "Megaport", service: "Megaport Port", types: ["PRIVATE", "PUBLIC"] },
  { provider: "Colt", service: "Colt Internet", types: ["PUBLIC"] },
];

export const INVOKE_MODELS: Record<string, InvokeModel> = {
  "aws:index/getCallerIdentity:getCallerIdentity": (_, { aws }) => ({
    id: aws.accountId,
    accountId: aws.accountId,
    arn: `arn:${aws.partition}:sts::${aws.accountId}:assumed-role/deployer/pulumi`,
    userId: `AROA${hexId(16, aws.accountId).toUpperCase()}:pulumi`,
  }),
  "aws:index/getPartition:getPartition": (_, { aws }) => ({
    id: aws.partition,
    partition: aws.partition,
    dnsSuffix: "amazonaws.com",
    reverseDnsPrefix: "com.amazonaws",
  }),
  "aws:index/getRegion:getRegion": (_, { aws }) => ({
    id: aws.region,
    name: aws.region,
    region: aws.region,
    endpoint: `ec2.${aws.region}.amazonaws.com`,
  }),
  "aws:index/getAvailabilityZones:getAvailabilityZones": (_, { aws }) => {
    const letters = ["a", "b", "c"];
    return {
      id: aws.region,
      names: letters.map((l) => `${aws.region}${l}`),
      zoneIds: letters.map((l) => awsZoneId(aws.region, `${aws.region}${l}`)),
      groupNames: letters.map(() => aws.region),
    };
  },
  "oci:Core/getServices:getServices": (_, { oci }) => {
    const key = oci.regionKey;
    return {
      id: `services-${key}`,
      services: [
        {
          id: `ocid1.service.oc1.${key}.${ocidSuffix("service", key, "all")}`,
          name: `All ${key.toUpperCase()} Services In Oracle Services Network`,
          cidrBlock: `all-${key}-services-in-oracle-services-network`,
          description: `All ${key.toUpperCase()} Services In Oracle Services Network`,
        },
        {
          id: `ocid1.service.oc1.${key}.${ocidSuffix("service", key, "objectstorage")}`,
          name: `OCI ${key.toUpperCase()} Object Storage`,
          cidrBlock: `oci-${key}-objectstorage`,
          description: `OCI ${key.toUpperCase()} Object Storage`,
        },
      ],
    };
  },
  "oci:Core/getIpsecConnectionTunnels:getIpsecConnectionTunnels": (inputs, facts) => {
    const ipsecId = str(inputs.ipsecId);
    const ipsec = facts.byId(ipsecId);
    if (!ipsec) throw new Error(`offline engine: getIpsecConnectionTunnels for unknown IPSec connection ${ipsecId}`);
    const cpeIp = facts.byId(ipsec.inputs.cpeId)?.inputs.ipAddress;
    // OCI lists tunnels in no promised order; reversed here so code that relies on order shows up.
    const tunnels = ociTunnelIds(ipsecId, facts.oci.regionKey).reverse();
    return {
      id: ipsecId,
      ipsecId,
      ipSecConnectionTunnels: tunnels.map((id) => ({
        id,
        tunnelId: id,
        ipsecId,
        vpnIp: ociHeadendIp(id),
        cpeIp,
        routing: "STATIC",
        ikeVersion: "V1",
        status: "DOWN",
        state: "AVAILABLE",
      })),
    };
  },
  "oci:Core/getFastConnectProviderServices:getFastConnectProviderServices": (inputs, { oci }) => ({
    id: `fastconnect-${oci.regionKey}`,
    compartmentId: inputs.compartmentId,
    fastConnectProviderServices: FASTCONNECT_PARTNERS.map((p) => ({
      id: `ocid1.providerservice.oc1.${oci.regionKey}.${ocidSuffix("provider", p.provider, p.service)}`,
      providerName: p.provider,
      providerServiceName: p.service,
      supportedVirtualCircuitTypes: p.types,
      type: "LAYER3",
      bandwithShapeManagement: "CUSTOMER_MANAGED",
      customerAsnManagement: "CUSTOMER_MANAGED",
      privatePeeringBgpManagement: "CUSTOMER_MANAGED",
      publicPeeringBgpManagement: "ORACLE_MANAGED",
      providerServiceKeyManagement: "NOT_REQUIRED",
      requiredTotalCrossConnects: 1,
      description: `${p.provider} ${p.service}`,
    })),
  }),
  "oci:Core/getVirtualCircuitBandwidthShapes:getVirtualCircuitBandwidthShapes": (inputs) => ({
    id: str(inputs.providerServiceId),
    providerServiceId: inputs.providerServiceId,
    virtualCircuitBandwidthShapes: [1, 2, 5, 10].map((g) => ({ name: `${g} Gbps`, bandwidthInMbps: g * 1000 })),
  }),
  "oci:ObjectStorage/getNamespace:getNamespace": (_, { oci }) => ({ id: oci.namespace, namespace: oci.namespace }),
  "oci:Identity/getAvailabilityDomains:getAvailabilityDomains": (inputs, { oci }) => ({
    id: `ads-${oci.regionKey}`,
    compartmentId: inputs.compartmentId,
    availabilityDomains: [1, 2, 3].map((n) => ({
      id: `ocid1.availabilitydomain.oc1..${ocidSuffix("ad", oci.region, String(n))}`,
      name: `Uocm:${oci.region.toUpperCase()}-AD-${n}`,
      compartmentId: inputs.compartmentId,
    })),
  }),
};

const md5Fingerprint = (der: Buffer) => createHash("md5").update(der).digest("hex").match(/../g)!.join(":");

// The generator's output depends on node-forge's algorithm: a new version must not reuse old keys.
const FORGE_VERSION = (
  JSON.parse(readFileSync(require.resolve("node-forge/package.json"), "utf8")) as { version: string }
).version;
const rsaKeys = new Map<string, { privateKeyPem: string; publicKeyPem: string }>();
/**
 * An RSA key pair drawn from a generator seeded by `parts` (node-forge): the same key on every run,
 * kept per process and on disk by seed (2048 bits take about a second each in JS; a plan makes several).
 */
function deterministicRsaKey(bits: number, ...parts: string[]): { privateKeyPem: string; publicKeyPem: string } {
  const cacheKey = [bits, ...parts].join("\u0000");
  const diskKey = diskCacheKey("node-forge", FORGE_VERSION, cacheKey);
  const cached =
    rsaKeys.get(cacheKey) ?? readCache<{ privateKeyPem: string; publicKeyPem: string }>("rsa-keys", diskKey);
  if (cached) {
    rsaKeys.set(cacheKey, cached);
    return cached;
  }
  const prng = forge.random.createInstance();
  let counter = 0;
  prng.seedFileSync = (needed: number) => {
    let out = "";
    while (out.length < needed) out += createHash("sha256").update(`${cacheKey}\u0000${counter++}`).digest("binary");
    return out.slice(0, needed);
  };
  const pair = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001, prng } as forge.pki.rsa.GenerateKeyPairOptions);
  const keys = {
    privateKeyPem: forge.pki.privateKeyToPem(pair.privateKey),
    publicKeyPem: forge.pki.publicKeyToPem(pair.publicKey),
  };
  rsaKeys.set(cacheKey, keys);
  writeCache("rsa-keys", diskKey, keys);
  return keys;
}
