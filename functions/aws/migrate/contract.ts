/**
 * What the schema-migration function and the infrastructure that deploys it must agree on: the
 * environment it reads, the secrets' JSON, the database users, its limits, the event it is
 * invoked with, where the SQL travels, and the migration set's identity (the checksum the
 * deployment re-invokes on and the function refuses a mismatch of). Both sides import this
 * module and nothing else of the other.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Environment variables the function reads, set by the SchemaMigrations component. */
export const MIGRATE_ENV = {
  /** ARN of the ADMIN secret (DbSecret JSON). */
  adminSecretArn: "ADMIN_SECRET_ARN",
  /**
   * JSON: bind name → ARN of the secret whose password the files bind under that name (OLTP:
   * service_password → MC_SVC's, V001; loader_password → MC_LOADER's, V012).
   */
  bindSecretArns: "BIND_SECRET_ARNS",
} as const;

/** The batch path's loader: DBMS_CLOUD into the staging table and the merge, no other rows (V012, V013). */
export const LOADER_USER = "MC_LOADER";

/** The OCI functions' user: the anomaly pipeline's rows only (V016, V017). */
export const FUNCTIONS_USER = "MC_FN";

/** The Lakehouse's batch loader, who owns the Lakehouse's order events (sql/lakehouse). */
export const LAKEHOUSE_USER = "MC_LAKE";
export const LAKEHOUSE_SCHEMA = "MC_LAKE";

/** The schema owner every non-admin file runs as (schema-only: reached by proxy, never logged in to). */
export const SCHEMA_OWNER = "MC_APP";
/** The user the services log in as: rows only, no DDL (V001, V007). */
export const SERVICE_USER = "MC_SVC";
/** The admin user of an Autonomous Database. */
export const ADMIN_USER = "ADMIN";

/** Lambda limits: migrations may take minutes (DDL on large tables); Lambda's ceiling is 900 s. */
export const MIGRATE_LIMITS = { timeoutSeconds: 900, memoryMb: 512 } as const;

/** The folder in the function's archive, next to index.js, that holds the SQL files. */
export const SQL_ARCHIVE_DIR = "sql";

/** The event the deployment invokes the function with. */
export interface MigrationRequest {
  /** The checksum the deployment expects this function to carry. */
  readonly setChecksum?: string;
  /** The anomaly detector's settings from the deployment, written after the migrations (V015's anomaly_settings row). */
  readonly anomalySettings?: AnomalySettingsUpdate;
  /** The recommendation engine's settings from the deployment (V019's rec_settings row, the refresh job, the embedding model). */
  readonly recommendationSettings?: RecommendationSettingsUpdate;
  /**
   * Bind names whose logins get their password set again from their secret after the migrations
   * (the statements of the file that binds it run again): how a new generation of a Pulumi-kept
   * password reaches the database. Only RESETTABLE_BINDS.
   */
  readonly resetPasswords?: readonly string[];
}

/**
 * The passwords a deployment may set again: the logins Pulumi keeps (the batch loader, the OCI
 * functions, the Lakehouse's loader). Not the services' (Secrets Manager rotates those; Pulumi's
 * copy is stale by design) and not ADMIN's.
 */
export const RESETTABLE_BINDS: readonly string[] = ["loader_password", "functions_password", "lakehouse_password"];

/** What the deployment decides of the recommendation engine: the history the refresh reads, how often it runs, the embedding model. */
export interface RecommendationSettingsUpdate {
  readonly historyDays: number;
  readonly refreshMinutes: number;
  /** The ONNX embedding model in OCI Object Storage (https://objectstorage.<region>.oraclecloud.com/n/<ns>/b/<bucket>/o/<object>). */
  readonly modelUri: string;
}

/**
 * The one block that applies them, as the schema owner (an anonymous block: DBMS_VECTOR comes
 * with DB_DEVELOPER_ROLE, and roles count in anonymous blocks, not in stored procedures): the
 * history and the job's interval; the model loaded with the database's resource principal when
 * it is new or another URI (then every item is embedded again by the next refresh).
 */
