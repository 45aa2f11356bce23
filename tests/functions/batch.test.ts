/**
 * The batch path's functions: the day a run covers, the staging file, the export from the orders
 * topic (librdkafka's mock cluster) into S3 (s3rver), the copy to Object Storage through its
 * S3-compatible API (s3rver, with the requests OCI would refuse asserted absent), and the load's
 * one PL/SQL block on a recording connection. The SQL itself needs a real Autonomous Database
 * (DBMS_CLOUD, the resource principal): docs/sync.md says what only it proves.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { Readable } from "node:stream";
import { createHash } from "node:crypto";
import oracledb from "oracledb";
import { BATCH_ENV, batchLoadId, dayObjectKey, STAGING_FILE_COLUMNS } from "../../functions/aws/batch/contract";
import { parseOciKey } from "../../functions/aws/batch/copyHandler";
import { COPY_PART_BYTES, copyObject, ociS3Client, ociS3Endpoint } from "../../functions/aws/batch/copy";
import { csvField, stagingCsv } from "../../functions/aws/batch/csv";
import { dayOf, resolveDay } from "../../functions/aws/batch/day";
import { exportDay, rangesBetween, type TopicSource } from "../../functions/aws/batch/exportDay";
import { kafkaTopicSource } from "../../functions/aws/batch/kafkaSource";
import {
  BAD_FILE_SQL,
  LAKEHOUSE_LOAD_SQL,
  LOAD_FORMAT,
  loadFormat,
  LOAD_SQL,
  loadDay,
  loadLakehouseDay,
  objectUri,
} from "../../functions/aws/batch/load";
import { s3Sink } from "../../functions/aws/batch/s3Sink";
import { afterExport, requiredEnv } from "../../functions/aws/batch/steps";
import { ORDER_TOPICS } from "../../functions/aws/orders/contract";
import { type OrderEvent, serializeOrderEvent } from "../../functions/aws/orders/event";
import { localKafka, startMockCluster } from "./support/kafkaMock";
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from "./support/s3local";

const event = (orderId: string, updatedAt: string, extra: Partial<OrderEvent> = {}): OrderEvent => ({
  schemaVersion: 1,
  kind: "updated",
  orderId,
  customerId: "C-1",
  amount: "10.00",
  currency: "EUR",
  status: "pending",
  orderDate: "2026-11-29",
  updatedAt,
  ...extra,
});

describe("batch path: the day a run covers (pure)", () => {
  const now = Date.parse("2026-11-30T02:00:00Z");

  it("covers the UTC day before a scheduled run, and a named day when it is over", () => {
    expect(resolveDay({ scheduledTime: "2026-11-30T01:30:00Z" }, now)).to.deep.equal({
      date: "2026-11-29",
      startMs: Date.parse("2026-11-29T00:00:00Z"),
      endMs: Date.parse("2026-11-30T00:00:00Z"),
    });
    expect(resolveDay({ scheduledTime: "2026-03-01T00:00:00+00:00" }, now).date).to.equal("2026-02-28");
    expect(resolveDay({ date: "2026-11-29", scheduledTime: "2026-01-01T00:00:00Z" }, now).date).to.equal("2026-11-29");
  });

  it("refuses a day not over yet, a day that does not exist, and an input without a day, saying what to pass", () => {
    expect(() => resolveDay({ date: "2026-11-30" }, now)).to.throw(
      "date 2026-11-30 is not over yet (UTC); run it after 2026-12-01T00:00:00.000Z",
    );
    expect(() => resolveDay({ date: "2026-02-30" }, now)).to.throw(
      'date "2026-02-30" is not a calendar day (YYYY-MM-DD)',
    );
    expect(() => dayOf("29.11.2026")).to.throw("is not a calendar day");
    expect(() => resolveDay({}, now)).to.throw('the input names no day: pass {"date": "YYYY-MM-DD"}');
    expect(() => resolveDay({ scheduledTime: "yesterday" }, now)).to.throw(
      'scheduledTime "yesterday" is not an ISO 8601 time',
    );
  });
});

describe("batch path: the staging file (pure)", () => {
  it("writes a header in the staging table's column order and one line per event, blanks for an update's key and hash", () => {
    const created = event("O-1", "2026-11-29T10:00:00Z", {
      kind: "created",
      idempotencyKey: "key-00000001",
      requestHash: "a".repeat(64),
    });
    const csv = stagingCsv("batch:2026-11-29", [
      created,
      event("O-1", "2026-11-29T11:00:00.5+01:00", { status: "paid" }),
    ]);
    expect(csv.split("\r\n")).to.deep.equal([
      "load_id,order_id,customer_id,amount,currency,status,order_date,updated_at,kind,idempotency_key,request_hash",
      `batch:2026-11-29,O-1,C-1,10.00,EUR,pending,2026-11-29,2026-11-29T10:00:00.000000000+00:00,created,key-00000001,${"a".repeat(64)}`,
      "batch:2026-11-29,O-1,C-1,10.00,EUR,paid,2026-11-29,2026-11-29T11:00:00.500000000+01:00,updated,,",
      "",
    ]);
    expect(STAGING_FILE_COLUMNS).to.have.length(11);
  });

  it("quotes a field with a comma, a quote or a line break (RFC 4180), and nothing else", () => {
    expect([
      csvField("plain"),
      csvField("a,b"),
      csvField('say "hi"'),
      csvField("two\nlines"),
      csvField(""),
    ]).to.deep.equal(["plain", '"a,b"', '"say ""hi"""', '"two\nlines"', ""]);
  });

  it("names the day's object and load once for both buckets and the database", () => {
    expect([dayObjectKey("2026-11-29"), batchLoadId("2026-11-29")]).to.deep.equal([
      "orders/date=2026-11-29/orders.csv",
      "batch:2026-11-29",
    ]);
    expect(
      objectUri(
        { region: "eu-frankfurt-1", namespace: "axyz", bucket: "multicloud-dev-orders-batch" },
        dayObjectKey("2026-11-29"),
      ),
    ).to.equal(
      "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/axyz/b/multicloud-dev-orders-batch/o/orders/date%3D2026-11-29/orders.csv",
    );
    expect(ociS3Endpoint("axyz", "eu-frankfurt-1")).to.equal(
      "https://axyz.compat.objectstorage.eu-frankfurt-1.oraclecloud.com",
    );
  });

  it("reads only partitions with something between the two offsets", () => {
    const starts = new Map([
      [0, "5"],
      [1, "7"],
      [2, "0"],
    ]);
    expect(
      rangesBetween(
        starts,
        new Map([
          [0, "9"],
          [1, "7"],
          [2, "3"],
        ]),
      ),
    ).to.deep.equal([
      { partition: 0, from: "5", to: "9" },
      { partition: 2, from: "0", to: "3" },
    ]);
    expect(() => rangesBetween(starts, new Map([[0, "9"]]))).to.throw(
      "partition 1 has a start offset but no end offset",
    );
  });
});

describe("batch path: export from the orders topic (mock cluster) into S3 (s3rver)", function () {
  let s3: LocalS3;
  before(async () => {
    s3 = await startLocalS3(["exports"]);
  });
  after(() => s3.stop());

  it("writes the day's events — and only the day's — in partition and offset order, counts the refused, and writes the same bytes again on a re-run", async () => {
    const mock = await startMockCluster();
    const kafka = localKafka(mock, "export-test");
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const at = (iso: string) => String(Date.parse(iso));
    const message = (partition: number, e: OrderEvent, timestamp: string) => ({
      partition,
      key: e.orderId,
      value: serializeOrderEvent(e),
      timestamp: at(timestamp),
    });
    await producer.send({
      topic: ORDER_TOPICS.orders,
      messages: [
        message(0, event("O-0", "2026-11-28T23:59:59Z"), "2026-11-28T23:59:59.999Z"),
        message(0, event("O-1", "2026-11-29T00:00:00Z"), "2026-11-29T00:00:00.000Z"),
        message(1, event("O-2", "2026-11-29T12:00:00Z"), "2026-11-29T12:00:00.000Z"),
        message(0, event("O-1", "2026-11-29T13:00:00Z", { status: "paid" }), "2026-11-29T13:00:00.000Z"),
        { partition: 1, key: "O-bad", value: "{broken", timestamp: at("2026-11-29T14:00:00Z") },
        message(1, event("O-3", "2026-11-30T00:00:00Z"), "2026-11-30T00:00:00.000Z"),
      ],
    });
    const real = kafkaTopicSource(kafka, ORDER_TOPICS.orders);
    // The mock cluster has no time index (it answers every timestamp with the log's end): read the
    // whole log instead; the day is then the timestamps' business alone, as it is on MSK.
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(ORDER_TOPICS.orders);
    await admin.disconnect();
    const wholeLog: TopicSource = {
      offsetsAt: async (ms) =>
        new Map(offsets.map((o) => [o.partition, ms === dayOf("2026-11-29").startMs ? o.low : o.high])),
      read: real.read,
    };
    const client: S3Client = s3.client();
    const result = await exportDay(dayOf("2026-11-29"), wholeLog, s3Sink(client, "exports"));
    const object = await client.send(
      new GetObjectCommand({ Bucket: "exports", Key: "orders/date=2026-11-29/orders.csv" }),
    );
    const body = await object.Body!.transformToString();
    expect(
      body
        .split("\r\n")
        .slice(1, -1)
        .map((l) => l.split(",").slice(1, 6).join(" ")),
    ).to.deep.equal(["O-1 C-1 10.00 EUR pending", "O-1 C-1 10.00 EUR paid", "O-2 C-1 10.00 EUR pending"]);
    expect(result).to.deep.equal({
      date: "2026-11-29",
      key: "orders/date=2026-11-29/orders.csv",
      events: 3,
      refused: { "value is not JSON": 1 },
      bytes: Buffer.byteLength(body),
      sha256: createHash("sha256").update(body).digest("hex"),
    });
    expect(object.Metadata).to.deep.equal({ sha256: result.sha256 });
    expect(await exportDay(dayOf("2026-11-29"), wholeLog, s3Sink(client, "exports"))).to.deep.equal(result);
    await producer.disconnect();
    await mock.stop();
  });
});

describe("batch path: copy to Object Storage through its S3-compatible API (s3rver)", function () {
  let s3: LocalS3;
  before(async () => {
    s3 = await startLocalS3(["exports", "oci-bucket"]);
  });
  after(() => s3.stop());

  /** The OCI client, recording every request it sends as it leaves (after signing). */
  const recordingOciClient = () => {
    const requests: Array<{
      method: string;
      path: string;
      query: Record<string, unknown>;
      headers: Record<string, string>;
    }> = [];
    const client = ociS3Client({
      namespace: "axyz",
      region: "eu-frankfurt-1",
      credentials: LOCAL_S3_CREDENTIALS,
      endpoint: s3.endpoint,
    });
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as {
          method: string;
          path: string;
          query: Record<string, unknown>;
          headers: Record<string, string>;
        };
        requests.push({
          method: request.method,
          path: request.path,
          query: { ...request.query },
          headers: { ...request.headers },
        });
        return next(args);
      },
      { step: "finalizeRequest", priority: "low", name: "recordRequests" },
    );
    return { client, requests };
  };

  it("streams a large file in 8 MiB parts, keeps its SHA-256, and sends nothing OCI's API refuses", async () => {
    const source = s3.client();
    const body = Buffer.alloc(COPY_PART_BYTES * 2 + 1234, "0123456789abcdef,\r\n");
    const sha256 = createHash("sha256").update(body).digest("hex");
    await source.send(
      new PutObjectCommand({
        Bucket: "exports",
        Key: "orders/date=2026-11-29/orders.csv",
        Body: body,
        Metadata: { sha256 },
      }),
    );
    const { client, requests } = recordingOciClient();
    expect(
      await copyObject(source, "exports", client, "oci-bucket", "orders/date=2026-11-29/orders.csv"),
    ).to.deep.equal({ key: "orders/date=2026-11-29/orders.csv", bytes: body.length, sha256 });
    const copied = await source.send(
      new GetObjectCommand({ Bucket: "oci-bucket", Key: "orders/date=2026-11-29/orders.csv" }),
    );
    expect(
      createHash("sha256")
        .update(Buffer.from(await copied.Body!.transformToByteArray()))
        .digest("hex"),
    ).to.equal(sha256);
    // Multipart: create, three parts, complete; then the stored bytes read back and hashed.
    expect(requests.filter((r) => r.method === "GET").map((r) => decodeURIComponent(r.path))).to.deep.equal([
      "/oci-bucket/orders/date=2026-11-29/orders.csv",
    ]);
    const parts = requests.filter((r) => r.method === "PUT" && "partNumber" in r.query);
    expect(parts.map((r) => r.query.partNumber).sort()).to.deep.equal(["1", "2", "3"]);
    expect(requests.filter((r) => r.method === "POST").map((r) => Object.keys(r.query).sort())).to.deep.equal([
      ["uploads"],
      ["uploadId"],
    ]);
    for (const r of requests) {
      // Path-style (bucket in the path), no flexible checksums, no aws-chunked bodies.
      expect(r.path.startsWith("/oci-bucket/"), r.path).to.equal(true);
      const names = Object.keys(r.headers).map((h) => h.toLowerCase());
      expect(
        names.filter(
          (h) =>
            h.startsWith("x-amz-checksum-") ||
            h === "x-amz-sdk-checksum-algorithm" ||
            h === "x-amz-trailer" ||
            h === "x-amz-decoded-content-length",
        ),
        `${r.method} ${r.path}`,
      ).to.deep.equal([]);
      expect(String(r.headers["content-encoding"] ?? r.headers["Content-Encoding"] ?? "")).to.not.contain(
        "aws-chunked",
      );
    }
  });

  it("fails when the destination stores other bytes than were sent (its metadata says nothing)", async () => {
    const source = s3.client();
    const body = Buffer.from("order_id,amount\r\nO-1,10.00\r\n");
    const sha256 = createHash("sha256").update(body).digest("hex");
    await source.send(new PutObjectCommand({ Bucket: "exports", Key: "d.csv", Body: body, Metadata: { sha256 } }));
    const { client } = recordingOciClient();
    // The destination answers the read-back with other bytes of the same length, and the right metadata.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === "GetObjectCommand")
          (result.output as { Body: unknown }).Body = Readable.from([
            Buffer.from(body.toString().replace("10.00", "99.00")),
          ]);
        return result;
      },
      { step: "initialize", name: "tamper" },
    );
    const err = await copyObject(source, "exports", client, "oci-bucket", "d.csv").catch((e: unknown) => e as Error);
    expect((err as Error).message).to.match(
      new RegExp(
        `^the copy of d\\.csv stores ${body.length} bytes \\(sha256 [0-9a-f]{64}\\); ${body.length} bytes were sent \\(sha256 ${sha256}\\)$`,
      ),
    );
  });

  it("fails when the source's bytes are not what the export wrote (its SHA-256 over the bytes it wrote)", async () => {
    const source = s3.client();
    await source.send(
      new PutObjectCommand({ Bucket: "exports", Key: "e.csv", Body: "a,b\r\n", Metadata: { sha256: "0".repeat(64) } }),
    );
    const { client } = recordingOciClient();
    const err = await copyObject(source, "exports", client, "oci-bucket", "e.csv").catch((e: unknown) => e as Error);
    expect((err as Error).message).to.match(
      /^the bytes streamed from s3:\/\/exports\/e\.csv \(5 bytes, sha256 [0-9a-f]{64}\) are not what the export wrote \(5 bytes, sha256 0{64}\)$/,
    );
  });

  it("refuses an object the export did not write (no SHA-256), copying nothing", async () => {
    const source = s3.client();
    await source.send(new PutObjectCommand({ Bucket: "exports", Key: "stray.csv", Body: "x" }));
    const { client, requests } = recordingOciClient();
    const err = await copyObject(source, "exports", client, "oci-bucket", "stray.csv").catch(
      (e: unknown) => e as Error,
    );
    expect((err as Error).message).to.equal(
      "s3://exports/stray.csv has no sha256 metadata: it was not written by the export",
    );
    expect(requests).to.deep.equal([]);
    const missing = await source
      .send(new HeadObjectCommand({ Bucket: "oci-bucket", Key: "stray.csv" }))
      .catch((e: unknown) => e as Error);
    expect((missing as Error).name).to.equal("NotFound");
  });
});

