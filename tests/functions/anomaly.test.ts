/**
 * The OCI anomaly feature function's logic: Connector Hub batches decoded, events parsed with
 * reasons, delta and ratio against the previous value of the same series (in the batch, out of
 * order, or stored), one read and one committed insert per batch on the recording database model,
 * idempotent on the event id; and the FDK's own HTTP-over-unix-socket contract in a child process.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { handleBatch } from "../../functions/oci/anomaly/batch";
import { decodeConnectorBatch } from "../../functions/oci/common/connectorHub";
import { type AnomalyEvent, parseAnomalyEvent } from "../../functions/oci/anomaly/event";
import { computeFeatures, firstTimes } from "../../functions/oci/anomaly/features";
import { ANOMALY_ENV } from "../../functions/oci/anomaly/contract";
import {
  functionDbSettings,
  parseFunctionDbCredential,
  readFunctionDbCredential,
} from "../../functions/oci/common/vaultCredential";
import { ANOMALY_SQL, anomalyStore } from "../../functions/oci/anomaly/store";
import { anomalyEvents, anomalyMessages } from "../../functions/oci/producer/anomalyEvents";
import { streamKafkaConfig } from "../../functions/oci/producer/cli";
import { oracleError } from "./support/fakeStagingDb";
import { FakeAnomalyDb } from "./support/fakeAnomalyDb";
import { startFdk } from "./support/fdkHarness";
import { createTopicWithNonEvent, readAsConnectorHub, startMockCluster } from "./support/kafkaMock";

const ev = (eventId: string, seriesKey: string, value: number, eventTime: string): AnomalyEvent => ({
  eventId,
  seriesKey,
  value,
  eventTime,
});
/** A Connector Hub message as Streaming delivers it: key and value base64. */
const message = (offset: number, value: unknown, stream = "anomaly-events") => ({
  stream,
  partition: "0",
  offset,
  key: Buffer.from(`k-${offset}`).toString("base64"),
  value: Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64"),
  timestamp: "2026-11-30T10:00:00.000Z",
});

