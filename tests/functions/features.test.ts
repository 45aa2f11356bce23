import { expect } from "chai";
import { FeatureCache, processBatch } from "../../functions/aws/features/batch";
import { APPLIED_WINDOW, FeatureEvent, foldEvents, parseRecord } from "../../functions/aws/features/features";
import { readFeatures, readManyFeatures } from "../../functions/aws/features/store";
import { createFeatureTable, LocalDynamo, startDynalite } from "./support/dynalite";
import { kinesisRecord } from "./support/kinesis";

const T0 = Date.parse("2026-11-28T10:00:00.000Z");
const min = (n: number) => n * 60_000;
const event = (userId: string, at: number, eventType = "click") => ({ userId, eventType, timestamp: new Date(at).toISOString() });
const quietLog = { warn: () => undefined, error: () => undefined };

describe("feature folding (pure)", () => {
  const ev = (timeMs: number, seq: number, type = "view"): FeatureEvent => ({ userId: "u", eventType: type, timeMs, sequenceNumber: String(seq) });

  it("counts a run of events within 5 minutes and restarts after a longer gap", () => {
    const s = foldEvents("u", undefined, [ev(T0, 1), ev(T0 + min(4), 2), ev(T0 + min(8), 3), ev(T0 + min(14), 4, "buy")]);
    expect(s).to.deep.include({ recentEventCount: 1, lastEventType: "buy", lastEventTimeMs: T0 + min(14), version: 1 });
    const t = foldEvents("u", undefined, [ev(T0, 1), ev(T0 + min(5), 2), ev(T0 + min(10), 3)]);
    expect(t?.recentEventCount).to.equal(3);
  });

  it("gives the same state whatever order the batch's records come in", () => {
    const events = [ev(T0 + min(2), 10, "c"), ev(T0, 11, "a"), ev(T0 + min(1), 12, "b")];
    const inOrder = foldEvents("u", undefined, [...events].sort((a, b) => a.timeMs - b.timeMs));
    expect(foldEvents("u", undefined, events)).to.deep.equal(inOrder);
    expect(inOrder).to.deep.include({ recentEventCount: 3, lastEventType: "c" });
  });

  it("counts a late event inside the current run and ignores a stale one", () => {
    const base = foldEvents("u", undefined, [ev(T0 + min(10), 1)]);
    expect(foldEvents("u", base, [ev(T0 + min(7), 2)])).to.deep.include({ recentEventCount: 2, lastEventTimeMs: T0 + min(10) });
    expect(foldEvents("u", base, [ev(T0, 3)])).to.deep.include({ recentEventCount: 1, lastEventTimeMs: T0 + min(10) });
  });

  it("drops events already applied, including ones older than a full window", () => {
    const many = Array.from({ length: APPLIED_WINDOW + 5 }, (_, i) => ev(T0 + i * 1000, 100 + i));
    const s = foldEvents("u", undefined, many);
    expect(s?.appliedSequenceNumbers).to.have.length(APPLIED_WINDOW);
    expect(foldEvents("u", s, many)).to.equal(undefined);
    expect(foldEvents("u", s, [ev(T0, 1)])).to.equal(undefined);
    expect(foldEvents("u", s, [ev(T0 + min(1), 1000)])?.recentEventCount).to.equal(APPLIED_WINDOW + 6);
  });

  it("explains malformed records", () => {
    expect(parseRecord(Buffer.from("{nope").toString("base64"), "1")).to.deep.equal({ ok: false, reason: "data is not JSON" });
    const missing = parseRecord(Buffer.from(JSON.stringify({ userId: "u", timestamp: "2026-11-28T10:00:00Z" })).toString("base64"), "1");
    expect(missing.ok === false && missing.reason).to.match(/^eventType: /);
    const wrongType = parseRecord(Buffer.from(JSON.stringify({ userId: 7, eventType: "x", timestamp: "yesterday" })).toString("base64"), "1");
    expect(wrongType.ok === false && wrongType.reason).to.match(/userId: .*; timestamp: /);
  });
});

