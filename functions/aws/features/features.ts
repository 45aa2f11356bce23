/**
 * Real-time user features, as pure functions: parsing a Kinesis record into an event, and folding
 * a user's events into their feature state.
 *
 * Features per user: the last event (latest event time; the later arrival wins a tie) and the
 * number of events in the current 5-minute run: the last event and every earlier one reachable
 * through gaps of at most 5 minutes. The features are a function of the set of events, so arrival
 * order and batching do not change them, provided no event arrives later than the allowed
 * lateness: more than `allowedLatenessMs` older than the latest event the user's state already
 * holds. Such an event is not folded (it could only be folded wrong); it is returned as too late
 * for the caller to count in a metric.
 *
 * The state keeps the runs (start, end, count) that a not-too-late event could still join or
 * bridge: those ending within allowed lateness + 5 minutes of the latest event. Runs are more than
 * 5 minutes apart, so that is a handful whatever the event rate.
 *
 * Replays: the state remembers the last APPLIED_WINDOW sequence numbers it applied; an event whose
 * sequence number is among them (or older than all of them once the window is full) was already
 * counted and is dropped. Kinesis keeps a partition key's records in sequence-number order, and
 * Lambda replays from the lowest failed sequence number, so a replay only ever brings back events
 * the window knows.
 */
// zod/mini: the same validation, tree-shaken (the full build would be ~440 KiB of the bundle).
import * as z from "zod/mini";
import { FEATURES_ENV } from "./contract";

export const RUN_WINDOW_MS = 5 * 60_000;
/** How many applied sequence numbers a user's state remembers. */
export const APPLIED_WINDOW = 32;

const USER_ID = "a string of 1 to 128 characters";
const EVENT_TYPE = "a string of 1 to 64 characters";

