/** The service's and the sync consumer's settings from their environment (the ConfigMap): every value checked, errors naming the variable. */
import type { AuthSettings } from "./auth";
import { currencyListProblem, LISTABLE_CURRENCIES, ORDER_CURRENCIES } from "./currencies";
import { ORDER_AMOUNT } from "./orders";
import {
  AUTH_DEFAULTS,
  AUTH_ENV,
  CLAIM_NAME,
  DEFAULT_MINIMUM_AMOUNT,
  KAFKA_ENV,
  ORDERS_ENV,
  ORDERS_HTTP,
  ORDERS_LIMITS,
  ORDERS_SHUTDOWN,
  SCOPE_NAME,
  SYNC_ENV,
} from "./contract";
import type { PoolSettings } from "./oracleStore";

export interface ServiceSettings {
  readonly secretArn: string;
  readonly region: string;
  readonly port: number;
  /** Metrics and database health (the API; the sync consumer serves everything on `port`). */
  readonly adminPort: number;
  readonly drainSeconds: number;
  readonly pool: PoolSettings;
  /** MSK bootstrap brokers (IAM, port 9098), comma-separated in the environment: the API publishes accepted orders there. */
  readonly brokers: readonly string[];
  readonly kafkaAuth: "iam" | "plaintext";
}

/** What a new order must be: its currency one of these, its amount at least the minimum. */
export interface OrderRules {
  /** Code → minor units. */
  readonly currencies: ReadonlyMap<string, number>;
  /** A decimal with at most 2 places, above 0. */
  readonly minimumAmount: string;
}

/** The order API's settings: the shared ones, how it authenticates callers, what an order may be. */
export interface ApiSettings extends ServiceSettings {
  readonly auth: AuthSettings;
  readonly rules: OrderRules;
}

export interface SyncSettings extends ServiceSettings {
  /** Messages per database write. */
  readonly batchSize: number;
}

const SECRET_ARN = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const BROKER = /^[A-Za-z0-9.-]+:\d{1,5}$/;
const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[\x21-\x7e]*)?$/;
const PROXY_URL = /^https?:\/\/[A-Za-z0-9.-]+:\d{1,5}\/?$/;

