import { declareCalls } from "../shared/access";
import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { CrossLinkReadiness, linkGate } from "../interconnect/linkReadiness";
import { createHash } from "node:crypto";
import { AnomalySettingsUpdate, MigrationRequest } from "../../functions/aws/migrate/contract";
import { StreamingSettings } from "../config/streaming";
import { PlatformContext, platformOptions } from "../shared/context";

export interface AnomalySettingsArgs {
  /** The detector's window, threshold and history (multicloud:streaming.anomalyDetection). */
  readonly detection: StreamingSettings["anomalyDetection"];
  /** The topic alerts go to, its region, and the database that sends them (its resource principal). */
  readonly topicId: pulumi.Input<string>;
  readonly ociRegion: string;
  readonly databaseId: pulumi.Input<string>;
  readonly ociTenancyId: pulumi.Input<string>;
  /** The migration function (it writes the settings after the migrations) and the set it must carry. */
  readonly migrations: { readonly functionName: pulumi.Input<string>; readonly migrationSet: string };
  /** The migrations must have run (V015 makes the settings row). */
  readonly schemaReady: pulumi.Resource;
  /** What an invocation across the link waits for: its own readiness gate, the network, the endpoint policies. */
  readonly crossLink: CrossLinkReadiness;
  readonly context: PlatformContext;
}

/** The request that writes the settings: the migration set (nothing left to apply) and the row's values. */
export function anomalySettingsRequest(
  migrationSet: string,
  detection: StreamingSettings["anomalyDetection"],
  topicOcid: string,
  topicRegion: string,
): MigrationRequest {
  const anomalySettings: AnomalySettingsUpdate = {
    windowSize: detection.windowSize,
    threshold: detection.threshold,
    minHistory: detection.minHistory,
    topicOcid,
    topicRegion,
  };
  return { setChecksum: migrationSet, anomalySettings };
}

/**
 * The anomaly detector's deployment settings in the database: the migration function is invoked
 * again with config's window, threshold and history and the alert topic's OCID, and writes them
 * into anomaly_settings after the migrations (again whenever they change); and the database's
 * resource principal may publish to the compartment's notification topics, through a dynamic group
 * of the database. OCI documents no per-topic variable for ons-topics, so the grant reaches both
 * topics of the compartment (the alarm topic and the streaming alerts topic, both alert channels).
 */
export class AnomalySettings extends pulumi.ComponentResource {
  /** The dynamic group of the database (its resource principal); other grants to the database name it too. */
  readonly databaseGroupName: pulumi.Output<string>;

  constructor(name: string, args: AnomalySettingsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:streaming:AnomalySettings", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { context } = args;
    const { compartmentId, namePrefix } = context;
    const tags = { freeformTags: { ...context.ociFreeformTags } };

    const databaseGroup = new oci.identity.DynamicGroup(
      `${name}-database-group`,
      {
        compartmentId: args.ociTenancyId,
        name: `${namePrefix}-anomaly-database`,
        description: `${namePrefix}: the database whose resource principal publishes anomaly alerts`,
        matchingRule: pulumi.interpolate`ALL {resource.type = 'autonomousdatabase', resource.id = '${args.databaseId}'}`,
        ...tags,
      },
      child,
    );
    declareCalls(
      `${name}-database`,
      { oci: pulumi.interpolate`dynamic-group ${databaseGroup.name}` },
      [{ target: "topic", actions: ["ons:PublishMessage"] }],
      { topic: args.topicId },
    );
    new oci.identity.Policy(
      `${name}-topic-policy`,
      {
        compartmentId,
        name: `${namePrefix}-anomaly-alerts`,
        description: `${namePrefix}: the database may publish to the compartment's notification topics (publish only)`,
        statements: [
          // Notifications documents no topic variable (target.topic.id would grant nothing): the
          // compartment scopes it, and request.permission narrows `use` to publishing.
          pulumi.interpolate`Allow dynamic-group ${databaseGroup.name} to use ons-topics in compartment id ${compartmentId} where request.permission = 'ONS_TOPIC_PUBLISH'`,
        ],
        ...tags,
      },
      child,
    );
    const input = pulumi
      .output(args.topicId)
      .apply((topic) =>
        JSON.stringify(anomalySettingsRequest(args.migrations.migrationSet, args.detection, topic, args.ociRegion)),
      );
    const triggers = { settings: input.apply((text) => createHash("sha256").update(text).digest("hex")) };
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
          linkGate(`${name}-link-ready`, args.crossLink.gate, triggers, this),
          ...args.crossLink.after,
        ],
      },
    );
    this.databaseGroupName = databaseGroup.name;
    this.registerOutputs({ databaseGroupName: databaseGroup.name });
  }
}