describe("anomaly feature function (pure)", () => {
  it("computes delta and ratio against the previous value of the same series, never another's or its own", () => {
    const rows = computeFeatures(
      [
        ev("e1", "s-a", 10, "2026-11-30T10:00:00Z"),
        ev("e2", "s-b", 100, "2026-11-30T10:00:00Z"),
        ev("e3", "s-a", 15, "2026-11-30T10:01:00Z"),
        ev("e4", "s-b", 0, "2026-11-30T10:02:00Z"),
        ev("e5", "s-b", 7, "2026-11-30T10:03:00Z"),
      ],
      new Map(),
    );
    expect(rows.map((r) => [r.eventId, r.delta, r.ratio])).to.deep.equal([
      ["e1", null, null],
      ["e3", 5, 1.5],
      ["e2", null, null],
      ["e4", -100, 0],
      // After a 0 the ratio is undefined, not infinite.
      ["e5", 7, null],
    ]);
  });

  it("orders each series by event time (out-of-order delivery) and starts from the stored previous value", () => {
    const rows = computeFeatures(
      [ev("late", "s", 30, "2026-11-30T10:02:00Z"), ev("early", "s", 20, "2026-11-30T10:01:00Z")],
      new Map([["s", { seriesKey: "s", value: 16, eventTime: "2026-11-30T10:00:00Z" }]]),
    );
    expect(rows.map((r) => [r.eventId, r.delta, r.ratio])).to.deep.equal([
      ["early", 4, 1.25],
      ["late", 10, 1.5],
    ]);
    expect([
      ...firstTimes([
        ev("a", "s", 1, "2026-11-30T10:02:00Z"),
        ev("b", "s", 1, "2026-11-30T10:01:00+00:00"),
        ev("c", "t", 1, "2026-11-30T09:00:00Z"),
      ]),
    ]).to.deep.equal([
      ["s", "2026-11-30T10:01:00+00:00"],
      ["t", "2026-11-30T09:00:00Z"],
    ]);
  });

  it("keeps one row per event id when a batch repeats a message", () => {
    expect(
      computeFeatures([ev("e1", "s", 1, "2026-11-30T10:00:00Z"), ev("e1", "s", 1, "2026-11-30T10:00:00Z")], new Map()),
    ).to.have.length(1);
  });

  it("refuses an event saying which fields are wrong, and a payload that is not a batch as a whole", () => {
    expect(parseAnomalyEvent("{").ok).to.equal(false);
    expect(
      parseAnomalyEvent(JSON.stringify({ eventId: "e 1", seriesKey: "", value: "3", eventTime: "yesterday" })),
    ).to.deep.equal({ ok: false, reason: "invalid eventId, seriesKey, value, eventTime" });
    // JSON has no Infinity: it arrives as null, and null is no measurement.
    expect(
      parseAnomalyEvent(
        JSON.stringify({
          eventId: "e1",
          seriesKey: "s",
          value: Number.MAX_VALUE * 2,
          eventTime: "2026-11-30T10:00:00Z",
        }),
      ),
    ).to.deep.equal({ ok: false, reason: "invalid value" });
    expect(() => decodeConnectorBatch({ messages: [] }, 500)).to.throw(
      "the Connector Hub payload is not a JSON array of stream messages",
    );
    expect(() => decodeConnectorBatch([{ stream: "s", partition: "0", offset: 1 }], 500)).to.throw(
      "message 0: value is missing or not base64 text",
    );
    expect(() =>
      decodeConnectorBatch(
        Array.from({ length: 501 }, (_, i) => message(i, {})),
        500,
      ),
    ).to.throw("the batch holds 501 messages");
    expect(decodeConnectorBatch([message(7, { a: 1 })], 500)).to.deep.equal([
      { stream: "anomaly-events", partition: "0", offset: 7, value: '{"a":1}', key: "k-7" },
    ]);
  });
});

