import * as pulumi from "@pulumi/pulumi";
import { ResolvedEnvironment } from "../components/config/resolve";
import { PlatformContext } from "../components/shared/context";
import { OciStreaming, OciStreamingOutputs } from "../components/streaming/ociStreaming";
import { VaultSecret } from "../components/streaming/vaultSecret";
import { DatabaseArea } from "./database";
import { NetworkArea } from "./network";

export interface StreamingArea {
  readonly exports: Record<string, unknown>;
  readonly streaming: OciStreamingOutputs;
  /** The OCI functions' database credential in OCI Vault (MC_FN). */
  readonly functionsDbSecretId: pulumi.Output<string>;
}

/** The OCI streaming plumbing the OCI pipelines run on: the private stream pool, its streams, the alert topic, the functions' credential in Vault. */
export function streamingArea(context: PlatformContext, platform: ResolvedEnvironment, network: NetworkArea, database: DatabaseArea): StreamingArea {
  const streaming = new OciStreaming("oci-streaming", {
    settings: platform.streaming,
    network: { vcnId: network.oci.vcnId, streamingSubnetId: network.oci.subnetIds.streaming, streamingCidr: network.oci.subnetCidrs.streaming, functionsCidr: network.oci.subnetCidrs.functions },
    context,
  }).outputs;
  const functionsDbSecret = new VaultSecret("functions-db", {
    secretName: `${context.namePrefix}-functions-db`,
    description: `${context.namePrefix}: the OCI functions' database credential (MC_FN)`,
    vaultId: streaming.vaultId,
    keyId: streaming.keyId,
    content: database.functionsCredential,
    context,
  }).outputs;
  return {
    streaming,
    functionsDbSecretId: functionsDbSecret.secretId,
    exports: { streaming: { streamPoolId: streaming.streamPoolId, bootstrapServers: streaming.bootstrapServers, streamIds: streaming.streamIds, alertTopicId: streaming.alertTopicId, functionsDbSecretId: functionsDbSecret.secretId } },
  };
}
