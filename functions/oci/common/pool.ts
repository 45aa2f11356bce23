/**
 * One node-oracledb pool per OCI function instance, opened on the first call with the credential
 * read from Vault by the function's resource principal; a failed open is tried again on the next
 * call. Every session works in the schema that holds the tables.
 */
import { ResourcePrincipalAuthenticationDetailsProvider } from "oci-common";
import { SecretsClient } from "oci-secrets";
import { GetSecretBundleRequest } from "oci-secrets/lib/request";
import oracledb from "oracledb";
import { type FunctionDbSettings, readFunctionDbCredential } from "./vaultCredential";

export function lazyPool(settings: FunctionDbSettings): () => Promise<oracledb.Pool> {
  let pool: Promise<oracledb.Pool> | undefined;
  return () => {
    pool ??= (async () => {
      const secrets = new SecretsClient({ authenticationDetailsProvider: await ResourcePrincipalAuthenticationDetailsProvider.builder() });
      const db = await readFunctionDbCredential(
        { getSecretBundle: async ({ secretId }) => secrets.getSecretBundle({ secretId, stage: GetSecretBundleRequest.Stage.Current }) },
        settings.dbSecretOcid,
      );
      return oracledb.createPool({
        user: db.username,
        password: db.password,
        connectString: db.dsn,
        poolMin: 0,
        poolMax: settings.poolSize,
        poolIncrement: 1,
        sessionCallback: (conn: oracledb.Connection, _tag: string, done: (err?: Error) => void) => {
          conn.execute(`ALTER SESSION SET CURRENT_SCHEMA = ${db.schema}`).then(() => done(), done);
        },
      });
    })().catch((err: unknown) => {
      pool = undefined;
      throw err;
    });
    return pool;
  };
}
