import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  AUTH_ENV,
  ORDERS_CALLS,
  KAFKA_ENV,
  ORDER_TOPICS,
  ORDERS_ENV,
  ORDERS_HTTP,
  ORDERS_SHUTDOWN,
  TERMINATION_GRACE_SECONDS,
} from "../../functions/aws/orders/contract";
import { jwksEgressPort, OrdersAuthSettings, OrdersSettings } from "../config/orders";
import { EksClusterOutputs } from "../eks/eksCluster";
import { podIdentityRole } from "../shared/podIdentityRole";
import { EndpointUse } from "../network/endpoints";
import { PlatformContext, platformOptions } from "../shared/context";
import { HTTPS_PORT, MSK_IAM_PORT } from "../shared/ports";
import type { MskClusterOutputs } from "../sync/mskCluster";
import {
  configHash,
  HARDENED_CONTAINER,
  httpProbe,
  networkPolicySpec,
  ORDERS_NAMESPACE,
  RESTRICTED_NAMESPACE_LABELS,
  secretReadPolicy,
  SERVICE_RESOURCES,
  topologySpread,
} from "../shared/kubernetes";

export interface OrderServiceArgs {
  /** Replicas, autoscaling target and pool settings of the stack. */
  readonly settings: OrdersSettings;
  /** The cluster: its Kubernetes provider, name, ARN and account. */
  readonly cluster: Pick<EksClusterOutputs, "clusterName" | "clusterArn" | "kubernetes" | "keyContext" | "vpcUrn">;
  /** The image by digest. */
  readonly imageUri: pulumi.Input<string>;
  /** The services' database secret and the key it is encrypted with. */
  readonly secrets: { readonly appSecretArn: pulumi.Output<string>; readonly secretsKeyArn: pulumi.Output<string> };
  /** The brokers and the orders topic accepted orders are published to. */
  readonly kafka: Pick<MskClusterOutputs, "clusterArn" | "bootstrapBrokersIam" | "topicArns">;
  /** The VPC range: clients (through the load balancer) and kubelet probes come from it. */
  readonly vpcCidr: string;
  /** The private subnets, where the VPC endpoints the pods call on 443 live. */
  readonly endpointCidrs: readonly string[];
  /** The OCI database subnet: the only place the pods open 1522 to. */
  readonly databaseCidr: pulumi.Input<string>;
  /** What must exist before the Service: the load balancer controller that reconciles it. */
  readonly loadBalancerController: pulumi.Resource;
  /** The schema migrations (V021 and before): pods start once the tables and columns they use exist. */
  readonly schemaReady: pulumi.Resource;
  /** Name prefix, providers and production rules of the stack. */
  readonly context: PlatformContext;
}

export interface OrderServiceOutputs {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The role the pods get through pod identity: reads the database secret, publishes to the orders topic, nothing else. */
  readonly roleArn: pulumi.Output<string>;
  /** The internal load balancer's DNS name. */
  readonly loadBalancerHostname: pulumi.Output<string>;
  /** What the pods do through the VPC endpoints. */
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
}

export const ORDERS_SERVICE_ACCOUNT = "orders-api";
/** The order API's app name (its pods' app.kubernetes.io/name, and its Prometheus job). */
export const ORDERS_API_APP = "orders-api";
const APP = ORDERS_API_APP;
/** The Service's port on the load balancer without TLS (a stack without orders.tls; never prod). */
export const ORDERS_SERVICE_PORT = 80;

