/**
 * What the order service and the infrastructure that runs it (the OrderService component) agree
 * on: the settings it reads from its ConfigMap, its port and probe paths, its shutdown timings and
 * its limits. Both sides import this module and nothing else of the other.
 */

/** Environment variables the service reads (the ConfigMap supplies them; none is a secret). */
export const ORDERS_ENV = {
  /** ARN of the services' database secret ({username, password, dsn, schema}); the service reads it itself. */
  secretArn: "ORDERS_DB_SECRET_ARN",
  /** Region of the secret (and of the Secrets Manager endpoint the pod calls). */
  region: "AWS_REGION",
  /** Connections in the pool: poolMin = poolMax = this, poolIncrement 0. */
  poolSize: "ORDERS_POOL_SIZE",
  /** How long a request waits for a free connection before it is answered 503. */
  queueTimeoutMs: "ORDERS_POOL_QUEUE_TIMEOUT_MS",
  /** The longest one database round trip may take (node-oracledb callTimeout). */
  callTimeoutMs: "ORDERS_DB_CALL_TIMEOUT_MS",
  /** Seconds in-flight requests get to finish after SIGTERM before the pool is closed. */
  drainSeconds: "ORDERS_DRAIN_SECONDS",
  /** The port the HTTP server listens on. */
  port: "PORT",
  /** The admin port (metrics, database health). */
  adminPort: "ADMIN_PORT",
  /** The currencies orders may be in, comma-separated (a narrowing of the ISO 4217 allowlist); unset: all of it. */
  currencies: "ORDERS_CURRENCIES",
  /** The smallest amount an order may have, a decimal such as 0.01. */
  minimumAmount: "ORDERS_MIN_AMOUNT",
} as const;

/** The smallest order amount unless the stack sets one: anything above nothing. */
export const DEFAULT_MINIMUM_AMOUNT = "0.01";

/**
 * The order API's token checks (functions/aws/orders/auth.ts): the OrderService component writes
 * them from `multicloud:orders.auth`, settings.ts reads them. None is a secret (a JWKS is public).
 */
export const AUTH_ENV = {
  /** The `iss` tokens must carry (https URL). */
  issuer: "ORDERS_AUTH_ISSUER",
  /** The `aud` tokens must carry. */
  audience: "ORDERS_AUTH_AUDIENCE",
  /** The issuer's JWKS (https URL). */
  jwksUri: "ORDERS_AUTH_JWKS_URI",
  /** The egress proxy the JWKS is fetched through (http://host:port); unset when the issuer is reached directly. */
  jwksProxy: "ORDERS_AUTH_JWKS_PROXY",
  readScope: "ORDERS_AUTH_SCOPE_READ",
  writeScope: "ORDERS_AUTH_SCOPE_WRITE",
  adminScope: "ORDERS_AUTH_SCOPE_ADMIN",
  /** The claim naming the caller's customer. */
  customerClaim: "ORDERS_AUTH_CUSTOMER_CLAIM",
  /** The claim naming the client (Idempotency-Keys are scoped to it). */
  clientClaim: "ORDERS_AUTH_CLIENT_CLAIM",
} as const;

/** What `orders.auth` means when it leaves a name out. */
export const AUTH_DEFAULTS = {
  scopes: { read: "orders:read", write: "orders:write", admin: "orders:admin" },
  customerClaim: "customer_id",
  clientClaim: "sub",
} as const;

/** A scope name (RFC 6749 §3.3 scope-token) and a claim name, as both sides check them. */
export const SCOPE_NAME = /^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/;
export const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

/** Kafka, for the API (it publishes accepted orders) and the sync consumer alike. */
export const KAFKA_ENV = {
  /** MSK bootstrap brokers for IAM (port 9098), comma-separated. */
  brokers: "ORDERS_KAFKA_BROKERS",
  /** iam (MSK) or plaintext (a local broker). */
  kafkaAuth: "ORDERS_KAFKA_AUTH",
} as const;

/** What the sync consumer reads besides ORDERS_ENV and KAFKA_ENV (its pool, secret and drain settings are the same names). */
export const SYNC_ENV = {
  /** Messages per database write, at most ORDER_SYNC.maxBatch. */
  batchSize: "ORDERS_SYNC_BATCH_SIZE",
} as const;

