/**
 * What the Grafana workspace's infrastructure and its provisioning function agree on: the
 * datasources the dashboards name (by uid), the OCI plugin, and the request `pulumi up` invokes
 * the function with. Nothing secret travels in the request: the OCI API key is read from Secrets
 * Manager by ARN, the Grafana token is made (and deleted) by the function itself.
 */

/** The datasources the dashboards name: the function provisions them with these uids. */
export const GRAFANA_DATASOURCES = {
  cloudwatch: { type: "cloudwatch", uid: "multicloud-cloudwatch", name: "CloudWatch" },
  oci: { type: "oci-metrics-datasource", uid: "multicloud-oci-metrics", name: "OCI Metrics" },
  prometheus: { type: "prometheus", uid: "multicloud-prometheus", name: "Managed Prometheus (order services)" },
} as const;

/** Oracle's OCI Metrics datasource plugin (installed through the workspace's plugin management). */
export const OCI_METRICS_PLUGIN_ID = GRAFANA_DATASOURCES.oci.type;

/** The folder the platform's dashboards go in (provisioned: people edit copies, not these). */
export const PLATFORM_FOLDER = { uid: "multicloud-platform", title: "Multicloud platform" } as const;

/** How long the function's own Grafana token lives: enough for one run, gone on its own if the delete fails. */
export const TOKEN_SECONDS_TO_LIVE = 600;

/** The OCI API key of the Grafana user, as the secret holds it (JSON). */
export interface OciApiKeySecret {
  readonly tenancyOcid: string;
  readonly userOcid: string;
  readonly fingerprint: string;
  /** PEM, PKCS#1 or PKCS#8. */
  readonly privateKeyPem: string;
}

export interface GrafanaDashboardSpec {
  readonly uid: string;
  /** The dashboard model (JSON text) as generated from the stack's resources. */
  readonly json: string;
}

/** What `pulumi up` invokes the provisioning function with. */
export interface GrafanaProvisionRequest {
  readonly workspaceId: string;
  /** The workspace's host name (no scheme), e.g. g-abc.grafana-workspace.eu-west-1.amazonaws.com. */
  readonly endpoint: string;
  /** The service account the function makes its short-lived token for. */
  readonly serviceAccountId: string;
  readonly awsRegion: string;
  /** The Managed Prometheus workspace's query endpoint (ends with /). */
  readonly prometheusUrl: string;
  readonly ociRegion: string;
  /** Secrets Manager ARN of the OCI API key (OciApiKeySecret). */
  readonly ociKeySecretArn: string;
  readonly dashboards: readonly GrafanaDashboardSpec[];
}

/** What one run did, returned to the invocation (and logged). */
export interface GrafanaProvisionResult {
  readonly plugin: "installed" | "present";
  readonly folder: "created" | "present";
  readonly datasources: readonly { readonly uid: string; readonly action: "created" | "updated" }[];
  readonly dashboards: readonly { readonly uid: string; readonly version: number }[];
}

/** What the provisioning function calls at runtime. */
export const GRAFANA_CALLS = [
  {
    target: "workspace",
    actions: ["grafana:CreateWorkspaceServiceAccountToken", "grafana:DeleteWorkspaceServiceAccountToken"],
  },
  { target: "ociKeySecret", actions: ["secretsmanager:GetSecretValue"] },
] as const;
