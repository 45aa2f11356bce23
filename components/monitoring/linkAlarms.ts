import * as pulumi from "@pulumi/pulumi";
import { MonitoringSettings } from "../config/monitoring";
import { TunnelOutput } from "../interconnect/ipsecVpn";
import { AlarmSpec, createAlarms } from "../shared/alarms";
import { PlatformContext, platformOptions } from "../shared/context";
import { createOciAlarms, ociAlarmQuery, OciAlarmSpec } from "../shared/ociAlarms";

export interface LinkAlarmsArgs {
  /** linkDownMinutes (multicloud:monitoring.alarms). */
  readonly settings: Pick<MonitoringSettings["alarms"], "linkDownMinutes">;
  /** Every IPSec tunnel; only the paired ones are watched. */
  readonly tunnels: readonly TunnelOutput[];
  /** The Direct Connect connection and the FastConnect virtual circuit, in fastconnect mode. */
  readonly privateCircuit?: {
    readonly directConnectConnectionId: pulumi.Input<string>;
    readonly virtualCircuitId: pulumi.Input<string>;
  };
  /** Where the AWS alarms and the OCI alarms notify. */
  readonly awsTopicArn: pulumi.Input<string>;
  readonly ociTopicId: pulumi.Input<string>;
  readonly context: PlatformContext;
}

/**
 * The tunnels worth an alarm: the paired ones. Each AWS VPN connection pairs one of its tunnels
 * with one of an OCI IPSec connection's (crossed pairs); the other tunnel of each connection never
 * comes up by design, and an alarm on it would fire forever.
 */
export function watchedTunnels(tunnels: readonly TunnelOutput[]): TunnelOutput[] {
  return tunnels.filter((t) => t.paired);
}

/**
 * Link alarms on both clouds, each after `linkDownMinutes`: on AWS, VPN `TunnelState` per paired
 * tunnel's outside address and Direct Connect `ConnectionState`; on OCI, `TunnelState` of each
 * paired IPSec tunnel and the FastConnect virtual circuit's `ConnectionState`. A state metric is 1
 * up, 0 down; no data on AWS is not an alarm (the cross-cloud probe catches silence).
 */
export class LinkAlarms extends pulumi.ComponentResource {
  constructor(name: string, args: LinkAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:monitoring:LinkAlarms", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { context, settings } = args;
    const periods = settings.linkDownMinutes / 5;
    const aws: Record<string, AlarmSpec> = {};
    const oci: Record<string, OciAlarmSpec> = {};
    for (const t of watchedTunnels(args.tunnels)) {
      const label = `tunnel-${t.pair}-${t.index}`;
      aws[label] = {
        description: `${context.namePrefix}: VPN tunnel pair ${t.pair} (tunnel ${t.index}, ${t.insideCidr}) has been down ${settings.linkDownMinutes} min on AWS — check IKE/BGP on both sides (docs/interconnect.md)`,
        namespace: "AWS/VPN",
        metricName: "TunnelState",
        dimensions: { TunnelIpAddress: t.awsOutsideIp },
        statistic: "Maximum",
        threshold: 1,
        below: true,
        periodSeconds: 300,
        evaluationPeriods: periods,
      };
      oci[label] = {
        displayName: `${context.namePrefix}-ipsec-${label}-down`,
        body: `${context.namePrefix}: IPSec tunnel pair ${t.pair} (${t.insideCidr}) has been down ${settings.linkDownMinutes} min on OCI — check IKE/BGP on both sides (docs/interconnect.md)`,
        namespace: "oci_vpn",
        query: pulumi.output(t.ociTunnelId).apply((id) => ociAlarmQuery("TunnelState", "1m", id, "max", "<", 1)),
        severity: "CRITICAL",
        pendingDuration: `PT${settings.linkDownMinutes}M`,
      };
    }
    if (args.privateCircuit) {
      aws["direct-connect"] = {
        description: `${context.namePrefix}: the Direct Connect connection has been down ${settings.linkDownMinutes} min — traffic is on the IPSec backup; call the partner (docs/interconnect.md)`,
        namespace: "AWS/DX",
        metricName: "ConnectionState",
        dimensions: { ConnectionId: args.privateCircuit.directConnectConnectionId },
        statistic: "Minimum",
        threshold: 1,
        below: true,
        periodSeconds: 300,
        evaluationPeriods: periods,
      };
      oci["fastconnect"] = {
        displayName: `${context.namePrefix}-fastconnect-down`,
        body: `${context.namePrefix}: the FastConnect virtual circuit has been down ${settings.linkDownMinutes} min — traffic is on the IPSec backup; call the partner (docs/interconnect.md)`,
        namespace: "oci_fastconnect",
        query: pulumi
          .output(args.privateCircuit.virtualCircuitId)
          .apply((id) => ociAlarmQuery("ConnectionState", "1m", id, "min", "<", 1)),
        severity: "CRITICAL",
        pendingDuration: `PT${settings.linkDownMinutes}M`,
      };
    }
    createAlarms(`${name}-aws`, aws, args.awsTopicArn, child);
    createOciAlarms(
      `${name}-oci`,
      oci,
      { compartmentId: context.compartmentId, topicId: args.ociTopicId, freeformTags: context.ociFreeformTags },
      child,
    );
    this.registerOutputs({});
  }
}