export const RECOMMENDATION_SETTINGS_SQL = `DECLARE
  v_loaded  rec_settings.model_uri%TYPE;
  v_models  NUMBER;
BEGIN
  UPDATE rec_settings SET history_days = :history_days WHERE id = 1;
  DBMS_SCHEDULER.SET_ATTRIBUTE('REC_REFRESH_JOB', 'repeat_interval', 'FREQ=MINUTELY;INTERVAL=' || TO_CHAR(:refresh_minutes));
  SELECT model_uri INTO v_loaded FROM rec_settings WHERE id = 1;
  SELECT COUNT(*) INTO v_models FROM user_mining_models WHERE model_name = 'REC_EMBEDDER';
  IF v_models = 0 OR v_loaded IS NULL OR v_loaded <> :model_uri THEN
    IF v_models > 0 THEN
      DBMS_VECTOR.DROP_ONNX_MODEL(model_name => 'REC_EMBEDDER', force => TRUE);
    END IF;
    DBMS_VECTOR.LOAD_ONNX_MODEL_CLOUD(
      model_name => 'REC_EMBEDDER',
      credential => 'OCI$RESOURCE_PRINCIPAL',
      uri        => :model_uri,
      metadata   => JSON('{"function" : "embedding", "embeddingOutput" : "embedding", "input" : {"input" : ["DATA"]}}'));
    UPDATE rec_items SET embedded_hash = NULL;
    UPDATE rec_settings SET model_uri = :model_uri, model_loaded_at = SYSTIMESTAMP WHERE id = 1;
  END IF;
  COMMIT;
END;`;

/**
 * The cheap authorised call made before the settings: list (at most one object of) the model's
 * bucket with the database's resource principal. OCI IAM is eventually consistent — a new dynamic
 * group or policy statement takes effect within minutes, a changed matching rule up to an hour — and
 * the deployer cannot poll it for the database, so the function retries this call instead.
 */
export const RESOURCE_PRINCIPAL_PROBE_SQL = `SELECT object_name FROM DBMS_CLOUD.LIST_OBJECTS(
  credential_name => 'OCI$RESOURCE_PRINCIPAL',
  location_uri    => :bucket_uri) FETCH FIRST 1 ROWS ONLY`;

/**
 * What DBMS_CLOUD raises when Object Storage refuses the principal: the HTTP status as ORA-20000 +
 * status (401 authorization failed; 403; 404 NotAuthorizedOrNotFound, which OCI answers for a
 * request it does not authorise). Only these are retried, and only in the probe.
 */
export const IAM_NOT_YET_CODES: readonly string[] = ["ORA-20401", "ORA-20403", "ORA-20404"];

/** How long the probe keeps trying: every 20 s while at least a minute of the function's time would remain after the wait. */
export const IAM_PROBE = { intervalMs: 20_000, reserveMs: 60_000 } as const;

/** The bucket part of an Object Storage object URI (…/b/<bucket>/o/), which LIST_OBJECTS takes. */
export function bucketUriOf(modelUri: string): string {
  const at = modelUri.indexOf("/o/");
  if (at < 0) throw new Error(`${modelUri} is not an Object Storage object URI (no /o/)`);
  return modelUri.slice(0, at + 3);
}

/** An Object Storage object URI (native API form), which LOAD_ONNX_MODEL_CLOUD reads with the resource principal. */
export const OBJECT_STORAGE_URI =
  /^https:\/\/objectstorage\.[a-z]+-[a-z]+-\d\.oraclecloud\.com\/n\/[a-z0-9]+\/b\/[A-Za-z0-9._-]{1,256}\/o\/[A-Za-z0-9._/-]+\.onnx$/;

export function recommendationSettingsProblems(s: RecommendationSettingsUpdate): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(s.historyDays) || s.historyDays < 1 || s.historyDays > 365)
    problems.push(`historyDays ${s.historyDays} is not an integer from 1 to 365`);
  if (!Number.isInteger(s.refreshMinutes) || s.refreshMinutes < 1 || s.refreshMinutes > 1440)
    problems.push(`refreshMinutes ${s.refreshMinutes} is not an integer from 1 to 1440`);
  if (typeof s.modelUri !== "string" || !OBJECT_STORAGE_URI.test(s.modelUri))
    problems.push(`modelUri ${s.modelUri} is not an Object Storage URI of an .onnx object`);
  return problems;
}

/** What the deployment decides of the anomaly detector: config (window, threshold, history) and infrastructure (the alert topic). */
export interface AnomalySettingsUpdate {
  readonly windowSize: number;
  readonly threshold: number;
  readonly minHistory: number;
  /** The OCI Notifications topic alerts go to, and its region. */
  readonly topicOcid: string;
  readonly topicRegion: string;
}

/** The one statement that writes them, as the schema owner. */
export const ANOMALY_SETTINGS_SQL =
  "UPDATE anomaly_settings SET window_size = :window_size, threshold = :threshold, min_history = :min_history, topic_ocid = :topic_ocid, topic_region = :topic_region WHERE id = 1";

