/**
 * Kubernetes workload policies: what every pod template, namespace and load-balanced Service the
 * platform deploys must look like. They read the objects as the program registers them, so a
 * Deployment that runs as root, has no limits or probes, floats on a tag, or takes a secret
 * through its environment fails the preview before it reaches a cluster.
 */
import { list, MANDATORY, MulticloudPolicy, obj, Props, PROD_MANDATORY, resourcePolicy, set } from "./framework";
import { K8S } from "./types";

const WORKLOADS = [K8S.deployment, K8S.statefulSet, K8S.daemonSet, K8S.job];

/** The pod spec of a workload object (Deployment, StatefulSet, DaemonSet, Job). */
export function podSpecOf(props: Props): Props {
  return obj(obj(obj(props.spec).template).spec);
}

/** Every container of a pod spec, init containers included, with its name. */
function containersOf(pod: Props): Array<{ name: string; c: Props }> {
  return [...list(pod.initContainers), ...list(pod.containers)].map((c) => ({
    name: String(obj(c).name ?? "?"),
    c: obj(c),
  }));
}

const hardened = resourcePolicy(
  {
    name: "k8s-workload-hardened",
    description:
      "Every container runs as non-root with a read-only root filesystem, no privilege escalation, all capabilities dropped and the RuntimeDefault seccomp profile; no host namespaces.",
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Set securityContext: runAsNonRoot, readOnlyRootFilesystem, allowPrivilegeEscalation false, capabilities.drop [ALL], seccompProfile RuntimeDefault (pod or container).",
  },
  WORKLOADS,
  (props) => {
    const pod = podSpecOf(props);
    const podSc = obj(pod.securityContext);
    const problems: string[] = [];
    for (const host of ["hostNetwork", "hostPID", "hostIPC"])
      if (pod[host] === true) problems.push(`the pod uses ${host}`);
    for (const { name, c } of containersOf(pod)) {
      const sc = obj(c.securityContext);
      if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) problems.push(`container ${name} may run as root`);
      if (sc.privileged === true) problems.push(`container ${name} is privileged`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`container ${name} has a writable root filesystem`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`container ${name} allows privilege escalation`);
      if (!list(obj(sc.capabilities).drop).includes("ALL"))
        problems.push(`container ${name} keeps capabilities (drop ALL)`);
      if ((obj(sc.seccompProfile).type ?? obj(podSc.seccompProfile).type) !== "RuntimeDefault")
        problems.push(`container ${name} has no RuntimeDefault seccomp profile`);
    }
    return problems;
  },
);

const resources = resourcePolicy(
  {
    name: "k8s-workload-resources",
    description:
      "Every container requests CPU and memory and has a memory limit (the scheduler and the autoscaler need requests; a leak must not take the node).",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Set resources.requests.cpu, resources.requests.memory and resources.limits.memory on each container.",
  },
  WORKLOADS,
  (props) =>
    containersOf(podSpecOf(props)).flatMap(({ name, c }) => {
      const r = obj(c.resources);
      const missing = [
        ["requests", "cpu"],
        ["requests", "memory"],
        ["limits", "memory"],
      ]
        .filter(([kind, what]) => !set(obj(r[kind])[what]))
        .map(([kind, what]) => `${kind}.${what}`);
      return missing.length ? [`container ${name} has no ${missing.join(", ")}`] : [];
    }),
);

const probes = resourcePolicy(
  {
    name: "k8s-workload-probes",
    description:
      "Long-running containers have readiness and liveness probes on separate endpoints (readiness may fail while draining; liveness must not).",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Add readinessProbe and livenessProbe with different httpGet paths (e.g. /readyz and /healthz).",
  },
  [K8S.deployment, K8S.statefulSet, K8S.daemonSet],
  (props) =>
    list(podSpecOf(props).containers).flatMap((raw) => {
      const c = obj(raw);
      const name = String(c.name ?? "?");
      const problems: string[] = [];
      if (!set(c.readinessProbe)) problems.push(`container ${name} has no readiness probe`);
      if (!set(c.livenessProbe)) problems.push(`container ${name} has no liveness probe`);
      const path = (probe: unknown) => obj(obj(probe).httpGet).path;
      if (
        set(c.readinessProbe) &&
        set(c.livenessProbe) &&
        path(c.readinessProbe) !== undefined &&
        path(c.readinessProbe) === path(c.livenessProbe)
      ) {
        problems.push(`container ${name} probes readiness and liveness on the same endpoint`);
      }
      return problems;
    }),
);

/** An image reference pinned by digest. */
export const DIGEST_PINNED = /@sha256:[0-9a-f]{64}$/;

