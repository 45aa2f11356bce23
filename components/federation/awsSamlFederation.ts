import { exemptRole } from "../shared/access";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AWS_FEDERATED_ROLES, AwsFederatedRole, ResolvedFederation } from "../config/federation";
import { PlatformContext, platformOptions } from "../shared/context";

export interface AwsSamlFederationArgs {
  /** The checked IdP metadata, the session length and the group → role mappings (multicloud:federation). */
  readonly federation: Pick<ResolvedFederation, "metadataXml" | "aws" | "mappings">;
  readonly context: PlatformContext;
}

export interface AwsSamlFederationOutputs {
  readonly providerArn: pulumi.Output<string>;
  /** The role of each mapped AWS role, by role. */
  readonly roleArns: Readonly<Partial<Record<AwsFederatedRole, pulumi.Output<string>>>>;
  /** Per IdP group, the value of the IdP's https://aws.amazon.com/SAML/Attributes/Role claim: "<role ARN>,<provider ARN>". */
  readonly roleClaims: pulumi.Output<Record<string, string>>;
}

/** The audience AWS's sign-in endpoint puts in SAML:aud; a role that does not require it would accept an assertion meant for another service. */
export const AWS_SAML_AUDIENCE = "https://signin.aws.amazon.com/saml";

/**
 * The trust policy of a federated role: only assertions from this provider, for the AWS sign-in
 * audience, may assume it (and tag the session with the IdP's attributes). SAML sessions carry no
 * MFA flag AWS can check: MFA is the IdP's conditional access, not a condition here.
 */
export function samlTrustPolicy(providerArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "FederatedFromCompanyIdp",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        Condition: { StringEquals: { "SAML:aud": AWS_SAML_AUDIENCE } },
      },
    ],
  });
}

/** What each role may do: AWS's managed job policies, and for readers a deny of every way to read a secret or decrypt. */
export const AWS_ROLE_POLICIES: Readonly<Record<AwsFederatedRole, { managed: string; deny?: readonly string[] }>> = {
  admin: { managed: "AdministratorAccess" },
  readOnly: {
    managed: "ReadOnlyAccess",
    deny: [
      "secretsmanager:GetSecretValue",
      "kms:Decrypt",
      "kms:GenerateDataKey*",
      "kms:ReEncrypt*",
      "ssm:GetParameter",
      "ssm:GetParameters",
      "ssm:GetParametersByPath",
      "sts:AssumeRole",
    ],
  },
};

export function readOnlyGuardPolicy(actions: readonly string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "NoSecretValuesNoDecryption", Effect: "Deny", Action: [...actions], Resource: "*" }],
  });
}

/**
 * AWS's half of the federation, once per account (the org stack): the IAM SAML provider from the
 * IdP's metadata, and one role per mapped AWS role — trusted only for this provider and the AWS
 * sign-in audience, its session at most `maxSessionHours` — with its policy. The IdP chooses the
 * role per group through its Role claim (roleClaims says the value for each group).
 */
export class AwsSamlFederation extends pulumi.ComponentResource {
  readonly outputs: AwsSamlFederationOutputs;

  constructor(name: string, args: AwsSamlFederationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:federation:AwsSamlFederation", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { federation, context } = args;
    const provider = new aws.iam.SamlProvider(
      `${name}-provider`,
      { name: `${context.namePrefix}-company-idp`, samlMetadataDocument: federation.metadataXml },
      child,
    );
    const partition = aws.getPartitionOutput({}, child).partition;
    const used = AWS_FEDERATED_ROLES.filter((role) => federation.mappings.some((m) => m.aws === role));
    const roleArns: Partial<Record<AwsFederatedRole, pulumi.Output<string>>> = {};
    for (const role of used) {
      const policies = AWS_ROLE_POLICIES[role];
      const iamRole = new aws.iam.Role(
        `${name}-${role}`,
        {
          name: `${context.namePrefix}-saml-${role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
          description: `${context.namePrefix}: federated ${role} from the company IdP`,
          assumeRolePolicy: provider.arn.apply(samlTrustPolicy),
          maxSessionDuration: federation.aws.maxSessionHours * 3600,
        },
        child,
      );
      exemptRole(iamRole, `people's ${role} role (SAML): granted by job function, not by declared calls`);
      new aws.iam.RolePolicyAttachment(
        `${name}-${role}-managed`,
        { role: iamRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policies.managed}` },
        child,
      );
      if (policies.deny)
        new aws.iam.RolePolicy(
          `${name}-${role}-guard`,
          { role: iamRole.name, policy: readOnlyGuardPolicy(policies.deny) },
          child,
        );
      roleArns[role] = iamRole.arn;
    }
    const roleClaims = pulumi
      .all([provider.arn, pulumi.all(roleArns)])
      .apply(([providerArn, arns]) =>
        Object.fromEntries(
          federation.mappings
            .filter((m) => m.aws !== undefined)
            .map((m) => [m.group, `${(arns as Record<string, string>)[m.aws!]},${providerArn}`]),
        ),
      );
    this.outputs = { providerArn: provider.arn, roleArns, roleClaims };
    this.registerOutputs({ providerArn: provider.arn, roleClaims });
  }
}
