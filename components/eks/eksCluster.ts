import { exemptRole } from "../shared/access";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "../shared/iam";
import { EksSettings } from "../config/eks";
import { AwsNetworkOutputs } from "../network/awsNetwork";
import { PlatformContext, platformOptions } from "../shared/context";
import { awsContext, encryptedLogGroup, KeyContext, logGroupArn, rotatingKey } from "../shared/kms";
import { HTTPS_PORT } from "../shared/ports";
import { kept } from "../shared/protection";
import { EndpointUse } from "../network/endpoints";
import {
  ADDON_NAMES,
  addonRegistryAccount,
  addonVersion,
  BEFORE_NODES,
  containerInsightsLogGroup,
  OBSERVABILITY,
  VPC_CNI_CONFIGURATION,
} from "./addons";
import { kubeconfig } from "./kubeconfig";
import { addonPodIdentityRole } from "../shared/podIdentityRole";
import { IMAGE_PULL_ACTIONS } from "../shared/iam";

export interface EksClusterArgs {
  /** The validated cluster settings: version, endpoint access, administrators, nodes. */
  readonly settings: EksSettings;
  /** The AWS network: the cluster and its nodes live in its private subnets. */
  readonly network: Pick<AwsNetworkOutputs, "vpcId" | "vpcUrn" | "privateSubnetIds">;
  /** CloudWatch retention of the control-plane logs. */
  readonly logRetentionDays: number;
  /** Name prefix, providers, key administrators and production rules of the stack. */
  readonly context: PlatformContext;
}

export interface EksClusterOutputs {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly kubernetesVersion: string;
  /** The API endpoint (private, and public only when the config says so). */
  readonly endpoint: pulumi.Output<string>;
  /** The security group EKS puts on the control plane's and the nodes' interfaces (pods use the nodes'). */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;
  readonly controlPlaneLogGroupName: pulumi.Output<string>;
  /** Where the pods' stdout lands (Fluent Bit, CloudWatch Observability add-on). */
  readonly applicationLogGroupName: pulumi.Output<string>;
  /** The cluster's VPC (its URN): the pods' declared calls pass its endpoints. */
  readonly vpcUrn: pulumi.Output<string>;
  /** The Auto Scaling group EKS made for the node group (after-hours schedules act on it). */
  readonly autoScalingGroupName: pulumi.Output<string>;
  /** The Kubernetes provider built from this cluster; every Kubernetes object names it. */
  readonly kubernetes: k8s.Provider;
  /** The account, partition and region, for the workloads' roles. */
  readonly keyContext: pulumi.Output<KeyContext>;
  /** What the nodes do through the VPC endpoints: registry logins, add-on image pulls, image layers from S3. */
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
}

/** The container-log groups' ARNs and their streams' (what the observability role and endpoint admit). */
export function containerLogResources(c: KeyContext, clusterName: string): { groups: string[]; streams: string[] } {
  const groups = OBSERVABILITY.logGroupKinds.map((kind) =>
    logGroupArn(c, containerInsightsLogGroup(clusterName, kind)),
  );
  return { groups, streams: groups.map((g) => `${g}:log-stream:*`) };
}

/**
 * The observability agents' rights: create streams in and write to the cluster's four Container
 * Insights groups only (the groups exist; creating one again is answered "already exists"), publish
 * metrics to the ContainerInsights namespace only, and read the instance metadata the agent tags with.
 */
export function observabilityPolicy(c: KeyContext, clusterName: string): string {
  const { groups, streams } = containerLogResources(c, clusterName);
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      // Each action on the resource type it acts on (the service authorization reference).
      {
        Sid: "ContainerLogGroups",
        Effect: "Allow",
        Action: ["logs:CreateLogGroup", "logs:DescribeLogStreams"],
        Resource: groups,
      },
      {
        Sid: "ContainerLogStreams",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: streams,
      },
      {
        Sid: "ContainerInsightsMetrics",
        Effect: "Allow",
        Action: ["cloudwatch:PutMetricData"],
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": OBSERVABILITY.metricNamespace } },
      },
      {
        Sid: "InstanceMetadata",
        Effect: "Allow",
        Action: ["ec2:DescribeVolumes", "ec2:DescribeTags", "ec2:DescribeInstances"],
        Resource: "*",
      },
    ],
  });
}

