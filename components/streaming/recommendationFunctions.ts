import { declareCalls } from "../shared/access";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { RECOMMEND_CALLS, predictUrl, RECOMMEND_ENV, type RecommendRole } from "../../functions/oci/recommend/contract";
import { RecommendationsSettings } from "../config/recommendations";
import { PlatformContext, platformOptions } from "../shared/context";
import { ociFunctionImage, ociFunctionImageTag, streamToFunction } from "./functionImage";

export interface RecommendationFunctionsArgs {
  /** The consumer's and the API's memory, timeouts, batches and deadline (multicloud:recommendations). */
  readonly settings: Pick<RecommendationsSettings, "consumer" | "api" | "scorer">;
  /** The OCI region (OCIR's host is the region's). */
  readonly ociRegion: string;
  /** The tenancy: the push user and its group live in its root compartment. */
  readonly ociTenancyId: pulumi.Input<string>;
  /** The Functions application both functions run in. */
  readonly applicationId: pulumi.Input<string>;
  /** The user-events stream Connector Hub delivers to the consumer. */
  readonly userEventsStreamId: pulumi.Input<string>;
  /** The functions' database credential in Vault (their configuration names it). */
  readonly dbSecretId: pulumi.Input<string>;
  /** The functions' dynamic group (a Data Science scorer is invoked with their resource principal). */
  readonly functionsDynamicGroupName: pulumi.Input<string>;
  readonly context: PlatformContext;
}

export interface RecommendationFunctionsOutputs {
  /** The interactions consumer (Connector Hub invokes it). */
  readonly consumerFunctionId: pulumi.Output<string>;
  /** The API (API Gateway invokes it). */
  readonly apiFunctionId: pulumi.Output<string>;
  readonly connectorId: pulumi.Output<string>;
  /** The pushed image by digest (both functions run it). */
  readonly imageRef: pulumi.Output<string>;
  readonly tag: string;
}

/** The image's build (functions/oci/recommend) and its repository. */
export const RECOMMEND_IMAGE = { folder: "recommend", repository: "recommendations", label: "recommend" } as const;

export function recommendImageTag(): string {
  return ociFunctionImageTag(RECOMMEND_IMAGE.folder);
}

/** The functions' names in OCI: the API is the seed's getRecommendations. */
export const FUNCTION_NAMES: Readonly<Record<RecommendRole, string>> = {
  interactions: "record-interactions",
  api: "get-recommendations",
};

/** Each function's configuration: which role the shared image plays, its credential's secret, its pool and (the API) its deadline and scorer. */
export function recommendFunctionConfig(
  role: RecommendRole,
  dbSecretId: string,
  api: { deadlineMs: number; scorer: RecommendationsSettings["scorer"] },
): Record<string, string> {
  const scorer: Record<string, string> =
    api.scorer.kind === "dataScience" && api.scorer.modelDeploymentId
      ? { [RECOMMEND_ENV.scorerUrl]: predictUrl(api.scorer.modelDeploymentId) }
      : {};
  return {
    [RECOMMEND_ENV.role]: role,
    [RECOMMEND_ENV.dbSecretOcid]: dbSecretId,
    [RECOMMEND_ENV.poolSize]: role === "api" ? "4" : "2",
    ...(role === "api" ? { [RECOMMEND_ENV.deadlineMs]: String(api.deadlineMs), ...scorer } : {}),
  };
}

/**
 * The recommendation engine's functions: one image built and pushed at `pulumi up`, run as two
 * functions told apart by their configuration — the interactions consumer, to which Connector Hub
 * delivers the user-events stream in batches (with a policy admitting exactly that), and the API
 * that API Gateway invokes — each with the memory and timeout config gives it.
 */
export class RecommendationFunctions extends pulumi.ComponentResource {
  readonly outputs: RecommendationFunctionsOutputs;

  constructor(name: string, args: RecommendationFunctionsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:streaming:RecommendationFunctions", name, {}, platformOptions(args.context, opts));
    const { context, settings } = args;
    const built = ociFunctionImage(this, name, RECOMMEND_IMAGE, {
      ociRegion: args.ociRegion,
      ociTenancyId: args.ociTenancyId,
      context,
    });
    const fn = (role: RecommendRole, sizing: { memoryMb: number; timeoutSeconds: number }) =>
      new oci.functions.Function(
        `${name}-${role}`,
        {
          applicationId: args.applicationId,
          displayName: `${context.namePrefix}-${FUNCTION_NAMES[role]}`,
          image: built.image,
          imageDigest: built.digest,
          memoryInMbs: String(sizing.memoryMb),
          timeoutInSeconds: sizing.timeoutSeconds,
          config: pulumi
            .output(args.dbSecretId)
            .apply((secretId) =>
              recommendFunctionConfig(role, secretId, { deadlineMs: settings.api.deadlineMs, scorer: settings.scorer }),
            ),
          freeformTags: { ...context.ociFreeformTags },
        },
        { parent: this },
      );
    if (settings.scorer.kind === "dataScience") {
      // The API's resource principal may call model deployments' predict endpoints in this compartment, nothing else of Data Science.
      new oci.identity.Policy(
        `${name}-scorer-policy`,
        {
          compartmentId: context.compartmentId,
          name: `${context.namePrefix}-recommend-scorer`,
          description: `${context.namePrefix}: the recommendation functions call the Data Science scorer's predict endpoint`,
          statements: [
            pulumi.interpolate`Allow dynamic-group ${args.functionsDynamicGroupName} to {DATA_SCIENCE_MODEL_DEPLOYMENT_PREDICT} in compartment id ${context.compartmentId}`,
          ],
          freeformTags: { ...context.ociFreeformTags },
        },
        { parent: this },
      );
    }
    declareCalls(
      `${name}-functions`,
      { oci: pulumi.interpolate`dynamic-group ${args.functionsDynamicGroupName}` },
      [...RECOMMEND_CALLS.always, ...(settings.scorer.kind === "dataScience" ? RECOMMEND_CALLS.dataScience : [])],
      { databaseSecret: args.dbSecretId, compartment: context.compartmentId },
    );
    const consumer = fn("interactions", settings.consumer);
    const api = fn("api", settings.api);
    const connector = streamToFunction(this, name, {
      streamId: args.userEventsStreamId,
      functionId: consumer.id,
      label: "user",
      description: "user events to the interactions consumer, in batches",
      batchSize: settings.consumer.batchSize,
      batchSeconds: settings.consumer.batchSeconds,
      context,
    });
    this.outputs = {
      consumerFunctionId: consumer.id,
      apiFunctionId: api.id,
      connectorId: connector.id,
      imageRef: built.imageRef,
      tag: built.tag,
    };
    this.registerOutputs({
      consumerFunctionId: consumer.id,
      apiFunctionId: api.id,
      connectorId: connector.id,
      imageRef: built.imageRef,
    });
  }
}
