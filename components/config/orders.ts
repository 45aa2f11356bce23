/** The `multicloud:orders` key: the order service's replicas, its database pool and who may call it. */
import { data as iso4217 } from "currency-codes";
import { z } from "zod";
import { cidrProblem, cidrWithin, isPrivateCidr } from "../shared/cidr";
import { ConfigIssue } from "./errors";
import { allowed, cidr, configKey, integer } from "./fields";

/**
 * Scope and claim names as the service checks them (functions/aws/orders/contract.ts AUTH_DEFAULTS,
 * SCOPE_NAME, CLAIM_NAME: config may not import a function's contract; a test says they agree).
 */
export const AUTH_NAME_DEFAULTS = {
  scopes: { read: "orders:read", write: "orders:write", admin: "orders:admin" },
  customerClaim: "customer_id",
  clientClaim: "sub",
} as const;
export const SCOPE_NAME_PATTERN = /^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/;
export const CLAIM_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

/**
 * The currencies a stack may list for the order API: the service's LISTABLE_CURRENCIES
 * (functions/aws/orders/currencies.ts: active ISO 4217, no funds, no X-codes but the four national
 * ones, which only a stack's own list admits, at most 2 minor units), rebuilt here because config
 * cannot import a function; a test says the two are the same list.
 */
export const CONFIG_ORDER_CURRENCIES: ReadonlySet<string> = new Set(
  iso4217
    .filter((c) => !["BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI"].includes(c.code))
    .filter((c) => !c.code.startsWith("X") || ["XAF", "XCD", "XOF", "XPF"].includes(c.code))
    .filter((c) => c.digits <= 2)
    .map((c) => c.code),
);

const httpsUrl = (what: string) =>
  z
    .string(allowed(what))
    .regex(/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[\x21-\x7e]*)?$/, allowed(`${what} (an https:// URL)`));
const scopeName = (what: string, fallback: string) =>
  z
    .string(allowed(what))
    .regex(SCOPE_NAME_PATTERN, allowed(`${what} (a scope name without spaces or quotes)`))
    .default(fallback);
const claimName = (what: string, fallback: string) =>
  z
    .string(allowed(what))
    .regex(CLAIM_NAME_PATTERN, allowed(`${what} (a claim name)`))
    .default(fallback);

/** How the order API authenticates callers: bearer JWTs from the company's OIDC issuer (docs/orders.md: authentication). */
export const ordersAuthSchema = z.strictObject(
  {
    issuer: httpsUrl("the `iss` of the tokens the API accepts"),
    audience: z
      .string(allowed("the `aud` the tokens are issued for"))
      .regex(/^[\x21-\x7e]{1,255}$/, allowed("the `aud` the tokens are issued for")),
    jwksUri: httpsUrl("where the issuer publishes its signing keys (JWKS)"),
    jwksRoute: z.strictObject(
      {
        proxy: z
          .string(allowed("the egress proxy's URL"))
          .regex(/^https?:\/\/[A-Za-z0-9.-]+:\d{1,5}\/?$/, allowed("the egress proxy as http://host:port"))
          .optional(),
        cidrs: z
          .array(cidr("a private range the pods may open to fetch the JWKS"), allowed("a list of CIDRs"))
          .min(1, allowed("at least one CIDR: the proxy's, or the issuer's when it is reached directly")),
      },
      allowed("a map with cidrs and, when the JWKS is fetched through an egress proxy, proxy"),
    ),
    scopes: z
      .strictObject(
        {
          read: scopeName("the scope that lets a caller read orders", AUTH_NAME_DEFAULTS.scopes.read),
          write: scopeName("the scope that lets a caller create orders", AUTH_NAME_DEFAULTS.scopes.write),
          admin: scopeName("the scope that lets a caller act for any customer", AUTH_NAME_DEFAULTS.scopes.admin),
        },
        allowed("a map with read, write and admin"),
      )
      .default({ ...AUTH_NAME_DEFAULTS.scopes }),
    customerClaim: claimName("the claim naming the caller's customer", AUTH_NAME_DEFAULTS.customerClaim),
    clientClaim: claimName(
      "the claim naming the client (Idempotency-Keys are scoped to it)",
      AUTH_NAME_DEFAULTS.clientClaim,
    ),
  },
  allowed("a map with issuer, audience, jwksUri, jwksRoute and optional scopes, customerClaim, clientClaim"),
);