/** Reads variables, collecting every problem instead of stopping at the first. */
function envReader(env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const shown = (name: string) => (env[name] === undefined ? "is not set" : `is ${JSON.stringify(env[name])}`);
  const text = (name: string, pattern: RegExp, what: string): string => {
    const value = env[name];
    if (!value || !pattern.test(value)) problems.push(`${name} ${shown(name)}; expected ${what}`);
    return value ?? "";
  };
  const integer = (name: string, min: number, max: number, fallback?: number): number => {
    const value = env[name];
    if (value === undefined && fallback !== undefined) return fallback;
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min || n > max)
      problems.push(`${name} ${shown(name)}; expected an integer from ${min} to ${max}`);
    return n;
  };
  const kafka = (): Pick<ServiceSettings, "brokers" | "kafkaAuth"> => {
    const brokers = (env[KAFKA_ENV.brokers] ?? "")
      .split(",")
      .map((b) => b.trim())
      .filter(Boolean);
    if (brokers.length === 0 || brokers.some((b) => !BROKER.test(b)))
      problems.push(
        `${KAFKA_ENV.brokers} ${shown(KAFKA_ENV.brokers)}; expected host:port[,host:port…] (the MSK IAM bootstrap brokers)`,
      );
    const auth = env[KAFKA_ENV.kafkaAuth] ?? "iam";
    if (auth !== "iam" && auth !== "plaintext")
      problems.push(`${KAFKA_ENV.kafkaAuth} is ${JSON.stringify(auth)}; expected iam or plaintext`);
    return { brokers, kafkaAuth: auth as ServiceSettings["kafkaAuth"] };
  };
  const base = (): ServiceSettings => ({
    ...kafka(),
    secretArn: text(ORDERS_ENV.secretArn, SECRET_ARN, "the database secret's ARN"),
    region: text(ORDERS_ENV.region, REGION, "an AWS region such as eu-west-1"),
    port: integer(ORDERS_ENV.port, 1, 65535, ORDERS_HTTP.port),
    adminPort: integer(ORDERS_ENV.adminPort, 1, 65535, ORDERS_HTTP.adminPort),
    drainSeconds: integer(ORDERS_ENV.drainSeconds, 1, 300, ORDERS_SHUTDOWN.drainSeconds),
    pool: {
      size: integer(ORDERS_ENV.poolSize, ORDERS_LIMITS.minPoolSize, ORDERS_LIMITS.maxPoolSize),
      queueTimeoutMs: integer(ORDERS_ENV.queueTimeoutMs, 10, 60_000),
      callTimeoutMs: integer(ORDERS_ENV.callTimeoutMs, 100, 300_000),
      queueMax: 500,
      statementCacheSize: 30,
      pingIntervalSeconds: 60,
    },
  });
  const auth = (): AuthSettings => {
    const named = (name: string, pattern: RegExp, fallback: string, what: string) =>
      env[name] === undefined ? fallback : text(name, pattern, what);
    const scopes = {
      read: named(AUTH_ENV.readScope, SCOPE_NAME, AUTH_DEFAULTS.scopes.read, "a scope name"),
      write: named(AUTH_ENV.writeScope, SCOPE_NAME, AUTH_DEFAULTS.scopes.write, "a scope name"),
      admin: named(AUTH_ENV.adminScope, SCOPE_NAME, AUTH_DEFAULTS.scopes.admin, "a scope name"),
    };
    if (new Set(Object.values(scopes)).size !== 3)
      problems.push(
        `${AUTH_ENV.readScope}, ${AUTH_ENV.writeScope} and ${AUTH_ENV.adminScope} must be three different scopes`,
      );
    const proxy = env[AUTH_ENV.jwksProxy];
    return {
      issuer: text(AUTH_ENV.issuer, HTTPS_URL, "the token issuer's https URL"),
      audience: text(AUTH_ENV.audience, /^[\x21-\x7e]{1,255}$/, "the audience tokens are issued for"),
      jwksUri: text(AUTH_ENV.jwksUri, HTTPS_URL, "the issuer's JWKS https URL"),
      ...(proxy === undefined || proxy === ""
        ? {}
        : { jwksProxy: text(AUTH_ENV.jwksProxy, PROXY_URL, "http://host:port of the egress proxy") }),
      scopes,
      customerClaim: named(AUTH_ENV.customerClaim, CLAIM_NAME, AUTH_DEFAULTS.customerClaim, "a claim name"),
      clientClaim: named(AUTH_ENV.clientClaim, CLAIM_NAME, AUTH_DEFAULTS.clientClaim, "a claim name"),
    };
  };
  const rules = (): OrderRules => {
    const listed = env[ORDERS_ENV.currencies];
    let currencies: ReadonlyMap<string, number> = ORDER_CURRENCIES;
    if (listed !== undefined) {
      const codes = listed.split(",").map((c) => c.trim());
      const problem = currencyListProblem(codes);
      if (problem) problems.push(`${ORDERS_ENV.currencies} ${problem}`);
      else currencies = new Map(codes.map((c) => [c, LISTABLE_CURRENCIES.get(c)!]));
    }
    const minimumAmount = env[ORDERS_ENV.minimumAmount] ?? DEFAULT_MINIMUM_AMOUNT;
    if (!ORDER_AMOUNT.test(minimumAmount) || /^0(\.0{1,2})?$/.test(minimumAmount))
      problems.push(
        `${ORDERS_ENV.minimumAmount} ${shown(ORDERS_ENV.minimumAmount)}; expected a decimal above 0 with at most 2 places`,
      );
    return { currencies, minimumAmount };
  };
  return { problems, text, integer, base, auth, rules, env };
}

function done<T>(who: string, problems: readonly string[], settings: T): T {
  if (problems.length) throw new Error(`the ${who}'s settings are wrong:\n  ${problems.join("\n  ")}`);
  return settings;
}

export function serviceSettings(env: NodeJS.ProcessEnv): ApiSettings {
  const read = envReader(env);
  const base = read.base();
  if (base.adminPort === base.port)
    read.problems.push(
      `${ORDERS_ENV.adminPort} ${base.adminPort} is ${ORDERS_ENV.port}; the admin port must be another`,
    );
  const auth = read.auth();
  const rules = read.rules();
  return done("order service", read.problems, { ...base, auth, rules });
}

export function syncSettings(env: NodeJS.ProcessEnv): SyncSettings {
  const read = envReader(env);
  const base = read.base();
  const batchSize = read.integer(SYNC_ENV.batchSize, 1, 500, 500);
  return done("sync consumer", read.problems, { ...base, batchSize });
}
