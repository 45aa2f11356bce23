/**
 * The order sync consumer's batch logic: parsing with reasons, dead letters, the staging writer's
 * two round trips and one commit per batch, and — with the consumer killed at every point of every
 * batch and restarted from its committed offsets — a final orders table that equals the input's
 * newest version of each order exactly, poison messages in the dead-letter topic with reasons.
 */
import { expect } from "chai";
import oracledb from "oracledb";
import { parseOrderEvent, serializeOrderEvent, type OrderEvent } from "../../functions/aws/orders/event";
import { iamTokenProvider, kafkaConfig, TOKEN_RENEW_BEFORE_MS } from "../../functions/aws/orders/kafka";
import { syncSettings } from "../../functions/aws/orders/settings";
import { defaultBackoffMs } from "../../functions/aws/orders/syncConsumer";
import { syncMetrics } from "../../functions/aws/orders/syncMetrics";
import {
  oracleStagingWriter,
  oracleTimestamp,
  STAGING_BIND_DEFS,
  STAGING_SQL,
  stagingBinds,
} from "../../functions/aws/orders/stagingWriter";
import {
  commitOffsets,
  type DeadLetters,
  loadIdOf,
  processBatch,
  type StagingWriter,
  writeSplitting,
  type SyncMessage,
} from "../../functions/aws/orders/syncBatch";
import { FakeStagingDb, oracleError } from "./support/fakeStagingDb";
import { DATA_ERRORS, dataErrorOf, errorCode, refusalReason } from "../../functions/aws/orders/oracleErrors";

const event = (
  orderId: string,
  updatedAt: string,
  extra: Partial<OrderEvent> = {},
): Omit<OrderEvent, "schemaVersion"> => ({
  kind: "updated",
  orderId,
  customerId: "C-1",
  amount: "10.00",
  currency: "EUR",
  status: "pending",
  orderDate: "2026-11-02",
  updatedAt,
  ...extra,
});
const message = (partition: number, offset: number, e: Omit<OrderEvent, "schemaVersion">): SyncMessage => ({
  partition,
  offset: String(offset),
  key: e.orderId,
  value: serializeOrderEvent(e),
});

