/**
 * The OCI functions' shared code and the anomaly consumer's edges (written from the mutation run's
 * survivors): the statements and bind definitions as the database gets them, the refusals' binds,
 * what is a JSON object, a refused password and the pool's reopening, the function's settings at
 * their bounds, Connector Hub's batch size, and the anomaly event's limits, first times and order.
 */
import { expect } from "chai";
import oracledb from "oracledb";
import { firstTimes, computeFeatures } from "../../functions/oci/anomaly/features";
import { parseAnomalyEvent } from "../../functions/oci/anomaly/event";
import { ANOMALY_LIMITS } from "../../functions/oci/anomaly/contract";
import { anomalyStore, ANOMALY_SQL, INSERT_BIND_DEFS } from "../../functions/oci/anomaly/store";
import { decodeConnectorBatch } from "../../functions/oci/common/connectorHub";
import { isPasswordRefused, reopeningPool } from "../../functions/oci/common/pool";
import { REJECT_BIND_DEFS, rejectBinds, rejectSql } from "../../functions/oci/common/rejects";
import { jsonObject } from "../../functions/oci/common/streamEvents";
import { functionDbSettings, parseFunctionDbCredential } from "../../functions/oci/common/vaultCredential";

describe("OCI functions' statements and binds as the database gets them", () => {
  it("records a refusal once per stream position, its reason cut to the column's 400 characters", () => {
    expect(rejectSql("anomaly_rejects")).to.equal(
      "MERGE INTO anomaly_rejects r USING (SELECT :stream AS stream, :partition_id AS partition_id, :offset_no AS offset_no FROM dual) s" +
        " ON (r.stream = s.stream AND r.partition_id = s.partition_id AND r.offset_no = s.offset_no)" +
        " WHEN NOT MATCHED THEN INSERT (stream, partition_id, offset_no, reason) VALUES (:stream, :partition_id, :offset_no, :reason)",
    );
    expect(rejectSql("rec_rejects")).to.match(/^MERGE INTO rec_rejects r USING/);
    expect(REJECT_BIND_DEFS).to.deep.equal({
      stream: { type: oracledb.STRING, maxSize: 255 },
      partition_id: { type: oracledb.STRING, maxSize: 32 },
      offset_no: { type: oracledb.NUMBER },
      reason: { type: oracledb.STRING, maxSize: 400 },
    });
    expect(
      rejectBinds([
        { stream: "s", partition: "0", offset: 7, reason: "x".repeat(450) },
        { stream: "s", partition: "1", offset: 8, reason: "short" },
      ]),
    ).to.deep.equal([
      { stream: "s", partition_id: "0", offset_no: 7, reason: "x".repeat(400) },
      { stream: "s", partition_id: "1", offset_no: 8, reason: "short" },
    ]);
  });

  it("inserts anomaly events with their instant parsed to nanoseconds and typed binds, and reads previous values as arrays", async () => {
    expect(ANOMALY_SQL.insert).to.contain(
      `VALUES (:event_id, :series_key, TO_TIMESTAMP_TZ(:event_time, 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM'), :value, :delta, :ratio)`,
    );
    expect(ANOMALY_SQL.previous).to.contain(`TO_TIMESTAMP_TZ(s.first_time, 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')`);
    expect(INSERT_BIND_DEFS).to.deep.equal({
      event_id: { type: oracledb.STRING, maxSize: 64 },
      series_key: { type: oracledb.STRING, maxSize: 128 },
      event_time: { type: oracledb.STRING, maxSize: 35 },
      value: { type: oracledb.NUMBER },
      delta: { type: oracledb.NUMBER },
      ratio: { type: oracledb.NUMBER },
    });
    const calls: unknown[][] = [];
    const conn = {
      execute: async (...args: unknown[]) => {
        calls.push(args);
        return { rows: [["cpu", "4.5", "2026-11-30T09:00:00.000000Z"]] };
      },
    } as unknown as Parameters<typeof anomalyStore>[0];
    const previous = await anomalyStore(conn).previousValues(new Map([["cpu", "2026-11-30T10:00:00Z"]]));
    expect(calls).to.deep.equal([
      [
        ANOMALY_SQL.previous,
        { firsts: JSON.stringify([{ s: "cpu", t: "2026-11-30T10:00:00.000000000+00:00" }]) },
        { outFormat: oracledb.OUT_FORMAT_ARRAY },
      ],
    ]);
    expect([...previous]).to.deep.equal([
      ["cpu", { seriesKey: "cpu", value: 4.5, eventTime: "2026-11-30T09:00:00.000000Z" }],
    ]);
  });

  it("takes only a JSON object as a message value", () => {
    for (const text of ["[]", "null", "7", '"x"', "true"])
      expect(jsonObject(text), text).to.deep.equal({ ok: false, reason: "value is not a JSON object" });
    expect(jsonObject("{")).to.deep.equal({ ok: false, reason: "value is not JSON" });
    expect(jsonObject('{"a":1}')).to.deep.equal({ ok: true, value: { a: 1 } });
  });
});

