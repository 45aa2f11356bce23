/**
 * The one resolve step between validation and resources: looks up what config names but the
 * clouds define (the FastConnect partner service and bandwidth shape), and returns the settings
 * components are built from. The interconnect mode is decided here, once, as a discriminated
 * union: a component given a fastconnect interconnect always has its looked-up service.
 * The look-ups are injected, so every rule here is tested without Pulumi.
 */
import { ConfigError, ConfigIssue } from "./errors";
import { FastConnectSettings, InterconnectSettings } from "./interconnect";
import { EnvironmentConfig } from "./platform";

export interface ProviderServiceSummary {
  readonly id: string;
  readonly providerName: string;
  readonly providerServiceName: string;
  readonly supportedVirtualCircuitTypes: readonly string[];
}

/** What the resolve step asks the clouds. */
export interface PlatformLookups {
  /** FastConnect partner services offered to the compartment's region. */
  fastConnectServices(compartmentId: string): Promise<readonly ProviderServiceSummary[]>;
  /** Bandwidth shape names a partner service offers. */
  bandwidthShapes(providerServiceId: string): Promise<readonly string[]>;
}

/** FastConnect settings with the partner service as OCI lists it. */
export interface ResolvedFastConnect extends FastConnectSettings {
  readonly providerServiceId: string;
  readonly providerServiceName: string;
}

type FastConnectInterconnect = Extract<InterconnectSettings, { mode: "fastconnect" }>;

/** The interconnect settings with, in fastconnect mode, the partner service looked up. */
export type ResolvedInterconnect =
  | Extract<InterconnectSettings, { mode: "ipsec" }>
  | (Omit<FastConnectInterconnect, "fastConnect"> & { readonly fastConnect: ResolvedFastConnect });

/** An environment stack's settings after the look-ups: what the program builds from. */
export interface ResolvedEnvironment extends Omit<EnvironmentConfig, "interconnect"> {
  readonly interconnect: ResolvedInterconnect;
}

const KEY = "multicloud:interconnect.fastConnect";

/** The one partner service offering private virtual circuits that matches the config, or the issue. */
export function selectProviderService(
  services: readonly ProviderServiceSummary[],
  settings: FastConnectSettings,
): ProviderServiceSummary | ConfigIssue {
  const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  const byProvider = services.filter((s) => sameName(s.providerName, settings.providerName));
  if (byProvider.length === 0) {
    const names = [...new Set(services.map((s) => s.providerName))].sort();
    return {
      key: `${KEY}.providerName`,
      message: `"${settings.providerName}" is not a FastConnect partner in this region; partners offered: ${names.join(", ")}`,
    };
  }
  const privateCapable = byProvider.filter((s) => s.supportedVirtualCircuitTypes.includes("PRIVATE"));
  const candidates = settings.providerServiceName
    ? privateCapable.filter((s) => sameName(s.providerServiceName, settings.providerServiceName ?? ""))
    : privateCapable;
  if (candidates.length === 1) return candidates[0];
  const offered =
    privateCapable
      .map((s) => s.providerServiceName)
      .sort()
      .join(", ") || "none with private peering";
  if (candidates.length === 0 && settings.providerServiceName) {
    return {
      key: `${KEY}.providerServiceName`,
      message: `"${settings.providerServiceName}" is not a private-peering service of ${settings.providerName}; services offered: ${offered}`,
    };
  }
  if (candidates.length === 0) {
    return {
      key: `${KEY}.providerName`,
      message: `${settings.providerName} offers no service with private virtual circuits here`,
    };
  }
  return {
    key: `${KEY}.providerServiceName`,
    message: `is required: ${settings.providerName} offers several private-peering services (${offered}); name one`,
  };
}

/** The issue when the configured bandwidth shape is not one the service offers. */
export function bandwidthShapeIssue(
  shapes: readonly string[],
  settings: FastConnectSettings,
  serviceName: string,
): ConfigIssue | undefined {
  if (shapes.includes(settings.bandwidthShapeName)) return undefined;
  return {
    key: `${KEY}.bandwidthShapeName`,
    message: `"${settings.bandwidthShapeName}" is not offered by ${serviceName}; shapes offered: ${shapes.join(", ")}`,
  };
}

/** Looks up the partner service and shape; throws ConfigError naming the key to fix. */
export async function resolveFastConnect(
  stack: string,
  settings: FastConnectSettings,
  compartmentId: string,
  lookups: PlatformLookups,
): Promise<ResolvedFastConnect> {
  const selected = selectProviderService(await lookups.fastConnectServices(compartmentId), settings);
  if ("key" in selected) throw new ConfigError(stack, [selected]);
  const issue = bandwidthShapeIssue(
    await lookups.bandwidthShapes(selected.id),
    settings,
    `${selected.providerName} ${selected.providerServiceName}`,
  );
  if (issue) throw new ConfigError(stack, [issue]);
  return {
    ...settings,
    providerName: selected.providerName,
    providerServiceId: selected.id,
    providerServiceName: selected.providerServiceName,
  };
}

/** The settings the program builds from: validated config plus everything looked up. */
export async function resolveEnvironment(
  cfg: EnvironmentConfig,
  lookups: PlatformLookups,
): Promise<ResolvedEnvironment> {
  const ic = cfg.interconnect;
  const interconnect: ResolvedInterconnect =
    ic.mode === "fastconnect"
      ? { ...ic, fastConnect: await resolveFastConnect(cfg.stack, ic.fastConnect, cfg.oci.compartmentId, lookups) }
      : ic;
  return { ...cfg, interconnect };
}
