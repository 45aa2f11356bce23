/** The service's settings from its environment (the ConfigMap): every value checked, errors naming the variable. */
import { ORDERS_ENV, ORDERS_HTTP, ORDERS_LIMITS, ORDERS_SHUTDOWN } from "./contract";
import type { PoolSettings } from "./oracleStore";

export interface ServiceSettings {
  readonly secretArn: string;
  readonly region: string;
  readonly port: number;
  readonly drainSeconds: number;
  readonly pool: PoolSettings;
}

const SECRET_ARN = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

export function serviceSettings(env: NodeJS.ProcessEnv): ServiceSettings {
  const problems: string[] = [];
  const text = (name: string, pattern: RegExp, what: string): string => {
    const value = env[name];
    if (!value || !pattern.test(value)) problems.push(`${name} ${value === undefined ? "is not set" : `is ${JSON.stringify(value)}`}; expected ${what}`);
    return value ?? "";
  };
  const integer = (name: string, min: number, max: number, fallback?: number): number => {
    const value = env[name];
    if (value === undefined && fallback !== undefined) return fallback;
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} ${value === undefined ? "is not set" : `is ${JSON.stringify(value)}`}; expected an integer from ${min} to ${max}`);
    }
    return n;
  };
  const settings: ServiceSettings = {
    secretArn: text(ORDERS_ENV.secretArn, SECRET_ARN, "the database secret's ARN"),
    region: text(ORDERS_ENV.region, /^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region such as eu-west-1"),
    port: integer(ORDERS_ENV.port, 1, 65535, ORDERS_HTTP.port),
    drainSeconds: integer(ORDERS_ENV.drainSeconds, 1, 300, ORDERS_SHUTDOWN.drainSeconds),
    pool: {
      size: integer(ORDERS_ENV.poolSize, ORDERS_LIMITS.minPoolSize, ORDERS_LIMITS.maxPoolSize),
      queueTimeoutMs: integer(ORDERS_ENV.queueTimeoutMs, 10, 60_000),
      callTimeoutMs: integer(ORDERS_ENV.callTimeoutMs, 100, 300_000),
      queueMax: 500,
      statementCacheSize: 30,
      pingIntervalSeconds: 60,
    },
  };
  if (problems.length) throw new Error(`the order service's settings are wrong:\n  ${problems.join("\n  ")}`);
  return settings;
}
