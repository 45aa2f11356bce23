/**
 * Provisioning a Grafana workspace through its HTTP API, idempotently: the OCI Metrics plugin
 * (installed once), the platform folder, the three datasources (created or updated by uid — a
 * re-run converges, it never duplicates) and the dashboards (overwritten by uid). Pure request
 * building and a small HTTP client with the base URL and token injected, so the tests run it
 * against a Grafana API on loopback.
 */
import { createPrivateKey } from "node:crypto";
import {
  GRAFANA_DATASOURCES,
  GrafanaProvisionRequest,
  GrafanaProvisionResult,
  OCI_METRICS_PLUGIN_ID,
  OciApiKeySecret,
  PLATFORM_FOLDER,
} from "./contract";

/** A refused input: names the field and what is wrong. */
export class ProvisionInputError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = "ProvisionInputError";
  }
}

/** Grafana answered with an error: the status, the method and path, and Grafana's own message (never the token). */
export class GrafanaApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    detail: string,
  ) {
    super(`Grafana ${method} ${path} answered ${status}: ${detail}`);
    this.name = "GrafanaApiError";
  }
}

const OCID = /^ocid1\.[a-z0-9]+\.[a-z0-9-]*\.[a-z0-9-]*\.[a-z0-9]+$/;
const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?$/;
const FINGERPRINT = /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/;

function text(obj: Record<string, unknown>, field: string, where: string, pattern?: RegExp, what?: string): string {
  const value = obj[field];
  if (typeof value !== "string" || value === "")
    throw new ProvisionInputError(`${where}${field}`, "is missing or not a string");
  if (pattern && !pattern.test(value)) throw new ProvisionInputError(`${where}${field}`, `"${value}" is not ${what}`);
  return value;
}