/** What the nodes do through the VPC endpoints to start the add-ons' containers, and what the log agents send. */
export function nodeEndpointUses(c: KeyContext, clusterName: string): EndpointUse[] {
  const { groups, streams } = containerLogResources(c, clusterName);
  return [
    {
      service: "logs",
      by: "containerLogs",
      actions: ["logs:CreateLogGroup", "logs:DescribeLogStreams"],
      resources: groups,
    },
    {
      service: "logs",
      by: "containerLogEvents",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: streams,
    },
    {
      service: "ecr.api",
      by: "eksNodes",
      actions: ["ecr:GetAuthorizationToken"],
      resources: ["*"],
      anyResourceBecause: "ecr:GetAuthorizationToken acts on no resource",
    },
    {
      service: "ecr.dkr",
      by: "eksNodes",
      actions: [...IMAGE_PULL_ACTIONS],
      resources: [`arn:${c.partition}:ecr:${c.region}:${addonRegistryAccount(c.region)}:repository/*`],
    },
    // ECR serves image layers from this AWS-owned bucket (ECR user guide, "Minimum Amazon S3 bucket permissions").
    {
      service: "s3",
      by: "eksNodes",
      actions: ["s3:GetObject"],
      resources: [`arn:${c.partition}:s3:::prod-${c.region}-starport-layer-bucket/*`],
    },
  ];
}

/** Control-plane log types sent to CloudWatch: API calls, the audit trail, and authentication. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator"] as const;

/** Nodes: IMDSv2 only, one hop (a pod cannot reach the node's instance credentials), encrypted gp3 root. */
export const NODE_METADATA_OPTIONS = {
  httpEndpoint: "enabled",
  httpTokens: "required",
  httpPutResponseHopLimit: 1,
  instanceMetadataTags: "disabled",
} as const;

/** What the cluster's endpoint settings are for the configured access. */
export function endpointAccess(settings: EksSettings["endpoint"]): {
  endpointPrivateAccess: true;
  endpointPublicAccess: boolean;
  publicAccessCidrs?: string[];
} {
  return settings.access === "public"
    ? { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [...settings.deployerCidrs] }
    : { endpointPrivateAccess: true, endpointPublicAccess: false };
}

/**
 * An EKS cluster built from `aws.eks.*` resources (visible to the offline plan and the policy
 * pack): API authentication by access entries only, Kubernetes secrets envelope-encrypted with a
 * rotating key of their own, api/audit/authenticator logs to an encrypted log group, a private
 * endpoint (and a public one only for the deploy runner's addresses), a managed node group in the
 * private subnets with IMDSv2 and hop limit 1, pinned add-ons (VPC CNI with network policy,
 * kube-proxy, pod identity agent, CoreDNS, metrics-server), and the Kubernetes provider.
 */
export class EksCluster extends pulumi.ComponentResource {
  readonly outputs: EksClusterOutputs;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:eks:EksCluster", name, {}, platformOptions(args.context, opts));
    const { settings, context } = args;
    const child = { parent: this };
    const ctx = awsContext(child);
    const clusterName = `${context.namePrefix}-eks`;
    const version = settings.kubernetesVersion;

