import { expect } from "chai";
import { FeatureCache, processBatch } from "../../functions/aws/features/batch";
import {
  addToRuns,
  allowedLatenessFromEnv,
  APPLIED_WINDOW,
  FeatureEvent,
  foldEvents,
  parseRecord,
  UserFeatures,
} from "../../functions/aws/features/features";
import {
  fromItem,
  MalformedFeatureItem,
  readFeatures,
  readManyFeatures,
  toItem,
} from "../../functions/aws/features/store";
import { createFeatureTable, LocalDynamo, startDynalite } from "./support/dynalite";
import { kinesisRecord } from "./support/kinesis";

const T0 = Date.parse("2026-11-28T10:00:00.000Z");
const min = (n: number) => n * 60_000;
const event = (userId: string, at: number, eventType = "click") => ({
  userId,
  eventType,
  timestamp: new Date(at).toISOString(),
});
const quietLog = { warn: () => undefined, error: () => undefined };

describe("feature folding (pure)", () => {
  const ev = (timeMs: number, seq: number, type = "view"): FeatureEvent => ({
    userId: "u",
    eventType: type,
    timeMs,
    sequenceNumber: String(seq),
  });
  const fold = (state: UserFeatures | undefined, events: FeatureEvent[], lateness = min(15)) =>
    foldEvents("u", state, events, lateness).next;

  it("counts a run of events within 5 minutes and restarts after a longer gap", () => {
    const s = fold(undefined, [ev(T0, 1), ev(T0 + min(4), 2), ev(T0 + min(8), 3), ev(T0 + min(14), 4, "buy")]);
    expect(s).to.deep.include({
      recentEventCount: 1,
      lastEventType: "buy",
      lastEventTimeMs: T0 + min(14),
      lastSequenceNumber: "4",
      version: 1,
    });
    const t = fold(undefined, [ev(T0, 1), ev(T0 + min(5), 2), ev(T0 + min(10), 3)]);
    expect(t?.recentEventCount, "gaps of exactly 5 minutes stay in the run").to.equal(3);
    expect(
      fold(undefined, [ev(T0, 1), ev(T0 + min(5) + 1, 2)])?.recentEventCount,
      "5 minutes and 1 ms restarts",
    ).to.equal(1);
  });

  it("gives the same state whatever order the batch's records come in", () => {
    const events = [ev(T0 + min(2), 10, "c"), ev(T0, 11, "a"), ev(T0 + min(1), 12, "b")];
    const inOrder = fold(
      undefined,
      [...events].sort((a, b) => a.timeMs - b.timeMs),
    );
    expect(fold(undefined, events)).to.deep.equal(inOrder);
    expect(inOrder).to.deep.include({ recentEventCount: 3, lastEventType: "c" });
  });

  it("at the same event time, the later arrival is the last event, in one batch or two", () => {
    expect(fold(undefined, [ev(T0, 2, "second"), ev(T0, 1, "first")])).to.deep.include({
      lastEventType: "second",
      lastSequenceNumber: "2",
      recentEventCount: 2,
    });
    const first = fold(undefined, [ev(T0, 1, "first")]);
    expect(fold(first, [ev(T0, 2, "second")])).to.deep.include({ lastEventType: "second", recentEventCount: 2 });
    const second = fold(undefined, [ev(T0, 2, "second")]);
    expect(fold(second, [ev(T0 - 1, 3, "earlier")])).to.deep.include({
      lastEventType: "second",
      lastEventTimeMs: T0,
      recentEventCount: 2,
    });
  });

  it("a late event joins the current run, bridges two runs, or starts an old run of its own", () => {
    const base = fold(undefined, [ev(T0 + min(10), 1)]);
    expect(fold(base, [ev(T0 + min(7), 2)])).to.deep.include({ recentEventCount: 2, lastEventTimeMs: T0 + min(10) });
    // Runs at T0 (2 events) and T0+10 min are 10 minutes apart; an event at T0+5 min bridges them.
    const twoRuns = fold(undefined, [ev(T0 - min(1), 1), ev(T0, 2), ev(T0 + min(10), 3)]);
    expect(twoRuns?.recentRuns).to.deep.equal([
      { startMs: T0 - min(1), endMs: T0, count: 2 },
      { startMs: T0 + min(10), endMs: T0 + min(10), count: 1 },
    ]);
    expect(fold(twoRuns, [ev(T0 + min(5), 4)])).to.deep.include({
      recentEventCount: 4,
      recentRuns: [{ startMs: T0 - min(1), endMs: T0 + min(10), count: 4 }],
    });
    expect(fold(base, [ev(T0, 3)])).to.deep.include({ recentEventCount: 1, lastEventTimeMs: T0 + min(10) });
  });

  it("does not fold an event later than the allowed lateness; returns it as too late", () => {
    const base = fold(undefined, [ev(T0 + min(30), 1)]);
    const atBound = foldEvents("u", base, [ev(T0 + min(10), 2)], min(20));
    expect(atBound.tooLate).to.deep.equal([]);
    expect(atBound.next?.appliedSequenceNumbers).to.deep.equal(["1", "2"]);
    const beyond = foldEvents("u", base, [ev(T0 + min(10) - 1, 3), ev(T0 + min(31), 4)], min(20));
    expect(beyond.tooLate.map((e) => e.sequenceNumber)).to.deep.equal(["3"]);
    expect(beyond.next).to.deep.include({ recentEventCount: 2, appliedSequenceNumbers: ["1", "4"] });
    expect(foldEvents("u", base, [ev(T0, 5)], min(20))).to.deep.equal({ next: undefined, tooLate: [ev(T0, 5)] });
  });

  it("keeps only the runs a not-too-late event could still reach", () => {
    const s = fold(undefined, [ev(T0, 1), ev(T0 + min(20), 2), ev(T0 + min(40), 3)], min(10));
    // Horizon: 40 − 10 − 5 = 25 minutes; the runs ending at 0 and 20 minutes are gone.
    expect(s?.recentRuns).to.deep.equal([{ startMs: T0 + min(40), endMs: T0 + min(40), count: 1 }]);
    const t = fold(undefined, [ev(T0 + min(25), 1), ev(T0 + min(40), 2)], min(10));
    expect(
      t?.recentRuns.map((r) => r.endMs),
      "a run ending exactly at the horizon stays",
    ).to.deep.equal([T0 + min(25), T0 + min(40)]);
  });

  it("addToRuns: inside, extend either side, bridge, or alone", () => {
    const runs = [
      { startMs: 0, endMs: min(2), count: 3 },
      { startMs: min(20), endMs: min(21), count: 2 },
    ];
    expect(addToRuns(runs, min(1))).to.deep.equal([{ startMs: 0, endMs: min(2), count: 4 }, runs[1]]);
    expect(addToRuns(runs, min(7))).to.deep.equal([{ startMs: 0, endMs: min(7), count: 4 }, runs[1]]);
    expect(addToRuns(runs, min(15))).to.deep.equal([runs[0], { startMs: min(15), endMs: min(21), count: 3 }]);
    expect(addToRuns(runs, min(10))).to.deep.equal([
      ...runs.slice(0, 1),
      { startMs: min(10), endMs: min(10), count: 1 },
      runs[1],
    ]);
    expect(addToRuns([runs[0], { startMs: min(12), endMs: min(13), count: 1 }], min(7))).to.deep.equal([
      { startMs: 0, endMs: min(13), count: 5 },
    ]);
    expect(addToRuns(runs, min(30))).to.deep.equal([...runs, { startMs: min(30), endMs: min(30), count: 1 }]);
    expect(addToRuns([], 5)).to.deep.equal([{ startMs: 5, endMs: 5, count: 1 }]);
  });

  it("drops events already applied, including ones older than a full window", () => {
    const many = Array.from({ length: APPLIED_WINDOW + 5 }, (_, i) => ev(T0 + i * 1000, 100 + i));
    const s = fold(undefined, many);
    expect(s?.appliedSequenceNumbers).to.have.length(APPLIED_WINDOW);
    expect(s?.appliedSequenceNumbers[0]).to.equal(String(105));
    expect(fold(s, many)).to.equal(undefined);
    expect(fold(s, [ev(T0, 1)])).to.equal(undefined);
    expect(fold(s, [ev(T0 + min(1), 1000)])?.recentEventCount).to.equal(APPLIED_WINDOW + 6);
    const partial = fold(undefined, [ev(T0, 50)]);
    expect(
      fold(partial, [ev(T0 + 1, 10)])?.recentEventCount,
      "a lower sequence number is new while the window is not full",
    ).to.equal(2);
    expect(
      fold(undefined, [ev(T0, 7), ev(T0, 7)])?.recentEventCount,
      "a duplicate inside one batch counts once",
    ).to.equal(1);
  });

  it("ignores another user's events", () => {
    expect(foldEvents("u", undefined, [{ ...ev(T0, 1), userId: "v" }], 0)).to.deep.equal({
      next: undefined,
      tooLate: [],
    });
  });

  it("reads the allowed lateness from the environment, refusing what is not whole milliseconds up to a day", () => {
    expect(allowedLatenessFromEnv("0")).to.equal(0);
    expect(allowedLatenessFromEnv("86400000")).to.equal(86_400_000);
    for (const bad of [undefined, "", "-1", "1.5", "86400001", "15m"])
      expect(() => allowedLatenessFromEnv(bad), bad).to.throw(
        /^FEATURE_ALLOWED_LATENESS_MS is ".*": it must be whole milliseconds/,
      );
  });

  it("explains malformed records", () => {
    expect(parseRecord(Buffer.from("{nope").toString("base64"), "1")).to.deep.equal({
      ok: false,
      reason: "data is not JSON",
    });
    const missing = parseRecord(
      Buffer.from(JSON.stringify({ userId: "u", timestamp: "2026-11-28T10:00:00Z" })).toString("base64"),
      "1",
    );
    expect(missing.ok === false && missing.reason).to.match(/^eventType: /);
    const wrongType = parseRecord(
      Buffer.from(JSON.stringify({ userId: 7, eventType: "x", timestamp: "yesterday" })).toString("base64"),
      "1",
    );
    expect(wrongType.ok === false && wrongType.reason).to.match(/userId: .*; timestamp: /);
    const reason = (value: unknown) => {
      const result = parseRecord(Buffer.from(JSON.stringify(value)).toString("base64"), "1");
      return result.ok ? "parsed" : result.reason;
    };
    expect(reason([])).to.equal("(event): a JSON object with userId, eventType and timestamp");
    expect(reason({ userId: "u", eventType: "x", timestamp: "2026-11-28T10:00:00Z", extra: 1, more: 2 })).to.equal(
      "(event): unknown field(s) extra, more; an event has userId, eventType and timestamp",
    );
    expect(reason({ userId: "", eventType: "x".repeat(65), timestamp: "2026-11-28 10:00" })).to.equal(
      "userId: a string of 1 to 128 characters; eventType: a string of 1 to 64 characters; timestamp: an ISO 8601 time with a zone, e.g. 2026-11-28T10:00:00Z",
    );
    expect(reason({ userId: "u".repeat(129), eventType: 3, timestamp: "2026-11-28T10:00:00Z" })).to.equal(
      "userId: a string of 1 to 128 characters; eventType: a string of 1 to 64 characters",
    );
    const parsed = parseRecord(
      Buffer.from(JSON.stringify({ userId: "u", eventType: "x", timestamp: "2026-11-28T10:00:00+01:00" })).toString(
        "base64",
      ),
      "9",
    );
    expect(parsed).to.deep.equal({
      ok: true,
      event: { userId: "u", eventType: "x", timeMs: Date.parse("2026-11-28T09:00:00Z"), sequenceNumber: "9" },
    });
  });

  it("stores and reads back every feature; a malformed item names its attribute", () => {
    const s = fold(undefined, [ev(T0, 1), ev(T0 + min(20), 2)]) as UserFeatures;
    expect(fromItem(toItem(s))).to.deep.equal(s);
    expect(fromItem(undefined)).to.equal(undefined);
    const item = toItem(s);
    expect(() => fromItem({ ...item, version: { S: "1" } })).to.throw(
      MalformedFeatureItem,
      "feature item of user u: attribute version is not a number",
    );
    expect(() =>
      fromItem({ ...item, recentRuns: { L: [{ M: { startMs: { N: "1" }, endMs: { N: "x" }, count: { N: "1" } } }] } }),
    ).to.throw("attribute recentRuns[0].endMs is not a number");
    expect(() => fromItem({ ...item, appliedSequenceNumbers: { L: [{ N: "1" }] } })).to.throw(
      "attribute appliedSequenceNumbers[0] is not a string",
    );
    expect(() => fromItem({ ...item, recentRuns: { S: "[]" } })).to.throw("attribute recentRuns is not a list");
    expect(() => fromItem({ lastEventTime: item.lastEventTime })).to.throw("attribute userId is not a string");
    const kinds: Record<string, string> = {
      lastEventTime: "string",
      lastEventTimeMs: "number",
      lastEventType: "string",
      lastSequenceNumber: "string",
      recentEventCount: "number",
      recentRuns: "list",
      appliedSequenceNumbers: "list",
      version: "number",
    };
    for (const [attribute, kind] of Object.entries(kinds)) {
      const without = Object.fromEntries(Object.entries(item).filter(([k]) => k !== attribute));
      expect(() => fromItem(without), attribute).to.throw(
        MalformedFeatureItem,
        `feature item of user u: attribute ${attribute} is not a ${kind}`,
      );
    }
    for (const field of ["startMs", "count"]) {
      const run = { M: { startMs: { N: "1" }, endMs: { N: "2" }, count: { N: "1" }, [field]: { S: "x" } } };
      expect(() => fromItem({ ...item, recentRuns: { L: [run] } }), field).to.throw(
        `attribute recentRuns[0].${field} is not a number`,
      );
    }
    // A run that is not a map is malformed, not a crash.
    expect(() => fromItem({ ...item, recentRuns: { L: [{ N: "1" }] } })).to.throw(
      MalformedFeatureItem,
      "attribute recentRuns[0].startMs is not a number",
    );
    expect(() => fromItem({ ...item, userId: { N: "1" } })).to.throw(
      MalformedFeatureItem,
      "attribute userId is not a string",
    );
    expect(() => fromItem({ ...item, lastEventTimeMs: { N: "soon" } })).to.throw(
      "attribute lastEventTimeMs is not a number",
    );
  });
});

