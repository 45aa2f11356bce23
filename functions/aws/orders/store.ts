/**
 * The order service's view of the database: what the HTTP layer needs, nothing of the driver.
 * The Oracle implementation is oracleStore.ts; tests use fakes of this interface.
 */
import type { Order, OrderQuery } from "./orders";

/**
 * How long a reservation holds its key while its request publishes. A reservation older than this
 * (its pod died between reserving and publishing) is taken over by a repeat of the same request,
 * which publishes the same event again (the merge keeps one order).
 */
export const RESERVATION_LEASE_SECONDS = 30;

/** A client's claim on an Idempotency-Key for one request, made before the order is published. */
export interface KeyReservation {
  readonly client: string;
  readonly idempotencyKey: string;
  /** requestHash() of the request. */
  readonly requestHash: string;
  /** orderIdForKey(client, idempotencyKey). */
  readonly orderId: string;
  /** The accepted order's updatedAt, ISO 8601 UTC: a repeat answers with the same one. */
  readonly acceptedAt: string;
}

/**
 * What reserving a key found:
 * - `reserved`: the key is this request's now (new, or a reservation abandoned past its lease with
 *   the same request, taken over); publish, with acceptedAt (the original one on a takeover);
 * - `inProgress`: the same request holds the key and is publishing now (409);
 * - `reused`: the key holds another request (422);
 * - `replay`: the same request was accepted before: answer as then (the stored order once synced).
 */
export type ReservationOutcome =
  | { readonly kind: "reserved"; readonly acceptedAt: string }
  | { readonly kind: "inProgress" }
  | { readonly kind: "reused" }
  | { readonly kind: "replay"; readonly acceptedAt: string; readonly order?: Order };

/** A request that named an order's Idempotency-Key with another body while the database was out of reach. */
export interface OrderConflict {
  readonly requestHash: string;
  /** Why it was not applied: `key_reused` (the key was already another request's). */
  readonly reason: string;
  /** When the conflicting request was accepted, ISO 8601 UTC. */
  readonly at: string;
}

/** An order as GET /orders/{id} shows it: with the requests that conflicted with it, if any. */
export interface StoredOrder extends Order {
  readonly conflicts?: readonly OrderConflict[];
}

/** The pool's occupancy, for metrics. */
export interface PoolStats {
  readonly size: number;
  readonly inUse: number;
  /** Requests waiting for a connection. */
  readonly queued: number;
}

export interface OrderStore {
  /** The order, with the conflicting requests recorded against it (one round trip). */
  get(orderId: string): Promise<StoredOrder | undefined>;
  /** Up to query.limit orders, newest first (order date, then order id, descending). */
  list(query: OrderQuery): Promise<Order[]>;
  /** Claims (client, key) for a request before anything is published; atomic (the table's primary key). */
  reserve(reservation: KeyReservation): Promise<ReservationOutcome>;
  /** The request's event is on the topic: its reservation is kept as accepted. */
  markPublished(reservation: KeyReservation): Promise<void>;
  /** The publish failed: the reservation goes, so a retry can reserve the key again. */
  release(reservation: KeyReservation): Promise<void>;
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
