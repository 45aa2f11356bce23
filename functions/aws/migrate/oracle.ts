/** node-oracledb (thin mode) behind the runner's connection interface. */
import oracledb from "oracledb";
import { SCHEMA_OWNER } from "./contract";
import { Connector, DbConnection, OUT_NUMBER } from "./runner";

export interface OracleCredentials {
  /** The admin user (ADMIN on Autonomous Database). */
  readonly user: string;
  readonly password: string;
  /** A TLS connect descriptor or Easy Connect string. */
  readonly connectString: string;
}

function toDriverBinds(binds: Readonly<Record<string, unknown>> | undefined): oracledb.BindParameters {
  if (!binds) return {};
  return Object.fromEntries(
    Object.entries(binds).map(([name, value]) => [
      name,
      value === OUT_NUMBER ? { dir: oracledb.BIND_OUT, type: oracledb.NUMBER } : (value as oracledb.BindParameter),
    ]),
  );
}

function wrap(conn: oracledb.Connection): DbConnection {
  return {
    execute: async (sql, binds) => {
      const result = await conn.execute<unknown[]>(sql, toDriverBinds(binds), { outFormat: oracledb.OUT_FORMAT_ARRAY });
      return { rows: result.rows, outBinds: result.outBinds as Record<string, unknown> | undefined };
    },
    commit: () => conn.commit(),
    close: () => conn.close(),
  };
}

/** Admin sessions as the admin user; owner sessions as `admin[MC_APP]` (proxy authentication). */
export function oracleConnector(creds: OracleCredentials): Connector {
  return {
    connect: async (as) =>
      wrap(
        await oracledb.getConnection({
          user: as === "owner" ? `${creds.user}[${SCHEMA_OWNER}]` : creds.user,
          password: creds.password,
          connectString: creds.connectString,
        }),
      ),
  };
}
