/**
 * One Kinesis batch: parse every record, group the valid events by user, read the users this
 * container does not know in one BatchGetItem, and give each user one conditional write.
 * Malformed records and the records of a user whose write failed are reported as batch item
 * failures (Lambda then retries from the lowest of them and, once retries run out, sends the
 * batch to the failure destination; replayed events are recognised and not recounted).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KinesisStreamBatchResponse, KinesisStreamRecord } from "aws-lambda";
import { FeatureEvent, foldEvents, parseRecord, UserFeatures } from "./features";
import { readManyFeatures, writeIfUnchanged } from "./store";

/** Last written state per user, kept across invocations of a warm container (a hint, never trusted). */
export class FeatureCache {
  private readonly entries = new Map<string, UserFeatures>();
  constructor(private readonly capacity = 10_000) {}

  get(userId: string): UserFeatures | undefined {
    return this.entries.get(userId);
  }

  has(userId: string): boolean {
    return this.entries.has(userId);
  }

  set(userId: string, state: UserFeatures | undefined): void {
    this.entries.delete(userId);
    if (!state) return;
    this.entries.set(userId, state);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

export interface BatchLog {
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface BatchDeps {
  readonly ddb: DynamoDBClient;
  readonly table: string;
  readonly cache: FeatureCache;
  readonly log: BatchLog;
  /** Conditional-write attempts per user before its records are reported failed. */
  readonly maxAttempts?: number;
  /** Users written at once. */
  readonly concurrency?: number;
  /** How late an event may be and still be folded (see foldEvents). */
  readonly allowedLatenessMs: number;
}

/** The Lambda response (partial batch failures) and what the handler reports as metrics. */
export interface BatchOutcome extends KinesisStreamBatchResponse {
  /** Events not folded because they arrived later than the allowed lateness. */
  readonly tooLateEvents: number;
}

type UserOutcome = { readonly written: boolean; readonly tooLate: number };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds to wait before a write attempt: none first, then jittered and doubling (random in [0, 1)), capped at 640 ms. */
export function writeBackoffMs(attempt: number, random: number): number {
  return attempt === 1 ? 0 : random * 10 * 2 ** Math.min(attempt, 6);
}

async function writeUser(
  deps: BatchDeps,
  userId: string,
  events: readonly FeatureEvent[],
  known: UserFeatures | undefined,
): Promise<UserOutcome> {
  for (let attempt = 1; attempt <= (deps.maxAttempts ?? 8); attempt++) {
    // Lost a race last time: back off a little (jittered) before folding onto the fresh item.
    if (attempt > 1) await pause(writeBackoffMs(attempt, Math.random()));
    const { next, tooLate } = foldEvents(userId, known, events, deps.allowedLatenessMs);
    if (!next) return { written: true, tooLate: tooLate.length }; // replays or too late: nothing to write
    const outcome = await writeIfUnchanged(deps.ddb, deps.table, next, known?.version);
    if (outcome.written) {
      deps.cache.set(userId, next);
      return { written: true, tooLate: tooLate.length };
    }
    known = outcome.current;
    deps.cache.set(userId, known);
  }
  deps.log.warn("gave up after repeated conflicting writes", { userId, events: events.length });
  return { written: false, tooLate: 0 };
}

export async function processBatch(records: readonly KinesisStreamRecord[], deps: BatchDeps): Promise<BatchOutcome> {
  const failed = new Set<string>();
  let tooLateEvents = 0;
  const byUser = new Map<string, FeatureEvent[]>();
  for (const record of records) {
    const sequenceNumber = record.kinesis.sequenceNumber;
    const parsed = parseRecord(record.kinesis.data, sequenceNumber);
    if (!parsed.ok) {
      deps.log.warn("malformed record", { sequenceNumber, reason: parsed.reason });
      failed.add(sequenceNumber);
      continue;
    }
    byUser.set(parsed.event.userId, [...(byUser.get(parsed.event.userId) ?? []), parsed.event]);
  }

  const users = [...byUser.entries()];
  // A cold container would otherwise start every known user with a doomed blind write.
  const unknown = users.map(([userId]) => userId).filter((userId) => !deps.cache.has(userId));
  let prefetched = new Map<string, UserFeatures | undefined>();
  try {
    prefetched = unknown.length ? await readManyFeatures(deps.ddb, deps.table, unknown) : prefetched;
  } catch (err) {
    // Only a hint: the conditional writes below still find each user's real state.
    deps.log.warn("prefetch failed", { users: unknown.length, error: (err as Error).message });
  }
  const concurrency = deps.concurrency ?? 16;
  for (let i = 0; i < users.length; i += concurrency) {
    await Promise.all(
      users.slice(i, i + concurrency).map(async ([userId, events]) => {
        let ok = false;
        try {
          const outcome = await writeUser(deps, userId, events, deps.cache.get(userId) ?? prefetched.get(userId));
          ok = outcome.written;
          tooLateEvents += outcome.tooLate;
          if (outcome.tooLate > 0)
            deps.log.warn("events later than the allowed lateness were not folded", {
              userId,
              events: outcome.tooLate,
            });
        } catch (err) {
          deps.log.error("feature write failed", { userId, error: (err as Error).message });
        }
        if (!ok) for (const e of events) failed.add(e.sequenceNumber);
      }),
    );
  }

  // Report in stream order: Lambda resumes from the lowest one.
  const order = new Map(records.map((r, i) => [r.kinesis.sequenceNumber, i]));
  return {
    tooLateEvents,
    batchItemFailures: [...failed]
      .sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
      .map((itemIdentifier) => ({ itemIdentifier })),
  };
}