describe("batch path: the load (recording connection)", () => {
  const target = { region: "eu-frankfurt-1", namespace: "axyz", bucket: "multicloud-dev-orders-batch" };

  it("runs one block — drop the day's earlier staging, COPY_DATA with the resource principal, merge — and commits it", async () => {
    const executed: Array<{ sql: string; binds: Record<string, unknown>; options: oracledb.ExecuteOptions }> = [];
    let closed = 0;
    const connect = async () => ({
      execute: async (sql: string, binds: oracledb.BindParameters, options: oracledb.ExecuteOptions) => {
        executed.push({ sql, binds: binds as Record<string, unknown>, options });
        return { outBinds: { merged: 3, conflicts: 1 } };
      },
      close: async () => void closed++,
    });
    expect(await loadDay(connect, target, "mc_app", "2026-11-29")).to.deep.equal({
      date: "2026-11-29",
      loadId: "batch:2026-11-29",
      merged: 3,
      conflicts: 1,
      rejected: { count: 0, rows: [] },
    });
    expect(executed).to.have.length(1);
    expect(executed[0].sql).to.equal(LOAD_SQL);
    expect(LOAD_SQL).to.match(
      /^BEGIN\n {2}DELETE FROM orders_staging WHERE load_id = :load_id;\n {2}DBMS_CLOUD\.COPY_DATA\(.*credential_name => 'OCI\$RESOURCE_PRINCIPAL'.*, operation_id => :operation_id\);\n {2}merge_orders_staging\(:load_id, :merged, :conflicts\);\nEND;$/,
    );
    expect(executed[0].binds).to.deep.include({
      load_id: "batch:2026-11-29",
      schema_name: "MC_APP",
      file_uri:
        "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/axyz/b/multicloud-dev-orders-batch/o/orders/date%3D2026-11-29/orders.csv",
      format: LOAD_FORMAT,
    });
    expect(executed[0].binds.merged).to.deep.equal({ dir: oracledb.BIND_OUT, type: oracledb.NUMBER });
    expect(executed[0].options).to.deep.equal({ autoCommit: true });
    expect(JSON.parse(LOAD_FORMAT)).to.deep.include({
      type: "csv",
      skipheaders: 1,
      blankasnull: true,
      rejectlimit: 0,
      timestamptzformat: 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM',
    });
    expect(closed).to.equal(1);
  });

  it("replaces the day's rows of the Lakehouse's order events in one block and reports how many there are", async () => {
    const executed: Array<{ sql: string; binds: Record<string, unknown>; options: oracledb.ExecuteOptions }> = [];
    const connect = async () => ({
      execute: async (sql: string, binds: oracledb.BindParameters, options: oracledb.ExecuteOptions) => {
        executed.push({ sql, binds: binds as Record<string, unknown>, options });
        return { outBinds: { loaded: 42 } };
      },
      close: async () => undefined,
    });
    expect(await loadLakehouseDay(connect, target, "mc_lake", "2026-11-29")).to.deep.equal({
      date: "2026-11-29",
      loadId: "batch:2026-11-29",
      rows: 42,
      rejected: { count: 0, rows: [] },
    });
    expect(executed.map((e) => [e.sql, e.options])).to.deep.equal([[LAKEHOUSE_LOAD_SQL, { autoCommit: true }]]);
    expect(LAKEHOUSE_LOAD_SQL).to.match(
      /^BEGIN\n {2}DELETE FROM order_events WHERE load_id = :load_id;\n {2}DBMS_CLOUD\.COPY_DATA\(table_name => 'ORDER_EVENTS'.*'OCI\$RESOURCE_PRINCIPAL'.*\);\n {2}SELECT COUNT\(\*\) INTO :loaded FROM order_events WHERE load_id = :load_id;\nEND;$/,
    );
    expect(executed[0].binds).to.deep.include({
      load_id: "batch:2026-11-29",
      schema_name: "MC_LAKE",
      format: LOAD_FORMAT,
    });
  });

  it("reports the rows the database refused within the reject limit, from COPY_DATA's bad-file table", async () => {
    const executed: Array<{ sql: string; binds: Record<string, unknown> }> = [];
    const connect = async () => ({
      execute: async (sql: string, binds: oracledb.BindParameters) => {
        executed.push({ sql, binds: binds as Record<string, unknown> });
        if (sql === LOAD_SQL) return { outBinds: { merged: 5, conflicts: 0, operation_id: 7 } };
        if (sql === BAD_FILE_SQL.table) return { rows: [["MC_LOADER", "COPY$7_BAD"]] };
        if (sql === BAD_FILE_SQL.rows("MC_LOADER", "COPY$7_BAD"))
          return {
            rows: [
              ["load,O-9,C-1,12.345,EUR,paid,2026-11-29,2026-11-29T10:00:00.000000000+00:00,updated,,\n", 2],
              ["load,O-10,C-1,1.00,EUR,paid,0000-11-29,2026-11-29T10:00:00.000000000+00:00,updated,,\n", 2],
            ],
          };
        throw new Error(`unexpected ${sql}`);
      },
      close: async () => undefined,
    });
    const result = await loadDay(connect, target, "mc_app", "2026-11-29", 10);
    expect(result.rejected).to.deep.equal({
      count: 2,
      rows: [
        "load,O-9,C-1,12.345,EUR,paid,2026-11-29,2026-11-29T10:00:00.000000000+00:00,updated,,",
        "load,O-10,C-1,1.00,EUR,paid,0000-11-29,2026-11-29T10:00:00.000000000+00:00,updated,,",
      ],
    });
    expect(JSON.parse(String(executed[0].binds.format)).rejectlimit).to.equal(10);
    expect(executed[1].binds).to.deep.equal({ operation_id: 7 });
    expect(BAD_FILE_SQL.rows("MC_LOADER", "COPY$7_BAD")).to.equal(
      'SELECT record, COUNT(*) OVER () FROM "MC_LOADER"."COPY$7_BAD" FETCH FIRST 100 ROWS ONLY',
    );
  });

  it("reads no table DBMS_CLOUD did not name, and nothing when it made no bad-file table", async () => {
    const answering = (table: string, rows: () => unknown) => async () => ({
      execute: async (sql: string) => {
        if (sql === LOAD_SQL) return { outBinds: { merged: 1, conflicts: 0, operation_id: 3 } };
        if (sql === BAD_FILE_SQL.table) return { rows: [["MC_LOADER", table]] };
        return { rows: rows() as unknown[] };
      },
      close: async () => undefined,
    });
    const missing = await loadDay(
      answering("COPY$3_BAD", () => {
        throw new Error("ORA-00942: table or view does not exist");
      }),
      target,
      "mc_app",
      "2026-11-29",
    );
    expect(missing.rejected).to.deep.equal({ count: 0, rows: [] });
    const odd = await loadDay(
      answering('X"; DROP TABLE orders; --', () => []),
      target,
      "mc_app",
      "2026-11-29",
    ).catch((e: unknown) => e as Error);
    expect((odd as Error).message).to.match(/is not one DBMS_CLOUD names; not reading it$/);
    expect(() => loadFormat(-1)).to.throw("the reject limit -1 is not a whole number of rows");
  });

  it("fails above the reject limit naming it and the first refused rows, from the bad-file table the error names", async () => {
    let closed = 0;
    const refusal = Object.assign(
      new Error('ORA-20003: Reject limit reached, query table "MC_LOADER"."COPY$12_LOG" for error details'),
      { code: "ORA-20003" },
    );
    const connect = async () => ({
      execute: async (sql: string) => {
        if (sql === LOAD_SQL) throw refusal;
        if (sql === BAD_FILE_SQL.rows("MC_LOADER", "COPY$12_BAD"))
          return {
            rows: [
              ["bad line 1\n", 3],
              ["bad line 2\n", 3],
              ["bad line 3", 3],
            ],
          };
        throw new Error(`unexpected ${sql}`);
      },
      close: async () => void closed++,
    });
    const err = await loadDay(connect, target, "mc_app", "2026-11-29", 2).catch((e: unknown) => e as Error);
    expect((err as Error).message).to.equal(
      "the day's file has more rows the database refuses than multicloud:sync.batch.rejectLimit allows (2); 3 refused, the first: bad line 1 | bad line 2 | bad line 3 " +
        '(ORA-20003: Reject limit reached, query table "MC_LOADER"."COPY$12_LOG" for error details)',
    );
    expect((err as Error).cause).to.equal(refusal);
    expect(closed).to.equal(1);
  });

  it("closes the connection and reports the database's error when the load fails", async () => {
    let closed = 0;
    const connect = async () => ({
      execute: async () => {
        throw Object.assign(
          new Error('ORA-20003: Reject limit reached, query table "MC_LOADER"."COPY$1_LOG" for error details'),
          { code: "ORA-20003" },
        );
      },
      close: async () => void closed++,
    });
    const err = await loadDay(connect, target, "mc_app", "2026-11-29").catch((e: unknown) => e as Error);
    expect((err as Error).message).to.contain("ORA-20003");
    expect(closed).to.equal(1);
  });
});

