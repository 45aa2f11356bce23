import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformContext, platformOptions } from "../shared/context";
import { LOAD_BALANCER_CONTROLLER } from "./addons";
import { EksClusterOutputs } from "./eksCluster";
import { podIdentityRole } from "../shared/podIdentityRole";

export interface LoadBalancerControllerArgs {
  /** The cluster the controller runs in (its provider, name, ARN, account). */
  readonly cluster: Pick<EksClusterOutputs, "clusterName" | "clusterArn" | "kubernetes" | "keyContext">;
  /** The VPC the load balancers go in. */
  readonly vpcId: pulumi.Input<string>;
  /** Providers and naming of the stack. */
  readonly context: PlatformContext;
}

export interface LoadBalancerControllerOutputs {
  readonly roleArn: pulumi.Output<string>;
  /** The Helm release: services of class service.k8s.aws/nlb wait for it. */
  readonly release: k8s.helm.v3.Release;
}

/** Tag keys the controller puts on what it creates; its write permissions are conditioned on them. */
const SERVICE_TAG = "aws:ResourceTag/elbv2.k8s.aws/cluster";
const REQUEST_TAG = "aws:RequestTag/elbv2.k8s.aws/cluster";

/**
 * The controller's permissions for Network Load Balancers of Kubernetes Services (the platform
 * creates no ALB Ingress): the upstream policy (docs/install/iam_policy.json of
 * kubernetes-sigs/aws-load-balancer-controller) without its ALB-only statements (WAF, Shield,
 * Cognito, ACM, listener rules), writes limited to what carries the controller's cluster tag.
 */
export function loadBalancerControllerPolicy(partition: string): string {
  const any = "*";
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ElbServiceLinkedRole",
        Effect: "Allow",
        Action: ["iam:CreateServiceLinkedRole"],
        Resource: any,
        Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
      },
      {
        Sid: "Describe",
        Effect: "Allow",
        Action: [
          "ec2:DescribeAccountAttributes",
          "ec2:DescribeAddresses",
          "ec2:DescribeAvailabilityZones",
          "ec2:DescribeInternetGateways",
          "ec2:DescribeVpcs",
          "ec2:DescribeSubnets",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeInstances",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeTags",
          "ec2:DescribeRouteTables",
          "ec2:GetSecurityGroupsForVpc",
          "elasticloadbalancing:DescribeLoadBalancers",
          "elasticloadbalancing:DescribeLoadBalancerAttributes",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeListenerAttributes",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetGroupAttributes",
          "elasticloadbalancing:DescribeTargetHealth",
          "elasticloadbalancing:DescribeTags",
        ],
        Resource: any,
      },
      { Sid: "CreateSecurityGroup", Effect: "Allow", Action: ["ec2:CreateSecurityGroup"], Resource: any },
      {
        Sid: "TagNewSecurityGroup",
        Effect: "Allow",
        Action: ["ec2:CreateTags"],
        Resource: `arn:${partition}:ec2:*:*:security-group/*`,
        Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, Null: { [REQUEST_TAG]: "false" } },
      },
      {
        Sid: "OwnSecurityGroups",
        Effect: "Allow",
        Action: [
          "ec2:CreateTags",
          "ec2:DeleteTags",
          "ec2:AuthorizeSecurityGroupIngress",
          "ec2:RevokeSecurityGroupIngress",
          "ec2:DeleteSecurityGroup",
        ],
        Resource: `arn:${partition}:ec2:*:*:security-group/*`,
        Condition: { Null: { [SERVICE_TAG]: "false" } },
      },
      {
        Sid: "CreateTaggedLoadBalancers",
        Effect: "Allow",
        Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
        Resource: any,
        Condition: { Null: { [REQUEST_TAG]: "false" } },
      },
      {
        Sid: "Listeners",
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:CreateListener",
          "elasticloadbalancing:DeleteListener",
          "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:ModifyListenerAttributes",
        ],
        Resource: any,
      },
      {
        Sid: "TagOwnLoadBalancers",
        Effect: "Allow",
        Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        Resource: [
          `arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`,
          `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/net/*/*`,
        ],
        Condition: { Null: { [REQUEST_TAG]: "true", [SERVICE_TAG]: "false" } },
      },
      {
        Sid: "TagOnCreate",
        Effect: "Allow",
        Action: ["elasticloadbalancing:AddTags"],
        Resource: [
          `arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`,
          `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/net/*/*`,
        ],
        Condition: {
          StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
          Null: { [REQUEST_TAG]: "false" },
        },
      },
      {
        Sid: "ManageOwnLoadBalancers",
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:ModifyLoadBalancerAttributes",
          "elasticloadbalancing:SetIpAddressType",
          "elasticloadbalancing:SetSecurityGroups",
          "elasticloadbalancing:SetSubnets",
          "elasticloadbalancing:DeleteLoadBalancer",
          "elasticloadbalancing:ModifyTargetGroup",
          "elasticloadbalancing:ModifyTargetGroupAttributes",
          "elasticloadbalancing:DeleteTargetGroup",
        ],
        Resource: any,
        Condition: { Null: { [SERVICE_TAG]: "false" } },
      },
      {
        Sid: "RegisterTargets",
        Effect: "Allow",
        Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        Resource: `arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`,
      },
    ],
  });
}

/**
 * The AWS Load Balancer Controller (Helm chart, pinned) with its own pod identity role: it turns
 * the platform's Services of class `service.k8s.aws/nlb` into internal Network Load Balancers in
 * the private subnets (tagged kubernetes.io/role/internal-elb by the network).
 */
export class LoadBalancerController extends pulumi.ComponentResource {
  readonly outputs: LoadBalancerControllerOutputs;

  constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:eks:LoadBalancerController", name, {}, platformOptions(args.context, opts));
    const { cluster } = args;
    const identity = podIdentityRole(`${name}-role`, this, {
      clusterName: cluster.clusterName,
      clusterArn: cluster.clusterArn,
      namespace: LOAD_BALANCER_CONTROLLER.namespace,
      serviceAccount: LOAD_BALANCER_CONTROLLER.serviceAccount,
      description: "AWS Load Balancer Controller: internal NLBs for Kubernetes Services",
      ctx: cluster.keyContext,
      policy: cluster.keyContext.apply((c) => loadBalancerControllerPolicy(c.partition)),
      exemptBecause:
        "the AWS Load Balancer Controller (upstream code) calls with it; the policy is the one the controller's project publishes, scoped by its cluster tag",
    });
    const release = new k8s.helm.v3.Release(
      `${name}-chart`,
      {
        name: "aws-load-balancer-controller",
        chart: LOAD_BALANCER_CONTROLLER.chart,
        version: LOAD_BALANCER_CONTROLLER.version,
        repositoryOpts: { repo: LOAD_BALANCER_CONTROLLER.repository },
        namespace: LOAD_BALANCER_CONTROLLER.namespace,
        atomic: true,
        values: {
          clusterName: cluster.clusterName,
          region: cluster.keyContext.apply((c) => c.region),
          vpcId: args.vpcId,
          replicaCount: 2,
          serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER.serviceAccount },
          // Only Services that ask for the NLB class are the controller's; others are left alone.
          enableServiceMutatorWebhook: false,
          podDisruptionBudget: { maxUnavailable: 1 },
        },
      },
      { parent: this, provider: cluster.kubernetes, dependsOn: [identity.association] },
    );
    this.outputs = { roleArn: identity.role.arn, release };
    this.registerOutputs({ roleArn: identity.role.arn });
  }
}