const digest = resourcePolicy(
  {
    name: "k8s-image-digest",
    description: "Containers run images pinned by digest: a tag can be moved, a digest cannot.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Reference the image as <repository>@sha256:<digest> (the image build's output).",
  },
  WORKLOADS,
  (props) =>
    containersOf(podSpecOf(props))
      .filter(({ c }) => typeof c.image === "string" && !DIGEST_PINNED.test(c.image))
      .map(({ name, c }) => `container ${name} runs ${String(c.image)}, not pinned by digest`),
);

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY)/i;
/** Names that refer to a secret rather than hold one (an ARN, an id, a name). */
const SECRET_REFERENCE = /_(ARN|ID|NAME)$/i;
const noSecretEnv = resourcePolicy(
  {
    name: "k8s-no-secret-env",
    description:
      "No secret reaches a container through its environment: no Secret references in env or envFrom, no secret-named variables with values.",
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Read secrets at run time from Secrets Manager with the pod's own role (pod identity); keep the environment for non-secret settings.",
  },
  WORKLOADS,
  (props) =>
    containersOf(podSpecOf(props)).flatMap(({ name, c }) => {
      const problems: string[] = [];
      for (const raw of list(c.env)) {
        const e = obj(raw);
        if (set(obj(obj(e.valueFrom).secretKeyRef).name))
          problems.push(`container ${name} takes ${String(e.name)} from a Kubernetes Secret`);
        else if (SECRET_NAME.test(String(e.name ?? "")) && !SECRET_REFERENCE.test(String(e.name ?? "")) && set(e.value))
          problems.push(`container ${name} sets ${String(e.name)} in plain text`);
      }
      for (const raw of list(c.envFrom))
        if (set(obj(obj(raw).secretRef).name))
          problems.push(`container ${name} loads its environment from a Kubernetes Secret`);
      return problems;
    }),
);

const restrictedNamespaces = resourcePolicy(
  {
    name: "k8s-namespace-restricted",
    description: "Namespaces the platform creates enforce the restricted Pod Security Standard.",
    cloud: "aws",
    ...MANDATORY,
    remediation: "Label the namespace pod-security.kubernetes.io/enforce: restricted.",
  },
  [K8S.namespace],
  (props) =>
    obj(obj(props.metadata).labels)["pod-security.kubernetes.io/enforce"] === "restricted"
      ? undefined
      : "does not enforce the restricted Pod Security Standard",
);

const internalServices = resourcePolicy(
  {
    name: "k8s-load-balancer-internal",
    description:
      "Services of type LoadBalancer are internal: nothing the platform deploys is reached from the internet.",
    cloud: "aws",
    ...MANDATORY,
    remediation:
      "Annotate service.beta.kubernetes.io/aws-load-balancer-scheme: internal (AWS Load Balancer Controller, class service.k8s.aws/nlb).",
  },
  [K8S.service],
  (props) => {
    if (obj(props.spec).type !== "LoadBalancer") return undefined;
    const annotations = obj(obj(props.metadata).annotations);
    return annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] === "internal"
      ? undefined
      : "the load balancer is not internal";
  },
);

const tlsServices = resourcePolicy(
  {
    name: "k8s-load-balancer-tls",
    description:
      "Services of type LoadBalancer terminate TLS on every port (an ACM certificate, a TLS 1.2+ policy) and admit only named source ranges: tokens and orders never cross the network in the clear, nor from anywhere.",
    cloud: "aws",
    ...PROD_MANDATORY,
    remediation:
      "Annotate aws-load-balancer-ssl-cert (ACM ARN), aws-load-balancer-ssl-ports naming every port and aws-load-balancer-ssl-negotiation-policy ELBSecurityPolicy-TLS13-1-2-2021-06; set spec.loadBalancerSourceRanges to the callers' networks (multicloud:orders.tls, .callerCidrs).",
  },
  [K8S.service],
  (props) => {
    const spec = obj(props.spec);
    if (spec.type !== "LoadBalancer") return [];
    const annotations = obj(obj(props.metadata).annotations);
    const problems: string[] = [];
    const cert = annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"];
    if (typeof cert !== "string" || !/^arn:aws[a-z-]*:acm:/.test(cert))
      problems.push("no ACM certificate on the listener");
    const tlsPorts = String(annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-ports"] ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    const plain = list(spec.ports)
      .map((p) => obj(p))
      .filter(
        (p) => !tlsPorts.includes("*") && !tlsPorts.includes(String(p.name)) && !tlsPorts.includes(String(p.port)),
      )
      .map((p) => String(p.port));
    if (plain.length) problems.push(`port ${plain.join(", ")} is not TLS`);
    if (
      !/^ELBSecurityPolicy-TLS13-/.test(
        String(annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy"] ?? ""),
      )
    )
      problems.push("the TLS policy is not a TLS 1.3/1.2 one");
    const ranges = list(spec.loadBalancerSourceRanges).map(String);
    if (ranges.length === 0) problems.push("no loadBalancerSourceRanges: any address may connect");
    if (ranges.includes("0.0.0.0/0")) problems.push("loadBalancerSourceRanges admits 0.0.0.0/0");
    return problems;
  },
);

export const kubernetesPolicies: readonly MulticloudPolicy[] = [
  hardened,
  resources,
  probes,
  digest,
  noSecretEnv,
  restrictedNamespaces,
  internalServices,
  tlsServices,
];