/** The settings the service reads (functions/aws/orders/settings.ts); none is a secret. */
export function serviceEnvironment(
  settings: OrdersSettings,
  secretArn: string,
  region: string,
  brokers: string,
): Record<string, string> {
  return {
    [KAFKA_ENV.brokers]: brokers,
    [KAFKA_ENV.kafkaAuth]: "iam",
    [ORDERS_ENV.secretArn]: secretArn,
    [ORDERS_ENV.region]: region,
    [ORDERS_ENV.poolSize]: String(settings.pool.size),
    [ORDERS_ENV.queueTimeoutMs]: String(settings.pool.queueTimeoutMs),
    [ORDERS_ENV.callTimeoutMs]: String(settings.pool.callTimeoutMs),
    [ORDERS_ENV.drainSeconds]: String(ORDERS_SHUTDOWN.drainSeconds),
    [ORDERS_ENV.port]: String(ORDERS_HTTP.port),
    [ORDERS_ENV.adminPort]: String(ORDERS_HTTP.adminPort),
    ...authEnvironment(settings.auth),
    ...(settings.currencies ? { [ORDERS_ENV.currencies]: settings.currencies.join(",") } : {}),
    [ORDERS_ENV.minimumAmount]: settings.minimumAmount,
    // The V8 heap stays under the container's memory limit with room for buffers.
    NODE_OPTIONS: "--max-old-space-size=384",
  };
}

/** How the service checks tokens (functions/aws/orders/auth.ts reads these). */
export function authEnvironment(auth: OrdersAuthSettings): Record<string, string> {
  return {
    [AUTH_ENV.issuer]: auth.issuer,
    [AUTH_ENV.audience]: auth.audience,
    [AUTH_ENV.jwksUri]: auth.jwksUri,
    ...(auth.jwksRoute.proxy ? { [AUTH_ENV.jwksProxy]: auth.jwksRoute.proxy } : {}),
    [AUTH_ENV.readScope]: auth.scopes.read,
    [AUTH_ENV.writeScope]: auth.scopes.write,
    [AUTH_ENV.adminScope]: auth.scopes.admin,
    [AUTH_ENV.customerClaim]: auth.customerClaim,
    [AUTH_ENV.clientClaim]: auth.clientClaim,
  };
}

/** TLS 1.3/1.2 only on the listener (the controller's named NLB policy). */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * The internal NLB's annotations (AWS Load Balancer Controller): IP targets, health check on
 * /readyz, a 10 s deregistration delay, client IP preservation off (so the pods see the NLB's
 * addresses, which the NetworkPolicy admits), and with a certificate a TLS listener on 443.
 */
export function serviceAnnotations(settings: OrdersSettings): Record<string, string> {
  return {
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": ORDERS_HTTP.readiness,
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "HTTP",
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": String(ORDERS_HTTP.port),
    "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes":
      "deregistration_delay.timeout_seconds=10,preserve_client_ip.enabled=false",
    ...(settings.tls
      ? {
          "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": settings.tls.certificateArn,
          "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "https",
          "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": TLS_POLICY,
        }
      : {}),
  };
}

/** The load balancer's listener port: 443 with TLS (prod always), 80 only where no certificate is configured. */
export function serviceListenerPort(settings: Pick<OrdersSettings, "tls">): number {
  return settings.tls ? HTTPS_PORT : ORDERS_SERVICE_PORT;
}

/** The one port the Service exposes (the listener; the admin port is not among them). */
export function servicePort(settings: OrdersSettings): k8s.types.input.core.v1.ServicePort {
  return {
    name: settings.tls ? "https" : "http",
    port: serviceListenerPort(settings),
    targetPort: "http",
    protocol: "TCP",
  };
}

/** The API's Kafka rights: connect and publish to the orders topic, idempotently; nothing to read. */
export function intakeKafkaPolicy(clusterArn: string, ordersTopicArn: string): object[] {
  return [
    {
      Sid: "Connect",
      Effect: "Allow",
      Action: ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"],
      Resource: [clusterArn],
    },
    {
      Sid: "PublishOrders",
      Effect: "Allow",
      Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
      Resource: [ordersTopicArn],
    },
  ];
}

/**
 * The order API on the cluster: a namespace under the restricted Pod Security Standard, a service
 * account whose pods assume (by pod identity) a role that reads only the database secret and
 * publishes only to the orders topic, a
 * ConfigMap of non-secret settings, a Deployment that runs the digest-pinned image hardened
 * (non-root, read-only root, no capabilities, RuntimeDefault seccomp) with separate readiness,
 * liveness and startup probes and a drain on shutdown, an internal NLB Service, an autoscaler, a
 * disruption budget, and network policies that admit only what the service needs.
 */
