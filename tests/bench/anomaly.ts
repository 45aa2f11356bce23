/**
 * `npm run bench:anomaly`: the OCI anomaly feature function's database cost. BENCH_EVENTS events
 * over BENCH_SERIES series in Connector Hub batches of BENCH_BATCH through the real batch handler
 * on the recording database model: round trips and commits per batch, against the seed's
 * per-event connect + insert + commit (3 round trips and a commit per event, computed); and the
 * throughput with the model's round trip fixed at BENCH_RTT_MS (the function and the database in
 * one region), against the limit batch ÷ (3 × RTT): read, write, commit. The detection's cost is set-based by
 * construction (one MERGE per run); only a real database measures it (anomaly.real.test.ts).
 */
import { handleBatch } from "../../functions/oci/anomaly/batch";
import { anomalyStore } from "../../functions/oci/anomaly/store";
import { FakeAnomalyDb } from "../functions/support/fakeAnomalyDb";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const SERIES = Number(process.env.BENCH_SERIES ?? 50);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const RTT_MS = Number(process.env.BENCH_RTT_MS ?? 2);

function batches(): unknown[][] {
  const start = Date.parse("2026-11-30T00:00:00Z");
  const out: unknown[][] = [];
  for (let first = 0; first < EVENTS; first += BATCH) {
    out.push(
      Array.from({ length: Math.min(BATCH, EVENTS - first) }, (_, k) => {
        const i = first + k;
        const event = {
          eventId: `e-${i}`,
          seriesKey: `series-${i % SERIES}`,
          value: 100 + Math.sin(i / 10) * 5,
          eventTime: new Date(start + i * 1000).toISOString(),
        };
        return {
          stream: "anomaly-events",
          partition: "0",
          offset: i,
          value: Buffer.from(JSON.stringify(event)).toString("base64"),
        };
      }),
    );
  }
  return out;
}

async function run(rttMs: number): Promise<{ db: FakeAnomalyDb; seconds: number; batches: number }> {
  const db = new FakeAnomalyDb();
  db.roundTripDelayMs = rttMs;
  const all = batches();
  const started = process.hrtime.bigint();
  for (const body of all) await handleBatch(body, anomalyStore(db));
  return { db, seconds: Number(process.hrtime.bigint() - started) / 1e9, batches: all.length };
}

async function main(): Promise<void> {
  const counted = await run(0);
  console.log(`${EVENTS} events, ${SERIES} series, Connector Hub batches of ${BATCH}:`);
  console.log(
    `  feature function: ${counted.db.roundTrips} round trips (${counted.db.roundTrips / counted.batches} per batch), ${counted.db.commits} commits (${counted.db.commits / counted.batches} per batch); ${counted.db.events.size} rows`,
  );
  console.log(
    `  the seed (computed: connect, insert, commit per event): ${EVENTS * 3} round trips, ${EVENTS} commits → ${((EVENTS * 3) / counted.db.roundTrips).toFixed(0)}× fewer round trips, ${(EVENTS / counted.db.commits).toFixed(0)}× fewer commits`,
  );
  console.log(`  pure compute (no latency): ${(EVENTS / counted.seconds).toFixed(0)} events/s`);
  const timed = await run(RTT_MS);
  const limit = BATCH / ((3 * RTT_MS) / 1000);
  console.log(
    `  with a ${RTT_MS} ms round trip: ${(EVENTS / timed.seconds).toFixed(0)} events/s against the limit ${BATCH} ÷ (3 × ${RTT_MS} ms) = ${limit.toFixed(0)} events/s (${((100 * EVENTS) / timed.seconds / limit).toFixed(1)} %)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