describe("order events (pure)", () => {
  it("accepts a versioned event whose key is its order id", () => {
    const parsed = parseOrderEvent("O-1", serializeOrderEvent(event("O-1", "2026-11-30T10:00:00Z")));
    expect(parsed).to.deep.equal({ ok: true, event: { schemaVersion: 1, ...event("O-1", "2026-11-30T10:00:00Z") } });
  });

  it("refuses, saying why: not JSON, not an object, another schema version, bad fields, a key that is not the order id", () => {
    const reasons = [
      parseOrderEvent("O-1", "{"),
      parseOrderEvent("O-1", "[1]"),
      parseOrderEvent("O-1", JSON.stringify({ ...event("O-1", "2026-11-30T10:00:00Z"), schemaVersion: 2 })),
      parseOrderEvent(
        "O-1",
        serializeOrderEvent(event("O-1", "yesterday", { amount: "1.234", status: "lost" as OrderEvent["status"] })),
      ),
      parseOrderEvent("O-1", serializeOrderEvent(event("O-1", "2026-11-30T10:00:00Z", { orderDate: "2026-02-30" }))),
      parseOrderEvent("O-2", serializeOrderEvent(event("O-1", "2026-11-30T10:00:00Z"))),
      parseOrderEvent(undefined, undefined),
      parseOrderEvent(
        "O-1",
        serializeOrderEvent(event("O-1", "2026-11-30T10:00:00Z", { kind: "deleted" as OrderEvent["kind"] })),
      ),
      parseOrderEvent("O-1", serializeOrderEvent(event("O-1", "2026-11-30T10:00:00Z", { kind: "created" }))),
      parseOrderEvent(
        "O-1",
        serializeOrderEvent(
          event("O-1", "2026-11-30T10:00:00Z", {
            kind: "created",
            idempotencyKey: "short",
            requestHash: "A".repeat(64),
          }),
        ),
      ),
      parseOrderEvent(
        "O-1",
        serializeOrderEvent(
          event("O-1", "2026-11-30T10:00:00Z", {
            kind: "created",
            idempotencyKey: "key-00000001",
            requestHash: "a".repeat(64),
          }),
        ),
      ),
    ].map((p) => (p.ok ? "ok" : p.reason));
    expect(reasons).to.deep.equal([
      "value is not JSON",
      "value is not a JSON object",
      "schemaVersion 2 is not 1",
      "invalid amount, status, updatedAt",
      "invalid orderDate",
      'key "O-2" is not the orderId "O-1"',
      "value is not JSON",
      "invalid kind",
      "invalid idempotencyKey, requestHash",
      "invalid idempotencyKey, requestHash",
      "ok",
    ]);
  });

  it("merges creates as the SQL does (the recording fake): the first request of a key makes the order, a repeat changes nothing, another request is one recorded conflict, a create never undoes an update", async () => {
    const db = new FakeStagingDb();
    const writer = oracleStagingWriter(db.connect);
    const create = (amount: string, at: string): OrderEvent => ({
      schemaVersion: 1,
      ...event("O-1", at, {
        kind: "created",
        amount,
        idempotencyKey: "key-00000001",
        requestHash: amount === "10.00" ? "a".repeat(64) : "b".repeat(64),
      }),
    });
    expect(
      await writer.write("L1", [
        create("10.00", "2026-11-30T10:00:00Z"),
        create("10.00", "2026-11-30T10:00:01Z"),
        create("11.00", "2026-11-30T10:00:02Z"),
      ]),
    ).to.deep.equal({ merged: 1, conflicts: 1 });
    expect(
      await writer.write("L1", [create("10.00", "2026-11-30T10:00:00Z"), create("11.00", "2026-11-30T10:00:02Z")]),
    ).to.deep.equal({ merged: 0, conflicts: 0 });
    expect(
      await writer.write("L2", [{ schemaVersion: 1, ...event("O-1", "2026-11-30T11:00:00Z", { status: "paid" }) }]),
    ).to.deep.equal({ merged: 1, conflicts: 0 });
    expect(await writer.write("L3", [create("10.00", "2026-11-30T12:00:00Z")])).to.deep.equal({
      merged: 0,
      conflicts: 0,
    });
    expect(db.orders.get("O-1")).to.deep.include({ amount: "10.00", status: "paid" });
    // Events published before keys were client-scoped carry no client: the merge files them under LEGACY_CLIENT.
    expect([...db.requests]).to.deep.equal([["-|key-00000001", "a".repeat(64)]]);
    expect([...db.conflicts]).to.deep.equal([`-|key-00000001|${"b".repeat(64)}`]);
  });

  it("names a batch's staging load by its offsets and commits the offset after each partition's last message", () => {
    const batch = [
      message(0, 7, event("O-1", "2026-11-30T10:00:00Z")),
      message(1, 3, event("O-2", "2026-11-30T10:00:00Z")),
      message(0, 9, event("O-3", "2026-11-30T10:00:00Z")),
    ];
    expect(loadIdOf(batch)).to.equal("p0:7-9,p1:3-3");
    expect([...commitOffsets(batch)]).to.deep.equal([
      [0, "10"],
      [1, "4"],
    ]);
    // Kafka offsets are 64-bit: no Number rounding.
    expect([...commitOffsets([{ partition: 0, offset: "9007199254740993" }])]).to.deep.equal([[0, "9007199254740994"]]);
  });
});

