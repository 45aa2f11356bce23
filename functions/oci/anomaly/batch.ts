/**
 * One Connector Hub batch through the feature function: decode, parse (refusals kept with their
 * reasons), one read of the series' previous values, the features, one committed insert. A
 * payload that is not a batch fails whole (Connector Hub delivers it again); a redelivered batch
 * inserts nothing twice.
 */
import { decodeConnectorBatch } from "../common/connectorHub";
import { ANOMALY_LIMITS } from "./contract";
import { splitMessages } from "../common/streamEvents";
import { parseAnomalyEvent } from "./event";
import { computeFeatures, firstTimes } from "./features";
import type { AnomalyStore } from "./store";

export interface BatchOutcome {
  readonly received: number;
  /** Rows new to the table. */
  readonly inserted: number;
  /** Valid events already stored (a redelivery) or repeated within the batch. */
  readonly duplicates: number;
  readonly refused: number;
}

export async function handleBatch(
  body: unknown,
  store: Pick<AnomalyStore, "previousValues" | "insert" | "reject">,
): Promise<BatchOutcome> {
  const messages = decodeConnectorBatch(body, ANOMALY_LIMITS.maxBatch);
  const { events, refusals } = splitMessages(messages, parseAnomalyEvent);
  let inserted = 0;
  if (events.length) {
    const previous = await store.previousValues(firstTimes(events));
    inserted = await store.insert(computeFeatures(events, previous));
  }
  await store.reject(refusals);
  return { received: messages.length, inserted, duplicates: events.length - inserted, refused: refusals.length };
}