describe("OCI functions' pool and settings", () => {
  it("knows a refused password by its code or its message's leading ORA-01017 only", () => {
    expect(isPasswordRefused({ errorNum: 1017 })).to.equal(true);
    expect(isPasswordRefused(new Error("ORA-01017: invalid credential or not authorized; logon denied"))).to.equal(
      true,
    );
    for (const err of [
      new Error("NJS-500: ORA-01017 in a message"),
      new Error("ORA-010170: not it"),
      { errorNum: 1018 },
      null,
      undefined,
    ])
      expect(isPasswordRefused(err), String(err)).to.equal(false);
  });

  it("reopens the pool once, closing the old one at once, when the password is refused; rethrows anything else", async () => {
    const opened: string[] = [];
    const closed: Array<[string, number | undefined]> = [];
    const script: Array<Error | string> = [Object.assign(new Error("ORA-01017: denied"), { errorNum: 1017 }), "c2"];
    const pool = reopeningPool(async () => {
      const name = `pool${opened.length + 1}`;
      opened.push(name);
      return {
        getConnection: async () => {
          const next = script.shift()!;
          if (next instanceof Error) throw next;
          return `${name}:${next}`;
        },
        close: async (drain?: number) => void closed.push([name, drain]),
      };
    });
    expect(await pool.connection()).to.equal("pool2:c2");
    expect(opened).to.deep.equal(["pool1", "pool2"]);
    expect(closed).to.deep.equal([["pool1", 0]]);
    script.push(new Error("NJS-040: connection request timeout"));
    const err = await pool.connection().catch((e: unknown) => e as Error);
    expect((err as Error).message).to.equal("NJS-040: connection request timeout");
    expect(opened).to.deep.equal(["pool1", "pool2"]);
  });

  it("opens again after a failed open", async () => {
    let attempts = 0;
    const pool = reopeningPool(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error("vault unreachable");
      return { getConnection: async () => "c", close: async () => undefined };
    });
    expect(((await pool.connection().catch((e: unknown) => e)) as Error).message).to.equal("vault unreachable");
    expect(await pool.connection()).to.equal("c");
    expect(attempts).to.equal(2);
  });

  it("takes pool sizes 1 to 8 and a whole Vault secret OCID, naming each wrong value", () => {
    const names = { dbSecretOcid: "DB_SECRET_OCID", poolSize: "DB_POOL_SIZE" };
    const ocid = "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaa";
    const problem = (env: Record<string, string | undefined>) => {
      try {
        return functionDbSettings(env, names, "the anomaly function");
      } catch (err) {
        return (err as Error).message.split("\n").slice(1).join("\n");
      }
    };
    for (const size of ["1", "8"])
      expect(problem({ DB_SECRET_OCID: ocid, DB_POOL_SIZE: size })).to.deep.equal({
        dbSecretOcid: ocid,
        poolSize: Number(size),
      });
    expect(problem({ DB_SECRET_OCID: ocid })).to.deep.equal({ dbSecretOcid: ocid, poolSize: 2 });
    for (const size of ["0", "9", "2.5"])
      expect(problem({ DB_SECRET_OCID: ocid, DB_POOL_SIZE: size }), size).to.equal(
        `  DB_POOL_SIZE is "${size}"; expected an integer from 1 to 8`,
      );
    expect(problem({ DB_SECRET_OCID: "ocid1.vaultsecret.oc12.eu-frankfurt-1.amaaaaaa" })).to.deep.include({
      poolSize: 2,
    });
    for (const bad of [`x${ocid}`, `${ocid}!`, "ocid1.vaultsecret.ocx.eu-frankfurt-1.a"])
      expect(problem({ DB_SECRET_OCID: bad }), bad).to.equal(
        `  DB_SECRET_OCID is "${bad}"; expected a Vault secret OCID (ocid1.vaultsecret.oc1.<region>.<id>)`,
      );
    expect(problem({})).to.equal(
      "  DB_SECRET_OCID is null; expected a Vault secret OCID (ocid1.vaultsecret.oc1.<region>.<id>)",
    );
  });

  it("refuses a credential whose schema is not a schema name", () => {
    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");
    const good = { username: "MC_FN", password: "p", dsn: "db_high", schema: "MC_APP" };
    expect(parseFunctionDbCredential(encode(good))).to.deep.equal(good);
    for (const schema of ["1MC", "MC APP", "MC_APP;DROP"])
      expect(() => parseFunctionDbCredential(encode({ ...good, schema })), schema).to.throw(
        "the database secret's schema is not a schema name",
      );
    expect(() => parseFunctionDbCredential(encode(null))).to.throw(
      'the database secret lacks username, password, dsn, schema; expected {"username", "password", "dsn", "schema"}',
    );
  });
});

