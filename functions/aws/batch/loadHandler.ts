/**
 * Lambda entry of the batch loads (in the VPC: they reach the databases over the interconnect),
 * deployed twice: into the OLTP staging table and the merge, and (prod) into the Lakehouse. The
 * logic is in load.ts.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Logger } from "@aws-lambda-powertools/logger";
import oracledb from "oracledb";
import { parseDbSecret } from "../migrate/contract";
import { BATCH_ENV } from "./contract";
import { LOAD_INTO, type LakehouseLoadResult, loadDay, type LoadInto, loadLakehouseDay, type LoadResult } from "./load";
import { afterExport, requiredEnv } from "./steps";

/** Below the function's timeout (the BatchSync component gives it 15 minutes). */
const LOAD_CALL_TIMEOUT_MS = 840_000;
const logger = new Logger({ serviceName: "orders-batch-load" });
const secrets = new SecretsManagerClient({});

export const handler = async (state: unknown): Promise<LoadResult | LakehouseLoadResult> => {
  const { date } = afterExport(state);
  const into = requiredEnv(process.env, BATCH_ENV.loadInto) as LoadInto;
  if (!LOAD_INTO.includes(into))
    throw new Error(`${BATCH_ENV.loadInto} is ${into}; expected ${LOAD_INTO.join(" or ")}`);
  const secret = await secrets.send(
    new GetSecretValueCommand({ SecretId: requiredEnv(process.env, BATCH_ENV.loaderSecretArn) }),
  );
  const db = parseDbSecret(secret.SecretString, "loader");
  if (!db.schema || !/^[A-Za-z][A-Za-z0-9_]{0,127}$/.test(db.schema))
    throw new Error("loader: the secret's schema must name the schema that holds orders_staging (e.g. MC_APP)");
  const schema = db.schema;
  const connect = async () => {
    const conn = await oracledb.getConnection({ user: db.username, password: db.password, connectString: db.dsn });
    // A day's COPY_DATA and merge take minutes at most; a hung round trip must not outlive the Lambda.
    conn.callTimeout = LOAD_CALL_TIMEOUT_MS;
    await conn.execute(`ALTER SESSION SET CURRENT_SCHEMA = ${schema}`);
    return conn;
  };
  const target = {
    region: requiredEnv(process.env, BATCH_ENV.ociRegion),
    namespace: requiredEnv(process.env, BATCH_ENV.ociNamespace),
    bucket: requiredEnv(process.env, BATCH_ENV.ociBucket),
  };
  const limitText = requiredEnv(process.env, BATCH_ENV.rejectLimit);
  const rejectLimit = Number(limitText);
  if (!/^\d+$/.test(limitText))
    throw new Error(`${BATCH_ENV.rejectLimit} is ${limitText}; expected a whole number of rows`);
  const result =
    into === "staging"
      ? await loadDay(connect, target, schema, date, rejectLimit)
      : await loadLakehouseDay(connect, target, schema, date, rejectLimit);
  // The refused rows are in the result (the workflow's output: the day's report) and in the log.
  if (result.rejected.count > 0) logger.warn("rows refused by the database", { into, date, ...result.rejected });
  logger.info("loaded", { into, ...result, rejected: result.rejected.count });
  return result;
};
