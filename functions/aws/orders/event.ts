/**
 * The order event the API publishes and the sync consumer applies (topic `orders`, key = order
 * id): one JSON document per accepted order or change, with a schema version. Pure: parsing says
 * why a message is refused, so the consumer can send it to the dead-letter topic with the reason.
 */
import { isOracleInstant } from "./oracleTime";
import { rowProblems } from "./tableContracts";
import { IDEMPOTENCY_KEY, isCalendarDate, ORDER_AMOUNT, ORDER_ID, ORDER_STATUSES, type Order } from "./orders";

export const ORDER_EVENT_SCHEMA_VERSION = 1;

/** A client identity as a token's claim carries it: 1–255 characters, no control characters. */
export function isClientId(text: string): boolean {
  return text.length >= 1 && text.length <= 255 && ![...text].some((c) => c < " " || c === "\u007f");
}

/**
 * `created`: the API accepted a new order; the merge inserts it only when the order does not exist
 * yet (a replayed or retried create never overwrites what happened to the order since).
 * `updated`: a new version of an order; the newer updatedAt wins.
 */
export const ORDER_EVENT_KINDS = ["created", "updated"] as const;
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number];

/**
 * An order as the API accepted it (or a later version of it), with the schema version. Its
 * updatedAt is when this version was made (ISO 8601 with a zone).
 */
export interface OrderEvent extends Order {
  readonly schemaVersion: typeof ORDER_EVENT_SCHEMA_VERSION;
  readonly kind: OrderEventKind;
  /** `created` only: the request's Idempotency-Key, which the order id is derived from. */
  readonly idempotencyKey?: string;
  /** `created` only: requestHash() of the request, so the merge can record a key reused for another order. */
  readonly requestHash?: string;
  /**
   * `created` only: the authenticated client whose namespace the key is in. Events published before
   * keys were client-scoped have none: the merge counts them as LEGACY_CLIENT's.
   */
  readonly clientId?: string;
}

export type ParsedEvent =
  { readonly ok: true; readonly event: OrderEvent } | { readonly ok: false; readonly reason: string };

/** A message's key and value as the consumer got them; the reason names the field when refused. */
export function parseOrderEvent(key: string | undefined, value: string | undefined): ParsedEvent {
  let doc: unknown;
  try {
    doc = JSON.parse(value ?? "");
  } catch {
    return { ok: false, reason: "value is not JSON" };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    return { ok: false, reason: "value is not a JSON object" };
  const v = doc as Record<string, unknown>;
  if (v.schemaVersion !== ORDER_EVENT_SCHEMA_VERSION)
    return {
      ok: false,
      reason: `schemaVersion ${JSON.stringify(v.schemaVersion)} is not ${ORDER_EVENT_SCHEMA_VERSION}`,
    };
  const text = (field: string) => (typeof v[field] === "string" ? (v[field] as string) : undefined);
  const checks: Array<[string, boolean]> = [
    ["orderId", ORDER_ID.test(text("orderId") ?? "")],
    ["customerId", ORDER_ID.test(text("customerId") ?? "")],
    ["amount", ORDER_AMOUNT.test(text("amount") ?? "")],
    ["currency", /^[A-Z]{3}$/.test(text("currency") ?? "")],
    ["status", (ORDER_STATUSES as readonly string[]).includes(text("status") ?? "")],
    ["orderDate", isCalendarDate(text("orderDate") ?? "")],
    // TIMESTAMP WITH TIME ZONE keeps 6 fraction digits (orders_staging.updated_at).
    ["updatedAt", isOracleInstant(text("updatedAt") ?? "", 6)],
  ];
  const kind = text("kind") as OrderEventKind | undefined;
  checks.push(["kind", (ORDER_EVENT_KINDS as readonly string[]).includes(kind ?? "")]);
  if (kind === "created") {
    checks.push(
      ["idempotencyKey", IDEMPOTENCY_KEY.test(text("idempotencyKey") ?? "")],
      ["requestHash", /^[0-9a-f]{64}$/.test(text("requestHash") ?? "")],
    );
    if (v.clientId !== undefined) checks.push(["clientId", isClientId(text("clientId") ?? "")]);
  }
  const bad = checks.filter(([, ok]) => !ok).map(([field]) => field);
  if (bad.length) return { ok: false, reason: `invalid ${bad.join(", ")}` };
  // Within what orders_staging stores (the table contract), before any bind.
  const row = {
    order_id: v.orderId,
    customer_id: v.customerId,
    amount: v.amount,
    currency: v.currency,
    status: v.status,
    order_date: v.orderDate,
    updated_at: v.updatedAt,
    kind: v.kind,
    idempotency_key: v.idempotencyKey ?? null,
    request_hash: v.requestHash ?? null,
    client_id: v.clientId ?? null,
  };
  const stored = rowProblems("orders_staging", row, Object.keys(row));
  if (stored.length) return { ok: false, reason: `invalid ${stored.join("; ")}` };
  if (key !== v.orderId)
    return { ok: false, reason: `key ${JSON.stringify(key)} is not the orderId ${JSON.stringify(v.orderId)}` };
  return { ok: true, event: v as unknown as OrderEvent };
}

export function serializeOrderEvent(event: Omit<OrderEvent, "schemaVersion">): string {
  return JSON.stringify({ schemaVersion: ORDER_EVENT_SCHEMA_VERSION, ...event });
}
