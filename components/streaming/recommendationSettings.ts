import { declareCalls, ociExternalTarget } from "../shared/access";
import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { CrossLinkReadiness, linkGate } from "../interconnect/linkReadiness";
import { createHash } from "node:crypto";
import { MigrationRequest, RecommendationSettingsUpdate } from "../../functions/aws/migrate/contract";
import { embeddingModelBucket, RecommendationsSettings } from "../config/recommendations";
import { PlatformContext, platformOptions } from "../shared/context";

export interface RecommendationSettingsArgs {
  /** History, refresh interval and the embedding model's URI (multicloud:recommendations). */
  readonly settings: Pick<RecommendationsSettings, "historyDays" | "refreshMinutes" | "embeddingModelUri">;
  /** The database's dynamic group (its resource principal reads the model). */
  readonly databaseGroupName: pulumi.Input<string>;
  /** The migration function (it applies the settings after the migrations) and the set it must carry. */
  readonly migrations: { readonly functionName: pulumi.Input<string>; readonly migrationSet: string };
  /** The migrations must have run (V019 makes the settings row and the job). */
  readonly schemaReady: pulumi.Resource;
  /** What an invocation across the link waits for: its own readiness gate, the network, the endpoint policies. */
  readonly crossLink: CrossLinkReadiness;
  readonly context: PlatformContext;
}

/** The request that applies the settings: the migration set (nothing left to apply) and the values. */
export function recommendationSettingsRequest(
  migrationSet: string,
  settings: RecommendationSettingsArgs["settings"],
): MigrationRequest {
  const recommendationSettings: RecommendationSettingsUpdate = {
    historyDays: settings.historyDays,
    refreshMinutes: settings.refreshMinutes,
    modelUri: settings.embeddingModelUri,
  };
  return { setChecksum: migrationSet, recommendationSettings };
}

/**
 * The recommendation engine's deployment settings in the database: the database's resource
 * principal may read the embedding model's bucket (and no other), and the migration function is
 * invoked again to write the history and refresh interval and to load the model when it is new
 * (again whenever any of them changes).
 */
export class RecommendationSettings extends pulumi.ComponentResource {
  constructor(name: string, args: RecommendationSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:streaming:RecommendationSettings", name, {}, platformOptions(args.context, opts));
    const { context, settings } = args;
    const { compartmentId, namePrefix } = context;
    const bucket = embeddingModelBucket(settings.embeddingModelUri);
    const policy = new oci.identity.Policy(
      `${name}-model-policy`,
      {
        compartmentId,
        name: `${namePrefix}-recommend-model`,
        description: `${namePrefix}: the database reads the embedding model from bucket ${bucket} only`,
        statements: [
          pulumi.interpolate`Allow dynamic-group ${args.databaseGroupName} to read objects in compartment id ${compartmentId} where target.bucket.name = '${bucket}'`,
        ],
        freeformTags: { ...context.ociFreeformTags },
      },
      { parent: this },
    );
    declareCalls(
      `${name}-database`,
      { oci: pulumi.interpolate`dynamic-group ${args.databaseGroupName}` },
      // Listing first: the migration function probes the principal with LIST_OBJECTS before loading the model.
      [{ target: "model", actions: ["objectstorage:ListObjects", "objectstorage:GetObject"] }],
      { model: ociExternalTarget(compartmentId, { "target.bucket.name": bucket }) },
    );
    const input = JSON.stringify(recommendationSettingsRequest(args.migrations.migrationSet, settings));
    const triggers = { settings: createHash("sha256").update(input).digest("hex") };
    new aws.lambda.Invocation(
      `${name}-apply`,
      {
        functionName: args.migrations.functionName,
        input,
        triggers,
      },
      {
        parent: this,
        dependsOn: [
          args.schemaReady,
          policy,
          linkGate(`${name}-link-ready`, args.crossLink.gate, triggers, this),
          ...args.crossLink.after,
        ],
      },
    );
    this.registerOutputs({});
  }
}
