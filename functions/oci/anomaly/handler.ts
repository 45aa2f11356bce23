/**
 * The anomaly feature function's entry (OCI Functions, Node 22, FDK http-stream): the database
 * credential from Vault with the function's resource principal, a small pool per instance, one
 * Connector Hub batch per call through batch.ts. A batch that fails (database unreachable, a
 * payload that is not a batch) is answered with the FDK's error, and Connector Hub delivers it
 * again; nothing in a failed batch is committed.
 */
import fdk from "@fnproject/fdk";
import { ResourcePrincipalAuthenticationDetailsProvider } from "oci-common";
import { SecretsClient } from "oci-secrets";
import { GetSecretBundleRequest } from "oci-secrets/lib/request";
import oracledb from "oracledb";
import { handleBatch } from "./batch";
import { anomalySettings, readFunctionDbCredential } from "./secret";
import { type AnomalyConnection, anomalyStore } from "./store";

const settings = anomalySettings(process.env);
let pool: Promise<oracledb.Pool> | undefined;

/** One pool per function instance, opened on the first batch; a failed open is tried again on the next. */
function poolOf(): Promise<oracledb.Pool> {
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
      // Every session works in the schema that holds the tables.
      sessionCallback: (conn: oracledb.Connection, _tag: string, done: (err?: Error) => void) => {
        conn.execute(`ALTER SESSION SET CURRENT_SCHEMA = ${db.schema}`).then(() => done(), done);
      },
    });
  })().catch((err: unknown) => {
    pool = undefined;
    throw err;
  });
  return pool;
}

fdk.handle(
  async (input: unknown) => {
    const conn = await (await poolOf()).getConnection();
    try {
      const outcome = await handleBatch(input, anomalyStore(conn as unknown as AnomalyConnection));
      // A JSON log line per batch, without values or credentials.
      console.log(JSON.stringify({ event: "batch.stored", ...outcome }));
      return outcome;
    } finally {
      await conn.close();
    }
  },
  { inputMode: "json" },
);
