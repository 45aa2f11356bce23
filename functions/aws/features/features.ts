/**
 * Real-time user features, as pure functions: parsing a Kinesis record into an event, and folding
 * a user's events into their feature state.
 *
 * Features per user: the last event's time and type, and the number of events in the current
 * 5-minute run (an event within 5 minutes of the user's previous one adds 1, otherwise the run
 * restarts at 1). Events are folded in event-time order, so records out of order inside a batch
 * give the same result as in order. An event older than the last one (late) joins the run when it
 * is within 5 minutes of it and is otherwise too stale to count.
 *
 * Replays: the state remembers the last APPLIED_WINDOW sequence numbers it applied; an event whose
 * sequence number is among them (or older than all of them once the window is full) was already
 * counted and is dropped. Kinesis keeps a partition key's records in sequence-number order, and
 * Lambda replays from the lowest failed sequence number, so a replay only ever brings back events
 * the window knows.
 */
// zod/mini: the same validation, tree-shaken (the full build would be ~440 KiB of the bundle).
import * as z from "zod/mini";

export const RUN_WINDOW_MS = 5 * 60_000;
/** How many applied sequence numbers a user's state remembers. */
export const APPLIED_WINDOW = 32;

export const eventSchema = z.strictObject({
  userId: z.string().check(z.minLength(1), z.maxLength(128)),
  eventType: z.string().check(z.minLength(1), z.maxLength(64)),
  timestamp: z.iso.datetime({ offset: true }),
});

export type RawEvent = z.infer<typeof eventSchema>;

export interface FeatureEvent {
  readonly userId: string;
  readonly eventType: string;
  readonly timeMs: number;
  /** The Kinesis sequence number (a decimal string up to 128 bits). */
  readonly sequenceNumber: string;
}

export interface UserFeatures {
  readonly userId: string;
  readonly lastEventTime: string;
  readonly lastEventTimeMs: number;
  readonly lastEventType: string;
  /** Events in the current 5-minute run. */
  readonly recentEventCount: number;
  /** Ascending, at most APPLIED_WINDOW. */
  readonly appliedSequenceNumbers: readonly string[];
  /** Incremented by every write; writes are conditional on it. */
  readonly version: number;
}

export type ParseResult = { readonly ok: true; readonly event: FeatureEvent } | { readonly ok: false; readonly reason: string };

/** A record's base64 data as an event, or why it is not one. */
export function parseRecord(data: string, sequenceNumber: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data, "base64").toString("utf8"));
  } catch {
    return { ok: false, reason: "data is not JSON" };
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join(".") || "(event)"}: ${i.message}`).join("; ") };
  }
  return {
    ok: true,
    event: { userId: parsed.data.userId, eventType: parsed.data.eventType, timeMs: Date.parse(parsed.data.timestamp), sequenceNumber },
  };
}

const compareSeq = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/** Whether the state already counted the event with this sequence number. */
export function alreadyApplied(state: UserFeatures | undefined, sequenceNumber: string): boolean {
  if (!state) return false;
  const applied = state.appliedSequenceNumbers;
  if (applied.includes(sequenceNumber)) return true;
  return applied.length >= APPLIED_WINDOW && compareSeq(sequenceNumber, applied[0]) < 0;
}

/**
 * The user's next state after `events` (all of one user), or undefined when every event was
 * already applied (nothing to write).
 */
export function foldEvents(userId: string, state: UserFeatures | undefined, events: readonly FeatureEvent[]): UserFeatures | undefined {
  const seen = new Set<string>();
  const fresh = events
    .filter((e) => e.userId === userId && !alreadyApplied(state, e.sequenceNumber) && !seen.has(e.sequenceNumber) && seen.add(e.sequenceNumber))
    .sort((a, b) => a.timeMs - b.timeMs || compareSeq(a.sequenceNumber, b.sequenceNumber));
  if (fresh.length === 0) return undefined;

  let last = state ? { timeMs: state.lastEventTimeMs, type: state.lastEventType } : undefined;
  let count = state?.recentEventCount ?? 0;
  for (const event of fresh) {
    if (!last) {
      count = 1;
      last = { timeMs: event.timeMs, type: event.eventType };
    } else if (event.timeMs >= last.timeMs) {
      count = event.timeMs - last.timeMs <= RUN_WINDOW_MS ? count + 1 : 1;
      last = { timeMs: event.timeMs, type: event.eventType };
    } else if (last.timeMs - event.timeMs <= RUN_WINDOW_MS) {
      count += 1; // late, but inside the current run
    }
  }
  const applied = [...(state?.appliedSequenceNumbers ?? []), ...fresh.map((e) => e.sequenceNumber)].sort(compareSeq).slice(-APPLIED_WINDOW);
  const lastTime = last as { timeMs: number; type: string };
  return {
    userId,
    lastEventTime: new Date(lastTime.timeMs).toISOString(),
    lastEventTimeMs: lastTime.timeMs,
    lastEventType: lastTime.type,
    recentEventCount: count,
    appliedSequenceNumbers: applied,
    version: (state?.version ?? 0) + 1,
  };
}