describe("staging writer (recording fake)", () => {
  it("writes a batch in two round trips and one commit, whatever its size", async () => {
    const db = new FakeStagingDb();
    const writer = oracleStagingWriter(db.connect);
    const events = Array.from({ length: 500 }, (_, i) => ({
      schemaVersion: 1 as const,
      ...event(`O-${i}`, "2026-11-30T10:00:00Z"),
    }));
    expect(await writer.write("p0:0-499", events)).to.deep.equal({ merged: 500, conflicts: 0 });
    expect([db.roundTrips, db.commits, db.orders.size]).to.deep.equal([2, 1, 500]);
  });

  it("binds every field, the timestamp in the one form its format model reads; an update has no key or hash, a create has both", () => {
    expect(stagingBinds("L", [{ schemaVersion: 1, ...event("O-1", "2026-11-30T10:00:00.5Z") }])).to.deep.equal([
      {
        load_id: "L",
        order_id: "O-1",
        customer_id: "C-1",
        amount: "10.00",
        currency: "EUR",
        status: "pending",
        order_date: "2026-11-02",
        updated_at: "2026-11-30T10:00:00.500000000+00:00",
        kind: "updated",
        idempotency_key: null,
        request_hash: null,
        client_id: null,
      },
    ]);
    const [created] = stagingBinds("L", [
      {
        schemaVersion: 1,
        ...event("O-2", "2026-11-30T10:00:00Z", {
          kind: "created",
          idempotencyKey: "key-00000001",
          requestHash: "a".repeat(64),
          clientId: "client-C-1",
        }),
      },
    ]);
    expect(created).to.deep.include({
      kind: "created",
      idempotency_key: "key-00000001",
      request_hash: "a".repeat(64),
      client_id: "client-C-1",
    });
    expect(STAGING_BIND_DEFS.client_id).to.deep.equal({ type: oracledb.STRING, maxSize: 255 });
    // Every bind has a declared type and size (a null in the first row must not fix a column's type).
    expect(Object.keys(STAGING_BIND_DEFS).sort()).to.deep.equal(Object.keys(created).sort());
    expect(STAGING_BIND_DEFS.idempotency_key).to.deep.equal({ type: oracledb.STRING, maxSize: 128 });
    expect(STAGING_BIND_DEFS.request_hash).to.deep.equal({ type: oracledb.STRING, maxSize: 64 });
    expect(oracleTimestamp("2026-11-30T10:00:00+02:00")).to.equal("2026-11-30T10:00:00.000000000+02:00");
    expect(() => oracleTimestamp("2026-11-30 10:00")).to.throw("not an ISO 8601 instant");
    for (const bad of ["x2026-11-30T10:00:00Z", "2026-11-30T10:00:00Zx"])
      expect(() => oracleTimestamp(bad), bad).to.throw("not an ISO 8601 instant");
    expect(oracleTimestamp("2026-11-30T10:00:00.123456789Z")).to.equal("2026-11-30T10:00:00.123456789+00:00");
    expect(STAGING_SQL.merge).to.equal("BEGIN merge_orders_staging(:load_id, :merged, :conflicts); END;");
    expect(STAGING_SQL.insert).to.contain("TO_TIMESTAMP_TZ(:updated_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9TZH:TZM')");
  });

  it("lets a failed write reject the batch, so no offset of it is committed", async () => {
    const db = new FakeStagingDb();
    db.failures.push(Object.assign(new Error("NJS-503: cannot connect"), { code: "NJS-503" }));
    const err = await processBatch(
      [message(0, 0, event("O-1", "2026-11-30T10:00:00Z"))],
      oracleStagingWriter(db.connect),
      { send: async () => undefined },
    ).catch((e: unknown) => e);
    expect((err as Error).message).to.equal("NJS-503: cannot connect");
    expect(db.orders.size).to.equal(0);
  });

  it("commits nothing when the merge fails, and reports the failure", async () => {
    const db = new FakeStagingDb();
    db.failures.push(undefined, Object.assign(new Error("NJS-500: connection lost"), { code: "NJS-500" }));
    const writer = oracleStagingWriter(db.connect);
    const err = await writer
      .write("L", [{ schemaVersion: 1, ...event("O-1", "2026-11-30T10:00:00Z") }])
      .catch((e: unknown) => e);
    expect((err as Error).message).to.equal("NJS-500: connection lost");
    expect([db.commits, db.orders.size]).to.deep.equal([0, 0]);
  });
});

