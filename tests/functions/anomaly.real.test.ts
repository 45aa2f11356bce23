/**
 * The anomaly pipeline's SQL against a real Oracle AI Database (26ai), when ORACLE_TEST_DSN is
 * set; skipped, saying why, when it is not. Migrates the schema, stores measurements through the
 * feature function's store as MC_SVC (previous values, MERGE idempotency), then runs the
 * set-based detection as the admin: the spike is marked, one alert is queued, a re-run finds
 * nothing new, the dashboard view shows the band. Point it only at a throw-away database.
 */
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import oracledb from "oracledb";
import { SERVICE_USER } from "../../functions/aws/migrate/contract";
import { handleBatch } from "../../functions/oci/anomaly/batch";
import { type AnomalyConnection, anomalyStore } from "../../functions/oci/anomaly/store";
import { migrateRealOracle, REAL_ORACLE, realOracleSessions, realOracleTitle } from "./support/realOracle";

describe(realOracleTitle("anomaly pipeline SQL"), function () {
  const sessions = realOracleSessions();
  const connect = sessions.connect;

  before(async function () {
    if (!REAL_ORACLE.dsn) return this.skip();
    await migrateRealOracle();
  });
  after(() => sessions.closeAll());

  it("stores measurements idempotently, scores them against their series' window, alerts once, and re-running finds nothing new", async () => {
    const series = `sensor-${randomUUID().slice(0, 8)}`;
    const start = Date.parse("2026-11-30T00:00:00Z");
    const steady = Array.from({ length: 40 }, (_, i) => ({
      eventId: `${series}-${i}`,
      seriesKey: series,
      value: 10 + (i % 3) * 0.1,
      eventTime: new Date(start + i * 60_000).toISOString(),
    }));
    const spike = {
      eventId: `${series}-spike`,
      seriesKey: series,
      value: 100,
      eventTime: new Date(start + 40 * 60_000).toISOString(),
    };
    const body = [...steady, spike].map((e, i) => ({
      stream: "anomaly-events",
      partition: "0",
      offset: i,
      value: Buffer.from(JSON.stringify(e)).toString("base64"),
    }));
    const svc = await connect(SERVICE_USER, REAL_ORACLE.passwords.service_password);
    const store = anomalyStore(svc as unknown as AnomalyConnection);
    expect(await handleBatch(body, store)).to.deep.include({ inserted: 41, refused: 0 });
    expect(await handleBatch(body, store)).to.deep.include({ inserted: 0, duplicates: 41 });
    const admin = await connect(REAL_ORACLE.adminUser, REAL_ORACLE.adminPassword);
    const out = { dir: oracledb.BIND_OUT, type: oracledb.NUMBER };
    const first = await admin.execute<{ scored: number; alerts: number }>(
      "BEGIN detect_anomalies(:scored, :alerts); END;",
      { scored: out, alerts: out },
    );
    expect((first.outBinds as { alerts: number }).alerts).to.be.at.least(1);
    const flagged = await admin.execute<[string]>(
      "SELECT event_id FROM anomaly_events WHERE series_key = :s AND is_anomaly = 1",
      { s: series },
    );
    expect(flagged.rows?.map((r) => r[0])).to.deep.equal([spike.eventId]);
    const again = await admin.execute("BEGIN detect_anomalies(:scored, :alerts); END;", { scored: out, alerts: out });
    expect(again.outBinds).to.deep.equal({ scored: 0, alerts: 0 });
    const band = await admin.execute<[number, number, number]>(
      "SELECT expected_value, band_low, band_high FROM anomaly_dashboard WHERE series_key = :s AND event_time = (SELECT MAX(event_time) FROM anomaly_events WHERE series_key = :s)",
      { s: series },
    );
    const [expected, low, high] = band.rows![0];
    expect(expected).to.be.closeTo(10.1, 0.11);
    expect(low).to.be.below(expected);
    expect(high).to.be.above(expected).and.below(100);
  });
});
