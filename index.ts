/**
 * The multicloud platform program. Exported as a function so that the same process can run it
 * once per stack (the offline engine and plan do); `pulumi up` calls it once.
 *
 * Only composition lives here, top to bottom: validate the stack's config, build the providers,
 * resolve what config names but the clouds define, then each area in dependency order. Config
 * rules are in components/config/, decisions in components/, wiring per area in program/.
 */
import { loadPlatformConfig } from "./components/config/load";
import { resolveEnvironment } from "./components/config/resolve";
import { platformContext } from "./program/context";
import { databaseArea } from "./program/database";
import { federationArea } from "./program/federation";
import { costGovernanceArea, finopsArea } from "./program/finops";
import { interconnectArea } from "./program/interconnect";
import { ociLookups } from "./program/lookups";
import { mlArea } from "./program/ml";
import { monitoringArea } from "./program/monitoring";
import { endpointPoliciesArea, networkArea } from "./program/network";
import { opsArea } from "./program/ops";
import { ordersArea } from "./program/orders";
import { orgStack } from "./program/org";
import { orgReference } from "./program/orgReference";
import { createProviders } from "./program/providers";
import { stackReplacementOptions } from "./program/replacements";
import { later } from "./components/shared/later";
import type { Resource } from "@pulumi/pulumi";
import { streamingArea } from "./program/streaming";
import { syncArea } from "./program/sync";

export = async () => {
  const cfg = loadPlatformConfig(); // every config problem fails here, before any resource
  // Delete-before-replace for uniquely named resources, imports for adopted ones: before the first resource.
  const checkAdopted = stackReplacementOptions(cfg.kind === "org" ? [] : cfg.adopt);
  if (cfg.kind === "org") return orgStack(cfg);

  const providers = createProviders(cfg);
  const platform = await resolveEnvironment(cfg, ociLookups(providers.oci)); // look-ups fail here, still before any cloud resource
  const context = platformContext(cfg, cfg.oci.compartmentId, providers);

  const org = orgReference(cfg);
  costGovernanceArea(context, org); // before any OCI resource: it tags them all
  federationArea(context, org);
  const network = networkArea(context, platform);
  const interconnect = interconnectArea(context, platform, network);
  // Invocations across the link wait for it (a gate each), the network and the endpoint policies (built last).
  const endpointPolicies = later<Resource>();
  const monitoringEndpointPolicies = later<Resource>();
  const crossLink = { gate: interconnect.outputs.readiness, after: [network.awsNetwork, endpointPolicies.value] };
  const database = databaseArea(context, platform, network, interconnect.ready, crossLink);
  const ops = opsArea(context, platform);
  const ml = mlArea(context, platform, ops);
  const orders = ordersArea(context, platform, network, database);
  const sync = syncArea(context, platform, org, network, database, orders, ops);
  const streaming = streamingArea(context, platform, org, network, database, crossLink);
  const finops = finopsArea(context, platform, org, ops, database, orders, ml);
  const monitoring = monitoringArea(
    context,
    platform,
    org,
    network,
    interconnect,
    database,
    ml,
    orders,
    streaming,
    ops,
    [endpointPolicies.value, monitoringEndpointPolicies.value],
  );
  const policies = endpointPoliciesArea(
    context,
    network,
    [database.endpointUses, orders.endpointUses, sync.endpointUses, monitoring.endpointUses],
    monitoring.grafanaApiUses,
  );
  endpointPolicies.set(policies.beforeMigrations);
  monitoringEndpointPolicies.set(policies.monitoring);
  checkAdopted();

  return {
    environment: cfg.environment,
    ...org.exports,
    ...network.exports,
    ...interconnect.exports,
    ...database.exports,
    ...ml.exports,
    ...orders.exports,
    ...sync.exports,
    ...streaming.exports,
    ...monitoring.exports,
    ...finops,
  };
};
