import { exemptRole } from "../shared/access";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { GRAFANA_CALLS, GrafanaProvisionRequest } from "../../functions/aws/grafana/contract";
import type { GrafanaSaml } from "../config/federation";
import { MonitoringSettings } from "../config/monitoring";
import { PlatformContext, platformOptions } from "../shared/context";
import { serviceTrustPolicy } from "../shared/iam";
import { NodeFunction } from "../shared/nodeFunction";
import { ociApiKeyIdentity } from "../shared/ociApiKeyIdentity";
import { kept } from "../shared/protection";
import { HTTPS_PORT } from "../shared/ports";
import type { AwsNetworkOutputs } from "../network/awsNetwork";
import type { EndpointUse } from "../network/endpoints";

export interface ManagedGrafanaArgs {
  /** The OCI key's generation (multicloud:monitoring.grafana): raising it rotates the key. */
  readonly settings: MonitoringSettings["grafana"];
  /** The IdP metadata and which groups are Grafana admins and editors (the org stack's federation). */
  readonly saml: pulumi.Input<GrafanaSaml>;
  /** The Managed Prometheus workspace the order services' metrics are in (queried, never written). */
  readonly prometheus: { readonly workspaceArn: pulumi.Input<string>; readonly endpoint: pulumi.Input<string> };
  /** The dashboards (Grafana JSON models, generated from the stack's resources) to provision. */
  readonly dashboards: pulumi.Input<{ readonly uid: string; readonly json: string }[]>;
  readonly awsRegion: string;
  readonly ociRegion: string;
  /** The tenancy: the Grafana OCI user, its group and policy live in its root compartment. */
  readonly ociTenancyId: pulumi.Input<string>;
  /** The KMS key Secrets Manager encrypts the OCI API key with. */
  readonly secretsKeyArn: pulumi.Input<string>;
  readonly logRetentionDays: number;
  /** The VPC: the provisioning function runs in its private subnets and reaches the workspace through its endpoint. */
  readonly network: Pick<
    AwsNetworkOutputs,
    "vpcId" | "vpcUrn" | "privateSubnetIds" | "endpointSecurityGroupId" | "grafanaWorkspaceEndpointId"
  >;
  /** What the provisioning run waits for besides its own parts: the VPC's network and the endpoint policies. */
  readonly invokeAfter: readonly pulumi.Input<pulumi.Resource>[];
  readonly context: PlatformContext;
}

export interface ManagedGrafanaOutputs {
  readonly workspaceId: pulumi.Output<string>;
  /** Where people open Grafana (SAML sign-in through the company IdP). */
  readonly url: pulumi.Output<string>;
  /** What to paste into the IdP's Grafana application (per environment). */
  readonly samlServiceProvider: pulumi.Output<{ entityId: string; assertionConsumerUrl: string }>;
  /** The OCI user the OCI Metrics datasource signs as, and its current key's fingerprint. */
  readonly ociUserId: pulumi.Output<string>;
  readonly ociKeyFingerprint: pulumi.Output<string>;
  readonly provisionFunctionName: pulumi.Output<string>;
  /** What the provisioning function does through Secrets Manager's endpoint. */
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
  /** What it does through Grafana's API endpoint (short-lived tokens for this workspace). */
  readonly grafanaApiUses: pulumi.Output<EndpointUse[]>;
}

/**
 * Who may reach the workspace: the VPC's Grafana workspace endpoint always (the provisioning
 * function, anyone inside the VPC) and, when given, the public ranges people open it from (a
 * prefix list). With neither the workspace would admit nobody; without this it admits anyone.
 */
export function networkAccess(
  workspaceEndpointId: string,
  userPrefixListId: string | undefined,
): { vpceIds: string[]; prefixListIds: string[] } {
  return { vpceIds: [workspaceEndpointId], prefixListIds: userPrefixListId ? [userPrefixListId] : [] };
}

/** Managed Grafana's release the workspace runs (the OCI Metrics plugin 5.x needs Grafana ≥ 10). */
export const GRAFANA_VERSION = "10.4";
/** How long a Grafana sign-in lasts before the IdP is asked again: a working day. */
export const GRAFANA_LOGIN_VALIDITY_MINUTES = 480;

/**
 * What the workspace role may do: read CloudWatch metrics and alarms (these actions take no
 * resource ARN), and query — never write — the one Managed Prometheus workspace.
 */
export function grafanaRolePolicy(prometheusWorkspaceArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadCloudWatchMetrics",
        Effect: "Allow",
        Action: [
          "cloudwatch:DescribeAlarmsForMetric",
          "cloudwatch:DescribeAlarmHistory",
          "cloudwatch:DescribeAlarms",
          "cloudwatch:ListMetrics",
          "cloudwatch:GetMetricData",
          "cloudwatch:GetInsightRuleReport",
          "ec2:DescribeRegions",
          "tag:GetResources",
        ],
        Resource: "*",
      },
      {
        Sid: "QueryPrometheus",
        Effect: "Allow",
        Action: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"],
        Resource: prometheusWorkspaceArn,
      },
    ],
  });
}

