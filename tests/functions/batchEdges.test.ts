/**
 * The batch path's edges, on scripted clients (written from the mutation run's survivors): the
 * export's topic reader on a scripted kafkajs (a group of its own, no commit, the range's bounds,
 * the end of the log), the day's boundaries, the file's order whatever order the fetches came in,
 * the OCI client's settings, and the load's bad-file reading (names it will not quote in, errors
 * it will not swallow, what it reports).
 */
import { expect } from "chai";
import type { Kafka } from "kafkajs";
import { Readable } from "node:stream";
import oracledb from "oracledb";
import { EXPORT_GROUP_PREFIX } from "../../functions/aws/batch/contract";
import { copyObject, ociS3Client } from "../../functions/aws/batch/copy";
import { resolveDay } from "../../functions/aws/batch/day";
import { exportDay, rangesBetween, type TopicMessage } from "../../functions/aws/batch/exportDay";
import { kafkaTopicSource } from "../../functions/aws/batch/kafkaSource";
import { BAD_FILE_SQL, loadDay, loadFormat, LOAD_SQL } from "../../functions/aws/batch/load";
import { serializeOrderEvent } from "../../functions/aws/orders/event";
import { S3Client } from "@aws-sdk/client-s3";

interface ScriptedBatch {
  partition: number;
  messages: Array<{ offset: string; timestamp: string; key: Buffer | null; value: Buffer | null }>;
  lastOffset: string;
  highWatermark: string;
}

/** A kafkajs stand-in: the admin answers offsets; the consumer records what it is asked and hands over eachBatch. */
function scriptedKafka(offsets: Array<{ partition: number; offset: string }> = []) {
  const calls = {
    admin: [] as string[],
    consumerOptions: [] as Record<string, unknown>[],
    subscribe: [] as unknown[],
    run: [] as Record<string, unknown>[],
    seek: [] as unknown[],
    pause: [] as unknown[],
    disconnected: 0,
  };
  let eachBatch: ((payload: { batch: unknown }) => Promise<void>) | undefined;
  const kafka = {
    admin: () => ({
      connect: async () => void calls.admin.push("connect"),
      fetchTopicOffsetsByTimestamp: async (topic: string, ms: number) => {
        calls.admin.push(`offsets ${topic} ${ms}`);
        if (ms < 0) throw new Error("broker refused");
        return offsets;
      },
      disconnect: async () => void calls.admin.push("disconnect"),
    }),
    consumer: (options: Record<string, unknown>) => {
      calls.consumerOptions.push(options);
      return {
        connect: async () => undefined,
        subscribe: async (s: unknown) => void calls.subscribe.push(s),
        run: async (r: Record<string, unknown>) => {
          calls.run.push(r);
          eachBatch = r.eachBatch as typeof eachBatch;
        },
        seek: (s: unknown) => void calls.seek.push(s),
        pause: (p: unknown) => void calls.pause.push(p),
        disconnect: async () => void (calls.disconnected += 1),
      };
    },
  } as unknown as Kafka;
  const deliver = (b: ScriptedBatch) =>
    eachBatch!({
      batch: {
        partition: b.partition,
        messages: b.messages,
        lastOffset: () => b.lastOffset,
        highWatermark: b.highWatermark,
      },
    });
  return { kafka, calls, deliver };
}

const message = (offset: number, value: string | null = `v${offset}`, key: string | null = `k${offset}`) => ({
  offset: String(offset),
  timestamp: String(1_000 + offset),
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
});
const tick = () => new Promise((r) => setImmediate(r));

