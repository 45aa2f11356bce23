/**
 * The order event the API publishes and the sync consumer applies (topic `orders`, key = order
 * id): one JSON document per accepted order or change, with a schema version. Pure: parsing says
 * why a message is refused, so the consumer can send it to the dead-letter topic with the reason.
 */
import { isCalendarDate, ORDER_AMOUNT, ORDER_ID, ORDER_STATUSES, type Order } from "./orders";

export const ORDER_EVENT_SCHEMA_VERSION = 1;

/**
 * An order as the API accepted it, with the schema version. Its updatedAt is when this version
 * was made (ISO 8601 with a zone): the newer version wins.
 */
export interface OrderEvent extends Order {
  readonly schemaVersion: typeof ORDER_EVENT_SCHEMA_VERSION;
}

export type ParsedEvent = { readonly ok: true; readonly event: OrderEvent } | { readonly ok: false; readonly reason: string };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A message's key and value as the consumer got them; the reason names the field when refused. */
export function parseOrderEvent(key: string | undefined, value: string | undefined): ParsedEvent {
  let doc: unknown;
  try {
    doc = JSON.parse(value ?? "");
  } catch {
    return { ok: false, reason: "value is not JSON" };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { ok: false, reason: "value is not a JSON object" };
  const v = doc as Record<string, unknown>;
  if (v.schemaVersion !== ORDER_EVENT_SCHEMA_VERSION) return { ok: false, reason: `schemaVersion ${JSON.stringify(v.schemaVersion)} is not ${ORDER_EVENT_SCHEMA_VERSION}` };
  const text = (field: string) => (typeof v[field] === "string" ? (v[field] as string) : undefined);
  const checks: Array<[string, boolean]> = [
    ["orderId", ORDER_ID.test(text("orderId") ?? "")],
    ["customerId", ORDER_ID.test(text("customerId") ?? "")],
    ["amount", ORDER_AMOUNT.test(text("amount") ?? "")],
    ["currency", /^[A-Z]{3}$/.test(text("currency") ?? "")],
    ["status", (ORDER_STATUSES as readonly string[]).includes(text("status") ?? "")],
    ["orderDate", isCalendarDate(text("orderDate") ?? "")],
    ["updatedAt", ISO_INSTANT.test(text("updatedAt") ?? "") && !Number.isNaN(Date.parse(text("updatedAt") ?? ""))],
  ];
  const bad = checks.filter(([, ok]) => !ok).map(([field]) => field);
  if (bad.length) return { ok: false, reason: `invalid ${bad.join(", ")}` };
  if (key !== v.orderId) return { ok: false, reason: `key ${JSON.stringify(key)} is not the orderId ${JSON.stringify(v.orderId)}` };
  return { ok: true, event: v as unknown as OrderEvent };
}

export function serializeOrderEvent(event: Omit<OrderEvent, "schemaVersion">): string {
  return JSON.stringify({ schemaVersion: ORDER_EVENT_SCHEMA_VERSION, ...event });
}