/** The OCI rights of the Grafana user's group: read metrics in the stack's compartment; list compartments (the plugin's pickers). */
export function grafanaOciPolicyStatements(group: string, compartmentId: string): string[] {
  return [
    `Allow group ${group} to read metrics in compartment id ${compartmentId}`,
    `Allow group ${group} to inspect compartments in tenancy`,
  ];
}

/**
 * Amazon Managed Grafana for the environment: SAML sign-in from the company IdP (admins and
 * editors by IdP group, everyone else a Viewer), CloudWatch and Managed Prometheus through the
 * workspace's own role (no keys), OCI Metrics through an API key Pulumi generates for an OCI user
 * that can only read metrics — kept in Secrets Manager, rotated by raising its generation. The
 * datasources and dashboards are provisioned by a function `pulumi up` invokes, which makes a
 * Grafana token that lives ten minutes and deletes it: no long-lived Grafana key exists.
 */
export class ManagedGrafana extends pulumi.ComponentResource {
  readonly outputs: ManagedGrafanaOutputs;

  constructor(name: string, args: ManagedGrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:monitoring:ManagedGrafana", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { context } = args;
    const { namePrefix, isProduction } = context;
    const account = aws.getCallerIdentityOutput({}, child).accountId;

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `${namePrefix}: Managed Grafana reads CloudWatch and queries Managed Prometheus`,
        assumeRolePolicy: account.apply((accountId) => serviceTrustPolicy("grafana.amazonaws.com", accountId)),
      },
      child,
    );
    exemptRole(
      role,
      "Managed Grafana's workspace role: the data sources query CloudWatch and Prometheus with it (Grafana's code)",
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      { role: role.id, policy: pulumi.output(args.prometheus.workspaceArn).apply(grafanaRolePolicy) },
      child,
    );
    const userCidrs = args.settings.userCidrs ?? [];
    const userList = userCidrs.length
      ? new aws.ec2.ManagedPrefixList(
          `${name}-users`,
          {
            name: `${namePrefix}-grafana-users`,
            addressFamily: "IPv4",
            maxEntries: userCidrs.length,
            entries: userCidrs.map((cidr) => ({ cidr, description: "people open Grafana from here" })),
          },
          child,
        )
      : undefined;
    const workspace = new aws.grafana.Workspace(
      `${name}-workspace`,
      {
        name: `${namePrefix}-grafana`,
        description: `${namePrefix}: both clouds' metrics (CloudWatch, Managed Prometheus, OCI Monitoring)`,
        accountAccessType: "CURRENT_ACCOUNT",
        authenticationProviders: ["SAML"],
        permissionType: "CUSTOMER_MANAGED",
        roleArn: role.arn,
        dataSources: ["CLOUDWATCH", "PROMETHEUS"],
        grafanaVersion: GRAFANA_VERSION,
        networkAccessControl: pulumi
          .all([args.network.grafanaWorkspaceEndpointId, userList?.id])
          .apply(([endpointId, listId]) => networkAccess(endpointId, listId)),
        // Plugin management lets the function install Oracle's OCI Metrics plugin: it stays while that
        // plugin comes from the catalog (docs/monitoring.md: plugin management).
        configuration: JSON.stringify({ plugins: { pluginAdminEnabled: true }, unifiedAlerting: { enabled: true } }),
      },
      { ...kept(this, context, "aws:grafana/workspace:Workspace"), dependsOn: [rolePolicy] },
    );
    const saml = pulumi.output(args.saml);
    new aws.grafana.WorkspaceSamlConfiguration(
      `${name}-saml`,
      {
        workspaceId: workspace.id,
        idpMetadataXml: saml.idpMetadataXml,
        groupsAssertion: saml.groupAttribute,
        roleAssertion: saml.groupAttribute,
        adminRoleValues: saml.adminGroups.apply((g) => [...g]),
        // The provider requires editors; with none mapped the admins are listed (an admin can edit anyway).
        editorRoleValues: saml.apply((s) => [...(s.editorGroups.length ? s.editorGroups : s.adminGroups)]),
        loginValidityDuration: GRAFANA_LOGIN_VALIDITY_MINUTES,
      },
      child,
    );
    const serviceAccount = new aws.grafana.WorkspaceServiceAccount(
      `${name}-provisioner`,
      { workspaceId: workspace.id, name: "pulumi-provisioner", grafanaRole: "ADMIN" },
      child,
    );

    // The OCI side: a user that can hold API keys and nothing else, in a group that reads metrics.
    // Rotation: a new generation is a new key pair and API key; the old ones go at the end of the same `up`.
    const ociKey = ociApiKeyIdentity(this, {
      base: `${name}-oci`,
      tenancyId: args.ociTenancyId,
      name: `${namePrefix}-grafana-metrics`,
      description: `${namePrefix}: Managed Grafana's OCI Metrics datasource`,
      statements: (group) => grafanaOciPolicyStatements(group, context.compartmentId),
      // The workspace's OCI Metrics data source (Grafana's plugin) signs with this user's key.
      calls: {
        declarations: [
          { target: "compartment", actions: ["monitoring:SummarizeMetricsData"] },
          { target: "*", actions: ["identity:ListCompartments"] },
        ],
        targets: { compartment: context.compartmentId },
      },
      policyDescription: `${namePrefix}: Grafana reads metrics in the stack's compartment`,
      generation: args.settings.ociKeyGeneration,
      secretName: `${namePrefix}/grafana/oci-api-key`,
      secretDescription: "API key of Managed Grafana's OCI Metrics datasource",
      secretsKeyArn: args.secretsKeyArn,
      context,
    });

    // The function reaches only the endpoints (443): Grafana's API, the workspace, Secrets Manager.
    const functionSg = new aws.ec2.SecurityGroup(
      `${name}-provision-sg`,
      { vpcId: args.network.vpcId, description: "Grafana provisioning function: HTTPS to the VPC endpoints only" },
      child,
    );
    const egress = new aws.vpc.SecurityGroupEgressRule(
      `${name}-provision-to-endpoints`,
      {
        securityGroupId: functionSg.id,
        ipProtocol: "tcp",
        fromPort: HTTPS_PORT,
        toPort: HTTPS_PORT,
        referencedSecurityGroupId: args.network.endpointSecurityGroupId,
        description: "HTTPS to the VPC endpoints (Grafana API, Grafana workspace, Secrets Manager)",
      },
      child,
    );
    const provision = new NodeFunction(
      `${name}-provision`,
      {
        entry: "functions/aws/grafana/handler.ts",
        functionName: `${namePrefix}-grafana-provision`,
        description: "Provisions the Grafana workspace's datasources and dashboards (invoked by pulumi up)",
        timeoutSeconds: 120,
        memoryMb: 256,
        logRetentionDays: args.logRetentionDays,
        isProduction,
        keyAdministratorArns: context.keyAdministratorArns,
        calls: { declarations: GRAFANA_CALLS, targets: { workspace, ociKeySecret: ociKey.secretArn } },
        grants: [
          {
            actions: ["grafana:CreateWorkspaceServiceAccountToken", "grafana:DeleteWorkspaceServiceAccountToken"],
            resources: [workspace.arn],
          },
          { actions: ["secretsmanager:GetSecretValue"], resources: [ociKey.secretArn] },
          { actions: ["kms:Decrypt"], resources: [args.secretsKeyArn] },
        ],
        vpc: {
          subnetIds: args.network.privateSubnetIds,
          securityGroupIds: [functionSg.id],
          vpcUrn: args.network.vpcUrn,
        },
      },
      child,
    ).outputs;
    const input = pulumi
      .all([
        workspace.id,
        workspace.endpoint,
        serviceAccount.serviceAccountId,
        args.prometheus.endpoint,
        ociKey.secretArn,
        args.dashboards,
      ])
      .apply(([workspaceId, endpoint, serviceAccountId, prometheusUrl, ociKeySecretArn, dashboards]) =>
        JSON.stringify({
          workspaceId,
          endpoint,
          serviceAccountId,
          awsRegion: args.awsRegion,
          prometheusUrl,
          ociRegion: args.ociRegion,
          ociKeySecretArn,
          dashboards,
        } satisfies GrafanaProvisionRequest),
      );
    new aws.lambda.Invocation(
      `${name}-provision-run`,
      {
        functionName: provision.functionName,
        input,
        // Runs again when the request changes or the key is rotated (a new secret version).
        triggers: {
          request: input.apply((i) => createHash("sha256").update(i).digest("hex")),
          key: ociKey.secretVersionId,
        },
      },
      // In the VPC: its path (egress rule, subnets' ACLs, endpoints and their policies) is in place first.
      { parent: this, dependsOn: [egress, ...args.invokeAfter] },
    );

    const url = pulumi.interpolate`https://${workspace.endpoint}`;
    this.outputs = {
      workspaceId: workspace.id,
      url,
      samlServiceProvider: pulumi
        .all([url])
        .apply(([u]) => ({ entityId: `${u}/saml/metadata`, assertionConsumerUrl: `${u}/saml/acs` })),
      ociUserId: ociKey.userId,
      ociKeyFingerprint: ociKey.fingerprint,
      provisionFunctionName: provision.functionName,
      endpointUses: ociKey.secretArn.apply((secretArn): EndpointUse[] => [
        {
          service: "secretsmanager",
          by: "grafanaProvision",
          actions: ["secretsmanager:GetSecretValue"],
          resources: [secretArn],
        },
      ]),
      grafanaApiUses: workspace.arn.apply((workspaceArn): EndpointUse[] => [
        {
          service: "grafana",
          by: "grafanaProvision",
          actions: ["grafana:CreateWorkspaceServiceAccountToken", "grafana:DeleteWorkspaceServiceAccountToken"],
          resources: [workspaceArn],
        },
      ]),
    };
    this.registerOutputs({
      workspaceId: workspace.id,
      url,
      ociUserId: ociKey.userId,
      ociKeyFingerprint: ociKey.fingerprint,
    });
  }
}
