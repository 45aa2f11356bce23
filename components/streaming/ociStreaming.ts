import { declareCalls } from "../shared/access";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { StreamingSettings } from "../config/streaming";
import { PlatformContext, platformOptions } from "../shared/context";
import { tcpNsgRule } from "../shared/ociNsg";
import { kept } from "../shared/protection";
import { HTTPS_PORT, KAFKA_PORT } from "../shared/ports";

export interface OciStreamingArgs {
  /** Streams and alert subscribers (multicloud:streaming). */
  readonly settings: StreamingSettings;
  /** The VCN, and the subnets: the pool's private endpoint in the streaming subnet, its clients in the functions subnet. */
  readonly network: {
    readonly vcnId: pulumi.Input<string>;
    readonly streamingSubnetId: pulumi.Input<string>;
    readonly streamingCidr: string;
    readonly functionsCidr: string;
  };
  readonly context: PlatformContext;
}

export interface OciStreamingOutputs {
  readonly streamPoolId: pulumi.Output<string>;
  /** The pool's Kafka-compatible bootstrap server (private endpoint). */
  readonly bootstrapServers: pulumi.Output<string>;
  readonly streamIds: Readonly<Record<keyof StreamingSettings["streams"], pulumi.Output<string>>>;
  /** The Notifications topic anomaly alerts go to. */
  readonly alertTopicId: pulumi.Output<string>;
  /** The Vault and its key that encrypts the pool (HSM in production, software elsewhere); the functions' secrets will live in it too. */
  readonly vaultId: pulumi.Output<string>;
  readonly keyId: pulumi.Output<string>;
}

/** The streams' names in the pool. */
export const STREAM_NAMES: Readonly<Record<keyof StreamingSettings["streams"], string>> = {
  anomalyEvents: "anomaly-events",
  userEvents: "user-events",
};

/** Who may reach the pool's private endpoint: the functions' subnet, and Connector Hub's reverse connection endpoints, which OCI places in the pool's own subnet. */
export function streamPoolIngress(
  functionsCidr: string,
  streamingCidr: string,
): Array<{ source: string; port: number; description: string }> {
  return [
    { source: functionsCidr, port: KAFKA_PORT, description: "Kafka protocol from OCI Functions" },
    { source: functionsCidr, port: HTTPS_PORT, description: "Streaming API from OCI Functions" },
    {
      source: streamingCidr,
      port: HTTPS_PORT,
      description: "Connector Hub's reverse connection endpoints (in this subnet)",
    },
    {
      source: streamingCidr,
      port: KAFKA_PORT,
      description: "Connector Hub's reverse connection endpoints, Kafka protocol",
    },
  ];
}

/**
 * The OCI streaming plumbing: a stream pool on a private endpoint in the streaming subnet (no
 * automatic topics; encrypted with an OCI Vault key — HSM in production — the Streaming service may
 * use, and only that key), its network security group (the functions' subnet and Connector Hub's
 * reverse connection endpoints, nothing else), the streams from config, and the Notifications
 * topic anomaly alerts go to with its e-mail subscriptions.
 */
export class OciStreaming extends pulumi.ComponentResource {
  readonly outputs: OciStreamingOutputs;

  constructor(name: string, args: OciStreamingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:streaming:OciStreaming", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { context, settings } = args;
    const { compartmentId, namePrefix, isProduction } = context;
    const tags = { freeformTags: { ...context.ociFreeformTags } };

    const nsg = new oci.core.NetworkSecurityGroup(
      `${name}-pool-nsg`,
      { compartmentId, vcnId: args.network.vcnId, displayName: `${namePrefix}-stream-pool`, ...tags },
      child,
    );
    streamPoolIngress(args.network.functionsCidr, args.network.streamingCidr).forEach((rule, i) =>
      tcpNsgRule(`${name}-pool-ingress-${i}`, this, nsg.id, "INGRESS", {
        peer: rule.source,
        port: rule.port,
        description: rule.description,
      }),
    );

    // The pool's data under a key of our own, which only the Streaming service uses: HSM-protected in
    // production, a software key elsewhere (free, and the same code path). Kept in production.
    const vault = new oci.kms.Vault(
      `${name}-vault`,
      { compartmentId, displayName: `${namePrefix}-streaming`, vaultType: "DEFAULT", ...tags },
      kept(this, context, "oci:Kms/vault:Vault"),
    );
    const key = new oci.kms.Key(
      `${name}-key`,
      {
        compartmentId,
        displayName: `${namePrefix}-streaming`,
        managementEndpoint: vault.managementEndpoint,
        keyShape: { algorithm: "AES", length: 32 },
        protectionMode: isProduction ? "HSM" : "SOFTWARE",
        ...tags,
      },
      kept(this, context, "oci:Kms/key:Key"),
    );
    const keyPolicy = new oci.identity.Policy(
      `${name}-key-policy`,
      {
        compartmentId,
        name: `${namePrefix}-streaming-key`,
        description: `${namePrefix}: the Streaming service may use the stream pool's key, and only it`,
        statements: [
          pulumi.interpolate`Allow service streaming to use keys in compartment id ${compartmentId} where target.key.id = '${key.id}'`,
        ],
        ...tags,
      },
      child,
    );

    declareCalls(
      `${name}-key-use`,
      { oci: "service streaming" },
      [{ target: "key", actions: ["kms:EncryptDecrypt"] }],
      {
        key,
      },
    );
    const pool = new oci.streaming.StreamPool(
      `${name}-pool`,
      {
        compartmentId,
        name: `${namePrefix}-streams`,
        privateEndpointSettings: { subnetId: args.network.streamingSubnetId, nsgIds: [nsg.id] },
        kafkaSettings: { autoCreateTopicsEnable: false, numPartitions: 1, logRetentionHours: 24 },
        customEncryptionKey: { kmsKeyId: key.id },
        ...tags,
      },
      { ...kept(this, context, "oci:Streaming/streamPool:StreamPool"), dependsOn: [keyPolicy] },
    );
    const streamIds = Object.fromEntries(
      (Object.keys(STREAM_NAMES) as Array<keyof typeof STREAM_NAMES>).map((stream) => [
        stream,
        new oci.streaming.Stream(
          `${name}-${STREAM_NAMES[stream]}`,
          {
            name: STREAM_NAMES[stream],
            streamPoolId: pool.id,
            partitions: settings.streams[stream].partitions,
            retentionInHours: settings.streams[stream].retentionHours,
            ...tags,
          },
          kept(this, context, "oci:Streaming/stream:Stream"),
        ).id,
      ]),
    ) as Record<keyof typeof STREAM_NAMES, pulumi.Output<string>>;

    const topic = new oci.ons.NotificationTopic(
      `${name}-alerts`,
      {
        compartmentId,
        name: `${namePrefix}-anomaly-alerts`,
        description: `${namePrefix}: anomalies the database detects`,
        ...tags,
      },
      child,
    );
    settings.alertEmails.forEach(
      (endpoint, i) =>
        new oci.ons.Subscription(
          `${name}-alerts-email-${i}`,
          { compartmentId, topicId: topic.id, protocol: "EMAIL", endpoint, ...tags },
          child,
        ),
    );

    this.outputs = {
      streamPoolId: pool.id,
      bootstrapServers: pool.kafkaSettings.apply((k) => k?.bootstrapServers ?? ""),
      streamIds,
      alertTopicId: topic.id,
      keyId: key.id,
      vaultId: vault.id,
    };
    this.registerOutputs({ streamPoolId: pool.id, alertTopicId: topic.id });
  }
}
