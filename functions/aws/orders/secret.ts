/**
 * The database credentials, read by the service itself from Secrets Manager (never from a
 * Kubernetes Secret, an env var or the pod spec). Cached; refreshed on demand when the database
 * refuses the cached password (rotation moved the secret to the other login), at most once per
 * `minRefreshIntervalMs` however many requests fail at once.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

export interface DbCredentials {
  readonly username: string;
  readonly password: string;
  /** Connect descriptor of the Autonomous Database. */
  readonly dsn: string;
  /** Where the tables are (the login owns none). */
  readonly schema?: string;
}

const SCHEMA_NAME = /^[A-Z][A-Z0-9_$#]{0,127}$/;

/** The secret's JSON as the DatabaseAccess component writes it; refuses anything else, naming the field. */
export function parseCredentials(text: string | undefined): DbCredentials {
  let value: unknown;
  try {
    value = JSON.parse(text ?? "");
  } catch {
    throw new Error('the database secret is not JSON; expected {"username", "password", "dsn", "schema"}');
  }
  if (typeof value !== "object" || value === null)
    throw new Error('the database secret is not a JSON object; expected {"username", "password", "dsn", "schema"}');
  const v = value as Record<string, unknown>;
  const missing = ["username", "password", "dsn"].filter((k) => typeof v[k] !== "string" || v[k] === "");
  if (missing.length)
    throw new Error(
      `the database secret lacks ${missing.join(", ")}; expected {"username", "password", "dsn", "schema"}`,
    );
  if (v.schema !== undefined && (typeof v.schema !== "string" || !SCHEMA_NAME.test(v.schema))) {
    throw new Error("the database secret's schema is not an upper-case Oracle identifier such as MC_APP");
  }
  return {
    username: v.username as string,
    password: v.password as string,
    dsn: v.dsn as string,
    schema: v.schema as string | undefined,
  };
}

/** Reads the secret's current value. */
export type SecretReader = () => Promise<string | undefined>;

export function secretsManagerReader(client: SecretsManagerClient, secretArn: string): SecretReader {
  return async () => (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
}

export class CredentialSource {
  private cached: DbCredentials | undefined;
  private loading: Promise<DbCredentials> | undefined;
  private lastLoadAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly read: SecretReader,
    private readonly minRefreshIntervalMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached credentials, read once. */
  current(): Promise<DbCredentials> {
    return this.cached ? Promise.resolve(this.cached) : this.load();
  }

  /**
   * Credentials newer than `stale` (the ones the database just refused): reads the secret again
   * unless another caller already did, or did within the minimum interval.
   */
  refresh(stale: DbCredentials): Promise<DbCredentials> {
    if (this.loading) return this.loading;
    if (this.cached && this.cached !== stale) return Promise.resolve(this.cached);
    if (this.cached && this.now() - this.lastLoadAt < this.minRefreshIntervalMs) return Promise.resolve(this.cached);
    return this.load();
  }

  private load(): Promise<DbCredentials> {
    this.loading ??= (async () => {
      try {
        const credentials = parseCredentials(await this.read());
        this.lastLoadAt = this.now();
        // Same values: keep the same object, so callers holding it see nothing changed.
        if (!this.cached || !sameCredentials(this.cached, credentials)) this.cached = credentials;
        return this.cached;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}

function sameCredentials(a: DbCredentials, b: DbCredentials): boolean {
  return a.username === b.username && a.password === b.password && a.dsn === b.dsn && a.schema === b.schema;
}