describe("anomaly feature function on the recording database model", () => {
  const batch = (offset0: number, events: AnomalyEvent[]) => events.map((e, i) => message(offset0 + i, e));

  it("stores a batch with one read, one insert and one commit, and a redelivered batch inserts nothing twice", async () => {
    const db = new FakeAnomalyDb();
    const events = Array.from({ length: 200 }, (_, i) =>
      ev(`e-${i}`, `series-${i % 7}`, i, new Date(Date.parse("2026-11-30T10:00:00Z") + i * 1000).toISOString()),
    );
    expect(await handleBatch(batch(0, events), anomalyStore(db))).to.deep.equal({
      received: 200,
      inserted: 200,
      duplicates: 0,
      refused: 0,
    });
    expect([db.roundTrips, db.commits]).to.deep.equal([3, 1]);
    expect(await handleBatch(batch(0, events), anomalyStore(db))).to.deep.equal({
      received: 200,
      inserted: 0,
      duplicates: 200,
      refused: 0,
    });
    expect(db.events.size).to.equal(200);
    // series-3's values are 3, 10, 17, …: every stored delta is 7.
    expect([...db.events.values()].filter((e) => e.seriesKey === "series-3").map((e) => e.delta)).to.deep.equal([
      null,
      ...Array(28).fill(7),
    ]);
  });

  it("takes the previous value from the store across batches, and records refusals once with their reasons", async () => {
    const db = new FakeAnomalyDb();
    await handleBatch(batch(0, [ev("a1", "s", 10, "2026-11-30T10:00:00Z")]), anomalyStore(db));
    const body = [
      ...batch(1, [ev("a2", "s", 12, "2026-11-30T10:01:00Z")]),
      message(2, "not json"),
      message(3, { eventId: "x" }),
    ];
    expect(await handleBatch(body, anomalyStore(db))).to.deep.equal({
      received: 3,
      inserted: 1,
      duplicates: 0,
      refused: 2,
    });
    expect(db.events.get("a2")).to.deep.include({ delta: 2, ratio: 1.2 });
    expect([...db.rejects]).to.deep.equal([
      ["anomaly-events/0/2", "value is not JSON"],
      ["anomaly-events/0/3", "invalid seriesKey, value, eventTime"],
    ]);
    await handleBatch(body, anomalyStore(db));
    expect(db.rejects.size).to.equal(2);
    // Batch 2: read, insert, refusals, commit — four round trips; batch 1 took three (no refusals).
    expect(db.roundTrips).to.equal(3 + 4 + 4);
  });

  it("records a row the database refuses for its data with the other refusals, in the transaction of the rows; anything else rolls back", async () => {
    const db = new FakeAnomalyDb();
    // A CHECK a later migration adds: negative values refused.
    db.constraints.push((row) =>
      row.value < 0 ? oracleError(2290, "check constraint (MC_APP.ANOMALY_VALUE_CK) violated") : undefined,
    );
    const body = [
      ...batch(0, [ev("n1", "s", 1, "2026-11-30T10:00:00Z"), ev("n2", "s", -5, "2026-11-30T10:01:00Z")]),
      ...batch(2, [ev("n3", "s", 3, "2026-11-30T10:02:00Z")]),
      message(3, "not json"),
    ];
    expect(await handleBatch(body, anomalyStore(db))).to.deep.equal({
      received: 4,
      inserted: 2,
      duplicates: 0,
      refused: 2,
    });
    expect([...db.events.keys()].sort()).to.deep.equal(["n1", "n3"]);
    expect([...db.rejects]).to.deep.equal([
      ["anomaly-events/0/3", "value is not JSON"],
      [
        "anomaly-events/0/1",
        "the database refused it: ORA-02290 a value breaks a check constraint (ORA-02290: check constraint (MC_APP.ANOMALY_VALUE_CK) violated)",
      ],
    ]);
    expect(db.commits).to.equal(1);
    // Not a data error: nothing of the batch is committed, and it fails (Connector Hub delivers it again).
    const other = new FakeAnomalyDb();
    other.constraints.push((row) => (row.value === 3 ? oracleError(942, "table or view does not exist") : undefined));
    const failed = await handleBatch(body, anomalyStore(other)).catch((e: unknown) => e as Error);
    expect((failed as Error).message).to.equal("ORA-00942: table or view does not exist");
    expect([other.events.size, other.rejects.size, other.commits, other.rollbacks]).to.deep.equal([0, 0, 0, 1]);
  });

  it("writes no rows for a batch of refusals only: the refusals and the commit, two round trips", async () => {
    const db = new FakeAnomalyDb();
    expect(await handleBatch([message(0, "not json")], anomalyStore(db))).to.deep.include({ inserted: 0, refused: 1 });
    expect([db.roundTrips, db.commits]).to.deep.equal([2, 1]);
  });

  it("refuses an event whose delta or ratio Oracle cannot store (no NJS-115), and values it cannot bind at the edge", async () => {
    const db = new FakeAnomalyDb();
    const body = batch(0, [
      ev("t1", "s", 1e-120, "2026-11-30T10:00:00Z"),
      ev("t2", "s", 1e120, "2026-11-30T10:01:00Z"),
    ]);
    expect(await handleBatch(body, anomalyStore(db))).to.deep.include({ inserted: 1, refused: 1 });
    expect([...db.rejects.values()]).to.deep.equal([
      "invalid value: its delta (1e+120) or ratio (1e+240) to the previous value is outside what Oracle stores",
    ]);
  });

  it("sends the series and their first times as one JSON bind in the store's form", async () => {
    const seen: unknown[] = [];
    const store = anomalyStore({
      execute: async (sql, binds) => {
        seen.push([sql, binds]);
        return { rows: [] };
      },
      executeMany: async () => ({ rowsAffected: 0 }),
      commit: async () => undefined,
      rollback: async () => undefined,
    });
    await store.previousValues(new Map([["s", "2026-11-30T10:01:00Z"]]));
    expect(seen).to.deep.equal([
      [ANOMALY_SQL.previous, { firsts: '[{"s":"s","t":"2026-11-30T10:01:00.000000000+00:00"}]' }],
    ]);
  });
});

