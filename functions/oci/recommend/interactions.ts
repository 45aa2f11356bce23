/**
 * One Connector Hub batch of user events through the interactions consumer: decode, parse
 * (refusals kept with their reasons), one committed insert. A payload that is not a batch fails
 * whole (Connector Hub delivers it again); a redelivered batch inserts nothing twice.
 */
import { decodeConnectorBatch } from "../common/connectorHub";
import { splitMessages } from "../common/streamEvents";
import { RECOMMEND_LIMITS } from "./contract";
import { parseUserEvent } from "./event";
import type { RecommendStore } from "./store";

export interface InteractionsOutcome {
  readonly received: number;
  /** Rows new to the table. */
  readonly inserted: number;
  /** Valid events already stored (a redelivery) or repeated within the batch. */
  readonly duplicates: number;
  readonly refused: number;
}

export async function handleInteractions(
  body: unknown,
  store: Pick<RecommendStore, "insertInteractions" | "reject">,
): Promise<InteractionsOutcome> {
  const messages = decodeConnectorBatch(body, RECOMMEND_LIMITS.maxBatch);
  const { events, refusals } = splitMessages(messages, parseUserEvent);
  const inserted = await store.insertInteractions(events);
  await store.reject(refusals);
  return { received: messages.length, inserted, duplicates: events.length - inserted, refused: refusals.length };
}
