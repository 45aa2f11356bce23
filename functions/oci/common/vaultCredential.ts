/**
 * An OCI function's database credential, from an OCI Vault secret read with the function's
 * resource principal (no key, password or token in its configuration). Pure parts: the settings
 * from the function's configuration and the secret's JSON, each refused with what is wrong.
 */

export interface FunctionDbSettings {
  readonly dbSecretOcid: string;
  readonly poolSize: number;
}

export interface FunctionDbCredential {
  readonly username: string;
  readonly password: string;
  readonly dsn: string;
  /** Where the tables are (the session's CURRENT_SCHEMA). */
  readonly schema: string;
}

const SECRET_OCID = /^ocid1\.vaultsecret\.oc[0-9]+\.[a-z0-9-]*\.[a-z0-9]+$/;

/**
 * The secret's OCID and the pool size from the function's configuration (`names` are the keys the
 * deployment sets); every wrong value is named, with `what` saying whose configuration it is.
 */
export function functionDbSettings(
  env: NodeJS.ProcessEnv,
  names: { readonly dbSecretOcid: string; readonly poolSize: string },
  what: string,
): FunctionDbSettings {
  const problems: string[] = [];
  const ocid = env[names.dbSecretOcid] ?? "";
  if (!SECRET_OCID.test(ocid))
    problems.push(
      `${names.dbSecretOcid} is ${JSON.stringify(env[names.dbSecretOcid] ?? null)}; expected a Vault secret OCID (ocid1.vaultsecret.oc1.<region>.<id>)`,
    );
  const size = Number(env[names.poolSize] ?? "2");
  if (!Number.isInteger(size) || size < 1 || size > 8)
    problems.push(`${names.poolSize} is ${JSON.stringify(env[names.poolSize])}; expected an integer from 1 to 8`);
  if (problems.length) throw new Error(`${what}'s configuration is wrong:\n  ${problems.join("\n  ")}`);
  return { dbSecretOcid: ocid, poolSize: size };
}

/** The secret's content (base64 of JSON, as Vault returns a BASE64 bundle), checked field by field. */
export function parseFunctionDbCredential(base64: string | undefined): FunctionDbCredential {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(base64 ?? "", "base64").toString("utf8"));
  } catch {
    throw new Error('the database secret is not base64 of JSON; expected {"username", "password", "dsn", "schema"}');
  }
  const v = (value ?? {}) as Record<string, unknown>;
  const missing = ["username", "password", "dsn", "schema"].filter((k) => typeof v[k] !== "string" || v[k] === "");
  if (missing.length)
    throw new Error(
      `the database secret lacks ${missing.join(", ")}; expected {"username", "password", "dsn", "schema"}`,
    );
  if (!/^[A-Za-z][A-Za-z0-9_$#]{0,127}$/.test(v.schema as string))
    throw new Error("the database secret's schema is not a schema name");
  return v as unknown as FunctionDbCredential;
}

/** What the function needs of the Vault secrets client: the current version's content. */
export interface SecretBundleReader {
  getSecretBundle(request: {
    secretId: string;
    stage?: "CURRENT";
  }): Promise<{ secretBundle: { secretBundleContent?: { contentType: string; content?: string } } }>;
}

export async function readFunctionDbCredential(
  client: SecretBundleReader,
  secretId: string,
): Promise<FunctionDbCredential> {
  const response = await client.getSecretBundle({ secretId, stage: "CURRENT" });
  const content = response.secretBundle.secretBundleContent;
  if (content?.contentType !== "BASE64") throw new Error(`secret ${secretId} has no BASE64 content`);
  return parseFunctionDbCredential(content.content);
}
