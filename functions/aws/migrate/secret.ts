/** The JSON the database secrets hold (written by components/database/databaseAccess.ts). */
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
  const v = value as Partial<Record<keyof DbSecret, unknown>>;
  const missing = (["username", "password", "dsn"] as const).filter((k) => typeof v[k] !== "string" || v[k] === "");
  if (missing.length) throw new Error(`${where}: the secret lacks ${missing.join(", ")}; expected {"username", "password", "dsn"}`);
  return v as DbSecret;
}