describe("anomaly feature function through the FDK (http-stream over a unix socket, child process)", function () {
  it("answers a batch with its outcome, and a payload that is not a batch with the FDK's error (Connector Hub retries it)", async () => {
    const fn = startFdk(path.join(__dirname, "support", "anomalyFdk.ts"));
    try {
      const batch = JSON.stringify([message(0, ev("e1", "s", 1, "2026-11-30T10:00:00Z"))]);
      const res = await fn.call({ body: batch });
      expect(res.status).to.equal(200);
      expect(JSON.parse(res.body)).to.deep.equal({ received: 1, inserted: 1, duplicates: 0, refused: 0 });
      const again = await fn.call({ body: batch });
      expect(JSON.parse(again.body)).to.deep.include({ inserted: 0, duplicates: 1 });
      const bad = await fn.call({ body: JSON.stringify({ not: "a batch" }) });
      expect(bad.status).to.equal(502);
      expect(JSON.parse(bad.body)).to.deep.include({ message: "Exception in function, consult logs for details" });
    } finally {
      await fn.stop();
    }
  });
});

describe("anomaly feature function: configuration and the Vault credential", () => {
  const ocid = "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaatestsecret";
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64");

  it("reads its configuration, naming every wrong value", () => {
    expect(functionDbSettings({ ANOMALY_DB_SECRET_OCID: ocid }, ANOMALY_ENV, "the anomaly function")).to.deep.equal({
      dbSecretOcid: ocid,
      poolSize: 2,
    });
    expect(
      functionDbSettings({ ANOMALY_DB_SECRET_OCID: ocid, ANOMALY_POOL_SIZE: "8" }, ANOMALY_ENV, "the anomaly function")
        .poolSize,
    ).to.equal(8);
    expect(() =>
      functionDbSettings(
        { ANOMALY_DB_SECRET_OCID: "my-secret", ANOMALY_POOL_SIZE: "9" },
        ANOMALY_ENV,
        "the anomaly function",
      ),
    ).to.throw(
      [
        "the anomaly function's configuration is wrong:",
        '  ANOMALY_DB_SECRET_OCID is "my-secret"; expected a Vault secret OCID (ocid1.vaultsecret.oc1.<region>.<id>)',
        '  ANOMALY_POOL_SIZE is "9"; expected an integer from 1 to 8',
      ].join("\n"),
    );
  });

  it("reads the current version of the secret and checks its fields, never echoing the password", async () => {
    const asked: unknown[] = [];
    const client = {
      getSecretBundle: async (request: { secretId: string; stage?: "CURRENT" }) => {
        asked.push(request);
        return {
          secretBundle: {
            secretBundleContent: {
              contentType: "BASE64",
              content: encode({
                username: "MC_FN",
                password: "s3cret-Passw0rd",
                dsn: "(description=…)",
                schema: "MC_APP",
              }),
            },
          },
        };
      },
    };
    expect(await readFunctionDbCredential(client, ocid)).to.deep.equal({
      username: "MC_FN",
      password: "s3cret-Passw0rd",
      dsn: "(description=…)",
      schema: "MC_APP",
    });
    expect(asked).to.deep.equal([{ secretId: ocid, stage: "CURRENT" }]);
    const errors = [
      () => parseFunctionDbCredential(Buffer.from("not json").toString("base64")),
      () => parseFunctionDbCredential(encode({ username: "MC_FN", password: "s3cret-Passw0rd" })),
      () =>
        parseFunctionDbCredential(
          encode({ username: "MC_FN", password: "s3cret-Passw0rd", dsn: "d", schema: "MC_APP; DROP" }),
        ),
    ].map((f) => {
      try {
        f();
        return "no error";
      } catch (err) {
        return (err as Error).message;
      }
    });
    expect(errors).to.deep.equal([
      'the database secret is not base64 of JSON; expected {"username", "password", "dsn", "schema"}',
      'the database secret lacks dsn, schema; expected {"username", "password", "dsn", "schema"}',
      "the database secret's schema is not a schema name",
    ]);
    expect(errors.join(" ")).to.not.contain("s3cret");
    const plain = { getSecretBundle: async () => ({ secretBundle: { secretBundleContent: { contentType: "TEXT" } } }) };
    expect(await readFunctionDbCredential(plain, ocid).catch((e: unknown) => (e as Error).message)).to.equal(
      `secret ${ocid} has no BASE64 content`,
    );
  });
});