describe("rows the database refuses (default deny: only data errors are dead-lettered)", () => {
  const batchOf = (n: number, bad: Record<number, Partial<OrderEvent>>) =>
    Array.from({ length: n }, (_, i) =>
      message(i % 2, 100 + i, event(`O-${i}`, "2026-11-30T10:00:00Z", { amount: `${i}.00`, ...(bad[i] ?? {}) })),
    );
  const collect = () => {
    const sent: Array<{ key?: string; reason: string }> = [];
    const deadLetters: DeadLetters = {
      send: async (list) => void sent.push(...list.map((d) => ({ key: d.message.key, reason: d.reason }))),
    };
    return { sent, deadLetters };
  };

  /** A CHECK a later migration adds (the consumer's contract does not know it yet): refunds refused. */
  const noRefunds = (db: FakeStagingDb) =>
    db.constraints.push((row) =>
      row.status === "refunded" ? oracleError(2290, "check constraint (MC_APP.ORDERS_STATUS_CK) violated") : undefined,
    );

  it("dead-letters a row Oracle refuses (ORA-02290) with its code, writes every other, and commits past it", async () => {
    const db = new FakeStagingDb();
    noRefunds(db);
    const { sent, deadLetters } = collect();
    const batch = batchOf(8, { 1: { status: "refunded" } });
    const result = await processBatch(batch, oracleStagingWriter(db.connect), deadLetters);
    expect([...db.orders.keys()].sort()).to.deep.equal(["O-0", "O-2", "O-3", "O-4", "O-5", "O-6", "O-7"]);
    expect(sent).to.deep.equal([
      {
        key: "O-1",
        reason:
          "the database refused it: ORA-02290 a value breaks a check constraint (ORA-02290: check constraint (MC_APP.ORDERS_STATUS_CK) violated)",
      },
    ]);
    expect([...result.commit]).to.deep.equal([
      [0, "107"],
      [1, "108"],
    ]);
    expect(result).to.deep.include({ written: 7, deadLettered: 1 });
    // The split's halves add up: every written order merged once.
    expect(result.merged).to.equal(7);
  });

  it("finds k refused rows among n in O(k log n) writes, and none when there are none", async () => {
    const clean = new FakeStagingDb();
    await processBatch(batchOf(64, {}), oracleStagingWriter(clean.connect), collect().deadLetters);
    expect(clean.roundTrips).to.equal(2);
    const db = new FakeStagingDb();
    noRefunds(db);
    const { sent, deadLetters } = collect();
    await processBatch(
      batchOf(64, { 5: { status: "refunded" }, 40: { status: "refunded" }, 41: { status: "refunded" } }),
      oracleStagingWriter(db.connect),
      deadLetters,
    );
    expect(sent.map((d) => [d.key, /ORA-\d{5}/.exec(d.reason)?.[0]])).to.deep.equal([
      ["O-5", "ORA-02290"],
      ["O-40", "ORA-02290"],
      ["O-41", "ORA-02290"],
    ]);
    expect(db.orders.size).to.equal(61);
    // Two round trips per load tried; k·log2(n) loads bound the search.
    expect(db.roundTrips).to.be.at.most(2 * (1 + 2 * 3 * Math.log2(64)));
  });

  it("finds what Oracle's conversions refuse when a row reaches them (the fake refuses as V006's columns do)", async () => {
    const db = new FakeStagingDb();
    const rows = ["2026-11-02", "0000-01-01", "2026-02-30", "2026-11-03"].map((orderDate, i) => ({
      message: message(0, i, event(`O-${i}`, "2026-11-30T10:00:00Z")),
      event: { schemaVersion: 1 as const, ...event(`O-${i}`, "2026-11-30T10:00:00Z", { orderDate }) },
    }));
    const written = await writeSplitting(rows, oracleStagingWriter(db.connect));
    expect(written.refused.map((r) => [r.message.key, /ORA-\d{5}/.exec(r.reason)?.[0]])).to.deep.equal([
      ["O-1", "ORA-01841"],
      ["O-2", "ORA-01847"],
    ]);
    expect([...db.orders.keys()].sort()).to.deep.equal(["O-0", "O-3"]);
  });

  for (const [what, err] of [
    ["a missing table during a rollout (ORA-00942)", oracleError(942, "table or view does not exist")],
    ["an invalidated package (ORA-04068)", oracleError(4068, "existing state of packages has been discarded")],
    [
      "a PL/SQL compile error (ORA-06550)",
      oracleError(6550, "line 1, column 7: PLS-00306: wrong number or types of arguments"),
    ],
    ["a switchover (ORA-01034)", oracleError(1034, "ORACLE not available")],
    ["a standby (ORA-16000)", oracleError(16000, "database or pluggable database open for read-only access")],
    [
      "a lost connection (NJS-500)",
      Object.assign(new Error("NJS-500: connection to the Oracle Database was broken"), { code: "NJS-500" }),
    ],
    ["something unknown", new Error("socket hang up")],
  ] as const)
    it(`retries ${what}: the batch fails, nothing is dead-lettered or committed`, async () => {
      const db = new FakeStagingDb();
      db.failures.push(err);
      const { sent, deadLetters } = collect();
      const failed = await processBatch(batchOf(4, {}), oracleStagingWriter(db.connect), deadLetters).catch(
        (e: unknown) => e,
      );
      expect(failed).to.equal(err);
      expect([sent.length, db.orders.size]).to.deep.equal([0, 0]);
    });

  it("keeps the offsets when the dead-letter send fails: the batch comes again", async () => {
    const db = new FakeStagingDb();
    noRefunds(db);
    const failed = await processBatch(batchOf(4, { 2: { status: "refunded" } }), oracleStagingWriter(db.connect), {
      send: async () => {
        throw new Error("KafkaJSNumberOfRetriesExceeded");
      },
    }).catch((e: unknown) => e);
    expect((failed as Error).message).to.equal("KafkaJSNumberOfRetriesExceeded");
  });

  it("classifies by a written table: each data code has its meaning and source; nothing else is data", () => {
    expect(DATA_ERRORS.map((e) => e.code)).to.include.members([
      "ORA-01841",
      "ORA-01847",
      "ORA-01438",
      "ORA-12899",
      "ORA-01400",
      "ORA-02290",
      "ORA-02291",
    ]);
    for (const e of DATA_ERRORS) {
      expect(e.source).to.equal(`https://docs.oracle.com/en/error-help/db/${e.code.toLowerCase()}/`);
      expect(dataErrorOf(oracleError(Number(e.code.slice(4)), "x"))?.code).to.equal(e.code);
    }
    for (const code of ["ORA-00942", "ORA-04068", "ORA-06550", "ORA-01034", "ORA-16000", "ORA-00001", "ORA-00060"])
      expect(dataErrorOf(oracleError(Number(code.slice(4)), "x")), code).to.equal(undefined);
    expect(dataErrorOf({ code: "NJS-115", message: "NJS-115: value is out of range" })).to.equal(undefined);
    expect(errorCode(new Error("ORA-06550: line 1\nPLS-00306: wrong number"))).to.equal("ORA-06550");
    expect(errorCode({ code: "NJS-503" })).to.equal("NJS-503");
    expect(errorCode("nothing")).to.equal(undefined);
    expect(refusalReason(new Error("plain"))).to.equal("plain");
    // Each data error says, in words, what the row did wrong; codes are read whole, never part of one.
    for (const e of DATA_ERRORS) expect(e.meaning, e.code).to.match(/^an? |^a value|^a number|^a required/);
    expect(new Set(DATA_ERRORS.map((e) => e.meaning)).size).to.equal(DATA_ERRORS.length);
    expect(refusalReason(oracleError(1400, 'cannot insert NULL into ("X"."Y"."Z")'))).to.equal(
      'the database refused it: ORA-01400 a required value is missing (NOT NULL) (ORA-01400: cannot insert NULL into ("X"."Y"."Z"))',
    );
    expect(errorCode({ code: "xORA-01841" })).to.equal(undefined);
    expect(errorCode({ code: "ORA-01841x", message: "" })).to.equal(undefined);
    expect(errorCode({ code: "ORA-01841x", errorNum: 1438 })).to.equal("ORA-01438");
    expect(refusalReason(undefined)).to.equal("undefined");
    expect(refusalReason({ message: "ORA-01841: year\nsecond line" })).to.equal(
      "the database refused it: ORA-01841 a year is 0 or outside -4713 to 9999 (ORA-01841: year)",
    );
  });
});