export type OrdersAuthSettings = z.infer<typeof ordersAuthSchema>;

/** The proxy's host and port, or undefined when the JWKS is reached directly (on 443). */
export function proxyAddress(proxy: string | undefined): { host: string; port: number } | undefined {
  if (!proxy) return undefined;
  const url = new URL(proxy);
  return { host: url.hostname, port: Number(url.port) };
}

/** The port the pods open to jwksRoute.cidrs: the proxy's, or 443 to the issuer itself. */
export function jwksEgressPort(auth: OrdersAuthSettings): number {
  return proxyAddress(auth.jwksRoute.proxy)?.port ?? 443;
}

/** Connections per pod; the service's own settings check (functions/aws/orders/contract.ts ORDERS_LIMITS) agrees, a test says so. */
export const POOL_SIZE_BOUNDS = { min: 1, max: 64 } as const;

export const ordersSchema = z.strictObject(
  {
    replicas: z.strictObject(
      {
        min: integer(1, 50, "fewest pods (the autoscaler's floor)"),
        max: integer(1, 50, "most pods (the autoscaler's ceiling)"),
      },
      allowed("a map with min and max"),
    ),
    targetCpuPercent: integer(20, 90, "CPU utilisation (percent of the request) the autoscaler aims for"),
    pool: z.strictObject(
      {
        size: integer(
          POOL_SIZE_BOUNDS.min,
          POOL_SIZE_BOUNDS.max,
          "database connections per pod (fixed: poolMin = poolMax)",
        ),
        queueTimeoutMs: integer(10, 60_000, "ms a request waits for a free connection before a 503"),
        callTimeoutMs: integer(100, 300_000, "ms one database round trip may take"),
      },
      allowed("a map with size, queueTimeoutMs and callTimeoutMs"),
    ),
    auth: ordersAuthSchema,
    currencies: z
      .array(
        z.string(allowed("an ISO 4217 code")).regex(/^[A-Z]{3}$/, allowed("an ISO 4217 code such as EUR")),
        allowed("a list of the currencies orders may be in"),
      )
      .min(1, allowed("at least one currency, or leave the key out for every one"))
      .optional(),
    tls: z
      .strictObject(
        {
          certificateArn: z
            .string(allowed("the ACM certificate the load balancer's TLS listener presents"))
            .regex(
              /^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:[0-9]{12}:certificate\/[0-9a-f-]{36}$/,
              allowed("an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)"),
            ),
        },
        allowed("a map with certificateArn"),
      )
      .optional(),
    callerCidrs: z
      .array(cidr("a private range callers of the order API come from"), allowed("a list of CIDRs"))
      .min(1, allowed("at least one CIDR, or leave the key out for the VPC range"))
      .optional(),
    minimumAmount: z
      .string(allowed('the smallest order amount, a decimal string such as "0.01"'))
      .regex(
        /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/,
        allowed('the smallest order amount, a decimal string with at most 2 places such as "0.01"'),
      )
      .default("0.01"),
  },
  allowed("a map with replicas, targetCpuPercent, pool, auth and optional currencies, minimumAmount, tls, callerCidrs"),
);

export type OrdersSettings = z.infer<typeof ordersSchema>;

