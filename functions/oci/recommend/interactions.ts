/**
 * One Connector Hub batch of user events through the interactions consumer: decode, parse
 * (refusals kept with their reasons), one transaction of interactions and refusals (a row the
 * database refuses for its data is one of them). A payload that is not a batch fails whole
 * (Connector Hub delivers it again); a redelivered batch inserts nothing twice.
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
  store: Pick<RecommendStore, "writeInteractions">,
): Promise<InteractionsOutcome> {
  const messages = decodeConnectorBatch(body, RECOMMEND_LIMITS.maxBatch);
  const { events, positions, refusals } = splitMessages(messages, parseUserEvent);
  const written = await store.writeInteractions(events, positions, refusals);
  return {
    received: messages.length,
    inserted: written.inserted,
    duplicates: events.length - written.inserted - written.refused.length,
    refused: refusals.length + written.refused.length,
  };
}
