/** An IAM role a service account's pods assume through EKS Pod Identity, and its association. */
import { CallDeclaration, declareCalls, exemptRole, Target } from "./access";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeyContext } from "./kms";
import { podIdentityTrustPolicy } from "./podIdentity";

export interface PodIdentityRoleArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly description: string;
  readonly ctx: pulumi.Output<KeyContext>;
  /** AWS managed policies (by name) the role gets. */
  readonly managedPolicies?: readonly string[];
  /** The role's own policy document. */
  readonly policy?: pulumi.Input<string>;
  /** What the pods call with the role (declared calls; their path passes the cluster VPC's endpoints). */
  readonly calls?: {
    readonly declarations: readonly CallDeclaration[];
    readonly targets: Readonly<Record<string, Target | readonly Target[]>>;
  };
  /** Why the role's rights are not measured call by call (AWS-managed policies, an upstream-published policy). */
  readonly exemptBecause?: string;
  /** The cluster's VPC (its URN): the pods' calls pass its endpoints. */
  readonly vpcUrn?: pulumi.Input<string>;
}

/**
 * The role (logical name `name`) and its policies, without an association: for an add-on whose
 * `podIdentityAssociations` owns it (EKS allows one association per namespace and service account, so
 * a standalone one beside the add-on's would make the first `up` fail).
 */
export function addonPodIdentityRole(
  name: string,
  parent: pulumi.Resource,
  args: PodIdentityRoleArgs,
): { role: aws.iam.Role; policies: pulumi.Resource[] } {
  const child = { parent };
  const policies: pulumi.Resource[] = [];
  const role = new aws.iam.Role(
    name,
    {
      description: args.description,
      assumeRolePolicy: pulumi.all([args.ctx, args.clusterArn]).apply(([c, clusterArn]) =>
        podIdentityTrustPolicy({
          accountId: c.accountId,
          partition: c.partition,
          clusterArn,
          namespace: args.namespace,
          serviceAccount: args.serviceAccount,
        }),
      ),
    },
    child,
  );
  for (const policy of args.managedPolicies ?? []) {
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-${policy}`,
      { role: role.name, policyArn: args.ctx.apply((c) => `arn:${c.partition}:iam::aws:policy/${policy}`) },
      child,
    );
    policies.push(attachment);
  }
  if (args.policy) policies.push(new aws.iam.RolePolicy(name, { role: role.id, policy: args.policy }, child));
  if (args.calls) declareCalls(name, { role, vpcUrn: args.vpcUrn }, args.calls.declarations, args.calls.targets);
  if (args.exemptBecause) exemptRole(role, args.exemptBecause);
  return { role, policies };
}

/** The role (logical name `name`), its policies, and the association that binds it to the service account. */
export function podIdentityRole(
  name: string,
  parent: pulumi.Resource,
  args: PodIdentityRoleArgs,
): { role: aws.iam.Role; association: aws.eks.PodIdentityAssociation } {
  const { role, policies } = addonPodIdentityRole(name, parent, args);
  // Pods that start once the association exists get the role's credentials: its policies first.
  const child = { parent, dependsOn: policies };
  const association = new aws.eks.PodIdentityAssociation(
    name,
    {
      clusterName: args.clusterName,
      namespace: args.namespace,
      serviceAccount: args.serviceAccount,
      roleArn: role.arn,
    },
    child,
  );
  return { role, association };
}