describe("anomaly producer CLI (npm run events:put:oci) on a Kafka protocol broker (librdkafka mock cluster)", function () {
  it("makes deterministic events with spikes where asked, keyed by series, and takes credentials only from the environment", () => {
    const events = anomalyEvents({
      count: 10,
      series: 3,
      startMs: Date.parse("2026-11-30T10:00:00Z"),
      spikeEvery: 5,
      runId: "run1",
    });
    expect(events.map((e) => e.seriesKey)).to.deep.equal([
      "sensor-0",
      "sensor-1",
      "sensor-2",
      "sensor-0",
      "sensor-1",
      "sensor-2",
      "sensor-0",
      "sensor-1",
      "sensor-2",
      "sensor-0",
    ]);
    expect(events.filter((e) => e.value > 500).map((e) => e.eventId)).to.deep.equal(["run1-4", "run1-9"]);
    expect(events.every((e) => parseAnomalyEvent(JSON.stringify(e)).ok)).to.equal(true);
    expect(anomalyMessages(events)[0]).to.deep.equal({ key: "sensor-0", value: JSON.stringify(events[0]) });
    expect(() => anomalyEvents({ count: 0, series: 1, startMs: 0, spikeEvery: 0, runId: "x" })).to.throw(
      "count must be a whole number ≥ 1",
    );
    expect(() => streamKafkaConfig("host:9092", false, {})).to.throw("set OCI_STREAM_USERNAME");
    expect(
      streamKafkaConfig("host:9092", false, { OCI_STREAM_USERNAME: "t/u/p", OCI_AUTH_TOKEN: "tok" }),
    ).to.deep.include({ ssl: true, sasl: { mechanism: "plain", username: "t/u/p", password: "tok" } });
  });

  it("puts events the feature function then stores: produced by the CLI, consumed as Connector Hub would hand them over", async () => {
    const mock = await startMockCluster();
    try {
      await createTopicWithNonEvent(mock.bootstrap, "anomaly-events");
      const { stdout } = await promisify(execFile)(process.execPath, [
        "--import",
        "tsx",
        path.join(__dirname, "..", "..", "functions", "oci", "producer", "cli.ts"),
        "--bootstrap",
        mock.bootstrap,
        "--count",
        "40",
        "--series",
        "4",
        "--spike-every",
        "20",
        "--plaintext",
      ]);
      expect(stdout.trim()).to.equal("put 40 events over 4 series on anomaly-events");
      const body = await readAsConnectorHub(mock.bootstrap, "anomaly-events", 41);
      const db = new FakeAnomalyDb();
      // The warm-up message is no event: refused with its reason, the 40 stored.
      expect(await handleBatch(body, anomalyStore(db))).to.deep.equal({
        received: 41,
        inserted: 40,
        duplicates: 0,
        refused: 1,
      });
      expect([...db.rejects.values()]).to.deep.equal(["invalid eventId, seriesKey, value, eventTime"]);
    } finally {
      await mock.stop();
    }
  });
});
