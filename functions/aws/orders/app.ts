/**
 * The order API on Fastify: schema-validated routes, a request id on every response, 503 with
 * Retry-After when the database (reads) or the brokers (new orders) cannot serve, never a stack
 * trace. Built from its dependencies so tests drive it with `inject` against fakes.
 */
import { rowProblems } from "./tableContracts";
import { randomUUID } from "node:crypto";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import { AuthError, type AuthSettings, bearerToken, type Caller, challenge, type TokenVerifier } from "./auth";
import { DEFAULT_MINIMUM_AMOUNT, ORDERS_HTTP, ORDERS_LIMITS, ORDERS_SERVER_LIMITS } from "./contract";
import { compareAmounts, minorUnits, ORDER_CURRENCIES } from "./currencies";
import type { OrderRules } from "./settings";
import type { ServiceMetrics } from "./metrics";
import { IntakeUnavailableError, type OrderIntake } from "./intake";
import {
  canonicalAmount,
  decodeCursor,
  isCalendarDate,
  type NewOrder,
  orderIdForKey,
  page,
  requestHash,
  SCHEMAS,
} from "./orders";
import { DatabaseUnavailableError, type KeyReservation, type OrderStore, type ReservationOutcome } from "./store";

/** Started and not draining: what readiness reports. */
export class Lifecycle {
  started = false;
  draining = false;
  get ready(): boolean {
    return this.started && !this.draining;
  }
}

/** How the API authenticates callers: the token verifier and the scope and claim names it checks. */
export interface AppAuth {
  readonly verify: TokenVerifier;
  readonly settings: Pick<AuthSettings, "scopes" | "customerClaim">;
}

/** Seconds a caller is asked to wait when its key's first request is still being accepted. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

/** Seconds a caller is asked to wait when the issuer's keys cannot be fetched. */
export const KEYS_RETRY_AFTER_SECONDS = 5;

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated caller of an order route (set by its onRequest hook). */
    caller?: Caller;
  }
}

export interface AppDependencies {
  readonly store: OrderStore;
  /** Bearer-token authentication of every order route. */
  readonly auth: AppAuth;
  /** Where accepted orders go (the orders topic). */
  readonly intake: OrderIntake;
  readonly metrics: ServiceMetrics;
  readonly lifecycle: Lifecycle;
  /** A pino-compatible logger (JSON lines); false for none. */
  readonly logger?: FastifyBaseLogger | boolean;
  /** The clock that stamps accepted orders (updatedAt); the system clock unless a test fixes it. */
  readonly now?: () => Date;
  /** What a new order may be (every allowed currency, minimum 0.01 unless the stack narrows them). */
  readonly rules?: OrderRules;
  /** The server's timeouts and body limit (ORDERS_SERVER_LIMITS unless a test narrows them). */
  readonly limits?: typeof ORDERS_SERVER_LIMITS;
}

/** A request id a client may pass through (X-Request-Id); anything else is replaced. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
export const REQUEST_ID_HEADER = "x-request-id";

interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly field?: string;
  readonly requestId: string;
}

/** The field a validation error is about, as the client wrote it: `body.amount`, `query.limit`, `header.idempotency-key`. */
export function invalidField(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const places: Record<string, string> = { body: "body", querystring: "query", params: "path", headers: "header" };
  const where = places[error.validationContext ?? ""] ?? "request";
  const params = first.params as { missingProperty?: string; additionalProperty?: string };
  const path = first.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const name = params.missingProperty ?? params.additionalProperty ?? path;
  return name ? `${where}.${name}` : where;
}

function validationMessage(error: FastifyError, field: string | undefined): string {
  const first = error.validation?.[0];
  const params = (first?.params ?? {}) as { additionalProperty?: string };
  if (params.additionalProperty) return `${field} is not a field this API accepts`;
  return `${field ?? "the request"} ${first?.message ?? "is invalid"}`;
}

/** A database call, timed and labelled with its outcome. */
export function timedCalls(metrics: ServiceMetrics) {
  return async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    const end = metrics.dbCallDuration.startTimer({ operation });
    try {
      const result = await call();
      end({ outcome: "ok" });
      return result;
    } catch (err) {
      end({ outcome: err instanceof DatabaseUnavailableError ? "unavailable" : "error" });
      throw err;
    }
  };
}

/** Fastify 5 takes a ready logger as loggerInstance, a boolean as logger. */
function loggingOptions(logger: FastifyBaseLogger | boolean | undefined) {
  return typeof logger === "object" ? { loggerInstance: logger } : { logger: logger ?? false };
}

