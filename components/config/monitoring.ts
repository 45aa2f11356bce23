/**
 * The `multicloud:monitoring` key: what tells on-call about both clouds (issue 15). So far the
 * cross-cloud link probe: how long a connect may take and how many failed minutes in a row alarm.
 */
import { z } from "zod";
import { allowed, integer } from "./fields";

export const monitoringSchema = z.strictObject(
  {
    probe: z.strictObject(
      {
        timeoutMs: integer(100, 30_000, "milliseconds a TCP connect to the database listener may take"),
        failuresToAlarm: integer(1, 60, "failed probes in a row (one a minute) before the alarm"),
      },
      allowed("a map with timeoutMs and failuresToAlarm"),
    ),
  },
  allowed("a map with probe"),
);

export type MonitoringSettings = z.infer<typeof monitoringSchema>;
