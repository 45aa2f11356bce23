/**
 * What the inference Lambda and the InferenceApi component must agree on: the environment it
 * reads, the route it serves, and the deadlines from the inside out (model call, function, API
 * integration; API Gateway allows 30 s).
 */

/** Environment variables the function reads. */
export const INFERENCE_ENV = {
  /** The feature table's name. */
  table: "FEATURE_TABLE",
  /** The SageMaker endpoint's name. */
  endpoint: "ENDPOINT_NAME",
  /** Milliseconds the model call may take. */
  modelTimeoutMs: "MODEL_TIMEOUT_MS",
} as const;

/** The one route the HTTP API serves. */
export const INFERENCE_ROUTE = "POST /predict";

export const INFERENCE_TIMEOUTS = { modelMs: 5_000, functionSeconds: 8, integrationMs: 10_000 } as const;

/** What the inference function calls at runtime. */
export const INFERENCE_CALLS = [
  { target: "features", actions: ["dynamodb:GetItem"] },
  { target: "endpoint", actions: ["sagemaker:InvokeEndpoint"] },
] as const;
