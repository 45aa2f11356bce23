import { declareCalls } from "../shared/access";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "../shared/iam";
import { PROBE_CALLS, PROBE_ENV, PROBE_METRICS } from "../../functions/aws/probe/contract";
import { MonitoringSettings } from "../config/monitoring";
import { databaseClientSecurityGroup } from "../shared/databaseClient";
import { AwsNetworkOutputs } from "../network/awsNetwork";
import { createAlarms } from "../shared/alarms";
import { PlatformContext, platformOptions } from "../shared/context";
import { NodeFunction } from "../shared/nodeFunction";
import { ORACLE_TLS_PORT } from "../shared/ports";

export interface LinkProbeArgs {
  /** The connect timeout and how many failed minutes in a row alarm (multicloud:monitoring.probe). */
  readonly settings: MonitoringSettings["probe"];
  /** The private subnets the probe runs in (its connect crosses the interconnect as the apps' do). */
  readonly network: Pick<AwsNetworkOutputs, "vpcId" | "vpcUrn" | "privateSubnetIds" | "endpointSecurityGroupId">;
  /** The OCI database subnet (the only place the probe may connect to) and the listener's host name. */
  readonly databaseCidr: string;
  readonly databaseHost: pulumi.Input<string>;
  /** Where the alarm notifies. */
  readonly alarmTopicArn: pulumi.Input<string>;
  readonly logRetentionDays: number;
  readonly context: PlatformContext;
}

export interface LinkProbeOutputs {
  readonly functionName: pulumi.Output<string>;
  readonly alarmName: pulumi.Output<string>;
}

/**
 * The cross-cloud probe: a function in the private subnets that opens a TCP connection to the
 * database listener (1522) over the interconnect every minute (EventBridge Scheduler) and writes
 * ProbeFailed and ConnectMs as embedded-format metrics; an alarm when it fails `failuresToAlarm`
 * minutes in a row — or stops reporting at all. This is what tells on-call the link is down from
 * the applications' side, whatever the tunnels report.
 */
export class LinkProbe extends pulumi.ComponentResource {
  readonly outputs: LinkProbeOutputs;

  constructor(name: string, args: LinkProbeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:monitoring:LinkProbe", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { context } = args;
    const { securityGroup: sg } = databaseClientSecurityGroup(
      name,
      this,
      "Cross-cloud link probe: the Oracle listener only",
      {
        vpcId: args.network.vpcId,
        databaseCidr: args.databaseCidr,
        endpointSecurityGroupId: args.network.endpointSecurityGroupId,
      },
    );
    const fn = new NodeFunction(
      `${name}-function`,
      {
        entry: "functions/aws/probe/handler.ts",
        functionName: `${context.namePrefix}-link-probe`,
        description: "Connects to the OCI database listener over the interconnect and reports it",
        grants: [],
        calls: { declarations: PROBE_CALLS, targets: {} },
        environment: {
          [PROBE_ENV.host]: args.databaseHost,
          [PROBE_ENV.port]: String(ORACLE_TLS_PORT),
          [PROBE_ENV.timeoutMs]: String(args.settings.timeoutMs),
          [PROBE_ENV.stack]: context.namePrefix,
        },
        memoryMb: 128,
        timeoutSeconds: Math.ceil(args.settings.timeoutMs / 1000) + 10,
        logRetentionDays: args.logRetentionDays,
        isProduction: context.isProduction,
        keyAdministratorArns: context.keyAdministratorArns,
        vpc: { subnetIds: args.network.privateSubnetIds, securityGroupIds: [sg.id], vpcUrn: args.network.vpcUrn },
      },
      child,
    );
    const account = aws.getCallerIdentityOutput({}, child).accountId;
    const schedulerRole = new aws.iam.Role(
      `${name}-schedule-role`,
      {
        description: `${context.namePrefix}: EventBridge Scheduler runs the link probe`,
        assumeRolePolicy: account.apply((accountId) => serviceTrustPolicy("scheduler.amazonaws.com", accountId)),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-schedule-policy`,
      {
        role: schedulerRole.id,
        policy: fn.outputs.functionArn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "InvokeProbe", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [arn] }],
          }),
        ),
      },
      child,
    );
    declareCalls(
      `${name}-schedule`,
      { role: schedulerRole },
      [{ target: "probe", actions: ["lambda:InvokeFunction"] }],
      { probe: fn.outputs.functionArn },
    );
    new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: `${context.namePrefix}-link-probe`,
        description: `${context.namePrefix}: probe the cross-cloud link every minute`,
        scheduleExpression: "rate(1 minute)",
        flexibleTimeWindow: { mode: "OFF" },
        state: "ENABLED",
        target: {
          arn: fn.outputs.functionArn,
          roleArn: schedulerRole.arn,
          retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
        },
      },
      child,
    );
    const [alarm] = createAlarms(
      `${name}-alarm`,
      {
        failing: {
          description: `${context.namePrefix}: the database listener has not answered over the interconnect for ${args.settings.failuresToAlarm} minute(s) in a row (or the probe stopped reporting) — check the tunnels / FastConnect and the database`,
          namespace: PROBE_METRICS.namespace,
          metricName: PROBE_METRICS.failed,
          dimensions: { Stack: context.namePrefix, Target: PROBE_METRICS.target },
          statistic: "Maximum",
          periodSeconds: 60,
          evaluationPeriods: args.settings.failuresToAlarm,
          missingData: "breaching",
        },
      },
      args.alarmTopicArn,
      child,
    );
    this.outputs = { functionName: fn.outputs.functionName, alarmName: alarm.name };
    this.registerOutputs({ functionName: fn.outputs.functionName, alarmName: alarm.name });
  }
}
