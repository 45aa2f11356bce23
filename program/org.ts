import * as pulumi from "@pulumi/pulumi";
import { OrgConfig } from "../components/config/platform";
import { CostTagNamespace } from "../components/org/costTagNamespace";
import { createProviders } from "./providers";
import { platformContext } from "./context";

/** The outputs of the org stack that environment stacks read (keep them stable: they are an interface). */
export interface OrgStackOutputs {
  readonly environment: "org";
  readonly ociTenancyId: string;
  readonly ociCostTags: { readonly namespaceId: string; readonly namespaceName: string; readonly tagIds: Record<string, string> };
}

/**
 * The org stack: what exists once per OCI tenancy or AWS account, shared by every environment.
 * Today the cost-tracking tag namespace; the identity-domain IdP, dynamic groups, shared budgets
 * and cost-allocation tag activation join it as those systems arrive.
 */
export function orgStack(cfg: OrgConfig): Record<string, unknown> {
  const context = platformContext(cfg, cfg.oci.tenancyId, createProviders(cfg));
  const costTags = new CostTagNamespace("cost-tags", { namespaceName: cfg.project, context }).outputs;
  const outputs: { [K in keyof OrgStackOutputs]: pulumi.Input<unknown> } = {
    environment: cfg.environment,
    ociTenancyId: cfg.oci.tenancyId,
    ociCostTags: { namespaceId: costTags.namespaceId, namespaceName: costTags.namespaceName, tagIds: costTags.tagIds },
  };
  return outputs;
}