/** A topic in memory: partitions of messages and the group's committed offsets. */
class MemoryTopic {
  readonly committed = new Map<number, bigint>();
  constructor(readonly partitions: SyncMessage[][]) {}
  batch(partition: number, size: number): SyncMessage[] {
    const from = Number(this.committed.get(partition) ?? 0n);
    return this.partitions[partition].slice(from, from + size);
  }
}

class Crash extends Error {}
type CrashPoint = "beforeWrite" | "afterDbCommit" | "afterOffsetCommit";

/** Consumes every partition in batches; throws Crash at `crash` (point, global batch number). */
async function consume(
  topic: MemoryTopic,
  db: FakeStagingDb,
  dead: Array<{ key?: string; reason: string }>,
  batchSize: number,
  crash?: { point: CrashPoint; batch: number },
): Promise<void> {
  let n = 0;
  const deadLetters: DeadLetters = {
    send: async (refused) => void dead.push(...refused.map((r) => ({ key: r.message.key, reason: r.reason }))),
  };
  const writer = oracleStagingWriter(db.connect);
  for (;;) {
    let progressed = false;
    for (let p = 0; p < topic.partitions.length; p++) {
      const messages = topic.batch(p, batchSize);
      if (!messages.length) continue;
      progressed = true;
      const here = (point: CrashPoint) => crash && crash.point === point && crash.batch === n;
      if (here("beforeWrite")) throw new Crash();
      const crashing: StagingWriter = {
        write: async (loadId, events) => {
          const result = await writer.write(loadId, events);
          if (here("afterDbCommit")) throw new Crash();
          return result;
        },
      };
      const result = await processBatch(messages, crashing, deadLetters);
      for (const [partition, offset] of result.commit) topic.committed.set(partition, BigInt(offset));
      if (here("afterOffsetCommit")) throw new Crash();
      n++;
    }
    if (!progressed) return;
  }
}

