import * as pulumi from "@pulumi/pulumi";
import { EnvironmentConfig } from "../components/config/platform";
import { orgStackReference } from "../components/config/org";
import { OrgStackOutputs } from "./org";

export interface OrgReference {
  /** The org stack's fully qualified name. */
  readonly stack: string;
  /** The OCI cost-tracking tag namespace the org stack owns. */
  readonly ociCostTags: pulumi.Output<OrgStackOutputs["ociCostTags"]>;
  /** The tenancy: OCI users, groups and dynamic groups live in its root compartment. */
  readonly ociTenancyId: pulumi.Output<string>;
  /** The federated OCI groups and their identity domain (the org stack's federation). */
  readonly federation: pulumi.Output<OrgStackOutputs["federation"]>;
  /** The IdP metadata and the Grafana role groups (the org stack's federation). */
  readonly grafanaSaml: pulumi.Output<OrgStackOutputs["grafanaSaml"]>;
  /** The account's cost anomaly monitors. */
  readonly costAnomalyMonitorArns: pulumi.Output<string[]>;
  readonly exports: Record<string, unknown>;
}

/**
 * What an environment stack reads from the org stack. `pulumi up` of an environment needs the org
 * stack to exist (bring `org` up first); a missing output fails the run naming the org stack.
 */
export function orgReference(cfg: EnvironmentConfig): OrgReference {
  const stack = orgStackReference(cfg.orgStack, pulumi.getOrganization(), cfg.project);
  const reference = new pulumi.StackReference("org", { name: stack });
  const ociCostTags = reference.requireOutput("ociCostTags") as pulumi.Output<OrgStackOutputs["ociCostTags"]>;
  const ociTenancyId = reference.requireOutput("ociTenancyId") as pulumi.Output<string>;
  const federation = reference.requireOutput("federation") as pulumi.Output<OrgStackOutputs["federation"]>;
  const grafanaSaml = reference.requireOutput("grafanaSaml") as pulumi.Output<OrgStackOutputs["grafanaSaml"]>;
  const costAnomalyMonitorArns = reference.requireOutput("costAnomalyMonitorArns") as pulumi.Output<string[]>;
  return {
    stack,
    ociCostTags,
    ociTenancyId,
    federation,
    grafanaSaml,
    costAnomalyMonitorArns,
    exports: { org: { stack, ociCostTagNamespace: ociCostTags.apply((t) => t.namespaceName) } },
  };
}