describe("anomaly consumer's limits and order", () => {
  it("takes a batch of exactly the connector's size and not one more", () => {
    const m = { stream: "s", partition: "0", offset: 1, value: Buffer.from("{}").toString("base64") };
    expect(decodeConnectorBatch(Array(3).fill(m), 3)).to.have.length(3);
    expect(() => decodeConnectorBatch(Array(4).fill(m), 3)).to.throw(
      "the batch holds 4 messages; the connector's batch size is at most 3",
    );
    expect(() => decodeConnectorBatch([{ ...m, offset: "1" }], 3)).to.throw(
      "message 0: stream, partition and offset are required",
    );
  });

  it("takes event ids and series keys up to their limits and not a character more", () => {
    const event = (eventId: string, seriesKey: string) =>
      JSON.stringify({ eventId, seriesKey, value: 1, eventTime: "2026-11-30T10:00:00Z" });
    const id = (n: number) => `e${"x".repeat(n - 1)}`;
    expect(parseAnomalyEvent(event(id(ANOMALY_LIMITS.maxEventIdLength), "cpu")).ok).to.equal(true);
    expect(parseAnomalyEvent(event(id(ANOMALY_LIMITS.maxEventIdLength + 1), "cpu"))).to.deep.equal({
      ok: false,
      reason: "invalid eventId",
    });
    expect(parseAnomalyEvent(event("e1", id(ANOMALY_LIMITS.maxSeriesKeyLength))).ok).to.equal(true);
    expect(parseAnomalyEvent(event("e1", id(ANOMALY_LIMITS.maxSeriesKeyLength + 1)))).to.deep.equal({
      ok: false,
      reason: "invalid seriesKey",
    });
  });

  it("asks for each series' earliest instant (the first written of equal ones), and orders equal instants by event id", () => {
    const e = (eventId: string, seriesKey: string, eventTime: string, value = 1) => ({
      eventId,
      seriesKey,
      eventTime,
      value,
    });
    expect([
      ...firstTimes([
        e("a", "cpu", "2026-11-30T10:05:00Z"),
        e("b", "cpu", "2026-11-30T10:00:00Z"),
        e("c", "cpu", "2026-11-30T10:00:00+00:00"),
        e("d", "cpu", "2026-11-30T10:07:00Z"),
        e("f", "mem", "2026-11-30T09:00:00Z"),
      ]),
    ]).to.deep.equal([
      ["cpu", "2026-11-30T10:00:00Z"],
      ["mem", "2026-11-30T09:00:00Z"],
    ]);
    const rows = computeFeatures(
      [
        e("z", "cpu", "2026-11-30T10:00:00Z", 3),
        e("m", "cpu", "2026-11-30T10:00:00Z", 5),
        e("a", "cpu", "2026-11-30T10:00:00Z", 4),
      ],
      new Map(),
    );
    expect(rows.map((r) => [r.eventId, r.delta])).to.deep.equal([
      ["a", null],
      ["m", 1],
      ["z", -2],
    ]);
  });
});