describe("order sync consumer killed at every point of every batch", () => {
  // Two partitions (orders hash by id); several versions per order, one older version delivered
  // after a newer one (it must not win), and three poison messages.
  const partitions: SyncMessage[][] = [[], []];
  const versions = ["2026-11-30T10:00:00Z", "2026-11-30T10:05:00Z", "2026-11-30T10:10:00Z"];
  for (let i = 0; i < 12; i++) {
    const p = i % 2;
    for (const [v, at] of versions.entries())
      partitions[p].push(
        message(
          p,
          partitions[p].length,
          event(`O-${i}`, at, { status: (["pending", "paid", "shipped"] as const)[v], amount: `${i}.0${v}` }),
        ),
      );
  }
  partitions[0].push(message(0, partitions[0].length, event("O-0", "2026-11-30T09:00:00Z", { status: "cancelled" }))); // late and older
  partitions[1].push({ partition: 1, offset: String(partitions[1].length), key: "O-x", value: "not json" });
  partitions[0].push({
    partition: 0,
    offset: String(partitions[0].length),
    key: "O-y",
    value: JSON.stringify({ schemaVersion: 9 }),
  });
  partitions[1].push(message(1, partitions[1].length, event("O-z", "2026-11-30T10:00:00Z", { amount: "-1" })));
  const expected = new Map(
    Array.from({ length: 12 }, (_, i) => [
      `O-${i}`,
      { status: "shipped", amount: `${i}.02`, updatedAt: "2026-11-30T10:10:00.000000000+00:00" },
    ]),
  );
  const batchSize = 5;
  const totalBatches = partitions.reduce((sum, p) => sum + Math.ceil(p.length / batchSize), 0);

  for (const point of ["beforeWrite", "afterDbCommit", "afterOffsetCommit"] as const) {
    it(`${point}: the restarted consumer ends with the input's newest version of every order, and every poison message dead-lettered`, async () => {
      for (let batch = 0; batch < totalBatches; batch++) {
        const topic = new MemoryTopic(partitions);
        const db = new FakeStagingDb();
        const dead: Array<{ key?: string; reason: string }> = [];
        const first = await consume(topic, db, dead, batchSize, { point, batch }).then(
          () => "finished",
          (e: unknown) => (e instanceof Crash ? "crashed" : Promise.reject(e)),
        );
        expect(first, `batch ${batch}`).to.equal("crashed");
        await consume(topic, db, dead, batchSize);
        const final = new Map(
          [...db.orders].map(([id, o]) => [id, { status: o.status, amount: o.amount, updatedAt: o.updatedAt }]),
        );
        expect(final, `${point} at batch ${batch}`).to.deep.equal(expected);
        expect([...new Set(dead.map((d) => `${d.key}: ${d.reason}`))].sort()).to.deep.equal([
          "O-x: value is not JSON",
          "O-y: schemaVersion 9 is not 1",
          "O-z: invalid amount",
        ]);
        // Every message was read to the end of its partition.
        expect([...topic.committed]).to.deep.equal(partitions.map((p, i) => [i, BigInt(p.length)]));
      }
    });
  }

  it("commits once per batch: 10,000 orders in batches of 500 take 40 round trips and 20 commits", async () => {
    const db = new FakeStagingDb();
    const topic = new MemoryTopic([
      Array.from({ length: 10_000 }, (_, i) => message(0, i, event(`O-${i}`, "2026-11-30T10:00:00Z"))),
    ]);
    await consume(topic, db, [], 500);
    expect([db.roundTrips, db.commits, db.orders.size]).to.deep.equal([40, 20, 10_000]);
  });
});

describe("Kafka settings and MSK IAM tokens (pure)", () => {
  it("generates one token for concurrent connects and renews it a minute before it expires", async () => {
    let clock = 0;
    let generated = 0;
    const provider = iamTokenProvider(
      async () => ({ token: `t${++generated}`, expiryTime: clock + 15 * 60_000 }),
      () => clock,
    );
    expect((await Promise.all([provider(), provider(), provider()])).map((t) => t.value)).to.deep.equal([
      "t1",
      "t1",
      "t1",
    ]);
    clock = 15 * 60_000 - TOKEN_RENEW_BEFORE_MS - 1;
    expect((await provider()).value).to.equal("t1");
    clock += 1;
    expect((await provider()).value).to.equal("t2");
    expect(generated).to.equal(2);
  });

  it("lets a failed generation fail the connect and tries again on the next", async () => {
    let calls = 0;
    const provider = iamTokenProvider(async () => {
      if (++calls === 1) throw new Error("no credentials");
      return { token: "ok", expiryTime: Date.now() + 900_000 };
    });
    expect(((await provider().catch((e: unknown) => e)) as Error).message).to.equal("no credentials");
    expect((await provider()).value).to.equal("ok");
  });

  it("configures MSK with TLS and OAUTHBEARER, a local broker with neither", async () => {
    const msk = kafkaConfig(
      { clientId: "orders", brokers: ["b-1.msk:9098"], auth: "iam", region: "eu-west-1" },
      async () => ({ token: "tok", expiryTime: Date.now() + 900_000 }),
    );
    expect(msk.ssl).to.equal(true);
    const sasl = msk.sasl as { mechanism: string; oauthBearerProvider: () => Promise<{ value: string }> };
    expect(sasl.mechanism).to.equal("oauthbearer");
    expect(await sasl.oauthBearerProvider()).to.deep.equal({ value: "tok" });
    const local = kafkaConfig({
      clientId: "orders",
      brokers: ["127.0.0.1:9092"],
      auth: "plaintext",
      region: "eu-west-1",
    });
    expect([local.ssl, local.sasl, local.brokers]).to.deep.equal([undefined, undefined, ["127.0.0.1:9092"]]);
  });

  it("backs off exponentially from 1 s to 30 s with jitter", () => {
    expect([1, 2, 3, 6, 20].map((a) => defaultBackoffMs(a, () => 0.5))).to.deep.equal([1000, 2000, 4000, 30000, 30000]);
    expect(defaultBackoffMs(1, () => 0)).to.equal(800);
    expect(defaultBackoffMs(1, () => 1)).to.equal(1200);
  });
});

