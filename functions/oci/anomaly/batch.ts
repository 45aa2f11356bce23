/**
 * One Connector Hub batch through the feature function: decode, parse (refusals kept with their
 * reasons), one read of the series' previous values, the features (a delta or ratio Oracle cannot
 * store refuses its event), one transaction of rows and refusals. A payload that is not a batch
 * fails whole (Connector Hub delivers it again); a redelivered batch inserts nothing twice; a row
 * the database refuses for its data is recorded with the others' refusals, never blocking the batch.
 */
import { isOracleNumber } from "../../aws/orders/oracleTime";
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
  store: Pick<AnomalyStore, "previousValues" | "write">,
): Promise<BatchOutcome> {
  const messages = decodeConnectorBatch(body, ANOMALY_LIMITS.maxBatch);
  const { events, positions, refusals } = splitMessages(messages, parseAnomalyEvent);
  // A measurement delivered twice in the batch is refused (if at all) at its first position.
  const positionOf = new Map<string, (typeof positions)[number]>();
  events.forEach((e, i) => {
    if (!positionOf.has(e.eventId)) positionOf.set(e.eventId, positions[i]);
  });
  const rows = events.length ? computeFeatures(events, await store.previousValues(firstTimes(events))) : [];
  const fits = (r: (typeof rows)[number]) => [r.delta, r.ratio].every((v) => v === null || isOracleNumber(v));
  const storable = rows.filter(fits);
  const unstorable = rows
    .filter((r) => !fits(r))
    .map((r) => ({
      ...positionOf.get(r.eventId)!,
      reason: `invalid value: its delta (${r.delta}) or ratio (${r.ratio}) to the previous value is outside what Oracle stores`,
    }));
  const written = await store.write(storable, [...refusals, ...unstorable], (r) => positionOf.get(r.eventId)!);
  const refused = refusals.length + unstorable.length + written.refused.length;
  return {
    received: messages.length,
    inserted: written.inserted,
    duplicates: events.length - written.inserted - unstorable.length - written.refused.length,
    refused,
  };
}