describe("feature handler against dynalite (real DynamoDB API)", () => {
  let dynamo: LocalDynamo;
  let table: string;
  let tableCount = 0;
  const deps = (cache = new FeatureCache()) => ({ ddb: dynamo.client, table, cache, log: quietLog });

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
    const records = [kinesisRecord(event("ana", T0 + min(3), "checkout")), kinesisRecord(event("ana", T0, "view")), kinesisRecord(event("ana", T0 + min(1), "cart"))];
    const res = await processBatch(records, deps());
    expect(res.batchItemFailures).to.deep.equal([]);
    expect(await readFeatures(dynamo.client, table, "ana")).to.deep.include({ recentEventCount: 3, lastEventType: "checkout", lastEventTime: new Date(T0 + min(3)).toISOString() });
  });

  it("never double counts a replayed batch, in a warm or a cold container", async () => {
    const batch = [kinesisRecord(event("bo", T0)), kinesisRecord(event("bo", T0 + min(1))), kinesisRecord(event("cy", T0))];
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
    expect(await readFeatures(dynamo.client, table, "dee")).to.deep.include({ recentEventCount: 20 - reported.length, version: 20 - reported.length });
    // Lambda's retry of the reported records completes the count.
    const retry = await processBatch(records.filter((r) => reported.includes(r.kinesis.sequenceNumber)), deps(new FeatureCache()));
    expect(retry.batchItemFailures).to.deep.equal([]);
    expect(await readFeatures(dynamo.client, table, "dee")).to.deep.include({ recentEventCount: 20, lastEventTime: new Date(T0 + 19_000).toISOString() });
  });

  it("reports malformed records as batch item failures and still applies the rest", async () => {
    const bad = [kinesisRecord("not json"), kinesisRecord({ userId: "eve", timestamp: new Date(T0).toISOString() }), kinesisRecord({ userId: "eve", eventType: 42, timestamp: new Date(T0).toISOString() })];
    const good = [kinesisRecord(event("eve", T0)), kinesisRecord(event("eve", T0 + 1000))];
    const res = await processBatch([good[0], ...bad, good[1]], deps());
    expect(res.batchItemFailures).to.deep.equal(bad.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })));
    expect(await readFeatures(dynamo.client, table, "eve")).to.deep.include({ recentEventCount: 2 });
  });

  it("makes one conditional write per user per batch; a container reads only users it has not seen, in one request", async () => {
    const users = Array.from({ length: 10 }, (_, i) => `user-${i}`);
    const batch = (offset: number) => Array.from({ length: 100 }, (_, i) => kinesisRecord(event(users[i % 10], T0 + offset + i * 100)));
    const cache = new FeatureCache();
    await processBatch(batch(0), deps(cache));
    expect(Object.fromEntries(dynamo.requests)).to.deep.equal({ BatchGetItemCommand: 1, PutItemCommand: 10 });
    dynamo.resetCount();
    await processBatch(batch(min(1)), deps(cache));
    expect(Object.fromEntries(dynamo.requests), "warm container: writes only").to.deep.equal({ PutItemCommand: 10 });
    dynamo.resetCount();
    await processBatch(batch(min(2)), deps(new FeatureCache()));
    expect(Object.fromEntries(dynamo.requests), "cold container, known users: no failed blind writes").to.deep.equal({ BatchGetItemCommand: 1, PutItemCommand: 10 });
    expect(await readFeatures(dynamo.client, table, "user-3")).to.deep.include({ recentEventCount: 30, version: 3 });
  });

  it("reads many users 100 keys per request, absent users as undefined", async () => {
    await processBatch([kinesisRecord(event("u-7", T0)), kinesisRecord(event("u-150", T0))], deps());
    dynamo.resetCount();
    const ids = Array.from({ length: 250 }, (_, i) => `u-${i}`);
    const read = await readManyFeatures(dynamo.client, table, ids);
    expect(dynamo.requests.get("BatchGetItemCommand")).to.equal(3);
    expect([...read.keys()].sort()).to.deep.equal([...ids].sort());
    expect([...read.entries()].filter(([, v]) => v).map(([k]) => k).sort()).to.deep.equal(["u-150", "u-7"]);
    expect(read.get("u-7")).to.deep.include({ recentEventCount: 1, version: 1 });
  });

  it("reports every record of a user whose write fails, in stream order", async () => {
    const records = [kinesisRecord(event("fay", T0)), kinesisRecord(event("gus", T0)), kinesisRecord(event("fay", T0 + 1))];
    const res = await processBatch(records, { ...deps(), table: "no-such-table" });
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).to.deep.equal(records.map((r) => r.kinesis.sequenceNumber));
  });
});