describe("sync consumer settings and metrics", () => {
  const good = {
    ORDERS_DB_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:414910048482:secret:multicloud-dev/database/app-AbCdEf",
    AWS_REGION: "eu-west-1",
    ORDERS_POOL_SIZE: "2",
    ORDERS_POOL_QUEUE_TIMEOUT_MS: "2000",
    ORDERS_DB_CALL_TIMEOUT_MS: "30000",
    ORDERS_KAFKA_BROKERS: "b-1.msk.eu-west-1.amazonaws.com:9098,b-2.msk.eu-west-1.amazonaws.com:9098",
  };

  it("reads the brokers, IAM by default, batches of 500 by default", () => {
    const settings = syncSettings(good);
    expect([settings.brokers, settings.kafkaAuth, settings.batchSize, settings.pool.size]).to.deep.equal([
      ["b-1.msk.eu-west-1.amazonaws.com:9098", "b-2.msk.eu-west-1.amazonaws.com:9098"],
      "iam",
      500,
      2,
    ]);
  });

  it("names every wrong variable", () => {
    expect(() =>
      syncSettings({ ...good, ORDERS_KAFKA_BROKERS: "msk", ORDERS_KAFKA_AUTH: "scram", ORDERS_SYNC_BATCH_SIZE: "501" }),
    ).to.throw(
      [
        "the sync consumer's settings are wrong:",
        '  ORDERS_KAFKA_BROKERS is "msk"; expected host:port[,host:port…] (the MSK IAM bootstrap brokers)',
        '  ORDERS_KAFKA_AUTH is "scram"; expected iam or plaintext',
        '  ORDERS_SYNC_BATCH_SIZE is "501"; expected an integer from 1 to 500',
      ].join("\n"),
    );
  });

  it("counts batches, dead letters and failures, and shows lag per partition", async () => {
    const metrics = syncMetrics({ processMetrics: false });
    metrics.observe({
      kind: "written",
      partition: 0,
      ms: 40,
      result: { commit: new Map(), written: 498, merged: 490, conflicts: 1, deadLettered: 2 },
    });
    metrics.observe({ kind: "failed", partition: 1, attempt: 1, message: "NJS-503" });
    metrics.lag(0, 1200);
    const text = await metrics.registry.metrics();
    expect(text).to.match(/^orders_sync_consumer_lag\{partition="0"\} 1200$/m);
    expect(text).to.match(/^orders_sync_batch_size_sum 500$/m);
    expect(text).to.match(/^orders_sync_write_duration_seconds_sum 0\.04$/m);
    expect(text).to.match(/^orders_sync_dead_letters_total 2$/m);
    expect(text).to.match(/^orders_sync_write_failures_total 1$/m);
  });
});

