/**
 * One node-oracledb pool per OCI function instance, opened on the first call with the credential
 * read from Vault by the function's resource principal; a failed open is tried again on the next
 * call; and opened again — the credential read anew — when the database refuses the password
 * (ORA-01017: the password was rotated and Vault holds the new one). Every session works in the
 * schema that holds the tables.
 */
import { ResourcePrincipalAuthenticationDetailsProvider } from "oci-common";
import { SecretsClient } from "oci-secrets";
import { GetSecretBundleRequest } from "oci-secrets/lib/request";
import oracledb from "oracledb";
import { type FunctionDbSettings, readFunctionDbCredential } from "./vaultCredential";

/** The part of a pool the functions use. */
export interface PoolLike<C> {
  getConnection(): Promise<C>;
  close(drainSeconds?: number): Promise<void>;
}

/** Whether the database refused the login's password (a rotation the pool has not seen). */
export function isPasswordRefused(err: unknown): boolean {
  const e = err as { errorNum?: number; message?: string } | null;
  return e?.errorNum === 1017 || /^ORA-01017\b/.test(String(e?.message ?? ""));
}

/** A pool opened by `open` on first use, again after a failed open, and again (once per call) when the password is refused. */
export function reopeningPool<C>(open: () => Promise<PoolLike<C>>): { connection(): Promise<C> } {
  let pool: Promise<PoolLike<C>> | undefined;
  const current = () => {
    pool ??= open().catch((err: unknown) => {
      pool = undefined;
      throw err;
    });
    return pool;
  };
  return {
    async connection(): Promise<C> {
      const used = await current();
      try {
        return await used.getConnection();
      } catch (err) {
        if (!isPasswordRefused(err)) throw err;
        if (pool !== undefined && (await pool.catch(() => undefined)) === used) pool = undefined;
        await used.close(0).catch(() => undefined);
        return (await current()).getConnection();
      }
    },
  };
}

/** The function's pool: its credential from Vault (resource principal), reopened on a rotated password. */
export function vaultPool(settings: FunctionDbSettings): { connection(): Promise<oracledb.Connection> } {
  return reopeningPool(async () => {
    const secrets = new SecretsClient({
      authenticationDetailsProvider: ResourcePrincipalAuthenticationDetailsProvider.builder(),
    });
    const db = await readFunctionDbCredential(
      {
        getSecretBundle: async ({ secretId }) =>
          secrets.getSecretBundle({ secretId, stage: GetSecretBundleRequest.Stage.Current }),
      },
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
  });
}
