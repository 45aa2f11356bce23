/**
 * Test user events for the recommendation engine: `count` interactions of `users` users with
 * `items` items — mostly views, some clicks, a few purchases, each user favouring a slice of the
 * catalogue so co-occurrence has something to find. Pure and deterministic for a given start time;
 * the CLI puts them on the stream.
 */
import type { UserEvent } from "../recommend/event";

export interface UserEventOptions {
  readonly count: number;
  readonly users: number;
  readonly items: number;
  /** The first event's time (ms); the next ones follow a second apart. */
  readonly startMs: number;
  /** Prefix of the event ids (a run's own, so runs never collide). */
  readonly runId: string;
}

export function userEvents(options: UserEventOptions): UserEvent[] {
  for (const [name, value] of [
    ["count", options.count],
    ["users", options.users],
    ["items", options.items],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  }
  return Array.from({ length: options.count }, (_, i) => {
    const user = i % options.users;
    // The catalogue in blocks of ten; each user browses within their own block, so users of one block co-occur.
    const blocks = Math.max(1, Math.floor(options.items / 10));
    const step = Math.floor(i / options.users);
    const item = ((user % blocks) * 10 + ((step * 3 + user) % 10)) % options.items;
    const roll = (i * 37) % 100;
    const kind = roll < 70 ? "view" : roll < 92 ? "click" : "purchase";
    return {
      eventId: `${options.runId}-${i}`,
      userId: `user-${user}`,
      itemId: `item-${item}`,
      kind,
      occurredAt: new Date(options.startMs + i * 1000).toISOString(),
    };
  });
}

/** The stream messages: key = user (one user's events stay in one partition, in order), value = the event's JSON. */
export function userEventMessages(events: readonly UserEvent[]): Array<{ key: string; value: string }> {
  return events.map((e) => ({ key: e.userId, value: JSON.stringify(e) }));
}
