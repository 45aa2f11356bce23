/**
 * The batch path's export: the day's order events from the orders topic into one staging file in
 * S3. The topic is the record of what the API accepted (its retention covers the days a re-run may
 * need), so the batch feed and the event path cannot disagree about what happened; the merge makes
 * the overlap harmless. Offsets come from the brokers' time index; every message is checked
 * against the day again (the index is a lookup aid, the timestamp is the rule). Messages that are
 * not valid events are counted with their reasons (the event path dead-letters them), not written.
 */
import { createHash } from "node:crypto";
import { parseOrderEvent, type OrderEvent } from "../orders/event";
import { batchLoadId, dayObjectKey } from "./contract";
import { stagingCsv } from "./csv";
import type { Day } from "./day";

export interface TopicMessage {
  readonly partition: number;
  /** Kafka's int64 offset as a decimal string. */
  readonly offset: string;
  /** Milliseconds since the epoch, as Kafka reports it (a decimal string). */
  readonly timestamp: string;
  readonly key?: string;
  readonly value?: string;
}

export interface OffsetRange {
  readonly partition: number;
  /** First offset to read. */
  readonly from: string;
  /** First offset not to read. */
  readonly to: string;
}

export interface TopicSource {
  /** Per partition, the first offset at or after `ms` (the end of the log when none is). */
  offsetsAt(ms: number): Promise<ReadonlyMap<number, string>>;
  /** The messages of each range, in offset order per partition. */
  read(ranges: readonly OffsetRange[]): Promise<TopicMessage[]>;
}

export interface ObjectSink {
  put(key: string, body: string, sha256: string): Promise<void>;
}

export interface ExportResult {
  readonly date: string;
  readonly key: string;
  readonly events: number;
  /** Reasons of the messages not written, with how many each. */
  readonly refused: Readonly<Record<string, number>>;
  readonly bytes: number;
  readonly sha256: string;
}

/** The ranges between two offset maps, partitions with nothing to read left out. */
export function rangesBetween(starts: ReadonlyMap<number, string>, ends: ReadonlyMap<number, string>): OffsetRange[] {
  const ranges: OffsetRange[] = [];
  for (const [partition, from] of [...starts.entries()].sort(([a], [b]) => a - b)) {
    const to = ends.get(partition);
    if (to === undefined) throw new Error(`partition ${partition} has a start offset but no end offset`);
    if (BigInt(from) < BigInt(to)) ranges.push({ partition, from, to });
  }
  return ranges;
}

export async function exportDay(day: Day, source: TopicSource, sink: ObjectSink): Promise<ExportResult> {
  const ranges = rangesBetween(await source.offsetsAt(day.startMs), await source.offsetsAt(day.endMs));
  const messages = await source.read(ranges);
  const events: Array<{ event: OrderEvent; partition: number; offset: bigint }> = [];
  const refused: Record<string, number> = {};
  for (const m of messages) {
    const at = Number(m.timestamp);
    if (!(at >= day.startMs && at < day.endMs)) continue;
    const parsed = parseOrderEvent(m.key, m.value);
    if (parsed.ok) events.push({ event: parsed.event, partition: m.partition, offset: BigInt(m.offset) });
    else refused[parsed.reason] = (refused[parsed.reason] ?? 0) + 1;
  }
  // Partition, then offset: the same day gives the same file, whatever order the fetches came in.
  events.sort((a, b) => a.partition - b.partition || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
  const body = stagingCsv(
    batchLoadId(day.date),
    events.map((e) => e.event),
  );
  const sha256 = createHash("sha256").update(body).digest("hex");
  const key = dayObjectKey(day.date);
  await sink.put(key, body, sha256);
  return { date: day.date, key, events: events.length, refused, bytes: Buffer.byteLength(body), sha256 };
}
