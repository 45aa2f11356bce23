import { ResolvedEnvironment } from "../components/config/resolve";
import { PlatformContext } from "../components/shared/context";
import { OciStreaming, OciStreamingOutputs } from "../components/streaming/ociStreaming";
import { NetworkArea } from "./network";

export interface StreamingArea {
  readonly exports: Record<string, unknown>;
  readonly streaming: OciStreamingOutputs;
}

/** The OCI streaming plumbing the OCI pipelines run on: the private stream pool, its streams, the alert topic. */
export function streamingArea(context: PlatformContext, platform: ResolvedEnvironment, network: NetworkArea): StreamingArea {
  const streaming = new OciStreaming("oci-streaming", {
    settings: platform.streaming,
    network: { vcnId: network.oci.vcnId, streamingSubnetId: network.oci.subnetIds.streaming, streamingCidr: network.oci.subnetCidrs.streaming, functionsCidr: network.oci.subnetCidrs.functions },
    context,
  }).outputs;
  return {
    streaming,
    exports: { streaming: { streamPoolId: streaming.streamPoolId, bootstrapServers: streaming.bootstrapServers, streamIds: streaming.streamIds, alertTopicId: streaming.alertTopicId } },
  };
}
