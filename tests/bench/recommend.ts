/**
 * `npm run bench:recommend`: the recommendation engine's functions, on the recording database model.
 * 1. The interactions consumer: BENCH_EVENTS user events in Connector Hub batches of BENCH_BATCH
 *    through the real batch handler — round trips and commits, against an insert and a commit per
 *    event (the naive consumer, computed).
 * 2. The API: BENCH_REQUESTS GET /recommendations through the real handler, one at a time, with the
 *    model's round trip at BENCH_RTT_MS — round trips per request (rec_serve does candidates, ranking,
 *    the served log and the commit in one call) and the handler's latency; then with the database
 *    slower than the deadline — every answer the cached popular list, each within the deadline.
 * Figures are measured here, not asserted; the SQL's own cost needs a real database.
 */
import { type ApiDeps, handleApi, type PopularCache } from "../../functions/oci/recommend/api";
import { handleInteractions } from "../../functions/oci/recommend/interactions";
import { recommendStore, type RecommendStore } from "../../functions/oci/recommend/store";
import { userEvents } from "../../functions/oci/producer/userEvents";
import { FakeRecommendDb } from "../functions/support/fakeRecommendDb";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);
const RTT_MS = Number(process.env.BENCH_RTT_MS ?? 2);
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? 100);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function consumer(): Promise<void> {
  const events = userEvents({
    count: EVENTS,
    users: 200,
    items: 1000,
    startMs: Date.parse("2026-11-30T00:00:00Z"),
    runId: "bench",
  });
  const db = new FakeRecommendDb();
  const store = recommendStore(db);
  const started = process.hrtime.bigint();
  let batches = 0;
  for (let first = 0; first < events.length; first += BATCH) {
    const body = events.slice(first, first + BATCH).map((e, k) => ({
      stream: "user-events",
      partition: "0",
      offset: first + k,
      value: Buffer.from(JSON.stringify(e)).toString("base64"),
    }));
    await handleInteractions(body, store);
    batches++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`interactions consumer: ${EVENTS} user events in Connector Hub batches of ${BATCH}:`);
  console.log(
    `  ${db.roundTrips} round trips (${db.roundTrips / batches} per batch), ${db.commits} commits; ${db.interactions.size} rows`,
  );
  console.log(
    `  an insert and a commit per event (computed): ${EVENTS * 2} round trips → ${((EVENTS * 2) / db.roundTrips).toFixed(0)}× fewer; pure compute ${(EVENTS / seconds).toFixed(0)} events/s`,
  );
}

async function api(label: string, serveDelayMs: number): Promise<void> {
  const db = new FakeRecommendDb();
  db.serveResult = JSON.stringify({
    strategy: "personal",
    items: Array.from({ length: 10 }, (_, i) => ({ itemId: `item-${i}`, score: 1 - i / 20, source: "blend" })),
  });
  db.popularItems = Array.from({ length: 50 }, (_, i) => `item-${i}`);
  const store = recommendStore(db);
  const delayed: Pick<RecommendStore, "serve" | "popular" | "upsertItems"> = {
    serve: async (r) => (await sleep(serveDelayMs), store.serve(r)),
    popular: async () => (await sleep(RTT_MS), store.popular()),
    upsertItems: store.upsertItems,
  };
  const cache: PopularCache = { items: [], readAt: 0 };
  const deps: ApiDeps = {
    store: delayed,
    deadlineMs: DEADLINE_MS,
    cache,
    cacheMaxAgeMs: 300_000,
    now: Date.now,
    newRecId: () => "00000000-0000-4000-8000-000000000000",
    log: () => undefined,
  };
  // The first request fills the cache (as an instance's first request does).
  await handleApi(
    { method: "GET", url: "/recommend/v1/recommendations", header: () => "u-0", body: "" },
    { ...deps, store: { ...delayed, serve: async (r) => (await sleep(RTT_MS), store.serve(r)) } },
  );
  const before = db.roundTrips;
  const latencies: number[] = [];
  const strategies = new Map<string, number>();
  for (let i = 0; i < REQUESTS; i++) {
    const started = process.hrtime.bigint();
    const res = await handleApi(
      { method: "GET", url: "/recommend/v1/recommendations?limit=10", header: () => `u-${i % 100}`, body: "" },
      deps,
    );
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    const strategy = String((res.body as { strategy?: string }).strategy ?? res.status);
    strategies.set(strategy, (strategies.get(strategy) ?? 0) + 1);
  }
  latencies.sort((a, b) => a - b);
  console.log(
    `API, ${label}: ${REQUESTS} requests, deadline ${DEADLINE_MS} ms: ${[...strategies].map(([s, n]) => `${n} ${s}`).join(", ")}`,
  );
  console.log(
    `  ${((db.roundTrips - before) / REQUESTS).toFixed(2)} database round trips per request; handler latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  await consumer();
  await api(`database round trip ${RTT_MS} ms`, RTT_MS);
  await api(`database answering in ${DEADLINE_MS * 3} ms (late)`, DEADLINE_MS * 3);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
