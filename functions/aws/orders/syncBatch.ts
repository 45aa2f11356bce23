/**
 * One batch of the order sync consumer, at least once and idempotent: parse every message, send
 * the refused ones to the dead-letter topic with the reason (they never block the partition),
 * write the valid ones in one staging load and one set-based merge with one commit, and only then
 * say which offsets may be committed. A write that fails commits no offset: the batch comes again,
 * and the merge (newest version wins, the staging load is keyed by its offsets) makes the repeat
 * change nothing.
 *
 * A row the *database* refuses for its data (a DATA_ERRORS code, oracleErrors.ts) must not block
 * the partition either: the write is split in halves until the refused rows stand alone — k refused
 * rows among n cost O(k log n) round trips, and none when there are none — each refused row is
 * dead-lettered with the database's code, and every other row is written. Why a split rather than
 * batchErrors or DML error logging: the staging insert could report its rows with batchErrors, but
 * the merge is one PL/SQL call whose row errors surface as one exception, and error logging would
 * need an error table per target and a schema change; the split finds the rows for both steps with
 * no schema change, and refused rows are rare. Any other error (default deny) fails the batch.
 */
import { type OrderEvent, parseOrderEvent } from "./event";
import { dataErrorOf, refusalReason } from "./oracleErrors";

/** A consumed message. */
export interface SyncMessage {
  readonly partition: number;
  /** The message's offset (Kafka's int64, as a decimal string). */
  readonly offset: string;
  readonly key?: string;
  readonly value?: string;
}

/** Writes a batch's valid events: one staging load, the merge, one commit. */
export interface StagingWriter {
  /** merged: orders inserted or updated; conflicts: Idempotency-Keys newly found reused for another order (recorded in order_conflicts). */
  write(
    loadId: string,
    events: readonly OrderEvent[],
  ): Promise<{ readonly merged: number; readonly conflicts: number }>;
}

/** Where refused messages go, each with why. */
export interface DeadLetters {
  send(messages: ReadonlyArray<{ readonly message: SyncMessage; readonly reason: string }>): Promise<void>;
}

export interface BatchResult {
  /** The offset to commit per partition: the next one to read. */
  readonly commit: ReadonlyMap<number, string>;
  readonly written: number;
  readonly merged: number;
  /** Creates whose Idempotency-Key another request already holds: recorded, not applied. */
  readonly conflicts: number;
  readonly deadLettered: number;
}

/** The staging load's id: the partition and offset range, so a replayed batch reuses it. */
export function loadIdOf(messages: readonly SyncMessage[]): string {
  const ranges = new Map<number, { first: bigint; last: bigint }>();
  for (const m of messages) {
    const offset = BigInt(m.offset);
    const r = ranges.get(m.partition);
    ranges.set(
      m.partition,
      r
        ? { first: offset < r.first ? offset : r.first, last: offset > r.last ? offset : r.last }
        : { first: offset, last: offset },
    );
  }
  return [...ranges.entries()]
    .sort(([a], [b]) => a - b)
    .map(([p, r]) => `p${p}:${r.first}-${r.last}`)
    .join(",");
}

/** The next offset to read after each partition's last message. */
export function commitOffsets(messages: readonly SyncMessage[]): Map<number, string> {
  const next = new Map<number, bigint>();
  for (const m of messages) {
    const after = BigInt(m.offset) + 1n;
    if (after > (next.get(m.partition) ?? -1n)) next.set(m.partition, after);
  }
  return new Map([...next.entries()].map(([p, o]) => [p, o.toString()]));
}

export async function processBatch(
  messages: readonly SyncMessage[],
  writer: StagingWriter,
  deadLetters: DeadLetters,
): Promise<BatchResult> {
  const valid: Parsed[] = [];
  const refused: Array<{ message: SyncMessage; reason: string }> = [];
  for (const message of messages) {
    const parsed = parseOrderEvent(message.key, message.value);
    if (parsed.ok) valid.push({ message, event: parsed.event });
    else refused.push({ message, reason: parsed.reason });
  }
  // Refused messages first: if the write then fails, the batch comes again and they are sent again
  // (the dead-letter topic is at least once too), but none is ever lost.
  if (refused.length) await deadLetters.send(refused);
  const written = valid.length ? await writeSplitting(valid, writer) : { merged: 0, conflicts: 0, refused: [] };
  // The database's refusals before the commit: a failed send fails the batch, and it comes again.
  if (written.refused.length) await deadLetters.send(written.refused);
  return {
    commit: commitOffsets(messages),
    written: valid.length - written.refused.length,
    merged: written.merged,
    conflicts: written.conflicts,
    deadLettered: refused.length + written.refused.length,
  };
}

export interface Parsed {
  readonly message: SyncMessage;
  readonly event: OrderEvent;
}

/**
 * Writes `rows` as one load; when the database refuses it for a row's data, writes each half
 * (a load of its own, named by its offsets) until the refused rows are alone, and returns them.
 */
export async function writeSplitting(
  rows: readonly Parsed[],
  writer: StagingWriter,
): Promise<{ merged: number; conflicts: number; refused: Array<{ message: SyncMessage; reason: string }> }> {
  try {
    const { merged, conflicts } = await writer.write(
      loadIdOf(rows.map((r) => r.message)),
      rows.map((r) => r.event),
    );
    return { merged, conflicts, refused: [] };
  } catch (err) {
    if (!dataErrorOf(err)) throw err;
    if (rows.length === 1)
      return { merged: 0, conflicts: 0, refused: [{ message: rows[0].message, reason: refusalReason(err) }] };
    const half = Math.ceil(rows.length / 2);
    const first = await writeSplitting(rows.slice(0, half), writer);
    const second = await writeSplitting(rows.slice(half), writer);
    return {
      merged: first.merged + second.merged,
      conflicts: first.conflicts + second.conflicts,
      refused: [...first.refused, ...second.refused],
    };
  }
}
