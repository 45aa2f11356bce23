/**
 * Finds the FastConnect partner service and bandwidth shape named in config. The program awaits
 * this before it registers any cloud resource, so an unknown partner or shape fails the run with
 * the config key to fix, not halfway through a deployment.
 */
import * as oci from "@pulumi/oci";
import { ConfigError, ConfigIssue } from "../config/errors";
import { FastConnectPlan } from "../config/interconnect";

export interface ProviderServiceSummary {
  readonly id: string;
  readonly providerName: string;
  readonly providerServiceName: string;
  readonly supportedVirtualCircuitTypes: readonly string[];
}

export interface ResolvedFastConnect {
  readonly providerServiceId: string;
  readonly providerName: string;
  readonly providerServiceName: string;
  readonly bandwidthShapeName: string;
}

const KEY = "multicloud:interconnect.fastConnect";

/** The one partner service offering private virtual circuits that matches the config, or the issue. */
export function selectProviderService(services: readonly ProviderServiceSummary[], plan: FastConnectPlan): ProviderServiceSummary | ConfigIssue {
  const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  const byProvider = services.filter((s) => sameName(s.providerName, plan.providerName));
  if (byProvider.length === 0) {
    const names = [...new Set(services.map((s) => s.providerName))].sort();
    return { key: `${KEY}.providerName`, message: `"${plan.providerName}" is not a FastConnect partner in this region; partners offered: ${names.join(", ")}` };
  }
  const privateCapable = byProvider.filter((s) => s.supportedVirtualCircuitTypes.includes("PRIVATE"));
  const candidates = plan.providerServiceName ? privateCapable.filter((s) => sameName(s.providerServiceName, plan.providerServiceName ?? "")) : privateCapable;
  if (candidates.length === 1) return candidates[0];
  const offered = privateCapable.map((s) => s.providerServiceName).sort().join(", ") || "none with private peering";
  if (candidates.length === 0 && plan.providerServiceName) {
    return { key: `${KEY}.providerServiceName`, message: `"${plan.providerServiceName}" is not a private-peering service of ${plan.providerName}; services offered: ${offered}` };
  }
  if (candidates.length === 0) {
    return { key: `${KEY}.providerName`, message: `${plan.providerName} offers no service with private virtual circuits here` };
  }
  return { key: `${KEY}.providerServiceName`, message: `is required: ${plan.providerName} offers several private-peering services (${offered}); name one` };
}

/** The issue when the configured bandwidth shape is not one the service offers. */
export function bandwidthShapeIssue(shapes: readonly string[], plan: FastConnectPlan, serviceName: string): ConfigIssue | undefined {
  if (shapes.includes(plan.bandwidthShapeName)) return undefined;
  return { key: `${KEY}.bandwidthShapeName`, message: `"${plan.bandwidthShapeName}" is not offered by ${serviceName}; shapes offered: ${shapes.join(", ")}` };
}

/** Looks up partner service and shapes with the OCI provider; throws ConfigError naming the key. */
export async function resolveFastConnect(stack: string, plan: FastConnectPlan, compartmentId: string, provider: oci.Provider): Promise<ResolvedFastConnect> {
  const listed = await oci.core.getFastConnectProviderServices({ compartmentId }, { provider });
  const services: ProviderServiceSummary[] = listed.fastConnectProviderServices.map((s) => ({
    id: s.id,
    providerName: s.providerName,
    providerServiceName: s.providerServiceName,
    supportedVirtualCircuitTypes: s.supportedVirtualCircuitTypes,
  }));
  const selected = selectProviderService(services, plan);
  if ("key" in selected) throw new ConfigError(stack, [selected]);
  const shapes = await oci.core.getVirtualCircuitBandwidthShapes({ providerServiceId: selected.id }, { provider });
  const issue = bandwidthShapeIssue(
    shapes.virtualCircuitBandwidthShapes.map((s) => s.name),
    plan,
    `${selected.providerName} ${selected.providerServiceName}`,
  );
  if (issue) throw new ConfigError(stack, [issue]);
  return {
    providerServiceId: selected.id,
    providerName: selected.providerName,
    providerServiceName: selected.providerServiceName,
    bandwidthShapeName: plan.bandwidthShapeName,
  };
}
