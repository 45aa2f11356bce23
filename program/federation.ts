import { FederatedAccess } from "../components/federation/federatedAccess";
import { PlatformContext } from "../components/shared/context";
import { OrgReference } from "./orgReference";

/** The company IdP's groups (the org stack's federation) get their rights in this environment's compartment. */
export function federationArea(context: PlatformContext, org: OrgReference): void {
  new FederatedAccess("federated-access", {
    identityDomainName: org.federation.apply((f) => f.identityDomainName),
    groupNames: org.federation.apply((f) => f.ociGroups),
    costTagNamespace: org.ociCostTags.apply((t) => t.namespaceName),
    context,
  });
}