/** The invocation's request, checked field by field. */
export function parseProvisionRequest(input: unknown): GrafanaProvisionRequest {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new ProvisionInputError("(request)", "must be a JSON object");
  const r = input as Record<string, unknown>;
  const dashboards = r.dashboards;
  if (!Array.isArray(dashboards) || dashboards.length === 0)
    throw new ProvisionInputError("dashboards", "must be a non-empty list of {uid, json}");
  return {
    workspaceId: text(r, "workspaceId", "", /^g-[0-9a-f]{10}$/, "a workspace id (g- and 10 hex digits)"),
    endpoint: text(r, "endpoint", "", HOST, "a host name without scheme"),
    serviceAccountId: text(r, "serviceAccountId", ""),
    awsRegion: text(r, "awsRegion", "", /^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region"),
    prometheusUrl: text(r, "prometheusUrl", "", /^https:\/\/\S+\/$/, "an https URL ending in /"),
    ociRegion: text(r, "ociRegion", "", /^[a-z]{2}-[a-z]+-\d$/, "an OCI region"),
    ociKeySecretArn: text(r, "ociKeySecretArn", "", /^arn:aws[a-z-]*:secretsmanager:/, "a Secrets Manager ARN"),
    dashboards: dashboards.map((d: unknown, i) => {
      if (typeof d !== "object" || d === null) throw new ProvisionInputError(`dashboards[${i}]`, "must be {uid, json}");
      const spec = d as Record<string, unknown>;
      const uid = text(
        spec,
        "uid",
        `dashboards[${i}].`,
        /^[A-Za-z0-9_-]{1,40}$/,
        "a dashboard uid (at most 40 letters, digits, _ or -)",
      );
      const json = text(spec, "json", `dashboards[${i}].`);
      let model: unknown;
      try {
        model = JSON.parse(json);
      } catch (err) {
        throw new ProvisionInputError(`dashboards[${i}].json`, `is not JSON (${(err as Error).message})`);
      }
      if ((model as { uid?: unknown }).uid !== uid)
        throw new ProvisionInputError(
          `dashboards[${i}].json`,
          `has uid ${JSON.stringify((model as { uid?: unknown }).uid)}, not ${uid}`,
        );
      return { uid, json };
    }),
  };
}

/** The OCI key secret as stored, checked: OCIDs, an MD5 fingerprint, a private key that parses. */
export function parseOciKeySecret(secretString: string): OciApiKeySecret {
  let raw: unknown;
  try {
    raw = JSON.parse(secretString);
  } catch {
    throw new ProvisionInputError(
      "ociKeySecret",
      "is not JSON (expected {tenancyOcid, userOcid, fingerprint, privateKeyPem})",
    );
  }
  if (typeof raw !== "object" || raw === null) throw new ProvisionInputError("ociKeySecret", "must be a JSON object");
  const s = raw as Record<string, unknown>;
  const key: OciApiKeySecret = {
    tenancyOcid: text(s, "tenancyOcid", "ociKeySecret.", OCID, "an OCID"),
    userOcid: text(s, "userOcid", "ociKeySecret.", OCID, "an OCID"),
    fingerprint: text(
      s,
      "fingerprint",
      "ociKeySecret.",
      FINGERPRINT,
      "an API key fingerprint (16 colon-separated hex bytes)",
    ),
    privateKeyPem: text(s, "privateKeyPem", "ociKeySecret."),
  };
  try {
    createPrivateKey(key.privateKeyPem);
  } catch {
    // The parse error is not repeated: it could quote the key.
    throw new ProvisionInputError("ociKeySecret.privateKeyPem", "is not a PEM private key");
  }
  return key;
}

/** A datasource as Grafana's API takes it (POST /api/datasources, PUT /api/datasources/uid/:uid). */
export interface DatasourceBody {
  readonly uid: string;
  readonly name: string;
  readonly type: string;
  readonly access: "proxy";
  readonly url?: string;
  readonly isDefault: boolean;
  readonly jsonData: Record<string, unknown>;
  readonly secureJsonData?: Record<string, string>;
}

/**
 * The three datasources. CloudWatch and Prometheus sign with the workspace's own IAM role (no key
 * anywhere); OCI Metrics signs with the Grafana user's API key, which Grafana keeps encrypted
 * (secureJsonData is write-only through the API).
 */
export function datasourceBodies(request: GrafanaProvisionRequest, ociKey: OciApiKeySecret): DatasourceBody[] {
  const { cloudwatch, prometheus, oci } = GRAFANA_DATASOURCES;
  return [
    {
      uid: cloudwatch.uid,
      name: cloudwatch.name,
      type: cloudwatch.type,
      access: "proxy",
      isDefault: true,
      jsonData: { authType: "ec2_iam_role", defaultRegion: request.awsRegion },
    },
    {
      uid: prometheus.uid,
      name: prometheus.name,
      type: prometheus.type,
      access: "proxy",
      url: request.prometheusUrl,
      isDefault: false,
      jsonData: { httpMethod: "POST", sigV4Auth: true, sigV4AuthType: "ec2_iam_role", sigV4Region: request.awsRegion },
    },
    {
      uid: oci.uid,
      name: oci.name,
      type: oci.type,
      access: "proxy",
      isDefault: false,
      jsonData: { environment: "local", tenancymode: "single", profile0: "DEFAULT", region0: request.ociRegion },
      secureJsonData: {
        tenancy0: ociKey.tenancyOcid,
        user0: ociKey.userOcid,
        fingerprint0: ociKey.fingerprint,
        privkey0: ociKey.privateKeyPem,
      },
    },
  ];
}

/** Grafana's HTTP API with one bearer token. */
export class GrafanaClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  /** The JSON answer, or undefined on 404 when `missingOk`; any other error status throws GrafanaApiError. */
  async call<T>(method: string, path: string, body?: unknown, missingOk = false): Promise<T | undefined> {
    const response = await this.fetchFn(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    return grafanaAnswer<T>(response.status, await response.text(), method, path, missingOk);
  }
}

/**
 * What one Grafana API answer means: its JSON object or list; undefined for a 404 the caller
 * allows; otherwise a GrafanaApiError naming the call — an error status with Grafana's message (or
 * the text, cut short), or a success whose body is not a JSON object or list (a proxy's page).
 */
export function grafanaAnswer<T>(
  status: number,
  raw: string,
  method: string,
  path: string,
  missingOk = false,
): T | undefined {
  if (status === 404 && missingOk) return undefined;
  let parsed: unknown;
  try {
    parsed = raw.trim() === "" ? {} : JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (status < 200 || status > 299) {
    const message =
      typeof parsed === "object" && parsed !== null ? (parsed as { message?: unknown }).message : undefined;
    throw new GrafanaApiError(status, method, path, typeof message === "string" ? message : raw.slice(0, 300));
  }
  if (typeof parsed !== "object" || parsed === null)
    throw new GrafanaApiError(status, method, path, `the answer is not a JSON object: ${raw.slice(0, 300)}`);
  return parsed as T;
}

/** Installs, creates or updates what the request names; every step is an upsert, so a re-run converges. */
export async function provisionGrafana(
  client: GrafanaClient,
  request: GrafanaProvisionRequest,
  ociKey: OciApiKeySecret,
): Promise<GrafanaProvisionResult> {
  const plugin = await client.call("GET", `/api/plugins/${OCI_METRICS_PLUGIN_ID}/settings`, undefined, true);
  if (plugin === undefined) await client.call("POST", `/api/plugins/${OCI_METRICS_PLUGIN_ID}/install`, {});

  const folder = await client.call("GET", `/api/folders/${PLATFORM_FOLDER.uid}`, undefined, true);
  if (folder === undefined)
    await client.call("POST", "/api/folders", { uid: PLATFORM_FOLDER.uid, title: PLATFORM_FOLDER.title });

  const datasources: { uid: string; action: "created" | "updated" }[] = [];
  for (const body of datasourceBodies(request, ociKey)) {
    const existing = await client.call<{ id: number }>("GET", `/api/datasources/uid/${body.uid}`, undefined, true);
    if (existing === undefined) {
      await client.call("POST", "/api/datasources", body);
      datasources.push({ uid: body.uid, action: "created" });
    } else {
      await client.call("PUT", `/api/datasources/uid/${body.uid}`, body);
      datasources.push({ uid: body.uid, action: "updated" });
    }
  }

  const dashboards: { uid: string; version: number }[] = [];
  for (const spec of request.dashboards) {
    // id null: Grafana matches by uid, so the same dashboard is overwritten, never duplicated.
    const model = { ...(JSON.parse(spec.json) as Record<string, unknown>), id: null };
    const saved = await client.call<{ version?: number }>("POST", "/api/dashboards/db", {
      dashboard: model,
      folderUid: PLATFORM_FOLDER.uid,
      overwrite: true,
      message: "provisioned by pulumi up",
    });
    dashboards.push({ uid: spec.uid, version: typeof saved?.version === "number" ? saved.version : 0 });
  }
  return {
    plugin: plugin === undefined ? "installed" : "present",
    folder: folder === undefined ? "created" : "present",
    datasources,
    dashboards,
  };
}
