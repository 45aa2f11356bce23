/**
 * The order service's view of the database: what the HTTP layer needs, nothing of the driver.
 * The Oracle implementation is oracleStore.ts; tests use fakes of this interface.
 */
import type { Order, OrderQuery } from "./orders";

/** What the database holds for an Idempotency-Key: the request it was first used for, and its order. */
export interface AcceptedRequest {
  /** requestHash() of the first request with the key. */
  readonly requestHash: string;
  readonly order: Order;
}

/** The pool's occupancy, for metrics. */
export interface PoolStats {
  readonly size: number;
  readonly inUse: number;
  /** Requests waiting for a connection. */
  readonly queued: number;
}

export interface OrderStore {
  get(orderId: string): Promise<Order | undefined>;
  /** Up to query.limit orders, newest first (order date, then order id, descending). */
  list(query: OrderQuery): Promise<Order[]>;
  /** The request and order an Idempotency-Key is recorded with (the sync records it with the order), if any. */
  acceptedRequest(idempotencyKey: string): Promise<AcceptedRequest | undefined>;
  /** Resolves when a round trip to the database succeeds. */
  ping(): Promise<void>;
  stats(): PoolStats;
  /** Closes the pool, letting connections in use finish for at most drainSeconds. */
  close(drainSeconds: number): Promise<void>;
}

/**
 * Why the database cannot serve, as a fixed code: what the health endpoint answers (the message,
 * which may carry driver text such as an address, stays in the service's own logs).
 */
export const UNAVAILABLE_REASONS = [
  "pool-busy",
  "unreachable",
  "pool-open-failed",
  "credentials-refused",
  "shutting-down",
] as const;
export type UnavailableReason = (typeof UNAVAILABLE_REASONS)[number];

/** The database cannot serve the request now (pool exhausted, unreachable, failing over): answer 503. */
export class DatabaseUnavailableError extends Error {
  /** The fixed code for why (default: unreachable). */
  readonly reason: UnavailableReason;
  constructor(
    message: string,
    /** What the client should wait before retrying. */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown; reason?: UnavailableReason },
  ) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
    this.reason = options?.reason ?? "unreachable";
  }
}
