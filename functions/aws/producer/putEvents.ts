/**
 * Puts test events on the stream (the article's CLI test, done properly): PutRecords in chunks of
 * 500 (the API's limit), the user id as partition key (it keeps a user's events on one shard, in
 * order, which the feature Lambda's replay detection relies on), and the records Kinesis rejected
 * in a partial failure sent again with backoff.
 */
import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from "@aws-sdk/client-kinesis";
import type { RawEvent } from "../features/features";

export const PUT_RECORDS_LIMIT = 500;
const EVENT_TYPES = ["view", "click", "cart", "checkout", "search"];

/** `count` events over `users` users, one every `spacingMs`, deterministic for a seed. */
export function makeEvents(count: number, users: number, startMs: number, spacingMs = 1000, seed = 1): RawEvent[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, (_, i) => ({
    userId: `user-${Math.floor(next() * users)}`,
    eventType: EVENT_TYPES[Math.floor(next() * EVENT_TYPES.length)],
    timestamp: new Date(startMs + i * spacingMs).toISOString(),
  }));
}

export interface PutSummary {
  readonly sent: number;
  readonly calls: number;
  readonly retriedRecords: number;
}

export async function putEvents(
  kinesis: KinesisClient,
  streamName: string,
  events: readonly RawEvent[],
  maxAttempts = 5,
): Promise<PutSummary> {
  let calls = 0;
  let retriedRecords = 0;
  for (let i = 0; i < events.length; i += PUT_RECORDS_LIMIT) {
    let pending: PutRecordsRequestEntry[] = events
      .slice(i, i + PUT_RECORDS_LIMIT)
      .map((e) => ({ PartitionKey: e.userId, Data: Buffer.from(JSON.stringify(e)) }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAttempts)
        throw new Error(
          `${pending.length} records still rejected after ${maxAttempts} attempts (throughput exceeded?)`,
        );
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      calls++;
      const out = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: pending }));
      const rejected = pending.filter((_, j) => out.Records?.[j]?.ErrorCode);
      retriedRecords += rejected.length;
      pending = rejected;
    }
  }
  return { sent: events.length, calls, retriedRecords };
}