/** Relations between the order service's fields. */
export function checkOrders(project: string, raw: OrdersSettings, isProduction: boolean, issues: ConfigIssue[]): void {
  const k = (...path: PropertyKey[]) => configKey(project, ["orders", ...path]);
  if (raw.replicas.min > raw.replicas.max)
    issues.push({ key: k("replicas", "min"), message: `${raw.replicas.min} is above max ${raw.replicas.max}` });
  if (isProduction && raw.replicas.min < 2)
    issues.push({
      key: k("replicas", "min"),
      message: `${raw.replicas.min} is one pod in prod; keep at least 2 (the disruption budget keeps one up during node drains)`,
    });
  raw.currencies?.forEach((code, i) => {
    if (!CONFIG_ORDER_CURRENCIES.has(code))
      issues.push({
        key: k("currencies", i),
        message: `${code} is not a currency orders may be in (active ISO 4217, no funds or metals, at most 2 minor units: NUMBER(14,2) cannot hold BHD or KWD amounts)`,
      });
  });
  if (raw.currencies && new Set(raw.currencies).size !== raw.currencies.length)
    issues.push({ key: k("currencies"), message: `${raw.currencies.join(", ")} names a currency twice` });
  if (/^0(\.0{1,2})?$/.test(raw.minimumAmount))
    issues.push({
      key: k("minimumAmount"),
      message: `${raw.minimumAmount} lets free orders through; give an amount above 0`,
    });
  if (isProduction && !raw.tls)
    issues.push({
      key: k("tls"),
      message:
        "is not set in prod; give tls.certificateArn (an ACM certificate for the API's name): bearer tokens and orders must not cross the network in the clear",
    });
  raw.callerCidrs?.forEach((range, i) => {
    if (!isPrivateCidr(range))
      issues.push({
        key: k("callerCidrs", i),
        message: `${range} is not private address space; the load balancer is internal: give the networks callers come from`,
      });
  });
  const auth = raw.auth;
  const scopeNames = Object.values(auth.scopes);
  if (new Set(scopeNames).size !== scopeNames.length)
    issues.push({ key: k("auth", "scopes"), message: `${scopeNames.join(", ")} must be three different scopes` });
  // The pods have no route to the internet; what they may open for the JWKS stays private.
  auth.jwksRoute.cidrs.forEach((range, i) => {
    if (!isPrivateCidr(range))
      issues.push({
        key: k("auth", "jwksRoute", "cidrs", i),
        message: `${range} is not private address space; give the egress proxy's address (or the issuer's, reached over the private network)`,
      });
  });
  const proxy = proxyAddress(auth.jwksRoute.proxy);
  if (
    proxy &&
    cidrProblem(`${proxy.host}/32`) === undefined &&
    !auth.jwksRoute.cidrs.some((c) => cidrWithin(`${proxy.host}/32`, c))
  )
    issues.push({
      key: k("auth", "jwksRoute", "proxy"),
      message: `${proxy.host} is in none of jwksRoute.cidrs (${auth.jwksRoute.cidrs.join(", ")}); the pods could not reach it`,
    });
  if (proxy && (proxy.port < 1 || proxy.port > 65535))
    issues.push({ key: k("auth", "jwksRoute", "proxy"), message: `port ${proxy.port} is not a TCP port` });
  if (new URL(auth.jwksUri).hostname !== new URL(auth.issuer).hostname && isProduction)
    issues.push({
      key: k("auth", "jwksUri"),
      message: `${auth.jwksUri} is not on the issuer's host ${new URL(auth.issuer).hostname}; keys from elsewhere would let that host mint tokens`,
    });
  // A request that waited the whole queue timeout still needs a round trip: the timeout must leave room for it.
  if (raw.pool.queueTimeoutMs >= raw.pool.callTimeoutMs) {
    issues.push({
      key: k("pool", "queueTimeoutMs"),
      message: `${raw.pool.queueTimeoutMs} is not below callTimeoutMs ${raw.pool.callTimeoutMs}; a request should give up waiting for a connection sooner than a query may run`,
    });
  }
}