/**
 * The traffic port's app: the order routes, liveness and readiness (the load balancer's health
 * check). Metrics and database health are on the admin port (admin.ts), which the Service does
 * not expose.
 */
export function buildApp(deps: AppDependencies): FastifyInstance {
  const { store, intake, metrics, lifecycle } = deps;
  const now = deps.now ?? (() => new Date());
  const limits = deps.limits ?? ORDERS_SERVER_LIMITS;
  const rules = deps.rules ?? { currencies: ORDER_CURRENCIES, minimumAmount: DEFAULT_MINIMUM_AMOUNT };

  /** A new order's first problem against the rules, as a 400 naming the field; undefined when it has none. */
  const orderProblem = (order: NewOrder): [string, string] | undefined => {
    if (order.status !== "pending")
      return [
        "body.status",
        `body.status ${order.status}: a new order starts pending (its status changes as it is paid, shipped, …)`,
      ];
    const digits = rules.currencies.get(order.currency);
    if (digits === undefined)
      return [
        "body.currency",
        rules.currencies === ORDER_CURRENCIES
          ? `body.currency ${order.currency} is not a currency orders may be in (active ISO 4217 with at most 2 minor units, no funds or metals)`
          : `body.currency ${order.currency} is not one of ${[...rules.currencies.keys()].join(", ")}`,
      ];
    if (minorUnits(order.amount, digits) === undefined)
      return [
        "body.amount",
        `body.amount ${order.amount} has more decimal places than ${order.currency} has (${digits})`,
      ];
    if (compareAmounts(order.amount, rules.minimumAmount) < 0)
      return ["body.amount", `body.amount ${order.amount} is below the minimum order amount ${rules.minimumAmount}`];
    return undefined;
  };
  const app = Fastify({
    ...loggingOptions(deps.logger),
    genReqId: (req) => {
      const given = req.headers[REQUEST_ID_HEADER];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // No coercion: a number where the API takes a decimal string (money) is a 400, not a guess.
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false } },
    return503OnClosing: true,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    bodyLimit: limits.bodyLimitBytes,
    // Node answers 431 to a request whose headers are larger (its default is 16 KiB).
    http: { maxHeaderSize: limits.maxHeaderBytes },
  });

  const fail = (statusCode: number, error: string, message: string, field?: string) =>
    Object.assign(new Error(message), { statusCode, code: error, field });

  const { scopes, customerClaim } = deps.auth.settings;
  /** An onRequest hook: the bearer token verified and holding `need` (or the admin scope), before the body is read. */
  const authenticated =
    (need: "read" | "write") =>
    async (request: FastifyRequest): Promise<void> => {
      const caller = await deps.auth.verify(bearerToken(request.headers.authorization));
      if (!caller.admin && !caller.scopes.has(scopes[need]))
        throw new AuthError(403, "insufficient_scope", `this request needs the ${scopes[need]} scope`, scopes[need]);
      request.caller = caller;
    };
  const mayRead = { onRequest: authenticated("read") };
  const mayWrite = { onRequest: authenticated("write") };

  /**
   * The customer a request acts for: the token's own unless the caller holds the admin scope, who
   * names one. A customer id in the request that is not the caller's is a 403, not a quiet swap.
   */
  const customerOf = (request: FastifyRequest, given: string | undefined, field: string): string => {
    const caller = request.caller!;
    if (caller.admin) {
      if (given === undefined)
        throw fail(400, "bad_request", `${field} is required with the ${scopes.admin} scope`, field);
      return given;
    }
    if (caller.customerId === undefined)
      throw fail(
        403,
        "forbidden",
        `the token names no customer (claim ${customerClaim}); only ${scopes.admin} may act without one`,
      );
    if (given !== undefined && given !== caller.customerId)
      throw fail(403, "forbidden", `${field} ${given} is not the caller's customer`, field);
    return caller.customerId;
  };

  app.addHook("onRequest", async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // While draining, every response closes its connection: keep-alive clients reconnect to a pod that stays.
  app.addHook("onSend", async (_request, reply) => {
    if (lifecycle.draining) reply.header("connection", "close");
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.requestDuration.observe(
      { route: request.routeOptions.url ?? "unmatched", method: request.method, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const timed = timedCalls(metrics);

  app.setErrorHandler((error: FastifyError & { field?: string; retryAfterSeconds?: number }, request, reply) => {
    const requestId = String(request.id);
    if (error instanceof AuthError) return authFailure(error, request, reply);
    if (error.validation) {
      const field = invalidField(error);
      return reply
        .status(400)
        .send({ error: "bad_request", message: validationMessage(error, field), field, requestId } satisfies ErrorBody);
    }
    if (error instanceof IntakeUnavailableError) {
      request.log.warn({ event: "intake.unavailable", reason: error.message }, "order topic unavailable");
      return reply
        .status(503)
        .header("retry-after", String(error.retryAfterSeconds))
        .send({
          error: "unavailable",
          message: "orders cannot be accepted now; retry with the same Idempotency-Key after the Retry-After seconds",
          requestId,
        } satisfies ErrorBody);
    }
    if (error instanceof DatabaseUnavailableError) {
      request.log.warn({ event: "database.unavailable", reason: error.message }, "database unavailable");
      return reply
        .status(503)
        .header("retry-after", String(error.retryAfterSeconds))
        .send({
          error: "unavailable",
          message: "the order database is unavailable; retry after the Retry-After seconds",
          requestId,
        } satisfies ErrorBody);
    }
    if (error.statusCode && error.statusCode < 500) {
      return reply.status(error.statusCode).send({
        error: error.code ?? "bad_request",
        message: error.message,
        field: error.field,
        requestId,
      } satisfies ErrorBody);
    }
    request.log.error({ event: "request.failed", message: error.message, code: error.code }, "request failed");
    return reply.status(500).send({
      error: "internal",
      message: "the request failed; quote the request id when reporting it",
      requestId,
    } satisfies ErrorBody);
  });

  function logKeyFailure(request: FastifyRequest, step: string, err: unknown): void {
    const reason = err instanceof DatabaseUnavailableError ? err.reason : "error";
    request.log.warn({ event: "create.keyStepFailed", step, reason }, "idempotency key bookkeeping failed");
  }

  function authFailure(error: AuthError, request: FastifyRequest, reply: FastifyReply) {
    request.log.info(
      { event: "auth.refused", status: error.status, code: error.code, reason: error.message },
      "refused",
    );
    const header = challenge(error);
    if (header) reply.header("www-authenticate", header);
    if (error.status === 503) reply.header("retry-after", String(KEYS_RETRY_AFTER_SECONDS));
    return reply.status(error.status).send({
      error: error.code,
      message: error.message,
      ...(error.scope ? { scope: error.scope } : {}),
      requestId: String(request.id),
    });
  }

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      error: "not_found",
      message: `no route ${request.method} ${request.url.split("?")[0]}`,
      requestId: String(request.id),
    } satisfies ErrorBody);
  });

  app.get(ORDERS_HTTP.liveness, async () => ({ status: "ok" }));

  app.get(ORDERS_HTTP.readiness, async (_request, reply) => {
    if (lifecycle.ready) return { status: "ready" };
    return reply.status(503).send({ status: lifecycle.draining ? "draining" : "starting" });
  });

  app.get<{ Params: { id: string } }>(
    "/orders/:id",
    { schema: { params: SCHEMAS.orderIdParams }, ...mayRead },
    async (request) => {
      const order = await timed("get", () => store.get(request.params.id));
      const caller = request.caller!;
      // Another customer's order is answered as one that does not exist: its id says nothing.
      if (!order || (!caller.admin && order.customerId !== caller.customerId))
        throw fail(404, "not_found", `order ${request.params.id} does not exist`, "path.id");
      return order;
    },
  );

  app.get<{ Querystring: { customerId?: string; from?: string; to?: string; limit: string; cursor?: string } }>(
    "/orders",
    { schema: { querystring: SCHEMAS.listQuery }, ...mayRead },
    async (request) => {
      const { from, to, cursor } = request.query;
      const customerId = customerOf(request, request.query.customerId, "query.customerId");
      const limit = Number(request.query.limit);
      if (limit > ORDERS_LIMITS.maxPageSize)
        throw fail(
          400,
          "bad_request",
          `query.limit ${limit} is above the hard limit ${ORDERS_LIMITS.maxPageSize}`,
          "query.limit",
        );
      for (const [name, value] of [
        ["from", from],
        ["to", to],
      ] as const) {
        if (value !== undefined && !isCalendarDate(value))
          throw fail(400, "bad_request", `query.${name} ${value} is not a calendar date (YYYY-MM-DD)`, `query.${name}`);
      }
      if (from && to && from > to)
        throw fail(400, "bad_request", `query.from ${from} is after query.to ${to}`, "query.from");
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      if (cursor !== undefined && !after)
        throw fail(
          400,
          "bad_request",
          "query.cursor is not a cursor this API issued; pass nextCursor from the previous page unchanged",
          "query.cursor",
        );
      const orders = await timed("list", () => store.list({ customerId, from, to, after, limit: limit + 1 }));
      return page(orders, limit);
    },
  );

  /**
   * A new order is published, not written: 202 once the brokers have it. The order id comes from
   * the caller's client and Idempotency-Key, so a retry names the same order. While the database
   * answers, the key is reserved before anything is published (the table's primary key makes it
   * atomic): another body under the key is a 422, the same request still being accepted a 409, a
   * repeat the first answer (the stored order, 200, once synced). When the database does not
   * answer, the API publishes unchecked (counted); the merge then keeps the first request of the
   * key and records any other in order_conflicts, which GET /orders/{id} shows.
   */
  app.post<{ Body: Omit<NewOrder, "customerId"> & { customerId?: string }; Headers: { "idempotency-key": string } }>(
    "/orders",
    { schema: { body: SCHEMAS.newOrder, headers: SCHEMAS.createHeaders }, ...mayWrite },
    async (request, reply) => {
      const order: NewOrder = {
        ...request.body,
        customerId: customerOf(request, request.body.customerId, "body.customerId"),
      };
      if (!isCalendarDate(order.orderDate))
        throw fail(
          400,
          "bad_request",
          `body.orderDate ${order.orderDate} is not a calendar date (YYYY-MM-DD)`,
          "body.orderDate",
        );
      // Within what the orders table stores (its contract), or 400 naming the first field that is not.
      const column = { customerId: "customer_id", amount: "amount", currency: "currency", status: "status" } as const;
      for (const [field, name] of Object.entries(column) as Array<[keyof typeof column, string]>) {
        const [problem] = rowProblems("orders", { [name]: order[field] }, [name]);
        if (problem) throw fail(400, "bad_request", `body.${field} ${problem.slice(name.length + 1)}`, `body.${field}`);
      }
      const problem = orderProblem(order);
      if (problem) throw fail(400, "bad_request", problem[1], problem[0]);
      const idempotencyKey = request.headers["idempotency-key"];
      const client = request.caller!.client;
      const reservation: KeyReservation = {
        client,
        idempotencyKey,
        requestHash: requestHash(order),
        orderId: orderIdForKey(client, idempotencyKey),
        acceptedAt: now().toISOString(),
      };
      let outcome: ReservationOutcome | undefined;
      try {
        outcome = await timed("reserve", () => store.reserve(reservation));
      } catch (err) {
        if (!(err instanceof DatabaseUnavailableError)) throw err;
        metrics.uncheckedCreates.inc();
        request.log.warn(
          { event: "create.uncheckedKey", reason: err.reason, orderId: reservation.orderId },
          "database unavailable: accepting without reserving the key",
        );
      }
      if (outcome?.kind === "reused")
        throw fail(
          422,
          "idempotency_key_reused",
          "this Idempotency-Key was used for a different order; send a new key for a new order",
          "header.idempotency-key",
        );
      if (outcome?.kind === "inProgress")
        return reply
          .status(409)
          .header("retry-after", String(IN_PROGRESS_RETRY_AFTER_SECONDS))
          .send({
            error: "idempotency_key_in_progress",
            message: "a request with this Idempotency-Key is being accepted now; retry after the Retry-After seconds",
            field: "header.idempotency-key",
            requestId: String(request.id),
          } satisfies ErrorBody);
      const accepted = {
        ...order,
        amount: canonicalAmount(order.amount),
        orderId: reservation.orderId,
        updatedAt: outcome ? outcome.acceptedAt : reservation.acceptedAt,
      };
      if (outcome?.kind === "replay") {
        reply.header("idempotent-replayed", "true").header("location", `/orders/${accepted.orderId}`);
        return outcome.order
          ? reply.status(200).send(outcome.order)
          : reply.status(202).send({ ...accepted, sync: "pending" });
      }
      try {
        await intake.publish({
          ...accepted,
          kind: "created",
          idempotencyKey,
          requestHash: reservation.requestHash,
          clientId: client,
        });
      } catch (err) {
        // Nothing was published: the key is free again for the retry the 503 asks for.
        if (outcome) await store.release(reservation).catch((e: unknown) => logKeyFailure(request, "release", e));
        throw err;
      }
      // The 202 is earned; should this fail, the merge marks the reservation when it syncs the order.
      if (outcome)
        await timed("markPublished", () => store.markPublished(reservation)).catch((e: unknown) =>
          logKeyFailure(request, "markPublished", e),
        );
      return reply
        .status(202)
        .header("location", `/orders/${accepted.orderId}`)
        .send({ ...accepted, sync: "pending" });
    },
  );

  return app;
}
