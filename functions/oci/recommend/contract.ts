/**
 * What the recommendation functions and the infrastructure that deploys them (Connector Hub, API
 * Gateway, the Functions application) agree on. Both sides import this module and nothing else
 * of the other.
 */

export const RECOMMEND_LIMITS = {
  /** Connector Hub's batch to the interactions consumer: at most this many messages. */
  maxBatch: 500,
  maxIdLength: 64,
  /** Items one recommendation request may ask for, and what it gets without asking. */
  maxItems: 50,
  defaultItems: 10,
  /** Catalogue items one PUT /items may carry (rec_upsert_items takes them in one call). */
  maxCatalogItems: 100,
  /** The embedding model's dimensions (rec_items.embedding is VECTOR(384, FLOAT32)). */
  embeddingDimensions: 384,
} as const;

/** The user-event kinds; rec_click and rec_ignore answer a served recommendation (they carry its recId). */
export const USER_EVENT_KINDS = ["view", "click", "purchase", "rec_click", "rec_ignore"] as const;
export type UserEventKind = (typeof USER_EVENT_KINDS)[number];

/** Which function an instance of the recommendation image is (one image, two functions). */
export const RECOMMEND_ROLES = ["interactions", "api"] as const;
export type RecommendRole = (typeof RECOMMEND_ROLES)[number];

/** The functions' configuration (the deployment sets it; none of it is a secret). */
export const RECOMMEND_ENV = {
  role: "RECOMMEND_ROLE",
  /** OCID of the OCI Vault secret holding the functions' database credential ({username, password, dsn, schema}). */
  dbSecretOcid: "RECOMMEND_DB_SECRET_OCID",
  poolSize: "RECOMMEND_POOL_SIZE",
  /** Milliseconds the API may take to answer GET /recommendations before it falls back to the cached popular list. */
  deadlineMs: "RECOMMEND_DEADLINE_MS",
  /** The OCI Data Science model deployment's predict URL, when it orders the candidates (unset: the SQL order stands). */
  scorerUrl: "RECOMMEND_SCORER_URL",
} as const;

/**
 * What the optional Data Science scorer is sent and answers: the user and rec_serve's candidates
 * in, one score per candidate (same order) out; higher is better.
 */
export interface ScorerRequest {
  readonly userId: string;
  readonly items: ReadonlyArray<{ readonly itemId: string; readonly score: number; readonly source: string }>;
}
export interface ScorerResponse {
  readonly scores: readonly number[];
}

/**
 * The API behind API Gateway: the routes, and the header the gateway sets from the validated
 * token's subject (overwriting any the caller sent), so a caller gets only their own
 * recommendations and the function never parses a token.
 */
export const RECOMMEND_API = {
  recommendationsPath: "/recommendations",
  itemsPath: "/items",
  userHeader: "X-Rec-User",
} as const;

/** A model deployment's predict endpoint, from its OCID (the deployment's region is in it). */
export function predictUrl(modelDeploymentId: string): string {
  const region = /^ocid1\.datasciencemodeldeployment\.oc[0-9]+\.([a-z0-9-]+)\./.exec(modelDeploymentId)?.[1];
  if (!region)
    throw new Error(
      `${modelDeploymentId} is not a model deployment OCID (ocid1.datasciencemodeldeployment.oc1.<region>.<id>)`,
    );
  return `https://modeldeployment.${region}.oci.customer-oci.com/${modelDeploymentId}/predict`;
}

/**
 * What the functions call on OCI at runtime with their resource principal: the database credential,
 * and (scorer kind dataScience) the model deployment's predict endpoint.
 */
export const RECOMMEND_CALLS = {
  always: [{ target: "databaseSecret", actions: ["secrets:GetSecretBundle"] }],
  dataScience: [{ target: "compartment", actions: ["datascience:PredictModelDeployment"] }],
} as const;
