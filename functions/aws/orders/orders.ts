/**
 * The order API's domain, pure: what an order is on the wire, the request schemas Fastify
 * validates against, keyset-pagination cursors and the idempotency request hash.
 */
import { isOracleDate } from "./oracleTime";
import { createHash } from "node:crypto";
import { ORDERS_LIMITS } from "./contract";

/** Statuses the orders table accepts (V002's orders_status_ck). */
export const ORDER_STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled", "refunded"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What a client sends to create an order. Money travels as a decimal string: a float would round it. */
export interface NewOrder {
  readonly customerId: string;
  /** Decimal with at most 2 places, e.g. "125.50" (NUMBER(14,2)). */
  readonly amount: string;
  readonly currency: string;
  readonly status: OrderStatus;
  /** Calendar date, YYYY-MM-DD. */
  readonly orderDate: string;
}

/** An order as the API returns it. */
export interface Order extends NewOrder {
  readonly orderId: string;
  /** When the order last changed, ISO 8601 UTC. */
  readonly updatedAt: string;
}

/** Order and customer ids (VARCHAR2(64)); the API and the order events check them alike. */
export const ORDER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const ID = ORDER_ID.source;
const DATE = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
/** NUMBER(14,2): at most 12 digits before the point, 2 after. */
export const ORDER_AMOUNT = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/;
const AMOUNT = ORDER_AMOUNT.source;
/** Printable ASCII, 8–128 characters: UUIDs, ULIDs and the like. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;

/** JSON Schemas for Fastify's validation (Ajv): every field named in a 400. */
export const SCHEMAS = {
  orderIdParams: {
    type: "object",
    required: ["id"],
    properties: { id: { type: "string", pattern: ID } },
  },
  listQuery: {
    type: "object",
    // customerId: the token's customer unless the caller is an admin (app.ts customerOf).
    additionalProperties: false,
    properties: {
      customerId: { type: "string", pattern: ID },
      from: { type: "string", pattern: DATE },
      to: { type: "string", pattern: DATE },
      // A query string is text; the handler turns it into a number (bodies are never coerced).
      limit: { type: "string", pattern: "^[1-9][0-9]{0,2}$", default: String(ORDERS_LIMITS.defaultPageSize) },
      cursor: { type: "string", minLength: 1, maxLength: 200 },
    },
  },
  newOrder: {
    type: "object",
    required: ["amount", "currency", "orderDate"],
    additionalProperties: false,
    properties: {
      customerId: { type: "string", pattern: ID },
      amount: { type: "string", pattern: AMOUNT },
      currency: { type: "string", pattern: "^[A-Z]{3}$" },
      status: { type: "string", enum: [...ORDER_STATUSES], default: "pending" },
      orderDate: { type: "string", pattern: DATE },
    },
  },
  createHeaders: {
    type: "object",
    required: ["idempotency-key"],
    properties: { "idempotency-key": { type: "string", pattern: IDEMPOTENCY_KEY.source } },
  },
} as const;

/** A real calendar date (the pattern lets 2026-02-31 through). */
export function isCalendarDate(text: string): boolean {
  return isOracleDate(text);
}

/** Where a page ends: the last order's sort key. The next page starts strictly after it. */
export interface PageCursor {
  readonly orderDate: string;
  readonly orderId: string;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.orderDate, cursor.orderId])).toString("base64url");
}

/** The cursor a client sent back, or undefined when it is not one this service issued. */
export function decodeCursor(text: string): PageCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [orderDate, orderId] = value as unknown[];
    if (typeof orderDate !== "string" || typeof orderId !== "string") return undefined;
    if (!isCalendarDate(orderDate) || !ORDER_ID.test(orderId)) return undefined;
    return { orderDate, orderId };
  } catch {
    return undefined;
  }
}

/** A customer's orders, newest first, in a date range, after a cursor. */
export interface OrderQuery {
  readonly customerId: string;
  /** Inclusive, YYYY-MM-DD. */
  readonly from?: string;
  /** Inclusive, YYYY-MM-DD. */
  readonly to?: string;
  readonly after?: PageCursor;
  readonly limit: number;
}

/** A page: the store is asked for one order more than the page holds, to know whether another follows. */
export function page(orders: readonly Order[], limit: number): { orders: Order[]; nextCursor?: string } {
  if (orders.length <= limit) return { orders: [...orders] };
  const shown = orders.slice(0, limit);
  const last = shown[shown.length - 1];
  return { orders: shown, nextCursor: encodeCursor({ orderDate: last.orderDate, orderId: last.orderId }) };
}

/** An amount with exactly two decimal places ("125.5" → "125.50"), as the database returns it. */
export function canonicalAmount(amount: string): string {
  const [whole, fraction = ""] = amount.split(".");
  return `${whole}.${fraction.padEnd(2, "0")}`;
}

/** SHA-256 of the request's fields in a fixed order: equal for a true repeat, different for a reused key. */
export function requestHash(order: NewOrder): string {
  const canonical = JSON.stringify([
    order.customerId,
    canonicalAmount(order.amount),
    order.currency,
    order.status,
    order.orderDate,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

/**
 * The client that Idempotency-Keys recorded before V021 belong to: they were sent before callers
 * were authenticated, so no token may claim them (auth.ts refuses this client identity).
 */
export const LEGACY_CLIENT = "-";

/**
 * The order id a client's Idempotency-Key names: a UUID (version 8, RFC 9562's custom layout) from
 * SHA-256 of the client and the key. Keys are scoped to the authenticated client, so Bob's key
 * can never name Alice's order. The API publishes instead of writing when the database does not
 * answer, so a repeated request must name the same order without asking it: the merge then keeps
 * one order per (client, key).
 */
export function orderIdForKey(client: string, idempotencyKey: string): string {
  const bytes = createHash("sha256").update(`order-id\u0000${client}\u0000${idempotencyKey}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
