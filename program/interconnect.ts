import * as pulumi from "@pulumi/pulumi";
import { ResolvedEnvironment } from "../components/config/resolve";
import { Interconnect, InterconnectOutputs } from "../components/interconnect/interconnect";
import { PlatformContext } from "../components/shared/context";
import { NetworkArea } from "./network";

export interface InterconnectArea {
  readonly outputs: InterconnectOutputs;
  /** What must be up before traffic crosses the link (e.g. migrations over it). */
  readonly ready: pulumi.Resource;
  readonly exports: Record<string, unknown>;
}

/** The link between the clouds: IPSec, or FastConnect + Direct Connect with an IPSec backup. */
export function interconnectArea(
  context: PlatformContext,
  platform: ResolvedEnvironment,
  network: NetworkArea,
): InterconnectArea {
  const interconnect = new Interconnect("interconnect", {
    settings: platform.interconnect,
    context,
    awsNetwork: network.aws,
    ociNetwork: network.oci,
    logRetentionDays: platform.aws.logRetentionDays,
    ociRegion: platform.oci.region,
  });
  // The gate's spec holds the component itself: what the program wires, not a stack output.
  const { privateCircuitKeys, readiness, ...described } = interconnect.outputs;
  void readiness;
  return {
    outputs: interconnect.outputs,
    ready: interconnect,
    exports: { interconnect: described, ...(privateCircuitKeys ? { privateCircuitKeys } : {}) },
  };
}
