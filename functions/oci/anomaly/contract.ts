/**
 * What the anomaly feature function and the infrastructure that deploys it (Connector Hub, the
 * Functions application) agree on: its limits and the shape Connector Hub delivers. Both sides
 * import this module and nothing else of the other.
 */

/** Connector Hub's batch to a function: at most this many messages (its batch size setting). */
export const ANOMALY_LIMITS = {
  maxBatch: 500,
  /** A series key: the sensor, account or metric the values belong to. */
  maxSeriesKeyLength: 128,
  maxEventIdLength: 64,
} as const;

/** The function's configuration (the Functions application sets it; none of it is a secret). */
export const ANOMALY_ENV = {
  /** OCID of the OCI Vault secret holding the function's database credential ({username, password, dsn, schema}). */
  dbSecretOcid: "ANOMALY_DB_SECRET_OCID",
  /** Connections per function instance (each instance handles one batch at a time). */
  poolSize: "ANOMALY_POOL_SIZE",
} as const;

/** What the function calls on OCI at runtime with its resource principal: its database credential in Vault. */
export const ANOMALY_CALLS = [{ target: "databaseSecret", actions: ["secrets:GetSecretBundle"] }] as const;