describe("order sync: edges", () => {
  const good = () => event("O-1", "2026-11-30T10:00:00Z");
  const reason = (value: unknown, key = "O-1") => {
    const parsed = parseOrderEvent(
      key,
      typeof value === "string" ? value : JSON.stringify({ schemaVersion: 1, ...(value as object) }),
    );
    return parsed.ok ? "ok" : parsed.reason;
  };

  it("anchors every field's pattern at both ends", () => {
    expect(reason({ ...good(), orderId: "O-1 x", customerId: "x C-1" }, "O-1 x")).to.equal(
      "invalid orderId, customerId",
    );
    expect(reason({ ...good(), amount: "10." })).to.equal("invalid amount");
    expect(reason({ ...good(), amount: "x10.00" })).to.equal("invalid amount");
    expect(reason({ ...good(), amount: "10" })).to.equal("ok");
    expect(reason({ ...good(), currency: "EURO" })).to.equal("invalid currency");
    expect(reason({ ...good(), currency: "xEUR" })).to.equal("invalid currency");
    for (const updatedAt of [
      "x2026-11-30T10:00:00Z",
      "2026-11-30T10:00:00Zx",
      "2026-11-30T10:00:00.1234567890Z",
      "2026-11-30T10:00:00+1:00",
      "2026-11-30T10:00:00+01:0",
      "2026-11-30T10:00:00 01:00",
      "2026-13-45T10:00:00Z",
      "2026-11-30T10:00:00.x1Z",
      // TIMESTAMP WITH TIME ZONE keeps 6 fraction digits: more are refused, not rounded.
      "2026-11-30T10:00:00.123456789+05:30",
    ]) {
      expect(reason({ ...good(), updatedAt }), updatedAt).to.equal("invalid updatedAt");
    }
    for (const updatedAt of ["2026-11-30T10:00:00.123456+05:30", "2026-11-30T10:00:00-03:00", "2026-11-30T10:00:00.5Z"])
      expect(reason({ ...good(), updatedAt }), updatedAt).to.equal("ok");
    expect(reason({ ...good(), customerId: 7 })).to.equal("invalid customerId");
    expect(reason("42")).to.equal("value is not a JSON object");
    expect(reason("null")).to.equal("value is not a JSON object");
  });

  it("names the offset range whatever order the messages come in, partitions in order", () => {
    const m = (partition: number, offset: number) => ({ partition, offset: String(offset) });
    expect(loadIdOf([m(2, 9), m(0, 5), m(2, 7), m(0, 3), m(2, 8), m(10, 1)])).to.equal("p0:3-5,p2:7-9,p10:1-1");
    expect([...commitOffsets([m(1, 9), m(1, 4), m(0, 2)])]).to.deep.equal([
      [1, "10"],
      [0, "3"],
    ]);
  });

  it("sends no dead letters when every message is valid, and writes nothing when none is", async () => {
    const sends: number[] = [];
    const writes: number[] = [];
    const writer: StagingWriter = {
      write: async (_id, events) => (writes.push(events.length), { merged: events.length, conflicts: 0 }),
    };
    const deadLetters: DeadLetters = { send: async (refused) => void sends.push(refused.length) };
    expect(await processBatch([message(0, 0, good())], writer, deadLetters)).to.deep.include({
      written: 1,
      merged: 1,
      deadLettered: 0,
    });
    expect(
      await processBatch([{ partition: 0, offset: "1", key: "x", value: "bad" }], writer, deadLetters),
    ).to.deep.include({ written: 0, merged: 0, deadLettered: 1 });
    expect([sends, writes]).to.deep.equal([[1], [1]]);
  });

  it("stages without committing and rolls back what it staged when the merge fails", async () => {
    const db = new FakeStagingDb();
    db.failures.push(undefined, new Error("ORA-03113"));
    await oracleStagingWriter(db.connect)
      .write("L", [{ schemaVersion: 1, ...good() }])
      .catch(() => undefined);
    expect([db.rollbacks, db.commits]).to.deep.equal([1, 0]);
  });

  it("exports process metrics unless told not to, with batch-size and duration buckets", async () => {
    expect(await syncMetrics().registry.metrics()).to.contain("process_cpu_user_seconds_total");
    const text = await syncMetrics({ processMetrics: false }).registry.metrics();
    expect(text).to.not.contain("process_cpu_user_seconds_total");
    expect(text).to.match(/orders_sync_batch_size_bucket\{le="500"\} 0/);
    expect(text).to.match(/orders_sync_write_duration_seconds_bucket\{le="0.01"\} 0/);
  });

  it("gives kafkajs bounded connection and request timeouts and retries", () => {
    expect(kafkaConfig({ clientId: "c", brokers: ["b:9098"], auth: "plaintext", region: "eu-west-1" })).to.deep.include(
      { connectionTimeout: 5_000, requestTimeout: 30_000, retry: { retries: 5, initialRetryTime: 300 } },
    );
  });
});

describe("order events: each refused field named", () => {
  const base = {
    schemaVersion: 1,
    kind: "created",
    orderId: "O-1",
    customerId: "C-1",
    amount: "10.00",
    currency: "EUR",
    status: "pending",
    orderDate: "2026-11-02",
    updatedAt: "2026-11-30T10:00:00Z",
    idempotencyKey: "key-0001",
    requestHash: "a".repeat(64),
  };
  const reason = (over: Record<string, unknown>) => {
    const parsed = parseOrderEvent("O-1", JSON.stringify({ ...base, ...over }));
    return parsed.ok ? "accepted" : parsed.reason;
  };

  it("names the one field that is wrong, and every wrong one", () => {
    expect(reason({})).to.equal("accepted");
    const wrong: Record<string, unknown> = {
      orderId: "",
      customerId: "C 1",
      amount: "ten",
      currency: "eur",
      status: "lost",
      orderDate: "2026-02-30",
      updatedAt: "2026-11-30T10:00:00",
      kind: "deleted",
    };
    for (const [field, value] of Object.entries(wrong))
      expect(reason({ [field]: value }), field).to.equal(`invalid ${field}`);
    expect(reason({ idempotencyKey: undefined, requestHash: undefined })).to.equal(
      "invalid idempotencyKey, requestHash",
    );
    for (const requestHash of [` ${"a".repeat(64)}`, `${"a".repeat(64)}x`, "A".repeat(64)])
      expect(reason({ requestHash }), requestHash).to.equal("invalid requestHash");
    // An update needs neither.
    expect(reason({ kind: "updated", idempotencyKey: undefined, requestHash: undefined })).to.equal("accepted");
    expect(reason({ amount: "ten", currency: "eur" })).to.equal("invalid amount, currency");
  });
});
