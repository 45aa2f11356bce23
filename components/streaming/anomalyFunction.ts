import { declareCalls } from "../shared/access";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { ANOMALY_CALLS, ANOMALY_ENV } from "../../functions/oci/anomaly/contract";
import { StreamingSettings } from "../config/streaming";
import { PlatformContext, platformOptions } from "../shared/context";
import { ociFunctionImage, ociFunctionImageTag, streamToFunction } from "./functionImage";

export { connectorPolicyStatements } from "./functionImage";

export interface AnomalyFunctionArgs {
  /** Memory, timeout and Connector Hub's batches (multicloud:streaming.anomalyFunction). */
  readonly settings: StreamingSettings["anomalyFunction"];
  /** The OCI region (OCIR's host is the region's). */
  readonly ociRegion: string;
  /** The tenancy: the push user and its group live in its root compartment. */
  readonly ociTenancyId: pulumi.Input<string>;
  /** The Functions application the function runs in. */
  readonly applicationId: pulumi.Input<string>;
  /** The stream Connector Hub reads. */
  readonly streamId: pulumi.Input<string>;
  /** The function's database credential in Vault (its configuration names it). */
  readonly dbSecretId: pulumi.Input<string>;
  /** The dynamic group of the application's functions: the function reads its secret as a member. */
  readonly functionsDynamicGroupName: pulumi.Input<string>;
  readonly context: PlatformContext;
}

export interface AnomalyFunctionOutputs {
  readonly functionId: pulumi.Output<string>;
  readonly connectorId: pulumi.Output<string>;
  /** The pushed image by digest. */
  readonly imageRef: pulumi.Output<string>;
  readonly tag: string;
}

/** The image's build (functions/oci/anomaly) and its repository. */
export const ANOMALY_IMAGE = { folder: "anomaly", repository: "anomaly-features", label: "anomaly" } as const;

/** The image tag: a hash of everything the build copies. */
export function anomalyImageTag(): string {
  return ociFunctionImageTag(ANOMALY_IMAGE.folder);
}

/**
 * The anomaly feature function deployed: its image built and pushed at `pulumi up`
 * (functionImage.ts), the function (memory and timeout from config, its Vault secret's OCID in
 * its configuration, the image by digest), and Connector Hub delivering the anomaly stream to it
 * in batches, with a policy admitting exactly that.
 */
export class AnomalyFunction extends pulumi.ComponentResource {
  readonly outputs: AnomalyFunctionOutputs;

  constructor(name: string, args: AnomalyFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:streaming:AnomalyFunction", name, {}, platformOptions(args.context, opts));
    const { context, settings } = args;
    const built = ociFunctionImage(this, name, ANOMALY_IMAGE, {
      ociRegion: args.ociRegion,
      ociTenancyId: args.ociTenancyId,
      context,
    });
    const fn = new oci.functions.Function(
      `${name}-function`,
      {
        applicationId: args.applicationId,
        displayName: `${context.namePrefix}-anomaly-features`,
        image: built.image,
        imageDigest: built.digest,
        memoryInMbs: String(settings.memoryMb),
        timeoutInSeconds: settings.timeoutSeconds,
        config: { [ANOMALY_ENV.dbSecretOcid]: args.dbSecretId, [ANOMALY_ENV.poolSize]: "2" },
        freeformTags: { ...context.ociFreeformTags },
      },
      { parent: this },
    );
    declareCalls(
      `${name}-function`,
      { oci: pulumi.interpolate`dynamic-group ${args.functionsDynamicGroupName}` },
      ANOMALY_CALLS,
      { databaseSecret: args.dbSecretId },
    );
    const connector = streamToFunction(this, name, {
      streamId: args.streamId,
      functionId: fn.id,
      label: "anomaly",
      description: "anomaly events to the feature function, in batches",
      batchSize: settings.batchSize,
      batchSeconds: settings.batchSeconds,
      context,
    });
    this.outputs = { functionId: fn.id, connectorId: connector.id, imageRef: built.imageRef, tag: built.tag };
    this.registerOutputs({ functionId: fn.id, connectorId: connector.id, imageRef: built.imageRef });
  }
}
