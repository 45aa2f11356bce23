import * as dockerBuild from "@pulumi/docker-build";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import path from "node:path";
import { ANOMALY_ENV } from "../../functions/oci/anomaly/contract";
import { StreamingSettings } from "../config/streaming";
import { buildContextHash, contextTag } from "../shared/buildContext";
import { PlatformContext, platformOptions } from "../shared/context";
import { ociServiceUser } from "../shared/ociServiceUser";

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
  readonly context: PlatformContext;
}

export interface AnomalyFunctionOutputs {
  readonly functionId: pulumi.Output<string>;
  readonly connectorId: pulumi.Output<string>;
  /** The pushed image by digest. */
  readonly imageRef: pulumi.Output<string>;
  readonly tag: string;
}

/** Repo-relative paths: the build context is functions/ (the handler shares a module with the order sync). */
export const ANOMALY_IMAGE = { context: "functions", dockerfile: "functions/oci/anomaly/Dockerfile", repository: "anomaly-features" } as const;

const FUNCTIONS_DIR = path.join(__dirname, "..", "..", "functions");

/** The image tag: a hash of everything the build copies (the function's folder and the shared timestamp module). */
export function anomalyImageTag(): string {
  const own = buildContextHash(path.join(FUNCTIONS_DIR, "oci", "anomaly"), (f) => f === "Dockerfile" || f === "package.json" || f === "package-lock.json" || f.endsWith(".ts"));
  const shared = buildContextHash(path.join(FUNCTIONS_DIR, "aws", "orders"), (f) => f === "oracleTime.ts");
  return contextTag(createHash("sha256").update(`${own}\0${shared}`).digest("hex"));
}

/** Connector Hub's rights, and only for connectors of this compartment: read the stream, invoke the compartment's functions. */
export function connectorPolicyStatements(compartmentId: string, streamId: string): string[] {
  const connector = `request.principal.type = 'serviceconnector', request.principal.compartment.id = '${compartmentId}'`;
  return [
    `Allow any-user to {STREAM_READ, STREAM_CONSUME} in compartment id ${compartmentId} where all {${connector}, target.stream.id = '${streamId}'}`,
    `Allow any-user to use fn-function in compartment id ${compartmentId} where all {${connector}}`,
    `Allow any-user to use fn-invocation in compartment id ${compartmentId} where all {${connector}}`,
  ];
}

/**
 * The anomaly feature function deployed: an immutable private OCIR repository; the image built
 * from this repo and pushed at `pulumi up` by a user that may only push to that repository (an
 * auth token Pulumi creates, kept secret); the function (memory and timeout from config, its Vault
 * secret's OCID in its configuration, the image by digest); and Connector Hub delivering the
 * anomaly stream to it in batches, with a policy admitting exactly that.
 */
export class AnomalyFunction extends pulumi.ComponentResource {
  readonly outputs: AnomalyFunctionOutputs;

  constructor(name: string, args: AnomalyFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:streaming:AnomalyFunction", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { context, settings } = args;
    const { compartmentId, namePrefix } = context;
    const tags = { freeformTags: { ...context.ociFreeformTags } };

    const repositoryName = `${namePrefix}/${ANOMALY_IMAGE.repository}`;
    new oci.artifacts.ContainerRepository(`${name}-repository`, { compartmentId, displayName: repositoryName, isImmutable: true, isPublic: false, ...tags }, child);
    const namespace = oci.objectstorage.getNamespaceOutput({ compartmentId }, child).namespace;

    // The push identity: auth tokens only, in a group that may manage this repository's images and nothing else.
    const pushGroup = new oci.identity.Group(`${name}-push-group`, { compartmentId: args.ociTenancyId, name: `${namePrefix}-anomaly-push`, description: `${namePrefix}: may push to ${repositoryName}`, ...tags }, child);
    const pusher = ociServiceUser(this, {
      resourceName: `${name}-pusher`,
      membershipName: `${name}-push-membership`,
      tenancyId: args.ociTenancyId,
      name: `${namePrefix}-anomaly-push`,
      description: `${namePrefix}: pushes the anomaly function's image`,
      groupId: pushGroup.id,
      credential: "authTokens",
      freeformTags: context.ociFreeformTags,
    });
    const pushPolicy = new oci.identity.Policy(
      `${name}-push-policy`,
      {
        compartmentId,
        name: `${namePrefix}-anomaly-push`,
        description: `${namePrefix}: the push user manages ${repositoryName}'s images only`,
        statements: [pulumi.interpolate`Allow group ${pushGroup.name} to manage repos in compartment id ${compartmentId} where target.repo.name = '${repositoryName}'`],
        ...tags,
      },
      child,
    );
    const token = new oci.identity.AuthToken(`${name}-push-token`, { userId: pusher.id, description: `${namePrefix} anomaly image push` }, { parent: this, additionalSecretOutputs: ["token"] });

    const tag = anomalyImageTag();
    const host = `${args.ociRegion}.ocir.io`;
    const image = new dockerBuild.Image(
      `${name}-image`,
      {
        context: { location: ANOMALY_IMAGE.context },
        dockerfile: { location: ANOMALY_IMAGE.dockerfile },
        platforms: ["linux/amd64"],
        push: true,
        tags: [pulumi.interpolate`${host}/${namespace}/${repositoryName}:${tag}`],
        registries: [{ address: host, username: pulumi.interpolate`${namespace}/${pusher.name}`, password: pulumi.secret(token.token) }],
      },
      { parent: this, dependsOn: [pushPolicy] },
    );
    const imageRef = pulumi.interpolate`${host}/${namespace}/${repositoryName}@${image.digest}`;

    const fn = new oci.functions.Function(
      `${name}-function`,
      {
        applicationId: args.applicationId,
        displayName: `${namePrefix}-anomaly-features`,
        image: pulumi.interpolate`${host}/${namespace}/${repositoryName}:${tag}`,
        imageDigest: image.digest,
        memoryInMbs: String(settings.memoryMb),
        timeoutInSeconds: settings.timeoutSeconds,
        config: { [ANOMALY_ENV.dbSecretOcid]: args.dbSecretId, [ANOMALY_ENV.poolSize]: "2" },
        ...tags,
      },
      child,
    );

    const connectorPolicy = new oci.identity.Policy(
      `${name}-connector-policy`,
      {
        compartmentId,
        name: `${namePrefix}-anomaly-connector`,
        description: `${namePrefix}: Connector Hub reads the anomaly stream and invokes the compartment's functions`,
        statements: pulumi.output(args.streamId).apply((streamId) => connectorPolicyStatements(compartmentId, streamId)),
        ...tags,
      },
      child,
    );
    const connector = new oci.sch.Connector(
      `${name}-connector`,
      {
        compartmentId,
        displayName: `${namePrefix}-anomaly-events`,
        description: `${namePrefix}: anomaly events to the feature function, in batches`,
        source: { kind: "streaming", streamId: args.streamId, cursor: { kind: "TRIM_HORIZON" } },
        target: { kind: "functions", functionId: fn.id, batchSizeInNum: settings.batchSize, batchTimeInSec: settings.batchSeconds },
        state: "ACTIVE",
        ...tags,
      },
      { parent: this, dependsOn: [connectorPolicy] },
    );

    this.outputs = { functionId: fn.id, connectorId: connector.id, imageRef, tag };
    this.registerOutputs({ functionId: fn.id, connectorId: connector.id, imageRef });
  }
}