export class OrderService extends pulumi.ComponentResource {
  readonly outputs: OrderServiceOutputs;

  constructor(name: string, args: OrderServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:orders:OrderService", name, {}, platformOptions(args.context, opts));
    const { settings, cluster, context } = args;
    const k8sOpts = { parent: this, provider: cluster.kubernetes };
    const labels = { app: APP, "app.kubernetes.io/name": APP, "app.kubernetes.io/part-of": context.namePrefix };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: ORDERS_NAMESPACE, labels: { ...RESTRICTED_NAMESPACE_LABELS } } },
      k8sOpts,
    );
    const inNamespace = { ...k8sOpts, dependsOn: [namespace] };

    const identity = podIdentityRole(`${name}-pods`, this, {
      vpcUrn: cluster.vpcUrn,
      calls: {
        declarations: ORDERS_CALLS.api,
        targets: {
          databaseSecret: args.secrets.appSecretArn,
          kafkaCluster: args.kafka.clusterArn,
          ordersTopic: args.kafka.topicArns[ORDER_TOPICS.orders],
        },
      },
      clusterName: cluster.clusterName,
      clusterArn: cluster.clusterArn,
      namespace: ORDERS_NAMESPACE,
      serviceAccount: ORDERS_SERVICE_ACCOUNT,
      description: `${context.namePrefix} order service pods: read the database secret, publish accepted orders`,
      ctx: cluster.keyContext,
      policy: pulumi
        .all([
          args.kafka.clusterArn,
          args.kafka.topicArns[ORDER_TOPICS.orders],
          args.secrets.appSecretArn,
          args.secrets.secretsKeyArn,
          cluster.keyContext,
        ])
        .apply(([clusterArn, ordersTopic, secret, key, c]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              ...intakeKafkaPolicy(clusterArn, ordersTopic),
              ...(JSON.parse(secretReadPolicy(secret, key, c.region)) as { Statement: object[] }).Statement,
            ],
          }),
        ),
    });

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      {
        metadata: { name: ORDERS_SERVICE_ACCOUNT, namespace: ORDERS_NAMESPACE, labels },
        automountServiceAccountToken: false,
      },
      inNamespace,
    );

    const config = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      {
        metadata: { name: `${APP}-config`, namespace: ORDERS_NAMESPACE, labels },
        data: pulumi
          .all([args.secrets.appSecretArn, cluster.keyContext, args.kafka.bootstrapBrokersIam])
          .apply(([secret, c, brokers]) => serviceEnvironment(settings, secret, c.region, brokers)),
      },
      inNamespace,
    );

    new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: APP, namespace: ORDERS_NAMESPACE, labels },
        spec: {
          replicas: settings.replicas.min,
          selector: { matchLabels: { app: APP } },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
          template: {
            // envFrom is read at start: a settings change rolls the pods through this hash.
            metadata: { labels, annotations: { "multicloud/config-sha256": config.data.apply(configHash) } },
            spec: {
              serviceAccountName: ORDERS_SERVICE_ACCOUNT,
              // Pod identity mounts its own audience-bound token; the pods need no Kubernetes API token.
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
              terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
              topologySpreadConstraints: topologySpread(context.isProduction, APP),
              containers: [
                {
                  name: "api",
                  image: args.imageUri,
                  ports: [
                    { name: "http", containerPort: ORDERS_HTTP.port, protocol: "TCP" },
                    { name: "admin", containerPort: ORDERS_HTTP.adminPort, protocol: "TCP" },
                  ],
                  envFrom: [{ configMapRef: { name: `${APP}-config` } }],
                  resources: { requests: { ...SERVICE_RESOURCES.requests }, limits: { ...SERVICE_RESOURCES.limits } },
                  startupProbe: httpProbe(ORDERS_HTTP.liveness, 2, 30),
                  readinessProbe: httpProbe(ORDERS_HTTP.readiness, 5, 2),
                  livenessProbe: httpProbe(ORDERS_HTTP.liveness, 10, 3),
                  // The load balancer stops sending before SIGTERM; the image has no shell, so a sleep action.
                  lifecycle: { preStop: { sleep: { seconds: ORDERS_SHUTDOWN.preStopSleepSeconds } } },
                  securityContext: HARDENED_CONTAINER,
                  volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                },
              ],
              volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
            },
          },
        },
      },
      // The autoscaler owns the replica count once the Deployment exists.
      // Pods start with their account, their credentials and the controller's readiness-gate webhook in place.
      {
        ...inNamespace,
        dependsOn: [
          namespace,
          serviceAccount,
          config,
          identity.association,
          args.loadBalancerController,
          args.schemaReady,
        ],
        ignoreChanges: ["spec.replicas"],
      },
    );

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: {
          name: APP,
          namespace: ORDERS_NAMESPACE,
          labels,
          annotations: serviceAnnotations(settings),
        },
        spec: {
          type: "LoadBalancer",
          loadBalancerClass: "service.k8s.aws/nlb",
          selector: { app: APP },
          // The load balancer's security group admits only these; the admin port is not exposed.
          loadBalancerSourceRanges: [...(settings.callerCidrs ?? [args.vpcCidr])],
          ports: [servicePort(settings)],
        },
      },
      { ...inNamespace, dependsOn: [namespace, args.loadBalancerController] },
    );

    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      `${name}-hpa`,
      {
        metadata: { name: APP, namespace: ORDERS_NAMESPACE, labels },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: APP },
          minReplicas: settings.replicas.min,
          maxReplicas: settings.replicas.max,
          metrics: [
            {
              type: "Resource",
              resource: { name: "cpu", target: { type: "Utilization", averageUtilization: settings.targetCpuPercent } },
            },
          ],
        },
      },
      inNamespace,
    );

    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      {
        metadata: { name: APP, namespace: ORDERS_NAMESPACE, labels },
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: APP } } },
      },
      inNamespace,
    );

    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny`,
      {
        metadata: { name: "default-deny", namespace: ORDERS_NAMESPACE },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      },
      inNamespace,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-netpol`,
      {
        metadata: { name: APP, namespace: ORDERS_NAMESPACE, labels },
        spec: pulumi.output(args.databaseCidr).apply((databaseCidr) =>
          networkPolicySpec({
            app: APP,
            // The internal NLB's targets are the pods' IPs and it does not preserve client IPs, so
            // connections come from its addresses in the private subnets, as do the kubelet's
            // probes (the nodes) and the managed scraper's (its interfaces): nothing else may.
            ingress: { cidrs: args.endpointCidrs, ports: [ORDERS_HTTP.port, ORDERS_HTTP.adminPort] },
            endpointCidrs: args.endpointCidrs,
            databaseCidr,
            privateSubnetPorts: [HTTPS_PORT, MSK_IAM_PORT],
            jwks: { cidrs: settings.auth.jwksRoute.cidrs, port: jwksEgressPort(settings.auth) },
          }),
        ),
      },
      inNamespace,
    );

    this.outputs = {
      namespace: ORDERS_NAMESPACE,
      serviceAccount: ORDERS_SERVICE_ACCOUNT,
      roleArn: identity.role.arn,
      loadBalancerHostname: service.status.loadBalancer.ingress.apply((ingress) => ingress?.[0]?.hostname ?? ""),
      endpointUses: args.secrets.appSecretArn.apply((arn): EndpointUse[] => [
        { service: "secretsmanager", by: "orderService", actions: ["secretsmanager:GetSecretValue"], resources: [arn] },
      ]),
    };
    this.registerOutputs({ roleArn: this.outputs.roleArn, loadBalancerHostname: this.outputs.loadBalancerHostname });
  }
}
