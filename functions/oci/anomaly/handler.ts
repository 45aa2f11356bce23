/**
 * The anomaly feature function's entry (OCI Functions, Node 22, FDK http-stream): the database
 * credential from Vault with the function's resource principal, a small pool per instance, one
 * Connector Hub batch per call through batch.ts. A batch that fails (database unreachable, a
 * payload that is not a batch) is answered with the FDK's error, and Connector Hub delivers it
 * again; nothing in a failed batch is committed.
 */
import fdk from "@fnproject/fdk";
import { vaultPool } from "../common/pool";
import { functionDbSettings } from "../common/vaultCredential";
import { handleBatch } from "./batch";
import { ANOMALY_ENV } from "./contract";
import { type AnomalyConnection, anomalyStore } from "./store";

const pool = vaultPool(functionDbSettings(process.env, ANOMALY_ENV, "the anomaly function"));

fdk.handle(
  async (input: unknown) => {
    const conn = await pool.connection();
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