/** The container's HTTP surface. */
export const ORDERS_HTTP = {
  /** The traffic port: the order routes, liveness, readiness (the Service exposes this one only). */
  port: 8080,
  /** The admin port: metrics and database health, for the scraper and operators inside the cluster. */
  adminPort: 9102,
  /** Liveness: the process answers. */
  liveness: "/healthz",
  /** Readiness: started and not draining (never the database: an outage must not empty the load balancer). */
  readiness: "/readyz",
  /** Database health for dashboards and alarms (admin port): 200 when a ping succeeds, 503 when not. */
  databaseHealth: "/health/database",
  /** Prometheus metrics (admin port). */
  metrics: "/metrics",
} as const;

/**
 * Shutdown timings. On deletion Kubernetes runs the preStop sleep (the load balancer and kube-proxy
 * stop sending new requests meanwhile), then sends SIGTERM; the service stops being ready, lets
 * in-flight requests finish for at most drainSeconds, closes the pool and exits. The grace period
 * covers both with a margin, so SIGKILL never cuts a drain short.
 */
export const ORDERS_SHUTDOWN = {
  preStopSleepSeconds: 10,
  drainSeconds: 20,
  marginSeconds: 5,
} as const;

/** terminationGracePeriodSeconds for the Deployment. */
export const TERMINATION_GRACE_SECONDS =
  ORDERS_SHUTDOWN.preStopSleepSeconds + ORDERS_SHUTDOWN.drainSeconds + ORDERS_SHUTDOWN.marginSeconds;

/** Limits of the API and the pool. */
export const ORDERS_LIMITS = {
  /** The most orders one page returns, whatever `limit` asks for. */
  maxPageSize: 100,
  defaultPageSize: 25,
  /** Bounds of the pool size the config may ask for (the ADB's sessions are shared by every pod). */
  minPoolSize: 1,
  maxPoolSize: 64,
} as const;

/**
 * The HTTP server's limits. A request must arrive whole within requestTimeoutMs (a body sent at a
 * byte a second cannot hold a connection); an idle keep-alive connection outlives the load
 * balancer's 60 s idle timeout (a pod closing first makes the ALB answer 502 on a reused
 * connection), and the socket's inactivity timeout outlives both; bodies are orders, not uploads;
 * headers larger than maxHeaderBytes get 431.
 */
export const ORDERS_SERVER_LIMITS = {
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 65_000,
  connectionTimeoutMs: 75_000,
  bodyLimitBytes: 16_384,
  /** Request line and headers together: a bearer token and the usual headers fit in 8 KiB many times over. */
  maxHeaderBytes: 8_192,
} as const;

/** The order topics (MSK): accepted orders keyed by order id, and the sync consumer's dead letters. */
export const ORDER_TOPICS = { orders: "orders", deadLetters: "orders.dlq" } as const;

/** Headers a dead-lettered message carries: why, and where it came from. */
export const DEAD_LETTER_HEADERS = {
  reason: "x-dlq-reason",
  partition: "x-source-partition",
  offset: "x-source-offset",
} as const;

/** The sync consumer's group and its largest write to the database (one staging load, one commit). */
export const ORDER_SYNC = { groupId: "orders-sync", maxBatch: 500 } as const;

/**
 * The `event` of the sync consumer's log line per batch: the alarm on the rate of failed writes
 * counts these lines (CloudWatch Logs metric filters on the cluster's application log group).
 */
export const SYNC_LOG_EVENTS = { written: "batch.written", failed: "batch.failed" } as const;

/** The image's build context: this directory (Dockerfile, manifest, lock, sources). */
export const ORDERS_BUILD_CONTEXT = __dirname;
/** What of the build context goes into the image (the .dockerignore admits the same). */
export function inBuildContext(file: string): boolean {
  return (
    file === "Dockerfile" ||
    file === "package.json" ||
    file === "package-lock.json" ||
    (file.endsWith(".ts") && !file.includes("/"))
  );
}

/**
 * What the order API and the sync consumer call on AWS at runtime (their pod identity roles), by the
 * target's name here; the components bind each name, the plan and the pack evaluate each call.
 */
export const ORDERS_CALLS = {
  api: [
    { target: "databaseSecret", actions: ["secretsmanager:GetSecretValue"] },
    { target: "kafkaCluster", actions: ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"] },
    { target: "ordersTopic", actions: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"] },
  ],
  sync: [
    { target: "databaseSecret", actions: ["secretsmanager:GetSecretValue"] },
    { target: "kafkaCluster", actions: ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"] },
    { target: "ordersTopic", actions: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"] },
    { target: "deadLetterTopic", actions: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"] },
    { target: "group", actions: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"] },
  ],
} as const;
