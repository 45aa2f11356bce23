/**
 * The `multicloud:monitoring` key: what tells on-call about both clouds (issue 15) — the
 * cross-cloud link probe (how long a connect may take, how many failed minutes in a row alarm) and
 * the alarms' thresholds on both clouds; the Managed Grafana workspace's OCI API key generation
 * (raising it rotates the key).
 */
import { z } from "zod";
import { isPrivateCidr } from "../shared/cidr";
import { ConfigIssue } from "./errors";
import { allowed, cidr, configKey, integer } from "./fields";

export const monitoringSchema = z.strictObject(
  {
    probe: z.strictObject(
      {
        timeoutMs: integer(100, 30_000, "milliseconds a TCP connect to the database listener may take"),
        failuresToAlarm: integer(1, 60, "failed probes in a row (one a minute) before the alarm"),
      },
      allowed("a map with timeoutMs and failuresToAlarm"),
    ),
    alarms: z.strictObject(
      {
        linkDownMinutes: integer(
          5,
          60,
          "minutes a paired tunnel, Direct Connect or FastConnect is down before the alarm (whole 5-minute periods)",
        ).refine((m) => m % 5 === 0, {
          message: "must be a multiple of 5 (the link metrics come in 5-minute periods)",
        }),
        databaseCpuPercent: integer(50, 100, "average database CPU (%) over 15 minutes that alarms"),
        databaseStoragePercent: integer(50, 99, "database storage used (%) that alarms"),
      },
      allowed("a map with linkDownMinutes, databaseCpuPercent and databaseStoragePercent"),
    ),
    grafana: z.strictObject(
      {
        ociKeyGeneration: integer(
          1,
          1_000_000,
          "the generation of the Grafana OCI datasource's API key: raise it by one to rotate the key",
        ),
        userCidrs: z
          .array(
            cidr("a public IPv4 range people open Grafana from (the company's internet egress)"),
            allowed("a list of CIDRs"),
          )
          .max(20, allowed("at most 20 ranges (the prefix list's size)"))
          .optional(),
      },
      allowed("a map with ociKeyGeneration and optional userCidrs"),
    ),
  },
  allowed("a map with probe, alarms and grafana"),
);

export type MonitoringSettings = z.infer<typeof monitoringSchema>;

/** Managed Grafana's network access control takes public IPv4 prefix lists only; in-VPC users come through its endpoint. */
export function checkMonitoring(project: string, raw: MonitoringSettings, issues: ConfigIssue[]): void {
  raw.grafana.userCidrs?.forEach((range, i) => {
    if (isPrivateCidr(range))
      issues.push({
        key: configKey(project, ["monitoring", "grafana", "userCidrs", i]),
        message: `${range} is private address space; Managed Grafana admits public IPv4 ranges here (the company's internet egress), in-VPC users through its VPC endpoint`,
      });
  });
}
