/**
 * The `multicloud:streaming` key: the OCI half of the streaming pipelines (issue 14) — the stream
 * pool's streams and where anomaly alerts go.
 */
import { z } from "zod";
import { ConfigIssue } from "./errors";
import { allowed, configKey, integer } from "./fields";

/** The most messages the anomaly function takes at once (its contract's ANOMALY_LIMITS.maxBatch; a test keeps them equal). */
export const ANOMALY_MAX_BATCH = 500;

/** OCI Functions' memory sizes (MB). */
export const FUNCTION_MEMORY_MB = [128, 256, 512, 1024, 2048, 3072] as const;

/** An OCI function's memory (MB), one of the sizes OCI Functions offers. */
export const functionMemorySchema = z.union(
  FUNCTION_MEMORY_MB.map((mb) => z.literal(mb)) as unknown as [
    z.ZodLiteral<128>,
    z.ZodLiteral<256>,
    ...Array<z.ZodLiteral<(typeof FUNCTION_MEMORY_MB)[number]>>,
  ],
  allowed(`one of ${FUNCTION_MEMORY_MB.join(", ")} (MB)`),
);

/** OCI Streaming: a stream keeps messages 24 to 168 hours; a stream has 1 to 50 partitions here (the tenancy's default limit). */
const streamSchema = (what: string) =>
  z.strictObject(
    {
      partitions: integer(1, 50, `partitions of ${what}`),
      retentionHours: integer(24, 168, `hours ${what} keeps a message (OCI Streaming: 24 to 168)`),
    },
    allowed("a map with partitions and retentionHours"),
  );

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const streamingSchema = z.strictObject(
  {
    streams: z.strictObject(
      { anomalyEvents: streamSchema("the anomaly events stream"), userEvents: streamSchema("the user events stream") },
      allowed("a map with anomalyEvents and userEvents"),
    ),
    anomalyFunction: z.strictObject(
      {
        memoryMb: functionMemorySchema,
        timeoutSeconds: integer(5, 300, "seconds one batch may take"),
        batchSize: integer(1, ANOMALY_MAX_BATCH, "messages Connector Hub hands the function at once"),
        batchSeconds: integer(1, 60, "seconds Connector Hub waits to fill a batch"),
      },
      allowed("a map with memoryMb, timeoutSeconds, batchSize and batchSeconds"),
    ),
    anomalyDetection: z.strictObject(
      {
        windowSize: integer(5, 1000, "earlier values of a series each value is scored against"),
        threshold: z
          .number(allowed("a positive robust z-score, e.g. 3.5"))
          .positive(allowed("a positive robust z-score, e.g. 3.5"))
          .max(100, allowed("a positive robust z-score, e.g. 3.5")),
        minHistory: integer(3, 1000, "earlier values a series needs before its values are scored"),
      },
      allowed("a map with windowSize, threshold and minHistory"),
    ),
    alertEmails: z
      .array(
        z.string(allowed("an e-mail address")).regex(EMAIL, allowed("an e-mail address such as oncall@example.com")),
        allowed("a list of e-mail addresses"),
      )
      .max(20, allowed("at most 20 addresses")),
  },
  allowed("a map with streams, anomalyFunction, anomalyDetection and alertEmails"),
);

export type StreamingSettings = z.infer<typeof streamingSchema>;

export function checkStreaming(
  project: string,
  raw: StreamingSettings,
  isProduction: boolean,
  issues: ConfigIssue[],
): void {
  const k = (...path: PropertyKey[]) => configKey(project, ["streaming", ...path]);
  if (isProduction && raw.alertEmails.length === 0)
    issues.push({ key: k("alertEmails"), message: "is empty; production anomaly alerts need at least one subscriber" });
  if (raw.anomalyDetection.minHistory > raw.anomalyDetection.windowSize) {
    issues.push({
      key: k("anomalyDetection", "minHistory"),
      message: `${raw.anomalyDetection.minHistory} is above windowSize ${raw.anomalyDetection.windowSize}; a series can never have more history than its window`,
    });
  }
  if (new Set(raw.alertEmails.map((e) => e.toLowerCase())).size !== raw.alertEmails.length)
    issues.push({ key: k("alertEmails"), message: "lists an address twice; list each once" });
}