describe("batch path: what each step reads from the workflow's state (pure)", () => {
  it("takes the day and the export's object, naming what is missing or inconsistent", () => {
    const state = {
      scheduledTime: "2026-11-30T01:30:00Z",
      date: "2026-11-29",
      export: { result: { key: "orders/date=2026-11-29/orders.csv" } },
    };
    expect(afterExport(state)).to.deep.equal({ date: "2026-11-29", key: "orders/date=2026-11-29/orders.csv" });
    expect(() => afterExport({ export: state.export })).to.throw("state.date is missing");
    expect(() => afterExport({ date: "2026-11-29" })).to.throw("state.export.result.key is missing");
    expect(() => afterExport({ ...state, date: "2026-11-28" })).to.throw(
      "state.export.result.key orders/date=2026-11-29/orders.csv is not the object of 2026-11-28 (orders/date=2026-11-28/orders.csv)",
    );
    expect(() => afterExport({ ...state, date: "2026-13-01" })).to.throw("is not a calendar day");
  });

  it("reads the OCI key secret and names a missing field; names an unset variable and who sets it", () => {
    expect(parseOciKey(JSON.stringify({ accessKeyId: "ak", secretAccessKey: "sk" }))).to.deep.equal({
      accessKeyId: "ak",
      secretAccessKey: "sk",
    });
    expect(() => parseOciKey(JSON.stringify({ accessKeyId: "ak" }))).to.throw(
      "the OCI key secret has no secretAccessKey",
    );
    expect(requiredEnv({ A: "x" }, "A")).to.equal("x");
    expect(() => requiredEnv({}, BATCH_ENV.ociBucket)).to.throw(
      "BATCH_OCI_BUCKET is not set (the BatchSync component sets it)",
    );
  });
});
