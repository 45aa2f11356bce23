/**
 * What both OCI consumers do with a Connector Hub batch before their own store: each message's
 * value parsed as one JSON object (or refused with why, at its stream position), the valid ones
 * parsed into events by the consumer's own parser.
 */
import type { StreamMessage } from "./connectorHub";
import type { Refusal } from "./rejects";

export type Parsed<T> = { readonly ok: true; readonly event: T } | { readonly ok: false; readonly reason: string };

/** A message value as a JSON object, or why it is not one. */
export function jsonObject(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; reason: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, reason: "value is not JSON" };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    return { ok: false, reason: "value is not a JSON object" };
  return { ok: true, value: doc as Record<string, unknown> };
}

/** The batch's events, and its refusals with their stream positions. */
export function splitMessages<T>(
  messages: readonly StreamMessage[],
  parse: (text: string) => Parsed<T>,
): { events: T[]; positions: Array<Omit<Refusal, "reason">>; refusals: Refusal[] } {
  const events: T[] = [];
  const positions: Array<Omit<Refusal, "reason">> = [];
  const refusals: Refusal[] = [];
  for (const m of messages) {
    const parsed = parse(m.value);
    if (parsed.ok) {
      events.push(parsed.event);
      positions.push({ stream: m.stream, partition: m.partition, offset: m.offset });
    } else refusals.push({ stream: m.stream, partition: m.partition, offset: m.offset, reason: parsed.reason });
  }
  return { events, positions, refusals };
}
