/**
 * The `multicloud:streaming` key: the OCI half of the streaming pipelines (issue 14) — the stream
 * pool's streams and where anomaly alerts go.
 */
import { z } from "zod";
import { ConfigIssue } from "./errors";
import { allowed, configKey, integer } from "./fields";

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
    streams: z.strictObject({ anomalyEvents: streamSchema("the anomaly events stream"), userEvents: streamSchema("the user events stream") }, allowed("a map with anomalyEvents and userEvents")),
    alertEmails: z.array(z.string(allowed("an e-mail address")).regex(EMAIL, allowed("an e-mail address such as oncall@example.com")), allowed("a list of e-mail addresses")).max(20, allowed("at most 20 addresses")),
  },
  allowed("a map with streams and alertEmails"),
);

export type StreamingSettings = z.infer<typeof streamingSchema>;

export function checkStreaming(project: string, raw: StreamingSettings, isProduction: boolean, issues: ConfigIssue[]): void {
  const k = (...path: PropertyKey[]) => configKey(project, ["streaming", ...path]);
  if (isProduction && raw.alertEmails.length === 0) issues.push({ key: k("alertEmails"), message: "is empty; production anomaly alerts need at least one subscriber" });
  if (new Set(raw.alertEmails.map((e) => e.toLowerCase())).size !== raw.alertEmails.length) issues.push({ key: k("alertEmails"), message: "lists an address twice; list each once" });
}
