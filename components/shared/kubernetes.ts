/**
 * What the platform's Kubernetes workloads share (the order API and the sync consumer, in two
 * areas): the namespace they run in, the hardened container, probes, the config hash that rolls
 * pods, resources, the namespace's Pod Security labels, spread, the NetworkPolicy shape and the
 * database-secret read policy. Pure values and functions.
 */
import type * as k8s from "@pulumi/kubernetes";
import { createHash } from "node:crypto";
import { HTTPS_PORT, ORACLE_TLS_PORT } from "./ports";

/** The namespace of the order workloads: the order API creates it, the sync consumer runs beside it. */
export const ORDERS_NAMESPACE = "orders";

/** The pod identity agent's link-local address (EKS Pod Identity). */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;

/** The image's user (distroless nonroot), no root filesystem writes, no capabilities, the runtime's seccomp profile. */
export const HARDENED_CONTAINER: k8s.types.input.core.v1.SecurityContext = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** An HTTP probe on a named container port (`http` unless given). */
export function httpProbe(
  path: string,
  periodSeconds: number,
  failureThreshold: number,
  port = "http",
): k8s.types.input.core.v1.Probe {
  return { httpGet: { path, port }, periodSeconds, failureThreshold, timeoutSeconds: 2 };
}

/** The hash annotation that rolls pods when their ConfigMap's data changes (envFrom is read at start). */
export function configHash(data: Record<string, string> | undefined): string {
  return createHash("sha256")
    .update(JSON.stringify(data ?? {}))
    .digest("hex");
}

/** Per-pod resources of the order workloads: requests size the autoscaler's CPU target, limits bound a runaway pod. */
export const SERVICE_RESOURCES = {
  requests: { cpu: "250m", memory: "256Mi" },
  limits: { cpu: "1", memory: "512Mi" },
} as const;

/**
 * The restricted Pod Security Standard, enforced (and audited and warned) on the namespace; and the
 * load balancer controller's readiness gate, so a rollout waits until new pods are healthy targets.
 */
export const RESTRICTED_NAMESPACE_LABELS = {
  "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/warn": "restricted",
} as const;

/** Spread across zones: in prod a zone may not hold more than one pod above the others; elsewhere it is a preference. */
export function topologySpread(isProduction: boolean, app: string): k8s.types.input.core.v1.TopologySpreadConstraint[] {
  const selector = { matchLabels: { app } };
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: isProduction ? "DoNotSchedule" : "ScheduleAnyway",
      labelSelector: selector,
    },
    { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: selector },
  ];
}

/** Who may talk to a workload's pods and whom they may talk to (the API's and the sync consumer's). */
export function networkPolicySpec(args: {
  /** The pods' `app` label. */
  readonly app: string;
  /** Where connections to the pods may come from, and to which ports. */
  readonly ingress: { readonly cidrs: readonly string[]; readonly ports: readonly number[] };
  /** The private subnets: the VPC endpoints (and the MSK brokers) are there. */
  readonly endpointCidrs: readonly string[];
  readonly databaseCidr: string;
  /** Ports the pods open to the private subnets (443 to the endpoints unless given). */
  readonly privateSubnetPorts?: readonly number[];
  /** Where the issuer's JWKS is fetched (the egress proxy, or the issuer on 443), for the API. */
  readonly jwks?: { readonly cidrs: readonly string[]; readonly port: number };
}): k8s.types.input.networking.v1.NetworkPolicySpec {
  return {
    podSelector: { matchLabels: { app: args.app } },
    policyTypes: ["Ingress", "Egress"],
    ingress: [
      {
        from: args.ingress.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: args.ingress.ports.map((port) => ({ protocol: "TCP", port })),
      },
    ],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
          },
        ],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
      {
        to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }],
        ports: [{ protocol: "TCP", port: POD_IDENTITY_AGENT.port }],
      },
      {
        to: args.endpointCidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: (args.privateSubnetPorts ?? [HTTPS_PORT]).map((port) => ({ protocol: "TCP", port })),
      },
      { to: [{ ipBlock: { cidr: args.databaseCidr } }], ports: [{ protocol: "TCP", port: ORACLE_TLS_PORT }] },
      ...(args.jwks
        ? [
            {
              to: args.jwks.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
              ports: [{ protocol: "TCP", port: args.jwks.port }],
            },
          ]
        : []),
    ],
  };
}

/** The pod's role: read the one secret, and decrypt it only through Secrets Manager. */
export function secretReadPolicy(secretArn: string, keyArn: string, region: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadDatabaseSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secretArn] },
      {
        Sid: "DecryptThroughSecretsManager",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [keyArn],
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
      },
    ],
  });
}