/** An event as producers put it on the stream; each message says what the field must be. */
export const eventSchema = z.strictObject(
  {
    userId: z.string({ error: USER_ID }).check(z.minLength(1, USER_ID), z.maxLength(128, USER_ID)),
    eventType: z.string({ error: EVENT_TYPE }).check(z.minLength(1, EVENT_TYPE), z.maxLength(64, EVENT_TYPE)),
    timestamp: z.iso.datetime({ offset: true, error: "an ISO 8601 time with a zone, e.g. 2026-11-28T10:00:00Z" }),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown field(s) ${issue.keys.join(", ")}; an event has userId, eventType and timestamp`
        : "a JSON object with userId, eventType and timestamp",
  },
);

export type RawEvent = z.infer<typeof eventSchema>;

export interface FeatureEvent {
  readonly userId: string;
  readonly eventType: string;
  readonly timeMs: number;
  /** The Kinesis sequence number (a decimal string up to 128 bits). */
  readonly sequenceNumber: string;
}

/** Events whose times are chained by gaps of at most RUN_WINDOW_MS. */
export interface EventRun {
  readonly startMs: number;
  readonly endMs: number;
  readonly count: number;
}

export interface UserFeatures {
  readonly userId: string;
  readonly lastEventTime: string;
  readonly lastEventTimeMs: number;
  readonly lastEventType: string;
  /** The last event's sequence number: a later arrival at the same event time replaces it. */
  readonly lastSequenceNumber: string;
  /** Events in the current 5-minute run. */
  readonly recentEventCount: number;
  /** Runs a late event could still join, oldest first; the last is the current run. */
  readonly recentRuns: readonly EventRun[];
  /** Ascending, at most APPLIED_WINDOW. */
  readonly appliedSequenceNumbers: readonly string[];
  /** Incremented by every write; writes are conditional on it. */
  readonly version: number;
}

export type ParseResult =
  { readonly ok: true; readonly event: FeatureEvent } | { readonly ok: false; readonly reason: string };

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
    return {
      ok: false,
      reason: parsed.error.issues.map((i) => `${i.path.join(".") || "(event)"}: ${i.message}`).join("; "),
    };
  }
  return {
    ok: true,
    event: {
      userId: parsed.data.userId,
      eventType: parsed.data.eventType,
      timeMs: Date.parse(parsed.data.timestamp),
      sequenceNumber,
    },
  };
}

export const compareSeq = (a: string, b: string): number =>
  BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;

/** Whether the state already counted the event with this sequence number. */
export function alreadyApplied(state: UserFeatures | undefined, sequenceNumber: string): boolean {
  if (!state) return false;
  const applied = state.appliedSequenceNumbers;
  if (applied.includes(sequenceNumber)) return true;
  return applied.length >= APPLIED_WINDOW && compareSeq(sequenceNumber, applied[0]) < 0;
}

/** The runs after adding an event at `timeMs`: it falls inside a run, extends one, bridges two, or starts its own. */
export function addToRuns(runs: readonly EventRun[], timeMs: number): EventRun[] {
  const before = runs.filter((r) => r.endMs < timeMs);
  const after = runs.filter((r) => r.startMs > timeMs);
  const inside = runs.find((r) => r.startMs <= timeMs && timeMs <= r.endMs);
  if (inside) return runs.map((r) => (r === inside ? { ...r, count: r.count + 1 } : r));
  const left = before.at(-1);
  const right = after[0];
  const joinsLeft = left !== undefined && timeMs - left.endMs <= RUN_WINDOW_MS;
  const joinsRight = right !== undefined && right.startMs - timeMs <= RUN_WINDOW_MS;
  const merged: EventRun = {
    startMs: joinsLeft ? left.startMs : timeMs,
    endMs: joinsRight ? right.endMs : timeMs,
    count: 1 + (joinsLeft ? left.count : 0) + (joinsRight ? right.count : 0),
  };
  return [...(joinsLeft ? before.slice(0, -1) : before), merged, ...(joinsRight ? after.slice(1) : after)];
}

export interface FoldResult {
  /** The next state, or undefined when no event changed it (all replays or too late): nothing to write. */
  readonly next: UserFeatures | undefined;
  /** Events older than the allowed lateness: not folded, for the caller to count. */
  readonly tooLate: readonly FeatureEvent[];
}

/** The user's next state after `events` (all of one user). */
export function foldEvents(
  userId: string,
  state: UserFeatures | undefined,
  events: readonly FeatureEvent[],
  allowedLatenessMs: number,
): FoldResult {
  const seen = new Set<string>();
  // Adding to runs and picking the latest do not depend on order, so the batch is folded as it came.
  const fresh = events.filter(
    (e) =>
      e.userId === userId &&
      !alreadyApplied(state, e.sequenceNumber) &&
      !seen.has(e.sequenceNumber) &&
      seen.add(e.sequenceNumber),
  );
  // Only the state's latest event can make an event of this batch too late: the batch's own are folded whatever their order.
  const tooLate = state ? fresh.filter((e) => e.timeMs < state.lastEventTimeMs - allowedLatenessMs) : [];
  const folded = fresh.filter((e) => !tooLate.includes(e));
  if (folded.length === 0) return { next: undefined, tooLate };

  let last = state
    ? { timeMs: state.lastEventTimeMs, type: state.lastEventType, seq: state.lastSequenceNumber }
    : undefined;
  let runs: readonly EventRun[] = state?.recentRuns ?? [];
  for (const event of folded) {
    runs = addToRuns(runs, event.timeMs);
    if (
      !last ||
      event.timeMs > last.timeMs ||
      (event.timeMs === last.timeMs && compareSeq(event.sequenceNumber, last.seq) > 0)
    ) {
      last = { timeMs: event.timeMs, type: event.eventType, seq: event.sequenceNumber };
    }
  }
  const latest = last as { timeMs: number; type: string; seq: string };
  // A run ending before this can neither be joined nor bridged by an event that is not too late.
  const horizon = latest.timeMs - allowedLatenessMs - RUN_WINDOW_MS;
  const recentRuns = runs.filter((r) => r.endMs >= horizon);
  const applied = [...(state?.appliedSequenceNumbers ?? []), ...folded.map((e) => e.sequenceNumber)]
    .sort(compareSeq)
    .slice(-APPLIED_WINDOW);
  return {
    next: {
      userId,
      lastEventTime: new Date(latest.timeMs).toISOString(),
      lastEventTimeMs: latest.timeMs,
      lastEventType: latest.type,
      lastSequenceNumber: latest.seq,
      recentEventCount: (recentRuns.at(-1) as EventRun).count,
      recentRuns,
      appliedSequenceNumbers: applied,
      version: (state?.version ?? 0) + 1,
    },
    tooLate,
  };
}

/** The allowed lateness the component passes in the environment (whole milliseconds, at most a day). */
export function allowedLatenessFromEnv(value: string | undefined): number {
  const ms = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || ms > 24 * 3600_000) {
    throw new Error(
      `${FEATURES_ENV.allowedLatenessMs} is "${value}": it must be whole milliseconds from 0 to 86400000 (set from ml.allowedLatenessMinutes by the FeaturePipeline component)`,
    );
  }
  return ms;
}