    const clusterRole = new aws.iam.Role(
      `${name}-cluster`,
      {
        name: `${clusterName}-cluster`,
        description: `${clusterName} control plane`,
        assumeRolePolicy: ctx.apply((c) =>
          serviceTrustPolicy("eks.amazonaws.com", c.accountId, ["sts:AssumeRole", "sts:TagSession"]),
        ),
      },
      child,
    );
    exemptRole(
      clusterRole,
      "EKS control plane's service role: the AWS-managed AmazonEKSClusterPolicy, used by EKS itself",
    );
    const clusterPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-cluster-policy`,
      {
        role: clusterRole.name,
        policyArn: ctx.apply((c) => `arn:${c.partition}:iam::aws:policy/AmazonEKSClusterPolicy`),
      },
      child,
    );

    // Kubernetes secrets are envelope-encrypted with this key; only the control plane's role may use it.
    const secretsKey = rotatingKey(
      `${name}-secrets`,
      `${clusterName} Kubernetes secrets envelope encryption`,
      ctx,
      { ...kept(this, context, "aws:kms/key:Key"), dependsOn: [clusterRole] },
      (c) => ({
        administratorArns: context.keyAdministratorArns,
        serviceStatements: [
          {
            Sid: "ControlPlaneUsesForSecrets",
            Effect: "Allow",
            Principal: { AWS: `arn:${c.partition}:iam::${c.accountId}:role/${clusterName}-cluster` },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
            Resource: "*",
          },
        ],
      }),
    );

    const logGroup = encryptedLogGroup(`${name}-control-plane`, this, {
      logGroupName: `/aws/eks/${clusterName}/cluster`,
      description: `${clusterName} control-plane logs`,
      retentionDays: args.logRetentionDays,
      keyAdministratorArns: context.keyAdministratorArns,
      isProduction: context.isProduction,
      ctx,
    });

    // The deploy runner reaches the private endpoint: 443 from its networks to the control plane.
    const apiSg = new aws.ec2.SecurityGroup(
      `${name}-api`,
      {
        vpcId: args.network.vpcId,
        description: `${clusterName} API from the deploy runner`,
        tags: { Name: `${clusterName}-api` },
      },
      child,
    );
    if (settings.endpoint.access === "private") {
      settings.endpoint.deployerCidrs.forEach(
        (cidrIpv4, i) =>
          new aws.vpc.SecurityGroupIngressRule(
            `${name}-api-from-deployer-${i}`,
            {
              securityGroupId: apiSg.id,
              ipProtocol: "tcp",
              fromPort: HTTPS_PORT,
              toPort: HTTPS_PORT,
              cidrIpv4,
              description: `Kubernetes API from deploy network ${i + 1}`,
            },
            child,
          ),
      );
    }

    const cluster = new aws.eks.Cluster(
      `${name}-cluster`,
      {
        name: clusterName,
        version,
        roleArn: clusterRole.arn,
        vpcConfig: {
          subnetIds: args.network.privateSubnetIds,
          securityGroupIds: [apiSg.id],
          ...endpointAccess(settings.endpoint),
        },
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
        enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
        // Add-ons are managed below, pinned; EKS installs none of its own.
        bootstrapSelfManagedAddons: false,
        deletionProtection: context.isProduction,
        upgradePolicy: { supportType: "STANDARD" },
      },
      { ...kept(this, context, "aws:eks/cluster:Cluster"), dependsOn: [clusterPolicy, logGroup] },
    );

    const accessEntries = settings.adminRoleArns.map((principalArn, i) => {
      const entry = new aws.eks.AccessEntry(
        `${name}-admin-${i}`,
        { clusterName: cluster.name, principalArn, type: "STANDARD" },
        child,
      );
      return new aws.eks.AccessPolicyAssociation(
        `${name}-admin-${i}`,
        {
          clusterName: cluster.name,
          principalArn,
          policyArn: ctx.apply((c) => `arn:${c.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`),
          accessScope: { type: "cluster" },
        },
        { parent: this, dependsOn: [entry] },
      );
    });

    // Nodes: pull images and join; the VPC CNI's permissions go to its own pod identity role, not here.
    const nodeRole = new aws.iam.Role(
      `${name}-nodes`,
      {
        description: `${clusterName} managed nodes`,
        assumeRolePolicy: ctx.apply((c) => serviceTrustPolicy("ec2.amazonaws.com", c.accountId)),
      },
      child,
    );
    exemptRole(
      nodeRole,
      "managed nodes' instance role: AWS-managed AmazonEKSWorkerNodePolicy and ECR pull-only, used by the kubelet",
    );
    const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"].map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-nodes-${policy}`,
          { role: nodeRole.name, policyArn: ctx.apply((c) => `arn:${c.partition}:iam::aws:policy/${policy}`) },
          child,
        ),
    );

    // The add-ons own these two associations (their podIdentityAssociations below).
    const cni = addonPodIdentityRole(`${name}-vpc-cni`, this, {
      clusterName: cluster.name,
      clusterArn: cluster.arn,
      namespace: "kube-system",
      serviceAccount: "aws-node",
      description: `${clusterName} VPC CNI (pod networking)`,
      ctx,
      managedPolicies: ["AmazonEKS_CNI_Policy"],
      exemptBecause: "the VPC CNI add-on (AWS's code): the AWS-managed AmazonEKS_CNI_Policy",
    });

    // Container logs: the groups first (encrypted, retention), then the agents with a role scoped to them.
    const containerLogGroups = OBSERVABILITY.logGroupKinds.map((kind) =>
      encryptedLogGroup(`${name}-logs-${kind}`, this, {
        logGroupName: containerInsightsLogGroup(clusterName, kind),
        description: `${clusterName} container logs (${kind})`,
        retentionDays: args.logRetentionDays,
        keyAdministratorArns: context.keyAdministratorArns,
        isProduction: context.isProduction,
        ctx,
      }),
    );
    const observability = addonPodIdentityRole(`${name}-observability`, this, {
      clusterName: cluster.name,
      clusterArn: cluster.arn,
      namespace: OBSERVABILITY.namespace,
      serviceAccount: OBSERVABILITY.serviceAccount,
      description: `${clusterName} container logs and Container Insights`,
      ctx,
      policy: ctx.apply((c) => observabilityPolicy(c, clusterName)),
      exemptBecause:
        "the CloudWatch Observability add-on's agents (AWS's code) call with it; the policy is scoped to the cluster's log groups and the ContainerInsights namespace",
    });

    const addon = (addonName: (typeof ADDON_NAMES)[number], dependsOn: pulumi.Resource[]) =>
      new aws.eks.Addon(
        `${name}-${addonName}`,
        {
          clusterName: cluster.name,
          addonName,
          addonVersion: addonVersion(version, addonName),
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
          ...(addonName === "vpc-cni"
            ? {
                configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
                podIdentityAssociations: [{ roleArn: cni.role.arn, serviceAccount: "aws-node" }],
              }
            : {}),
          ...(addonName === "amazon-cloudwatch-observability"
            ? {
                podIdentityAssociations: [
                  { roleArn: observability.role.arn, serviceAccount: OBSERVABILITY.serviceAccount },
                ],
              }
            : {}),
        },
        {
          parent: this,
          // An add-on that owns an association waits for its role's policies (its pods use them at once).
          dependsOn: [
            ...dependsOn,
            ...(addonName === "vpc-cni" ? cni.policies : []),
            ...(addonName === "amazon-cloudwatch-observability" ? observability.policies : []),
          ],
        },
      );
    const early = ADDON_NAMES.filter((a) => BEFORE_NODES.has(a)).map((a) => addon(a, []));

    const launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-nodes`,
      {
        description: `${clusterName} managed nodes: IMDSv2, hop limit 1, encrypted root volume`,
        metadataOptions: { ...NODE_METADATA_OPTIONS },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: {
              volumeSize: settings.nodes.diskGb,
              volumeType: "gp3",
              encrypted: "true",
              deleteOnTermination: "true",
            },
          },
        ],
        tagSpecifications: [
          { resourceType: "instance", tags: { Name: `${clusterName}-node` } },
          { resourceType: "volume", tags: { Name: `${clusterName}-node` } },
        ],
        updateDefaultVersion: true,
      },
      child,
    );

    const nodeGroup = new aws.eks.NodeGroup(
      `${name}-nodes`,
      {
        clusterName: cluster.name,
        nodeRoleArn: nodeRole.arn,
        subnetIds: args.network.privateSubnetIds,
        amiType: "AL2023_x86_64_STANDARD",
        capacityType: "ON_DEMAND",
        instanceTypes: [...settings.nodes.instanceTypes],
        scalingConfig: {
          minSize: settings.nodes.minSize,
          desiredSize: settings.nodes.desiredSize,
          maxSize: settings.nodes.maxSize,
        },
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        // The autoscaler (not Pulumi) moves desiredSize once the group exists.
      },
      { parent: this, dependsOn: [...nodePolicies, ...early], ignoreChanges: ["scalingConfig.desiredSize"] },
    );
    const late = ADDON_NAMES.filter((a) => !BEFORE_NODES.has(a)).map((a) =>
      addon(a, a === "amazon-cloudwatch-observability" ? [nodeGroup, ...containerLogGroups] : [nodeGroup]),
    );

    const kubernetes = new k8s.Provider(
      `${name}-k8s`,
      {
        kubeconfig: pulumi.secret(
          pulumi
            .all([cluster.name, cluster.endpoint, cluster.certificateAuthority.data, ctx])
            .apply(([n, endpoint, ca, c]) =>
              kubeconfig({ clusterName: n, endpoint, certificateAuthorityData: ca ?? "", region: c.region }),
            ),
        ),
        enableServerSideApply: true,
      },
      { parent: this, dependsOn: [...accessEntries, nodeGroup, ...early, ...late] },
    );

    this.outputs = {
      clusterName: cluster.name,
      clusterArn: cluster.arn,
      kubernetesVersion: version,
      endpoint: cluster.endpoint,
      clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
      nodeRoleArn: nodeRole.arn,
      controlPlaneLogGroupName: logGroup.name,
      applicationLogGroupName: containerLogGroups[0].name,
      vpcUrn: pulumi.output(args.network.vpcUrn),
      kubernetes,
      keyContext: ctx,
      endpointUses: ctx.apply((c) => nodeEndpointUses(c, clusterName)),
      autoScalingGroupName: nodeGroup.resources.apply((r) => r[0]?.autoscalingGroups?.[0]?.name ?? ""),
    };
    this.registerOutputs({ clusterName: cluster.name, clusterArn: cluster.arn, endpoint: cluster.endpoint });
  }
}
