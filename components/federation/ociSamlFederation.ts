import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { OCI_FEDERATED_GROUPS, OciFederatedGroup, ResolvedFederation } from "../config/federation";
import { PlatformContext, platformOptions } from "../shared/context";

export interface OciSamlFederationArgs {
  /** The checked IdP metadata, the groups attribute, the identity domain and the group mappings (multicloud:federation). */
  readonly federation: Pick<ResolvedFederation, "metadataXml" | "groupAttribute" | "oci" | "mappings">;
  readonly context: PlatformContext;
}

export interface OciSamlFederationOutputs {
  readonly identityProviderId: pulumi.Output<string>;
  /** The identity-domain group of each mapped OCI group, by its platform name (what policies name). */
  readonly groupNames: Readonly<Partial<Record<OciFederatedGroup, string>>>;
  /** What the IdP needs of OCI: the domain's SAML service-provider metadata, and its assertion consumer URL. */
  readonly serviceProviderMetadataUrl: string;
  readonly assertionConsumerUrl: string;
}

/** A platform group's name in the identity domain, e.g. multicloud-network-admins. */
export function domainGroupName(prefix: string, group: OciFederatedGroup): string {
  return `${prefix}-${group.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * OCI's half of the federation, once per tenancy (the org stack): an identity-domain group per
 * mapped OCI group, and the company IdP as a SAML identity provider of the domain with
 * just-in-time provisioning — a user who signs in is created (and updated) from the assertion,
 * and put in exactly the domain groups their IdP groups map to (explicit mapping, overwritten at
 * every sign-in, so removing someone from an IdP group removes the OCI rights at their next
 * sign-in). What each group may do is granted per environment compartment (FederatedAccess).
 */
export class OciSamlFederation extends pulumi.ComponentResource {
  readonly outputs: OciSamlFederationOutputs;

  constructor(name: string, args: OciSamlFederationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:federation:OciSamlFederation", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { federation, context } = args;
    const idcsEndpoint = federation.oci.identityDomainUrl;
    const used = OCI_FEDERATED_GROUPS.filter((g) => federation.mappings.some((m) => m.oci === g));
    const groupIds: Partial<Record<OciFederatedGroup, pulumi.Output<string>>> = {};
    const groupNames: Partial<Record<OciFederatedGroup, string>> = {};
    for (const group of used) {
      const displayName = domainGroupName(context.namePrefix, group);
      const created = new oci.identity.DomainsGroup(
        `${name}-${group}`,
        {
          idcsEndpoint,
          displayName,
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
          urnietfparamsscimschemasoracleidcsextensiongroupGroup: {
            description: `${context.namePrefix}: ${group}, from the company IdP`,
          },
        },
        child,
      );
      groupIds[group] = created.id;
      groupNames[group] = displayName;
    }
    const mappings = federation.mappings
      .filter((m) => m.oci !== undefined)
      .map((m) => ({ idpGroup: m.group, value: groupIds[m.oci!]! }));
    const provider = new oci.identity.DomainsIdentityProvider(
      `${name}-idp`,
      {
        idcsEndpoint,
        schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:IdentityProvider"],
        partnerName: `${context.namePrefix}-company-idp`,
        description: `${context.namePrefix}: the company IdP (SAML 2.0)`,
        type: "SAML",
        enabled: true,
        metadata: federation.metadataXml,
        signatureHashAlgorithm: "SHA-256",
        nameIdFormat: "saml-emailaddress",
        userMappingMethod: "NameIDToUserAttribute",
        userMappingStoreAttribute: "userName",
        shownOnLoginPage: true,
        jitUserProvEnabled: true,
        jitUserProvCreateUserEnabled: true,
        jitUserProvAttributeUpdateEnabled: true,
        jitUserProvGroupAssertionAttributeEnabled: true,
        jitUserProvGroupSamlAttributeName: federation.groupAttribute,
        jitUserProvGroupMappingMode: "explicit",
        jitUserProvGroupAssignmentMethod: "Overwrite",
        jitUserProvGroupMappings: mappings,
        jitUserProvIgnoreErrorOnAbsentGroups: true,
      },
      child,
    );
    this.outputs = {
      identityProviderId: provider.id,
      groupNames,
      serviceProviderMetadataUrl: `${idcsEndpoint}/fed/v1/metadata`,
      assertionConsumerUrl: `${idcsEndpoint}/fed/v1/sp/sso`,
    };
    this.registerOutputs({ identityProviderId: provider.id, groupNames });
  }
}
