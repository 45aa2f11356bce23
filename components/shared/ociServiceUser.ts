import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";

export interface OciServiceUserArgs {
  /** Logical names: the user (its capabilities are `<name>-capabilities`) and its group membership. */
  readonly resourceName: string;
  readonly membershipName: string;
  /** The tenancy: users and their memberships live in its root compartment. */
  readonly tenancyId: pulumi.Input<string>;
  readonly name: string;
  readonly description: string;
  readonly groupId: pulumi.Input<string>;
  /** The one kind of credential the user may hold: customer secret keys (S3 API), auth tokens (OCIR, Kafka) or API signing keys. */
  readonly credential: "customerSecretKeys" | "authTokens" | "apiKeys";
  readonly freeformTags: Readonly<Record<string, string>>;
}

/**
 * An OCI user for a machine, not a person: no console password, no SMTP credentials —
 * only the one kind of credential it exists for — and a member of the group its policy names.
 * (The e-mail is a placeholder OCI requires; nobody receives it.)
 */
export function ociServiceUser(
  parent: pulumi.Resource,
  args: OciServiceUserArgs,
): { user: oci.identity.User; membership: oci.identity.UserGroupMembership } {
  const child = { parent };
  const user = new oci.identity.User(
    args.resourceName,
    {
      compartmentId: args.tenancyId,
      name: args.name,
      description: args.description,
      email: `${args.name}@invalid.example`,
      freeformTags: { ...args.freeformTags },
    },
    child,
  );
  new oci.identity.UserCapabilitiesManagement(
    `${args.resourceName}-capabilities`,
    {
      userId: user.id,
      canUseApiKeys: args.credential === "apiKeys",
      canUseAuthTokens: args.credential === "authTokens",
      canUseConsolePassword: false,
      canUseCustomerSecretKeys: args.credential === "customerSecretKeys",
      canUseSmtpCredentials: false,
    },
    child,
  );
  // What uses the user's credential waits for this: until it exists, the group's policy does not apply to the user.
  const membership = new oci.identity.UserGroupMembership(
    args.membershipName,
    { compartmentId: args.tenancyId, userId: user.id, groupId: args.groupId },
    child,
  );
  return { user, membership };
}
