import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ORDERS_HTTP } from "../../functions/aws/orders/contract";
import { EksClusterOutputs } from "../eks/eksCluster";
import { PlatformContext, platformOptions } from "../shared/context";
import { awsContext, rotatingKey } from "../shared/kms";
import { kept } from "../shared/protection";

export interface ServiceMetricsArgs {
  /** The cluster the scraper reads (its ARN and security group) and the namespace and apps it scrapes. */
  readonly cluster: Pick<EksClusterOutputs, "clusterArn" | "clusterName" | "clusterSecurityGroupId" | "kubernetes">;
  readonly namespace: string;
  /** What creates the namespace (the services' component), when the program does: the RBAC objects wait for it. */
  readonly namespaceCreatedBy?: readonly pulumi.Resource[];
  readonly apps: readonly string[];
  /** The VPC and the private subnets the scraper's network interfaces go in. */
  readonly network: { readonly vpcId: pulumi.Input<string>; readonly privateSubnetIds: pulumi.Input<string>[] };
  readonly context: PlatformContext;
}

export interface ServiceMetricsOutputs {
  readonly workspaceArn: pulumi.Output<string>;
  /** The workspace's Prometheus-compatible endpoint: Grafana's Prometheus datasource (SigV4 with a role). */
  readonly prometheusEndpoint: pulumi.Output<string>;
  readonly scraperArn: pulumi.Output<string>;
}

/** A role ARN without its path (arn:…:role/aws-service-role/…/Name → arn:…:role/Name): how EKS maps the scraper's service-linked role. */
export function roleArnWithoutPath(roleArn: string): string {
  return roleArn.replace(/:role\/.*\/([^/]+)$/, ":role/$1");
}

/** The Kubernetes user the managed scraper's role is mapped to (its access entry and its Role binding). */
export const SCRAPER_USER = "aps-collector-user";

/**
 * What the scraper collects: every pod of `apps` in `namespace`, on the services' admin port and
 * /metrics, each app its own Prometheus job. JSON is YAML, so the configuration is written as JSON.
 */
export function scrapeConfiguration(namespace: string, apps: readonly string[]): string {
  return JSON.stringify({
    global: { scrape_interval: "30s", scrape_timeout: "10s" },
    scrape_configs: apps.map((app) => ({
      job_name: app,
      metrics_path: ORDERS_HTTP.metrics,
      kubernetes_sd_configs: [{ role: "pod", namespaces: { names: [namespace] } }],
      relabel_configs: [
        { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], regex: app, action: "keep" },
        {
          source_labels: ["__meta_kubernetes_pod_container_port_number"],
          regex: String(ORDERS_HTTP.adminPort),
          action: "keep",
        },
        { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
      ],
    })),
  });
}

/**
 * The order services' Prometheus metrics, collected without an agent: an Amazon Managed Service
 * for Prometheus workspace (encrypted with its own key, kept in prod) and the EKS managed scraper
 * in the private subnets, reading only the pods of the orders namespace on their HTTP port — its
 * security group reaches the cluster's on that port only, and its role is mapped (access entry) to
 * a Kubernetes user bound to a Role that may list and watch pods in that namespace, nothing else.
 */
export class ServiceMetrics extends pulumi.ComponentResource {
  readonly outputs: ServiceMetricsOutputs;

  constructor(name: string, args: ServiceMetricsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:monitoring:ServiceMetrics", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { context } = args;
    const ctx = awsContext(child);
    // Only through Amazon Managed Prometheus (which creates grants on it) may the account use the key.
    const key = rotatingKey(
      `${name}-key`,
      `${context.namePrefix}: the Prometheus workspace's data`,
      ctx,
      kept(this, context, "aws:kms/key:Key"),
      () => ({ administratorArns: context.keyAdministratorArns, viaServices: ["aps"] }),
    );
    const workspace = new aws.amp.Workspace(
      `${name}-workspace`,
      { alias: `${context.namePrefix}-services`, kmsKeyArn: key.arn },
      kept(this, context, "aws:amp/workspace:Workspace"),
    );

    const sg = new aws.ec2.SecurityGroup(
      `${name}-scraper-sg`,
      {
        vpcId: args.network.vpcId,
        // The description is create-only (a change replaces the group and the scraper): kept as first written.
        description: "Managed Prometheus scraper: the services HTTP port on the cluster only",
      },
      child,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-scraper-to-pods`,
      {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: ORDERS_HTTP.adminPort,
        toPort: ORDERS_HTTP.adminPort,
        referencedSecurityGroupId: args.cluster.clusterSecurityGroupId,
        description: "the services /metrics (admin port)",
      },
      child,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-pods-from-scraper`,
      {
        securityGroupId: args.cluster.clusterSecurityGroupId,
        ipProtocol: "tcp",
        fromPort: ORDERS_HTTP.adminPort,
        toPort: ORDERS_HTTP.adminPort,
        referencedSecurityGroupId: sg.id,
        description: "Managed Prometheus scraper to the services /metrics (admin port)",
      },
      child,
    );

    const scraper = new aws.amp.Scraper(
      `${name}-scraper`,
      {
        alias: `${context.namePrefix}-services`,
        source: {
          eks: {
            clusterArn: args.cluster.clusterArn,
            subnetIds: args.network.privateSubnetIds,
            securityGroupIds: [sg.id],
          },
        },
        destination: { amp: { workspaceArn: workspace.arn } },
        scrapeConfiguration: scrapeConfiguration(args.namespace, args.apps),
      },
      child,
    );
    new aws.eks.AccessEntry(
      `${name}-scraper-access`,
      {
        clusterName: args.cluster.clusterName,
        principalArn: scraper.roleArn.apply(roleArnWithoutPath),
        userName: SCRAPER_USER,
        type: "STANDARD",
      },
      child,
    );
    // The RBAC objects live in the services' namespace: they wait for what creates it.
    const k8sOpts = {
      parent: this,
      provider: args.cluster.kubernetes,
      dependsOn: [...(args.namespaceCreatedBy ?? [])],
    };
    const role = new k8s.rbac.v1.Role(
      `${name}-scraper-role`,
      {
        metadata: { name: "prometheus-scraper", namespace: args.namespace },
        rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }],
      },
      k8sOpts,
    );
    new k8s.rbac.v1.RoleBinding(
      `${name}-scraper-binding`,
      {
        metadata: { name: "prometheus-scraper", namespace: args.namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [{ kind: "User", name: SCRAPER_USER, apiGroup: "rbac.authorization.k8s.io" }],
      },
      k8sOpts,
    );
    this.outputs = {
      workspaceArn: workspace.arn,
      prometheusEndpoint: workspace.prometheusEndpoint,
      scraperArn: scraper.arn,
    };
    this.registerOutputs({ workspaceArn: workspace.arn, scraperArn: scraper.arn });
  }
}
