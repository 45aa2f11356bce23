/**
 * What the cluster runs besides workloads, pinned: EKS add-on versions per Kubernetes version, the
 * AWS Load Balancer Controller chart, and where the add-ons' images come from. Pure data and
 * decisions, tested without Pulumi. To move to a new Kubernetes version, add its row (versions
 * from `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>
 * --query 'addons[0].addonVersions[0].addonVersion'`), then EKS_VERSIONS in components/config/eks.ts.
 */
import type { EksVersion } from "../config/eks";

export const ADDON_NAMES = [
  "vpc-cni",
  "kube-proxy",
  "eks-pod-identity-agent",
  "coredns",
  "metrics-server",
  "amazon-cloudwatch-observability",
] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

/** Add-on versions per Kubernetes version (EKS user guide version tables, checked 2026-11-30). */
export const ADDON_VERSIONS: Readonly<Record<EksVersion, Readonly<Record<AddonName, string>>>> = {
  "1.35": {
    "vpc-cni": "v1.21.1-eksbuild.7",
    "kube-proxy": "v1.35.3-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
    coredns: "v1.13.2-eksbuild.4",
    "metrics-server": "v0.8.1-eksbuild.5",
    "amazon-cloudwatch-observability": "v6.0.1-eksbuild.1",
  },
};

/**
 * Add-ons nodes need to become Ready (networking, service routing, credentials) are created before
 * the node group; the others run pods and so wait for nodes.
 */
export const BEFORE_NODES: ReadonlySet<AddonName> = new Set(["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]);

/**
 * Container logs and Container Insights: the CloudWatch Observability add-on runs Fluent Bit and
 * the CloudWatch agent under this service account, which gets a pod identity role. They write to
 * /aws/containerinsights/<cluster>/<kind>; the cluster creates those groups first (encrypted, with
 * retention), so nothing lands in a group the add-on would create unencrypted and kept forever.
 */
export const OBSERVABILITY = {
  namespace: "amazon-cloudwatch",
  serviceAccount: "cloudwatch-agent",
  logGroupKinds: ["application", "dataplane", "host", "performance"],
  metricNamespace: "ContainerInsights",
} as const;

/** The log group the observability add-on writes one kind of log to. */
export function containerInsightsLogGroup(
  clusterName: string,
  kind: (typeof OBSERVABILITY.logGroupKinds)[number],
): string {
  return `/aws/containerinsights/${clusterName}/${kind}`;
}

/** The VPC CNI enforces Kubernetes NetworkPolicy (its network policy agent, eBPF). */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

/** The AWS Load Balancer Controller: Helm chart from the EKS charts repository, pinned. */
export const LOAD_BALANCER_CONTROLLER = {
  chart: "aws-load-balancer-controller",
  version: "3.4.0",
  repository: "https://aws.github.io/eks-charts",
  namespace: "kube-system",
  serviceAccount: "aws-load-balancer-controller",
} as const;

/**
 * The account whose ECR registry serves the EKS add-on images in a region (EKS user guide,
 * "Amazon container image registries"); every region not listed uses 602401143452.
 */
const ADDON_REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  "af-south-1": "877085696533",
  "ap-east-1": "800184023465",
  "ap-south-2": "900889452093",
  "ap-southeast-3": "296578399912",
  "ap-southeast-4": "491585149902",
  "ca-west-1": "761377655185",
  "eu-central-2": "900612956339",
  "eu-south-1": "590381155156",
  "eu-south-2": "455263428931",
  "il-central-1": "066635153087",
  "me-central-1": "759879836304",
  "me-south-1": "558608220178",
  "us-gov-east-1": "151742754352",
  "us-gov-west-1": "013241004608",
};

export function addonRegistryAccount(region: string): string {
  return ADDON_REGISTRY_ACCOUNTS[region] ?? "602401143452";
}

/** The version of an add-on for a Kubernetes version; refuses a version without pins. */
export function addonVersion(kubernetesVersion: EksVersion, addon: AddonName): string {
  const row = ADDON_VERSIONS[kubernetesVersion];
  if (!row)
    throw new Error(
      `no add-on versions are pinned for Kubernetes ${kubernetesVersion}; add a row to ADDON_VERSIONS in components/eks/addons.ts`,
    );
  return row[addon];
}