/** The settings checked as V015's constraints will check them, every problem named. */
export function anomalySettingsProblems(s: AnomalySettingsUpdate): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(s.windowSize) || s.windowSize < 5 || s.windowSize > 1000)
    problems.push(`windowSize ${s.windowSize} is not an integer from 5 to 1000`);
  if (!Number.isInteger(s.minHistory) || s.minHistory < 3 || s.minHistory > s.windowSize)
    problems.push(`minHistory ${s.minHistory} is not an integer from 3 to windowSize`);
  if (!(typeof s.threshold === "number" && s.threshold > 0))
    problems.push(`threshold ${s.threshold} is not a positive number`);
  if (!/^ocid1\.onstopic\.oc[0-9]+\.[a-z0-9-]*\.[a-z0-9]+$/.test(s.topicOcid))
    problems.push(`topicOcid ${s.topicOcid} is not a Notifications topic OCID`);
  if (!/^[a-z]+-[a-z]+-\d$/.test(s.topicRegion)) problems.push(`topicRegion ${s.topicRegion} is not an OCI region`);
  return problems;
}

/** The JSON the database secrets hold (written by the DatabaseAccess component). */
export interface DbSecret {
  readonly username: string;
  readonly password: string;
  readonly dsn: string;
  /** Where the tables are, for a user that owns none (set CURRENT_SCHEMA to it). */
  readonly schema?: string;
}

export function parseDbSecret(text: string | undefined, where: string): DbSecret {
  let value: unknown;
  try {
    value = JSON.parse(text ?? "");
  } catch {
    throw new Error(`${where}: the secret is not JSON; expected {"username", "password", "dsn"}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${where}: the secret is not a JSON object; expected {"username", "password", "dsn"}`);
  const v = value as Partial<Record<keyof DbSecret, unknown>>;
  const missing = (["username", "password", "dsn"] as const).filter((k) => typeof v[k] !== "string" || v[k] === "");
  if (missing.length)
    throw new Error(`${where}: the secret lacks ${missing.join(", ")}; expected {"username", "password", "dsn"}`);
  return v as DbSecret;
}

const FILE_NAME = /^V(\d{3})__([a-z0-9_]+)\.sql$/;

/** A migration file's identity: version, name and checksum. */
export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  /** SHA-256 of the file's bytes with line endings normalised (a CRLF checkout is the same file). */
  readonly checksum: string;
}

export function checksumOf(text: string): string {
  return createHash("sha256").update(text.replace(/\r\n/g, "\n")).digest("hex");
}

/** One file's identity; refuses a name that is not V<nnn>__<name>.sql. */
export function migrationFile(file: string, text: string): MigrationFile {
  const m = FILE_NAME.exec(file);
  if (!m)
    throw new Error(
      `${file}: migration files are named V<3 digits>__<lower_snake_name>.sql, e.g. V007__add_invoices.sql`,
    );
  return { version: Number(m[1]), name: m[2], file, checksum: checksumOf(text) };
}

/** Files in version order; refuses gaps and duplicates. */
export function inVersionOrder<T extends MigrationFile>(migrations: readonly T[]): T[] {
  const listed = [...migrations].sort((a, b) => a.version - b.version);
  listed.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(
        `${m.file}: versions must run 1, 2, 3, … without gaps or repeats; expected V${String(i + 1).padStart(3, "0")}`,
      );
  });
  return listed;
}

/** The set's files (file name → text, non-.sql ignored) in version order. */
export function migrationFiles(files: Readonly<Record<string, string>>): MigrationFile[] {
  return inVersionOrder(
    Object.entries(files)
      .filter(([file]) => file.endsWith(".sql"))
      .map(([file, text]) => migrationFile(file, text)),
  );
}

/** One checksum for the whole set: what the deployment re-invokes the function on. */
export function setChecksum(migrations: readonly Pick<MigrationFile, "file" | "checksum">[]): string {
  return createHash("sha256")
    .update(migrations.map((m) => `${m.file}:${m.checksum}`).join("\n"))
    .digest("hex");
}

/** The checksum of a set of files (file name → text). */
export function migrationSetChecksum(files: Readonly<Record<string, string>>): string {
  return setChecksum(migrationFiles(files));
}

/** Reads a directory's migration files (file name → text). */
export function readMigrationFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith(".sql"))
      .sort()
      .map((f) => [f, readFileSync(path.join(dir, f), "utf8")]),
  );
}

/** What the function calls at runtime: the secrets it reads (ADMIN's and each bind's). */
export const MIGRATE_CALLS = [{ target: "secrets", actions: ["secretsmanager:GetSecretValue"] }] as const;