describe("feature handler against dynalite (real DynamoDB API)", () => {
  let dynamo: LocalDynamo;
  let table: string;
  let tableCount = 0;
  const deps = (cache = new FeatureCache()) => ({
    ddb: dynamo.client,
    table,
    cache,
    log: quietLog,
    allowedLatenessMs: min(15),
  });

  before(async () => {
    dynamo = await startDynalite();
  });
  after(async () => dynamo.stop());
  beforeEach(async () => {
    table = `features-${++tableCount}`;
    await createFeatureTable(dynamo.client, table);
    dynamo.resetCount();
  });

  it("handles records out of order inside a batch by event time", async () => {
    const records = [
      kinesisRecord(event("ana", T0 + min(3), "checkout")),
      kinesisRecord(event("ana", T0, "view")),
      kinesisRecord(event("ana", T0 + min(1), "cart")),
    ];
    const res = await processBatch(records, deps());
    expect(res.batchItemFailures).to.deep.equal([]);
    expect(await readFeatures(dynamo.client, table, "ana")).to.deep.include({
      recentEventCount: 3,
      lastEventType: "checkout",
      lastEventTime: new Date(T0 + min(3)).toISOString(),
    });
  });

  it("never double counts a replayed batch, in a warm or a cold container", async () => {
    const batch = [
      kinesisRecord(event("bo", T0)),
      kinesisRecord(event("bo", T0 + min(1))),
      kinesisRecord(event("cy", T0)),
    ];
    const warm = new FeatureCache();
    await processBatch(batch, deps(warm));
    const first = await readFeatures(dynamo.client, table, "bo");
    dynamo.resetCount();
    await processBatch(batch, deps(warm));
    expect(dynamo.total(), "warm replay sends nothing").to.equal(0);
    await processBatch(batch, deps(new FeatureCache()));
    expect(await readFeatures(dynamo.client, table, "bo")).to.deep.equal(first);
    expect(first).to.deep.include({ recentEventCount: 2, version: 1 });
    // Lambda resumes from a failed record: the tail comes again with new records after it.
    await processBatch([batch[1], batch[2], kinesisRecord(event("bo", T0 + min(2)))], deps(new FeatureCache()));
    expect(await readFeatures(dynamo.client, table, "bo")).to.deep.include({ recentEventCount: 3, version: 2 });
  });

  it("never loses an update when invocations write the same user concurrently", async () => {
    const records = Array.from({ length: 20 }, (_, i) => kinesisRecord(event("dee", T0 + i * 1000)));
    // 20 containers, each with its own (empty) cache, each with one event, all at once.
    const results = await Promise.all(records.map((r) => processBatch([r], deps(new FeatureCache()))));
    const reported = results.flatMap((r) => r.batchItemFailures.map((f) => f.itemIdentifier));
    // Every event is either applied or reported for retry, never dropped.
    expect(await readFeatures(dynamo.client, table, "dee")).to.deep.include({
      recentEventCount: 20 - reported.length,
      version: 20 - reported.length,
    });
    // Lambda's retry of the reported records completes the count.
    const retry = await processBatch(
      records.filter((r) => reported.includes(r.kinesis.sequenceNumber)),
      deps(new FeatureCache()),
    );
    expect(retry.batchItemFailures).to.deep.equal([]);
    expect(await readFeatures(dynamo.client, table, "dee")).to.deep.include({
      recentEventCount: 20,
      lastEventTime: new Date(T0 + 19_000).toISOString(),
    });
  });

  it("reports malformed records as batch item failures and still applies the rest", async () => {
    const bad = [
      kinesisRecord("not json"),
      kinesisRecord({ userId: "eve", timestamp: new Date(T0).toISOString() }),
      kinesisRecord({ userId: "eve", eventType: 42, timestamp: new Date(T0).toISOString() }),
    ];
    const good = [kinesisRecord(event("eve", T0)), kinesisRecord(event("eve", T0 + 1000))];
    const res = await processBatch([good[0], ...bad, good[1]], deps());
    expect(res.batchItemFailures).to.deep.equal(bad.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })));
    expect(await readFeatures(dynamo.client, table, "eve")).to.deep.include({ recentEventCount: 2 });
  });

  it("makes one conditional write per user per batch; a container reads only users it has not seen, in one request", async () => {
    const users = Array.from({ length: 10 }, (_, i) => `user-${i}`);
    const batch = (offset: number) =>
      Array.from({ length: 100 }, (_, i) => kinesisRecord(event(users[i % 10], T0 + offset + i * 100)));
    const cache = new FeatureCache();
    await processBatch(batch(0), deps(cache));
    expect(Object.fromEntries(dynamo.requests)).to.deep.equal({ BatchGetItemCommand: 1, PutItemCommand: 10 });
    dynamo.resetCount();
    await processBatch(batch(min(1)), deps(cache));
    expect(Object.fromEntries(dynamo.requests), "warm container: writes only").to.deep.equal({ PutItemCommand: 10 });
    dynamo.resetCount();
    await processBatch(batch(min(2)), deps(new FeatureCache()));
    expect(Object.fromEntries(dynamo.requests), "cold container, known users: no failed blind writes").to.deep.equal({
      BatchGetItemCommand: 1,
      PutItemCommand: 10,
    });
    expect(await readFeatures(dynamo.client, table, "user-3")).to.deep.include({ recentEventCount: 30, version: 3 });
  });

  it("reads many users 100 keys per request, absent users as undefined", async () => {
    await processBatch([kinesisRecord(event("u-7", T0)), kinesisRecord(event("u-150", T0))], deps());
    dynamo.resetCount();
    const ids = Array.from({ length: 250 }, (_, i) => `u-${i}`);
    const read = await readManyFeatures(dynamo.client, table, ids);
    expect(dynamo.requests.get("BatchGetItemCommand")).to.equal(3);
    expect([...read.keys()].sort()).to.deep.equal([...ids].sort());
    expect(
      [...read.entries()]
        .filter(([, v]) => v)
        .map(([k]) => k)
        .sort(),
    ).to.deep.equal(["u-150", "u-7"]);
    expect(read.get("u-7")).to.deep.include({ recentEventCount: 1, version: 1 });
  });

  it("counts events later than the allowed lateness, warns once per user, and folds the rest", async () => {
    const warnings: Array<[string, Record<string, unknown> | undefined]> = [];
    const log = {
      ...quietLog,
      warn: (message: string, extra?: Record<string, unknown>) => void warnings.push([message, extra]),
    };
    await processBatch([kinesisRecord(event("hal", T0 + min(30)))], { ...deps(), log });
    const late = [
      kinesisRecord(event("hal", T0)),
      kinesisRecord(event("hal", T0 + min(1))),
      kinesisRecord(event("hal", T0 + min(28))),
    ];
    const outcome = await processBatch(late, { ...deps(), log, allowedLatenessMs: min(10) });
    expect(outcome).to.deep.equal({ tooLateEvents: 2, batchItemFailures: [] });
    expect(warnings).to.deep.equal([
      ["events later than the allowed lateness were not folded", { userId: "hal", events: 2 }],
    ]);
    expect(await readFeatures(dynamo.client, table, "hal")).to.deep.include({ recentEventCount: 2, version: 2 });
  });

  it("reports every record of a user whose write fails, in stream order", async () => {
    const records = [
      kinesisRecord(event("fay", T0)),
      kinesisRecord(event("gus", T0)),
      kinesisRecord(event("fay", T0 + 1)),
    ];
    const res = await processBatch(records, { ...deps(), table: "no-such-table" });
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).to.deep.equal(
      records.map((r) => r.kinesis.sequenceNumber),
    );
  });
});