describe("batch export's topic reader (scripted kafkajs)", () => {
  it("asks the brokers' time index through an admin it always disconnects", async () => {
    const { kafka, calls } = scriptedKafka([
      { partition: 1, offset: "40" },
      { partition: 0, offset: "7" },
    ]);
    const source = kafkaTopicSource(kafka, "orders");
    expect([...(await source.offsetsAt(86_400_000))]).to.deep.equal([
      [1, "40"],
      [0, "7"],
    ]);
    expect(calls.admin).to.deep.equal(["connect", "offsets orders 86400000", "disconnect"]);
    const err = await source.offsetsAt(-1).catch((e: unknown) => e as Error);
    expect((err as Error).message).to.equal("broker refused");
    expect(calls.admin.slice(3)).to.deep.equal(["connect", "offsets orders -1", "disconnect"]);
  });

  it("reads nothing, and makes no consumer, for no ranges", async () => {
    const { kafka, calls } = scriptedKafka();
    expect(await kafkaTopicSource(kafka, "orders").read([])).to.deep.equal([]);
    expect(calls.consumerOptions).to.deep.equal([]);
  });

  it("reads each range [from, to) with a group of its own that commits nothing, and stops at the range's end", async () => {
    const { kafka, calls, deliver } = scriptedKafka();
    const reading = kafkaTopicSource(kafka, "orders").read([
      { partition: 0, from: "5", to: "8" },
      { partition: 2, from: "0", to: "2" },
    ]);
    await tick();
    expect(calls.consumerOptions.length).to.equal(1);
    const options = calls.consumerOptions[0];
    expect(String(options.groupId)).to.match(new RegExp(`^${EXPORT_GROUP_PREFIX}-[0-9a-f-]{36}$`));
    expect(options).to.deep.include({ maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
    expect(calls.subscribe).to.deep.equal([{ topics: ["orders"] }]);
    expect(calls.run[0]).to.include({ autoCommit: false });
    expect(calls.seek).to.deep.equal([
      { topic: "orders", partition: 0, offset: "5" },
      { topic: "orders", partition: 2, offset: "0" },
    ]);
    // A batch of a partition not asked for is ignored; one reaching past `to` stops at it.
    await deliver({ partition: 9, messages: [message(1)], lastOffset: "1", highWatermark: "100" });
    await deliver({
      partition: 0,
      messages: [message(4), message(5), message(6, null, null), message(7), message(8)],
      lastOffset: "8",
      highWatermark: "100",
    });
    expect(calls.pause).to.deep.equal([[{ topic: "orders", partitions: [0] }]]);
    // Partition 2 in two batches: the first ends before to - 1 with more in the log, so it goes on.
    await deliver({ partition: 2, messages: [message(0)], lastOffset: "0", highWatermark: "100" });
    expect(calls.pause.length).to.equal(1);
    await deliver({ partition: 2, messages: [message(1)], lastOffset: "1", highWatermark: "100" });
    const read = await reading;
    expect(read).to.deep.equal([
      { partition: 0, offset: "5", timestamp: "1005", key: "k5", value: "v5" },
      { partition: 0, offset: "6", timestamp: "1006", key: undefined, value: undefined },
      { partition: 0, offset: "7", timestamp: "1007", key: "k7", value: "v7" },
      { partition: 2, offset: "0", timestamp: "1000", key: "k0", value: "v0" },
      { partition: 2, offset: "1", timestamp: "1001", key: "k1", value: "v1" },
    ]);
    expect(calls.pause.length).to.equal(2);
    expect(calls.disconnected).to.equal(1);
  });

  it("is done with a partition at the end of its log even short of the range's end (compaction, markers)", async () => {
    const { kafka, calls, deliver } = scriptedKafka();
    const reading = kafkaTopicSource(kafka, "orders").read([{ partition: 0, from: "0", to: "10" }]);
    await tick();
    // Not the end: the log holds more.
    await deliver({ partition: 0, messages: [message(0)], lastOffset: "3", highWatermark: "6" });
    expect(calls.pause).to.deep.equal([]);
    // The end of the log: the high watermark is right after the batch's last offset.
    await deliver({ partition: 0, messages: [message(4)], lastOffset: "5", highWatermark: "6" });
    expect((await reading).map((m) => m.offset)).to.deep.equal(["0", "4"]);
    expect(calls.pause.length).to.equal(1);
  });

  it("disconnects when the read fails", async () => {
    const { kafka, calls } = scriptedKafka();
    const broken = {
      ...kafka,
      consumer: (o: Record<string, unknown>) => ({
        ...(kafka.consumer as unknown as (o: unknown) => Record<string, unknown>)(o),
        subscribe: async () => {
          throw new Error("UNKNOWN_TOPIC_OR_PARTITION");
        },
      }),
    } as unknown as Kafka;
    const err = await kafkaTopicSource(broken, "orders")
      .read([{ partition: 0, from: "0", to: "1" }])
      .catch((e: unknown) => e as Error);
    expect((err as Error).message).to.equal("UNKNOWN_TOPIC_OR_PARTITION");
    expect(calls.disconnected).to.equal(1);
  });
});

describe("batch export's order and the day's bounds", () => {
  it("lists ranges by partition whatever order the offsets came in", () => {
    const starts = new Map([
      [2, "5"],
      [0, "1"],
      [1, "3"],
    ]);
    const ends = new Map([
      [0, "4"],
      [1, "3"],
      [2, "9"],
    ]);
    expect(rangesBetween(starts, ends)).to.deep.equal([
      { partition: 0, from: "1", to: "4" },
      { partition: 2, from: "5", to: "9" },
    ]);
  });

  it("writes the file in partition, then offset order (offsets compared as numbers), whatever order the read gave", async () => {
    const day = { date: "2026-11-29", startMs: 0, endMs: 86_400_000 };
    const event = (orderId: string) =>
      serializeOrderEvent({
        kind: "updated",
        orderId,
        customerId: "C-1",
        amount: "1.00",
        currency: "EUR",
        status: "paid",
        orderDate: "2026-11-29",
        updatedAt: "2026-11-29T10:00:00Z",
      });
    const m = (partition: number, offset: string, orderId: string): TopicMessage => ({
      partition,
      offset,
      timestamp: "1000",
      key: orderId,
      value: event(orderId),
    });
    const read = [m(1, "2", "O-d"), m(0, "10", "O-c"), m(1, "1", "O-e"), m(0, "9", "O-b"), m(0, "10", "O-c2")];
    let body = "";
    await exportDay(
      day,
      { offsetsAt: async () => new Map(), read: async () => read },
      { put: async (_k, b) => void (body = b) },
    );
    expect(
      body
        .trim()
        .split("\r\n")
        .slice(1)
        .map((l) => l.split(",")[1]),
    ).to.deep.equal(["O-b", "O-c", "O-c2", "O-e", "O-d"]);
  });

  it("takes a day that ended exactly now, and refuses a schedule time without a time of day", () => {
    const end = Date.parse("2026-11-30T00:00:00Z");
    expect(resolveDay({ date: "2026-11-29" }, end).date).to.equal("2026-11-29");
    expect(() => resolveDay({ date: "2026-11-29" }, end - 1)).to.throw("date 2026-11-29 is not over yet (UTC)");
    for (const scheduledTime of ["2026-11-30", " 2026-11-30T01:30:00Z", "30/11/2026 01:30"])
      expect(() => resolveDay({ scheduledTime }), scheduledTime).to.throw(
        `scheduledTime ${JSON.stringify(scheduledTime)} is not an ISO 8601 time`,
      );
  });
});

describe("batch copy's client and what it checks", () => {
  it("talks to OCI's S3 API path-style, with checksums only where required", async () => {
    const client = ociS3Client({
      namespace: "axyz",
      region: "eu-frankfurt-1",
      credentials: { accessKeyId: "a", secretAccessKey: "s" },
    });
    expect(client.config.forcePathStyle).to.equal(true);
    expect(await client.config.requestChecksumCalculation()).to.equal("WHEN_REQUIRED");
    expect(await client.config.responseChecksumValidation()).to.equal("WHEN_REQUIRED");
    const endpoint = await client.config.endpoint!();
    expect(`${endpoint.protocol}//${endpoint.hostname}`).to.equal(
      "https://axyz.compat.objectstorage.eu-frankfurt-1.oraclecloud.com",
    );
  });

  it("fails when the source stream breaks, and when the streamed length is not what the source said", async () => {
    const body = Buffer.from("order_id\r\nO-1\r\n");
    const { createHash } = await import("node:crypto");
    const sha256 = createHash("sha256").update(body).digest("hex");
    const uploaded: Buffer[] = [];
    // A target that takes a single PutObject and answers the read-back with what it stored.
    const target = new S3Client({
      region: "eu-frankfurt-1",
      endpoint: "http://127.0.0.1:9",
      forcePathStyle: true,
      credentials: { accessKeyId: "a", secretAccessKey: "s" },
    });
    target.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "PutObjectCommand") {
          const sent = (args.input as { Body?: unknown }).Body;
          if (sent instanceof Uint8Array || typeof sent === "string") uploaded.push(Buffer.from(sent));
          else for await (const chunk of sent as Readable) uploaded.push(Buffer.from(chunk as Buffer));
          return { output: { $metadata: {} }, response: {} } as never;
        }
        if (context.commandName === "GetObjectCommand")
          return { output: { $metadata: {}, Body: Readable.from([Buffer.concat(uploaded)]) }, response: {} } as never;
        return next(args);
      },
      { step: "initialize" },
    );
    const source = (length: number, stream: Readable) =>
      ({ send: async () => ({ Metadata: { sha256 }, ContentLength: length, Body: stream }) }) as unknown as S3Client;
    const wrongLength = await copyObject(source(body.length + 1, Readable.from([body])), "exports", target, "oci", "k")
      .then(() => "copied")
      .catch((e: unknown) => (e as Error).message);
    expect(wrongLength).to.equal(
      `the bytes streamed from s3://exports/k (${body.length} bytes, sha256 ${sha256}) are not what the export wrote (${body.length + 1} bytes, sha256 ${sha256})`,
    );
    const broken = new Readable({
      read() {
        this.destroy(new Error("ECONNRESET"));
      },
    });
    const failed = await copyObject(source(body.length, broken), "exports", target, "oci", "k2")
      .then(() => "copied")
      .catch((e: unknown) => (e as Error).message);
    expect(failed).to.contain("ECONNRESET");
  });
});

