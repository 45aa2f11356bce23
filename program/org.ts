import * as pulumi from "@pulumi/pulumi";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { GrafanaSaml, grafanaSaml, OciFederatedGroup, resolveFederation } from "../components/config/federation";
import { OrgConfig } from "../components/config/platform";
import { AwsSamlFederation } from "../components/federation/awsSamlFederation";
import { OciSamlFederation } from "../components/federation/ociSamlFederation";
import { CostAllocationTags } from "../components/finops/costAllocationTags";
import { CostAnomalyMonitors } from "../components/finops/costAnomalyMonitors";
import { CostCenterBudgets } from "../components/finops/costCenterBudgets";
import { CostTagNamespace } from "../components/org/costTagNamespace";
import { ociDefinedCostTags, withOciDefinedTags } from "../components/shared/tags";
import { createProviders } from "./providers";
import { platformContext } from "./context";

/** The outputs of the org stack that environment stacks read (keep them stable: they are an interface). */
export interface OrgStackOutputs {
  readonly environment: "org";
  readonly ociTenancyId: string;
  readonly ociCostTags: {
    readonly namespaceId: string;
    readonly namespaceName: string;
    readonly tagIds: Record<string, string>;
    readonly costCenters: readonly string[];
  };
  /** The federated OCI groups (identity-domain names) and their domain: environments grant them rights in their compartments. */
  readonly federation: {
    readonly identityDomainName: string;
    readonly ociGroups: Partial<Record<OciFederatedGroup, string>>;
  };
  /** The IdP metadata and group → role mapping every environment's Grafana workspace signs in with. */
  readonly grafanaSaml: GrafanaSaml;
  /** The account's cost anomaly monitors (services, cost centres): environments subscribe to them. */
  readonly costAnomalyMonitorArns: readonly string[];
}

/** The repository root: a metadata file named in config is read relative to it. */
const REPO_ROOT = path.join(__dirname, "..");

/**
 * The org stack: what exists once per OCI tenancy or AWS account, shared by every environment —
 * the cost-tracking tag namespace, and the SAML federation from the company IdP (the AWS SAML
 * provider and its roles; the identity domain's IdP and groups). The IdP metadata is read and
 * checked before any resource; a signing certificate near its end is a warning.
 */
export async function orgStack(cfg: OrgConfig): Promise<Record<string, unknown>> {
  const federation = await resolveFederation(
    cfg.project,
    cfg.stack,
    cfg.federation,
    {
      readFile: (file) => readFile(path.join(REPO_ROOT, file), "utf8"),
      fetchUrl: async (url) =>
        await fetch(url, { signal: AbortSignal.timeout(15_000) }).then((r) =>
          r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`)),
        ),
    },
    new Date(),
  );
  for (const warning of federation.warnings) void pulumi.log.warn(`multicloud:federation.idpMetadata: ${warning}`);
  const context = platformContext(cfg, cfg.oci.tenancyId, createProviders(cfg));
  const costTagNamespace = new CostTagNamespace("cost-tags", {
    namespaceName: cfg.project,
    costCenters: cfg.costCenters,
    context,
  });
  const costTags = costTagNamespace.outputs;
  // OCI resources after the namespace carry its defined tags; the value waits for the tag definitions.
  const definedTags = pulumi
    .all(Object.values(costTags.tagIds))
    .apply(() => ociDefinedCostTags(costTags.namespaceName, cfg.tags));
  pulumi.runtime.registerStackTransformation(withOciDefinedTags(definedTags));
  // Per-cost-centre OCI budgets target the cost_center tag's value across the tenancy: after the tag exists.
  if (cfg.costCenterBudgets.length) {
    new CostCenterBudgets(
      "cost-center-budgets",
      { budgets: cfg.costCenterBudgets, namespaceName: costTags.namespaceName, tenancyId: cfg.oci.tenancyId, context },
      { dependsOn: [costTagNamespace] },
    );
  }
  const aws = new AwsSamlFederation("federation-aws", { federation, context }).outputs;
  const oci = new OciSamlFederation("federation-oci", { federation, context }).outputs;
  if (cfg.aws.activateCostAllocationTags) new CostAllocationTags("cost-allocation-tags", { context });
  const anomalyMonitors = new CostAnomalyMonitors("cost-anomalies", {
    costCenters: cfg.costCenters,
    ...(cfg.aws.existingServiceMonitorArn ? { existingServiceMonitorArn: cfg.aws.existingServiceMonitorArn } : {}),
    context,
  }).outputs;
  const outputs: { [K in keyof OrgStackOutputs]: pulumi.Input<unknown> } = {
    environment: cfg.environment,
    ociTenancyId: cfg.oci.tenancyId,
    ociCostTags: {
      namespaceId: costTags.namespaceId,
      namespaceName: costTags.namespaceName,
      tagIds: costTags.tagIds,
      costCenters: costTags.costCenters,
    },
    federation: { identityDomainName: federation.oci.identityDomainName, ociGroups: oci.groupNames },
    grafanaSaml: grafanaSaml(federation),
    costAnomalyMonitorArns: anomalyMonitors.monitorArns,
  };
  return {
    ...outputs,
    // What to paste into the IdP (docs/federation.md), and what it signs with.
    federationSetup: {
      idpEntityId: federation.metadata.entityId,
      idpSigningCertificates: federation.metadata.signingCertificates.map((c) => ({
        subject: c.subject,
        validTo: c.validTo,
      })),
      aws: {
        assertionConsumerUrl: "https://signin.aws.amazon.com/saml",
        audience: "urn:amazon:webservices",
        samlProviderArn: aws.providerArn,
        roleClaimPerGroup: aws.roleClaims,
      },
      oci: {
        serviceProviderMetadataUrl: oci.serviceProviderMetadataUrl,
        assertionConsumerUrl: oci.assertionConsumerUrl,
        identityProviderId: oci.identityProviderId,
        groupAttribute: federation.groupAttribute,
      },
    },
  };
}