describe("batch load's bad-file reading (recording connection)", () => {
  const target = { region: "eu-frankfurt-1", namespace: "axyz", bucket: "b" };
  const loading = (table: [string, string] | undefined, read: (sql: string) => unknown) => {
    const executed: Array<{ sql: string; binds: unknown; options: unknown }> = [];
    const connect = async () => ({
      execute: async (sql: string, binds: oracledb.BindParameters, options: oracledb.ExecuteOptions) => {
        executed.push({ sql, binds, options });
        if (sql === LOAD_SQL) return { outBinds: { merged: 1, conflicts: 0, operation_id: 4 } };
        if (sql === BAD_FILE_SQL.table) return { rows: table ? [table] : [] };
        return read(sql) as { rows?: unknown[] };
      },
      close: async () => undefined,
    });
    return { connect, executed };
  };

  it("writes COPY_DATA's format exactly", () => {
    expect(JSON.parse(loadFormat(3))).to.deep.equal({
      type: "csv",
      skipheaders: 1,
      delimiter: ",",
      quote: '"',
      blankasnull: true,
      dateformat: "YYYY-MM-DD",
      timestamptzformat: 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM',
      rejectlimit: 3,
    });
    expect(() => loadFormat(1.5)).to.throw("the reject limit 1.5 is not a whole number of rows");
  });

  it("quotes in only the names DBMS_CLOUD makes (whole-name match), and reads them as arrays", async () => {
    for (const [owner, table] of [
      ["MC_LOADER", "COPY$4_BADX"],
      ["MC_LOADER", "XCOPY$4_BAD"],
      ['MC_LOADER"', "COPY$4_BAD"],
      ["mc_loader", "COPY$4_BAD"],
      ["1MC", "COPY$4_BAD"],
    ] as Array<[string, string]>) {
      const { connect } = loading([owner, table], () => ({ rows: [] }));
      const err = await loadDay(connect, target, "mc_app", "2026-11-29", 5).catch((e: unknown) => e as Error);
      expect((err as Error).message, `${owner}.${table}`).to.equal(
        `the load's bad-file table "${owner}"."${table}" is not one DBMS_CLOUD names; not reading it`,
      );
    }
    const { connect, executed } = loading(["MC_LOADER", "COPY$4_BAD"], () => ({ rows: [] }));
    expect((await loadDay(connect, target, "mc_app", "2026-11-29", 5)).rejected).to.deep.equal({ count: 0, rows: [] });
    expect(executed.slice(1).map((e) => [e.sql, e.binds, e.options])).to.deep.equal([
      [BAD_FILE_SQL.table, { operation_id: 4 }, { outFormat: oracledb.OUT_FORMAT_ARRAY }],
      [BAD_FILE_SQL.rows("MC_LOADER", "COPY$4_BAD"), {}, { outFormat: oracledb.OUT_FORMAT_ARRAY }],
    ]);
  });

  it("reports nothing when the operation names no bad-file table, and keeps a line's inner line breaks", async () => {
    const none = loading(undefined, () => {
      throw new Error("not asked");
    });
    expect((await loadDay(none.connect, target, "mc_app", "2026-11-29", 5)).rejected).to.deep.equal({
      count: 0,
      rows: [],
    });
    const quoted = loading(["MC_LOADER", "COPY$4_BAD"], () => ({ rows: [['a,"x\ny",b\r\n', 1]] }));
    expect((await loadDay(quoted.connect, target, "mc_app", "2026-11-29", 5)).rejected).to.deep.equal({
      count: 1,
      rows: ['a,"x\ny",b'],
    });
  });

  it("does not swallow an error reading the bad-file table other than its absence", async () => {
    const { connect } = loading(["MC_LOADER", "COPY$4_BAD"], () => {
      throw new Error("ORA-01031: insufficient privileges");
    });
    const err = await loadDay(connect, target, "mc_app", "2026-11-29", 5).catch((e: unknown) => e as Error);
    expect((err as Error).message).to.equal("ORA-01031: insufficient privileges");
  });

  it("over the limit: at most five refused lines in the message, '(not readable)' when the bad file cannot be read, and any other error as it was", async () => {
    const refusal = new Error(
      'ORA-20003: Reject limit reached, query table "MC_LOADER"."COPY$9_LOG" for error details',
    );
    const failing = (read: () => unknown) => async () => ({
      execute: async (sql: string) => {
        if (sql === LOAD_SQL) throw refusal;
        return read() as { rows?: unknown[] };
      },
      close: async () => undefined,
    });
    const lines = Array.from({ length: 7 }, (_, i) => [`line ${i + 1}`, 7]);
    const many = await loadDay(
      failing(() => ({ rows: lines })),
      target,
      "mc_app",
      "2026-11-29",
      1,
    ).catch((e: unknown) => (e as Error).message);
    expect(many).to.contain("; 7 refused, the first: line 1 | line 2 | line 3 | line 4 | line 5 (ORA-20003");
    const unreadable = await loadDay(
      failing(() => {
        throw new Error("ORA-01031: insufficient privileges");
      }),
      target,
      "mc_app",
      "2026-11-29",
      1,
    ).catch((e: unknown) => (e as Error).message);
    expect(unreadable).to.contain("; 0 refused, the first: (not readable) (ORA-20003");
    const other = Object.assign(Object.create(null) as object, { toString: () => "not an Error" });
    const odd = await loadDay(
      async () => ({
        execute: async () => {
          throw other;
        },
        close: async () => undefined,
      }),
      target,
      "mc_app",
      "2026-11-29",
    ).catch((e: unknown) => e);
    expect(odd).to.equal(other);
  });
});
